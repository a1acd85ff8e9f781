"""What the package declares: every distribution the code imports is a dependency
(the toolkit's own code: [project] dependencies, or the optional extra that its import
is guarded by; the tests': the ``test`` extra), and the licence covers what it ships."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from conftest import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
OPTIONAL_IMPORTS = {"deepl": "deepl", "dask": "dask", "distributed": "dask"}
"""Modules the toolkit imports only when an optional feature is used -> its extra."""


def _name(requirement: str) -> str:
    return re.split(r"[ <>=~!;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imported(paths: list[Path]) -> set[str]:
    """Top-level modules imported anywhere in ``paths`` (absolute imports only)."""
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def _distributions(modules: set[str], own: set[str]) -> dict[str, str]:
    """Third-party module -> the distribution that installs it."""
    installed = packages_distributions()
    third_party = modules - set(sys.stdlib_module_names) - own - {"__future__"}
    missing = sorted(m for m in third_party if m not in installed)
    assert not missing, f"imported but not installed here: {missing}"
    return {m: installed[m][0].lower().replace("_", "-") for m in third_party}


def test_every_module_the_toolkit_imports_is_a_declared_dependency():
    declared = {_name(r) for r in PROJECT["dependencies"]}
    found = _distributions(_imported(sorted((ROOT / "pressroom").rglob("*.py"))), {"pressroom"})
    undeclared = {
        module: dist for module, dist in found.items()
        if dist not in declared
        and _name(dist) not in {_name(r) for r in PROJECT["optional-dependencies"].get(OPTIONAL_IMPORTS.get(module, ""), [])}
    }
    assert not undeclared, f"imported by pressroom/ but not in [project] dependencies: {undeclared}"


def test_every_module_the_tests_and_benchmarks_import_is_declared():
    declared = {_name(r) for r in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]}
    local = {p.stem for p in [*ROOT.glob("tests/*.py"), *ROOT.glob("bench/*.py")]} | {"pressroom"}
    found = _distributions(_imported(sorted(ROOT.glob("tests/*.py"))), local)
    undeclared = {module: dist for module, dist in found.items() if dist not in declared}
    assert not undeclared, f"imported by tests/ but in neither dependencies nor the test extra: {undeclared}"


@pytest.mark.parametrize("path", PROJECT["license-files"])
def test_licence_files_exist_and_are_named_in_the_expression(path):
    assert (ROOT / path).is_file()
    text = (ROOT / path).read_text(encoding="utf-8")
    named = {"MIT": "Permission is hereby granted", "LPPL-1.3c": "LaTeX Project Public License",
             "OFL-1.1": "SIL OPEN FONT LICENSE"}
    assert any(id_ in PROJECT["license"] and phrase.lower() in text.lower() for id_, phrase in named.items()), path
