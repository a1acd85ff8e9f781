"""Catalog files that no source uses are reported by build, update and check (not
silently left behind), with the file and, for a renamed source, the command that
carries its translations."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

OLD = "us-role-in-nato-russia-tensions"
NATO = "how-nato-should-refine-its-russia-policy"
RENAME = f"renamed? `python build.py rename {OLD} NEW`"


def _po(lang: str, domain: str) -> str:
    return f"locales/{lang}/LC_MESSAGES/{domain}.po"


def _moved_by_hand(root: Path) -> None:
    os.rename(root / f"content/analyses/{OLD}.md", root / "content/analyses/us-role.md")


def _ghost_catalog(root: Path) -> None:
    shutil.copyfile(root / _po("tr", OLD), root / _po("tr", "ghost"))


def _ghost_author(root: Path) -> None:
    shutil.copyfile(root / _po("tr", "authors/editors"), root / _po("tr", "authors/ghost"))


def _ghost_template(root: Path) -> None:
    shutil.copyfile(root / f"locales/templates/{OLD}.pot", root / "locales/templates/ghost.pot")


def _empty_catalog(root: Path) -> None:
    (root / _po("ru", NATO)).write_bytes(b"")


def _blank_catalog(root: Path) -> None:
    (root / _po("tr", NATO)).write_bytes(b"\n\n")


def _own_language(root: Path) -> None:
    (root / "locales/en/LC_MESSAGES").mkdir(parents=True)
    shutil.copyfile(root / _po("tr", OLD), root / _po("en", OLD))


CASES: list[tuple[Callable[[Path], None], list[str]]] = [
    (_moved_by_hand, [
        f"{_po(lang, OLD)}: warning: no source content/analyses/{OLD}.md; "
        f"renamed? `python build.py rename {OLD} us-role` [orphans]"
        for lang in ("tr", "ru")
    ] + [f"locales/templates/{OLD}.pot: warning: no source content/analyses/{OLD}.md; "
         f"renamed? `python build.py rename {OLD} us-role` [orphans]"]),
    (_ghost_catalog, [f"{_po('tr', 'ghost')}: warning: no source content/analyses/ghost.md; "
                      "renamed? `python build.py rename ghost NEW` [orphans]"]),
    (_ghost_author, [f"{_po('tr', 'authors/ghost')}: warning: no source content/authors/ghost.md; "
                     "renamed? `python build.py rename authors/ghost NEW` [orphans]"]),
    (_ghost_template, ["locales/templates/ghost.pot: warning: no source content/analyses/ghost.md; "
                       "renamed? `python build.py rename ghost NEW` [orphans]"]),
    (_empty_catalog, [f"{_po('ru', NATO)}: warning: empty catalog: content/analyses/{NATO}.md is published "
                      "untranslated in ru; `python build.py update` fills it [orphans]"]),
    (_blank_catalog, [f"{_po('tr', NATO)}: warning: empty catalog: content/analyses/{NATO}.md is published "
                      "untranslated in tr; `python build.py update` fills it [orphans]"]),
    (_own_language, [f"{_po('en', OLD)}: warning: not used: content/analyses/{OLD}.md is written in en [orphans]"]),
]


@pytest.mark.parametrize("command", ["build", "check", "update"])
@pytest.mark.parametrize(("setup", "expected"), CASES, ids=[c[0].__name__.strip("_") for c in CASES])
def test_unused_catalogs_are_reported(project: Path, run, setup, expected: list[str], command: str):
    setup(project)

    _code, out, err = run(project, command, *(["--no-pdf"] if command == "build" else []))

    for line in expected:
        if command == "update" and "empty catalog" in line:
            assert line not in out + err  # update has just filled it
            continue
        assert line in (out + err).splitlines(), out + err
    assert "Traceback" not in out + err


def test_two_sources_moved_name_no_guess(project: Path, run):
    """With more than one orphaned source of a kind the new name is not guessed."""
    for old, new in ((OLD, "first"), (NATO, "second")):
        os.rename(project / f"content/analyses/{old}.md", project / f"content/analyses/{new}.md")
    _code, out, _ = run(project, "check")
    assert f"{_po('tr', OLD)}: warning: no source content/analyses/{OLD}.md; {RENAME} [orphans]" in out
    assert (f"{_po('tr', NATO)}: warning: no source content/analyses/{NATO}.md; "
            f"renamed? `python build.py rename {NATO} NEW` [orphans]") in out


def test_strict_build_fails_on_orphaned_catalogs(project: Path, run):
    _moved_by_hand(project)
    code, _, err = run(project, "build", "--no-pdf", "--strict")
    assert code == 1
    assert f"{_po('tr', OLD)}: warning: no source" in err
    assert not (project / "site").exists()


def test_a_clean_project_has_no_orphans(project: Path, run):
    code, out, err = run(project, "check")
    assert code == 0 and "[orphans]" not in out + err
