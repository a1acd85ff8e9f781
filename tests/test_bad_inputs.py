"""The bad.* corpus: each file is one invalid input with the message it must give.

Each file says what it must give, ``expect: LINE: message`` (``-``: the whole file),
and a source may say where it goes, ``path: content/authors/x.md`` (by default
``content/analyses/<name>.md``). A catalog case replaces the Turkish catalog of an
analysis, a template case replaces templates/article.html.

Every command that reads the sources (build, extract, update, check, stats,
translate --dry-run) runs over every bad source: exit status 1, the message as
``path:line: error: message``, no traceback, and nothing written: the project's
files, site/ and catalogs included, keep their bytes. The build also runs over every
catalog and template case and must leave the previous site/ exactly as it was.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project, copy_tree, has_pdfs

from pressroom.cli import main

BAD = sorted((FIXTURES / "bad").glob("bad.*"))
SOURCES = [p for p in BAD if p.suffix == ".md"]
EXPECT = re.compile(r"expect: (\d+|-): (.+?)(?: -->| #\})?$", re.MULTILINE)
PATH = re.compile(r"<!-- path: (\S+) -->")
CATALOG = "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po"
COMMANDS = {
    "build": ("build", "--no-pdf"),
    "extract": ("extract",),
    "update": ("update",),
    "check": ("check",),
    "stats": ("stats",),
    "translate": ("translate", "--lang", "tr", "--dry-run"),
}
"""Every command that reads the sources, as run here (``serve`` reads them in its
editor, which shows problems rather than failing)."""


def _snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def _tree(root: Path) -> tuple[dict[str, bytes], set[str]]:
    """Every file's bytes and every directory (but the build cache's own)."""
    files = _snapshot(root)
    dirs = {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_dir() and ".pressroom-cache" not in p.relative_to(root).parts
    }
    return files, dirs


def _case(case: Path) -> tuple[str, str, str]:
    """(target path in the project, expected line or "-", expected message)."""
    text = case.read_text(encoding="utf-8", errors="replace")
    line, message = EXPECT.search(text).groups()
    if case.suffix == ".md":
        found = PATH.search(text)
        target = found.group(1) if found else f"content/analyses/{case.stem.removeprefix('bad.')}.md"
    elif case.suffix == ".html":
        target = "templates/article.html"
    else:
        target = CATALOG
    return target, line, message


@pytest.fixture
def built(built_project: Path) -> Path:
    """A project with a good site/ (PDFs included unless no selected test renders PDFs),
    built once; each case works on its own copy."""
    return built_project


@pytest.fixture(scope="module")
def built_html(tmp_path_factory):
    """The same, without PDFs (the commands here stop before rendering anything)."""
    root = copy_project(tmp_path_factory.mktemp("good-html") / "project")
    assert main(["build", "--no-pdf"], project=root) == 0
    return root


@pytest.mark.parametrize("case", [p for p in BAD if p not in SOURCES], ids=lambda p: p.name)
def test_bad_input(case: Path, built: Path, tmp_path: Path, run):
    root = tmp_path / "project"
    copy_tree(built, root)
    before = _snapshot(root / "site")
    target, line, message = _case(case)
    shutil.copyfile(case, root / target)

    code, _, err = run(root, "build", *([] if has_pdfs(built) else ["--no-pdf"]))

    where = target if line == "-" else f"{target}:{line}"
    assert code == 1
    assert f"{where}: error: {message}" in err, err
    assert _snapshot(root / "site") == before, "a failed build changed site/"
    assert not list(root.glob(".site-*")), "a failed build left a staging directory"


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", SOURCES, ids=lambda p: p.name)
def test_bad_source(case: Path, command: str, built_html: Path, tmp_path: Path, run):
    root = tmp_path / "project"
    shutil.copytree(built_html, root, copy_function=os.link)  # nothing may be written in place
    target, line, message = _case(case)
    (root / target).unlink(missing_ok=True)
    shutil.copyfile(case, root / target)
    before = _tree(root)

    code, out, err = run(root, *COMMANDS[command])

    where = target if line == "-" else f"{target}:{line}"
    assert code == 1, out + err
    assert f"{where}: error: {message}" in out + err, out + err  # check's findings go to stdout
    assert "Traceback" not in out + err
    files, dirs = _tree(root)
    changed = sorted(k for k in files.keys() | before[0].keys() if files.get(k) != before[0].get(k))
    assert not changed, f"{command} wrote {changed}"
    assert dirs == before[1], f"{command} left {sorted(dirs ^ before[1])}"


def _directory(path: Path) -> None:
    path.mkdir()


def _dangling_link(path: Path) -> None:
    path.symlink_to(path.with_name("gone.md"))


UNREADABLE = {
    "directory": (_directory, "Is a directory"),
    "dangling-link": (_dangling_link, "No such file or directory"),
}
"""Sources that are not files to read: no bad.* file can hold them."""


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", UNREADABLE)
def test_unreadable_source(kind: str, command: str, built_html: Path, tmp_path: Path, run):
    root = tmp_path / "project"
    shutil.copytree(built_html, root, copy_function=os.link, symlinks=True)
    make, reason = UNREADABLE[kind]
    make(root / "content/analyses/unreadable.md")
    before = _tree(root)

    code, out, err = run(root, *COMMANDS[command])

    assert code == 1, out + err
    assert f"content/analyses/unreadable.md: error: cannot read the source: {reason}" in out + err
    assert "Traceback" not in out + err
    assert _tree(root) == before
