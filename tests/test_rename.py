"""Renaming a source: ``build.py rename`` carries its catalogs and template, and
``build``, ``update`` and ``check`` warn about catalogs that no source uses."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pressroom.catalogs.files import read_catalog

OLD = "us-role-in-nato-russia-tensions"
NEW = "us-role"
AUTHOR = "zeki-talustan-gulten"
LANGS = ("tr", "ru")


def _tree(root: Path) -> dict[str, bytes]:
    """Every file of the project but the build cache's lock and state."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".pressroom-cache" not in p.relative_to(root).parts
    }


def _translations(path: Path) -> dict[str, tuple[str, bool]]:
    catalog = read_catalog(path, path.name, None, "x")
    return {m.id: (m.string, m.fuzzy) for m in catalog if m.id}


def _catalog(root: Path, lang: str, domain: str) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"


def test_rename_carries_every_translation(project: Path, run):
    before = {lang: _translations(_catalog(project, lang, OLD)) for lang in LANGS}

    code, _, err = run(project, "rename", OLD, NEW)

    assert code == 0, err
    assert not (project / f"content/analyses/{OLD}.md").exists()
    assert (project / f"content/analyses/{NEW}.md").is_file()
    assert not (project / f"locales/templates/{OLD}.pot").exists()
    for lang in LANGS:
        assert not _catalog(project, lang, OLD).exists()
        assert _translations(_catalog(project, lang, NEW)) == before[lang]
    for path in [*project.joinpath("locales").rglob("*.po*"), *project.joinpath("content").rglob("*.md")]:
        assert OLD not in path.read_text(encoding="utf-8"), path
    references = {
        loc for m in read_catalog(_catalog(project, "tr", NEW), "", "tr", NEW) for loc, _ in m.locations
    }
    assert references == {f"content/analyses/{NEW}.md"}

    after = _tree(project)
    code, _, err = run(project, "update")
    assert code == 0 and "warning" not in err, err
    assert _tree(project) == after, "update after a rename changed catalogs"
    code, _out, err = run(project, "build", "--no-pdf")
    assert code == 0 and "warning" not in err, err
    manifest = json.loads((project / "site/manifest.json").read_text(encoding="utf-8"))
    article = next(a for a in manifest["articles"] if a["slug"] == NEW)
    assert all(article["languages"][lang]["translated"] == 1.0 for lang in LANGS)
    assert not list((project / "site").rglob(f"*{OLD}*"))


def test_rename_as_paths(project: Path, run):
    code, _, err = run(project, "rename", f"content/analyses/{OLD}.md", f"content/analyses/{NEW}.md")
    assert code == 0, err
    assert _catalog(project, "tr", NEW).is_file()


def test_rename_an_author_page(project: Path, run):
    code, _, err = run(project, "rename", f"authors/{AUTHOR}", "authors/zeki-gulten")

    assert code == 0, err
    source = (project / f"content/analyses/{OLD}.md").read_text(encoding="utf-8")
    assert "\nauthor: zeki-gulten\n" in source
    for lang in LANGS:
        assert _catalog(project, lang, "authors/zeki-gulten").is_file()
        assert not _catalog(project, lang, f"authors/{AUTHOR}").exists()
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0 and "warning" not in err, err
    assert (project / "site/tr/authors/zeki-gulten/index.html").is_file()


def test_rename_after_the_source_was_moved_by_hand(project: Path, run):
    """``git mv`` then ``update`` (which makes empty catalogs for the new name), then
    the ``rename`` the warning proposes: the translations follow."""
    before = {lang: _translations(_catalog(project, lang, OLD)) for lang in LANGS}
    os.rename(project / f"content/analyses/{OLD}.md", project / f"content/analyses/{NEW}.md")
    code, _, err = run(project, "update")
    assert code == 0
    assert f"renamed? `python build.py rename {OLD} {NEW}`" in err

    code, _, err = run(project, "rename", OLD, NEW)

    assert code == 0, err
    for lang in LANGS:
        assert _translations(_catalog(project, lang, NEW)) == before[lang]
    after = _tree(project)
    assert run(project, "update")[0] == 0
    assert _tree(project) == after
    code, out, _ = run(project, "stats", "--format", "json")
    rows = [r for r in json.loads(out) if r["document"] == f"content/analyses/{NEW}.md"]
    assert [r["entries"] for r in rows] == [{"translated": 27, "fuzzy": 0, "untranslated": 0, "failing": 0}] * 2


