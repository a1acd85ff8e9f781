"""The bad.* corpus: each file is one invalid input with the message it must give.

A Markdown case is dropped into content/analyses/, a catalog case replaces the
Turkish catalog of an analysis, a template case replaces templates/article.html. The build must exit non-zero, print
``path:line: error: message``, and leave the previous site/ exactly as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES

BAD = sorted((FIXTURES / "bad").glob("bad.*"))
EXPECT = re.compile(r"expect: (\d+|-): (.+?)(?: -->| #\})?$", re.MULTILINE)
CATALOG = "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po"


def _snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A project copy with a good site/ built once; each case works on its own copy."""
    from conftest import copy_project

    from pressroom.cli import main

    root = copy_project(tmp_path_factory.mktemp("good") / "project")
    assert main(["build"], project=root) == 0
    return root


@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_bad_input(case: Path, built: Path, tmp_path: Path, run):
    import shutil

    root = tmp_path / "project"
    shutil.copytree(built, root)
    before = _snapshot(root / "site")
    line, message = EXPECT.search(case.read_text(encoding="utf-8", errors="replace")).groups()
    if case.suffix == ".md":
        target = f"content/analyses/{case.stem.removeprefix('bad.')}.md"
    elif case.suffix == ".html":
        target = "templates/article.html"
    else:
        target = CATALOG
    shutil.copyfile(case, root / target)

    code, _, err = run(root, "build")

    where = target if line == "-" else f"{target}:{line}"
    assert code == 1
    assert f"{where}: error: {message}" in err, err
    assert _snapshot(root / "site") == before, "a failed build changed site/"
    assert not list(root.glob(".site-*")), "a failed build left a staging directory"
