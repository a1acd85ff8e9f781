"""A build whose inputs all keep the signatures the last build saw stops at once
(``site.snapshot``): it says "nothing to do" without reading sources, and reports
the problems the last build reported. Every kind of change below makes it check
everything again ("reading sources"), which then decides what to render."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import copy_project

from pressroom.site.fingerprints import CACHE_DIR, STATE_FILE
from pressroom.site.snapshot import SNAPSHOT_FILE

A = "us-role-in-nato-russia-tensions"


def age(root: Path, seconds: float = 3600) -> None:
    """Every input of the project last written ``seconds`` ago (but the fonts, which
    ``copy_project`` links to the repository's: theirs are old enough)."""
    then = time.time() - seconds
    for top in ("content", "locales", "templates"):
        for path in [root / top, *(root / top).rglob("*")]:
            if path.is_dir() or path.stat().st_nlink == 1:
                os.utime(path, (then, then))
    os.utime(root / "pyproject.toml", (then, then))


@pytest.fixture
def built(tmp_path, run) -> Path:
    root = copy_project(tmp_path / "project")
    age(root)
    code, _, err = run(root, "build", "--no-pdf")
    assert code == 0, err
    assert (root / CACHE_DIR / SNAPSHOT_FILE).is_file()
    return root


def edit_source(root: Path) -> None:
    path = root / f"content/analyses/{A}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")


def touch(rel: str):
    def change(root: Path) -> None:
        os.utime(root / rel)  # same bytes, written now
    return change


def add(rel: str, text: str = ""):
    def change(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return change


def remove(rel: str):
    def change(root: Path) -> None:
        path = root / rel
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return change


CHANGES = {
    "source edited": edit_source,
    "source touched, same bytes": touch(f"content/analyses/{A}.md"),
    "a file added under content/": add("content/analyses/notes.txt", "draft"),
    "a catalog edited": touch(f"locales/tr/LC_MESSAGES/{A}.po"),
    "a catalog added": add("locales/tr/LC_MESSAGES/stray.po"),
    "a catalog removed": remove(f"locales/ru/LC_MESSAGES/{A}.po"),
    "a template edited": touch("templates/article.html"),
    "a font replaced": touch("templates/print/fonts/OFL.txt"),
    "the configuration edited": touch("pyproject.toml"),
    "a page of site/ deleted": remove(f"site/tr/analyses/{A}/index.html"),
    "the build cache deleted": remove(f"{CACHE_DIR}/{STATE_FILE}"),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_any_change_makes_the_build_check_everything(built, run, change):
    code, _, err = run(built, "build", "--no-pdf")
    assert code == 0 and "nothing to do" in err and "reading sources" not in err  # the snapshot answers
    CHANGES[change](built)
    code, _, err = run(built, "build", "--no-pdf")
    assert "reading sources" in err, change
    assert code == 0 or change == "a catalog removed", err


@pytest.mark.parametrize("argv", [["--production"], []], ids=["--production", "with PDFs"])
def test_another_way_of_running_is_checked_again(built, run, argv, monkeypatch):
    if not argv:  # the PDF editions' toolchain joins the picture; keep this test quick
        monkeypatch.setattr("pressroom.site.build.Plan.nothing_to_do", lambda self, config: True)
    code, _, err = run(built, "build", *(argv or []), *([] if not argv else ["--no-pdf"]))
    assert code == 0 and "reading sources" in err


def test_the_last_builds_problems_are_reported_again(built, run):
    add("locales/tr/LC_MESSAGES/stray.po")(built)
    age(built)
    code, _, err = run(built, "build", "--no-pdf")
    assert code == 0 and "stray.po" in err and "reading sources" in err
    code, _, err = run(built, "build", "--no-pdf")
    assert code == 0 and "stray.po" in err and "reading sources" not in err
    code, _, err = run(built, "build", "--no-pdf", "--strict")
    assert code != 0 and "stray.po" in err and "reading sources" not in err


def test_inputs_written_just_before_a_build_leave_no_snapshot(tmp_path, run):
    root = copy_project(tmp_path / "project")
    age(root)
    touch(f"locales/tr/LC_MESSAGES/{A}.po")(root)  # now: its signature could repeat
    assert run(root, "build", "--no-pdf")[0] == 0
    assert not (root / CACHE_DIR / SNAPSHOT_FILE).exists()
    code, _, err = run(root, "build", "--no-pdf")
    assert code == 0 and "nothing to do" in err and "reading sources" in err
