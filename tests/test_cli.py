"""The command line's contract: exit status 2 and argparse's form for every wrong
command line (the table in fixtures/usage.txt), and one message format for errors,
``path:line: error: message``, whatever the command."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

USAGE = FIXTURES / "usage.txt"


def _usage_cases() -> list:
    cases = []
    for number, line in enumerate(USAGE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        argv, expected = (part.strip() for part in line.split("|", 1))
        cases.append(pytest.param(shlex.split(argv), expected, id=f"usage.txt:{number}"))
    return cases


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("argv", "expected"), _usage_cases())
def test_usage_error(project: Path, run, argv: list[str], expected: str):
    before = _tree(project)

    code, out, err = run(project, *argv)

    assert code == 2, out + err
    assert "usage: build.py" in err, err
    assert expected in err, err
    assert "Traceback" not in out + err
    assert _tree(project) == before


def test_usage_error_exit_status_of_the_script(project: Path):
    """What a shell sees: build.py's own exit status (main's return value)."""
    result = subprocess.run(
        [sys.executable, str(project / "build.py"), "check", "--lang", "xx"],
        capture_output=True, text=True, cwd=project, check=False,
    )
    assert result.returncode == 2
    assert "build.py check: error: --lang: unknown language xx" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_is_not_an_error(project: Path, run):
    code, out, _ = run(project, "build", "--help")
    assert code == 0 and "usage: build.py build" in out


@pytest.mark.parametrize("command", ["update", "check", "build"])
def test_catalog_errors_name_path_and_line_first(project: Path, run, command: str):
    """Every command prints a broken catalog as ``path:line: error: …`` (``update``
    printed ``error: path:line: …``)."""
    case = FIXTURES / "bad" / "bad.catalog-keyword.po"
    catalog = "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po"
    shutil.copyfile(case, project / catalog)

    code, out, err = run(project, command, *(["--no-pdf"] if command == "build" else []))

    assert code == 1
    assert f"{catalog}:9: error: cannot parse catalog: unknown keyword 'msgtsr'" in out + err
    assert f"error: {catalog}" not in out + err
    assert "Traceback" not in out + err


def test_error_without_a_file_has_no_path(tmp_path: Path, run):
    code, _, err = run(tmp_path, "build")
    assert code == 1
    assert err == "pyproject.toml: error: no pyproject.toml: run the command in the project directory\n"


def test_readme_documents_the_exit_statuses():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "2 wrong usage" in readme and "130" in readme