def _occupy_catalog(root: Path) -> None:
    shutil.copyfile(_catalog(root, "tr", OLD), _catalog(root, "tr", NEW))


def _dir_in_the_way(root: Path) -> None:
    _catalog(root, "ru", NEW).mkdir()


def _break_catalog(root: Path) -> None:
    _catalog(root, "ru", OLD).write_text('msgid "x"\nmsgtsr "y"\n', encoding="utf-8")


REFUSED = [
    # (argv after "rename", set-up, exit status, expected text on stderr)
    ([OLD, "how-nato-should-refine-its-russia-policy"], None, 1,
     "content/analyses/how-nato-should-refine-its-russia-policy.md: error: already exists: "
     f"renaming content/analyses/{OLD}.md would replace it"),
    ([OLD, NEW], _occupy_catalog, 1,
     f"locales/tr/LC_MESSAGES/{NEW}.po: error: already exists and holds translations: "
     f"locales/tr/LC_MESSAGES/{OLD}.po cannot replace it"),
    ([OLD, NEW], _dir_in_the_way, 1,
     f"locales/ru/LC_MESSAGES/{NEW}.po: error: is in the way of locales/ru/LC_MESSAGES/{OLD}.po: not a file"),
    ([OLD, NEW], _break_catalog, 1, f"locales/ru/LC_MESSAGES/{OLD}.po:2: error: cannot parse catalog"),
    ([OLD, "Not_A_Slug"], None, 2, "build.py rename: error: NEW: 'Not_A_Slug' is not a slug"),
    ([OLD, "a/b/c"], None, 2, "build.py rename: error: NEW: 'a/b/c' is not a slug, authors/<slug>"),
    ([OLD, f"authors/{NEW}"], None, 2, "build.py rename: error: OLD and NEW must both be analyses"),
    ([OLD, OLD], None, 2, f"build.py rename: error: OLD and NEW are the same name: {OLD}"),
    (["no-such-analysis", NEW], None, 2,
     "build.py rename: error: OLD: there is no content/analyses/no-such-analysis.md"),
    ([OLD], None, 2, "build.py rename: error: the following arguments are required: NEW"),
]


@pytest.mark.parametrize(("argv", "setup", "status", "expected"), REFUSED, ids=[e[-1][:60] for e in REFUSED])
def test_rename_refuses_and_moves_nothing(project: Path, run, argv, setup, status, expected):
    if setup is not None:
        setup(project)
    before = _tree(project)

    code, out, err = run(project, "rename", *argv)

    assert code == status, err
    assert expected in err, err
    assert "Traceback" not in out + err
    assert _tree(project) == before


def test_rename_refuses_while_a_build_runs(project: Path, run):
    """A build holds an exclusive flock on .pressroom-cache/build.lock, with its process
    id in it, for as long as it runs: held here the same way."""
    before = _tree(project)
    (project / ".pressroom-cache").mkdir()
    with open(project / ".pressroom-cache/build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.write("4242\n")
        lock.flush()

        code, _, err = run(project, "rename", OLD, NEW)

    assert code == 1
    assert ".pressroom-cache/build.lock: error: a build is running (process 4242): nothing renamed" in err
    assert _tree(project) == before


def test_a_failed_move_puts_everything_back(project: Path, run):
    """The Turkish catalog, moved last, cannot move (its folder is immutable): the
    source, the Russian catalog and the template moved before it come back."""
    before = _tree(project)
    folder = project / "locales/tr/LC_MESSAGES"
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode != 0:
        pytest.skip("chattr +i is not available here (needs CAP_LINUX_IMMUTABLE and ext2/3/4, XFS or Btrfs)")
    try:
        code, _, err = run(project, "rename", OLD, NEW)
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)

    assert code == 1
    assert f"locales/tr/LC_MESSAGES/{OLD}.po: error: nothing renamed: Operation not permitted" in err
    assert _tree(project) == before
