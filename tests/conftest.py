"""Shared fixtures: a throw-away copy of the real project, and in-process runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pressroom.cli import main
from pressroom.content import Document

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECT_FILES = ["pyproject.toml", "build.py", "content", "locales", "templates"]


def copy_project(dest: Path) -> Path:
    """A copy of this repository's project (sources, catalogs, templates)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """A copy of the project built once per test process (``build --strict``, PDFs
    included), for tests that only read it; a test that changes it copies it first."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    assert main(["build", "--strict"], project=root) == 0
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def run(capsys):
    """Run the CLI in-process on a project: returns (exit code, stdout, stderr)."""

    def _run(root: Path, *argv: str) -> tuple[int, str, str]:
        code = main(list(argv), project=root)
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def body_document(markdown: str, lang: str = "en") -> Document:
    """A document whose body is ``markdown`` (line 1 = first body line)."""
    return Document("analysis", "case", "case.md", lang, {}, [], markdown, 1)
