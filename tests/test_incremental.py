"""Incremental builds: each kind of input change rebuilds exactly what depends on it;
an interrupted build leaves the site as it was and the next build correct; output
does not depend on the number of jobs.

Reused outputs are hard links to the previous site's files, so a file whose inode is
unchanged after a build was not rendered again."""

from __future__ import annotations

import errno
import json
import math
import os
import re
import shutil
import time
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, copy_project, copy_tree

from pressroom.catalogs.files import read_catalog, serialize
from pressroom.cli import main
from pressroom.config import load_config
from pressroom.errors import Problem
from pressroom.html.pages import PdfLink, topic_slug
from pressroom.site import publish
from pressroom.site.build import every_analysis as real_every
from pressroom.site.fingerprints import CACHE_DIR, RACY, STATE_FILE
from pressroom.site.journal import JOURNAL, PENDING_STATE
from pressroom.site.publish import LOCK_FILE
from pressroom.site.results import ArticleResult, ListedArticle, ListingKey, PageKey, PageManifest
from pressroom.site.state import STATE_VERSION, CachedArticle, State, load_state, save_state

A, B = "us-role-in-nato-russia-tensions", "how-nato-should-refine-its-russia-policy"


def inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


EVERY_BUILD = {"robots.txt", "sitemap.xml", "404.html", "en/404.html", "tr/404.html", "ru/404.html"}
"""Files every build that renders writes again (``sitemap.xml`` only with ``base_url``).
The manifest is written again when an entry of it changes (a title, a count…)."""


def rebuilt(before: dict[str, int], after: dict[str, int]) -> set[str]:
    """Outputs rendered again (but ``EVERY_BUILD``; a language's search index,
    <lang>/pagefind/, is made again as a whole by every build that renders an analysis
    page in the language: test_search.py tests when)."""
    return {f for f, ino in after.items() if before.get(f) != ino and f not in EVERY_BUILD and not in_index(f)}


def in_index(path: str) -> bool:
    return path.split("/")[1:2] == ["pagefind"]


def listing(lang: str) -> set[str]:
    return {f"{lang}/index.html", f"{lang}/feed.xml", f"{lang}/status/index.html",
            f"{lang}/authors/zeki-talustan-gulten/index.html", f"{lang}/authors/editors/index.html",
            f"{lang}/topics/index.html", *(f"{lang}/topics/{topic}/index.html" for topic in TOPICS),
            *(f"{lang}/archive/{year}/index.html" for year in YEARS)}


YEARS = sorted({re.search(r"^date: (\d{4})", path.read_text(encoding="utf-8"), re.MULTILINE)[1]
                for path in (ROOT / "content/analyses").glob("*.md")})
TOPICS = sorted({topic_slug(tag) for path in (ROOT / "content/analyses").glob("*.md")
                 for tag in re.search(r"^tags: \[(.*)\]$", path.read_text(encoding="utf-8"), re.MULTILINE)[1].split(", ")})


def article(slug: str, lang: str, pdf: bool = False) -> set[str]:
    page = {f"{lang}/analyses/{slug}/index.html", f"{lang}/analyses/{slug}/{slug}.{lang}.bib",
            f"{lang}/analyses/{slug}/{slug}.{lang}.ris"}
    return page | ({f"{lang}/analyses/{slug}/{slug}.{lang}.pdf"} if pdf else set())


@pytest.fixture
def site(project, run):
    assert run(project, "build", "--no-pdf")[0] == 0
    return project


def _build(root: Path, run, *extra: str) -> tuple[dict[str, int], dict[str, int], str]:
    before = inodes(root / "site")
    code, _, err = run(root, "build", "--no-pdf", *extra)
    assert code == 0, err
    return before, inodes(root / "site"), err


def _edit_catalog(root: Path, rel: str, start: str, text: str) -> None:
    cat = read_catalog(root / rel, rel, rel.split("/")[1], "x")
    next(m for m in cat if m.id.startswith(start)).string = text
    (root / rel).write_bytes(serialize(cat))


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and directory (None) under ``root``."""
    return {p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None for p in root.rglob("*")}


def clean_build(project: Path, tmp_path: Path, run) -> dict[str, bytes | None]:
    """``tree`` of site/ built from nothing out of a copy of ``project``'s inputs."""
    fresh = tmp_path / "fresh"
    copy_tree(project, fresh, ignore=shutil.ignore_patterns("site", ".site-*", CACHE_DIR))
    assert run(fresh, "build", "--no-pdf")[0] == 0
    return tree(fresh / "site")


def test_no_op_rebuild_renders_nothing(site, run):
    before, after, err = _build(site, run)
    assert "nothing to do" in err
    assert rebuilt(before, after) == set()


def test_a_body_entry_edit_rebuilds_that_language_page_alone(site, run):
    """What listings show of the analysis (title, summary, date, topics, progress) is
    unchanged: no listing page is rendered again, and the manifest is kept."""
    _edit_catalog(site, f"locales/tr/LC_MESSAGES/{A}.po", "Relations between Russia", "Yeni çeviri.")
    before, after, _ = _build(site, run)
    assert rebuilt(before, after) == article(A, "tr")
    assert "Yeni çeviri." in (site / f"site/tr/analyses/{A}/index.html").read_text()


def test_a_title_edit_rebuilds_that_language_page_and_its_listings(site, run):
    _edit_catalog(site, f"locales/tr/LC_MESSAGES/{A}.po", "The US Role in NATO-Russia Tensions", "Yeni başlık")
    before, after, _ = _build(site, run)
    # the other author's page does not list A; the manifest has the page's title
    assert rebuilt(before, after) == (article(A, "tr") | listing("tr") | {"manifest.json"}) - {
        "tr/authors/editors/index.html"}
    assert "Yeni başlık" in (site / "site/tr/index.html").read_text()


def test_a_translation_withdrawn_rebuilds_the_page_and_what_shows_progress(site, run):
    """An entry made untranslated: the status page counts it, and the analysis is
    listed as incomplete (index, topics, author page, feed)."""
    _edit_catalog(site, f"locales/tr/LC_MESSAGES/{A}.po", "Relations between Russia", "")
    before, after, _ = _build(site, run)
    assert {"tr/status/index.html", "manifest.json"} <= rebuilt(before, after)  # both count it
    assert rebuilt(before, after) <= article(A, "tr") | listing("tr") | {"manifest.json"}
    assert not rebuilt(before, after) & (listing("en") | listing("ru"))


def test_source_edit_rebuilds_the_article_in_every_language(site, run):
    path = site / f"content/analyses/{B}.md"
    path.write_text(path.read_text().replace("degraded over time", "worsened over time"), encoding="utf-8")
    before, after, _ = _build(site, run)
    # In English the page alone; in Turkish and Russian the paragraph is now untranslated:
    # the analysis is listed as incomplete and counted so on the status pages.
    expected = article(B, "en") | set().union(
        *(article(B, lang) | listing(lang) - {f"{lang}/authors/zeki-talustan-gulten/index.html"}
          for lang in ("tr", "ru"))) | {"manifest.json"}
    assert rebuilt(before, after) == expected


@pytest.mark.parametrize(
    ("change", "langs"),
    [
        ("ui-tr", {"tr"}),
        ("template", {"en", "tr", "ru"}),
        ("stylesheet", {"en", "tr", "ru"}),
        ("config", {"en", "tr", "ru"}),
        ("toolkit", {"en", "tr", "ru"}),
    ],
)
def test_shared_inputs_rebuild_what_uses_them(site, run, monkeypatch, change, langs):
    if change == "ui-tr":
        _edit_catalog(site, "locales/tr/LC_MESSAGES/messages.po", "Notes", "Notlar")
    elif change == "template":
        path = site / "templates/article.html"
        path.write_text(path.read_text().replace('class="analysis"', 'class="analysis article"'), encoding="utf-8")
    elif change == "stylesheet":
        with (site / "templates/print/print.css").open("a") as f:
            f.write("\n.colophon { color: #333; }\n")
    elif change == "config":
        path = site / "pyproject.toml"
        path.write_text(path.read_text().replace('site_name = "Pressroom Analyses"', 'site_name = "Pressroom"'))
    else:
        monkeypatch.setattr("pressroom.site.fingerprints.__version__", "99.0")
    before, after, _ = _build(site, run)
    got = rebuilt(before, after)
    for lang in ("en", "tr", "ru"):
        pages = article(A, lang) | article(B, lang) | listing(lang)
        assert (pages <= got) if lang in langs else not (pages & got), (change, lang)


@pytest.mark.parametrize("lost", [f"tr/analyses/{A}/{A}.tr.bib", f"ru/analyses/{B}/index.html", "manifest.json"])
def test_an_output_deleted_from_site_is_made_again(site, run, tmp_path, lost):
    (site / "site" / lost).unlink()
    _, after, err = _build(site, run)
    assert "reading sources" in err and lost in after
    assert tree(site / "site") == clean_build(site, tmp_path, run)


def test_deleting_an_article_removes_its_outputs(site, run):
    (site / f"content/analyses/{B}.md").unlink()
    _build(site, run)
    assert not (site / f"site/en/analyses/{B}").exists()
    assert not any(B in p.as_posix() for p in (site / "site").rglob("*"))
    assert B not in (site / "site/manifest.json").read_text()
    assert B not in (site / "site/tr/index.html").read_text()


@pytest.fixture
def file_by_file(monkeypatch):
    """Every rebuild of the seed project publishes file by file (a one-entry edit
    rewrites a third of its 96 files: more than ``SWAP_SHARE``, an archive's share)."""
    monkeypatch.setattr(publish, "SWAP_SHARE", math.inf)


def test_a_small_change_is_published_file_by_file_as_a_clean_build_makes_it(site, run, tmp_path, file_by_file):
    """A rebuild that edits one analysis and deletes another: the files it wrote are
    moved into site/, the deleted analysis's files and the directories they leave
    empty are gone, the other files are not touched, and the site is the one a clean
    build makes, files and directories alike. No journal, staging or spare tree is left."""
    (site / f"content/analyses/{B}.md").unlink()
    _edit_catalog(site, f"locales/tr/LC_MESSAGES/{A}.po", "Relations between Russia", "Bir daha.")
    before, after, err = _build(site, run)
    assert "file by file" in err
    got = rebuilt(before, after)
    assert article(A, "tr") | {"tr/index.html", "tr/feed.xml"} <= got
    assert not (article(A, "en") | article(A, "ru")) & got
    assert not any(B in f for f in after)
    gone = [f"{lang}/analyses/{B}" for lang in ("en", "tr", "ru")]
    gone += [f"{lang}/topics/{t}" for t in TOPICS_OF_B_ONLY for lang in ("en", "tr", "ru")]
    assert gone and not any((site / "site" / d).exists() for d in gone)
    assert "Bir daha." in (site / f"site/tr/analyses/{A}/index.html").read_text()
    assert tree(site / "site") == clean_build(site, tmp_path, run)
    assert not {JOURNAL, PENDING_STATE, "spare-site"} & {p.name for p in (site / CACHE_DIR).iterdir()}
    assert not list(site.glob(".site-*"))


def _tags(slug: str) -> set[str]:
    text = (ROOT / f"content/analyses/{slug}.md").read_text(encoding="utf-8")
    return {topic_slug(tag) for tag in re.search(r"^tags: \[(.*)\]$", text, re.MULTILINE)[1].split(", ")}


TOPICS_OF_B_ONLY = _tags(B) - _tags(A)


def test_a_file_put_into_site_by_hand_stays_until_a_swap(site, run, file_by_file, monkeypatch):
    """site/ is the build's: a file no build wrote is left alone by a file-by-file
    commit (which only touches what changed) and is gone after a swap (which
    replaces the whole tree), as the README says."""
    strays = ["stray.txt", "en/analyses/stray/index.html", f"tr/analyses/{A}/notes.txt"]
    for rel in strays:
        (site / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "site" / rel).write_text("by hand", encoding="utf-8")
    _edit_catalog(site, f"locales/tr/LC_MESSAGES/{A}.po", "Relations between Russia", "Yeni çeviri.")
    assert "file by file" in _build(site, run)[2]
    assert all((site / "site" / rel).read_text(encoding="utf-8") == "by hand" for rel in strays)
    monkeypatch.setattr(publish, "SWAP_SHARE", 0.0)
    _edit_catalog(site, f"locales/tr/LC_MESSAGES/{A}.po", "Relations between Russia", "Bir daha.")
    assert "in one swap" in _build(site, run)[2]
    assert not any((site / "site" / rel).exists() for rel in strays)
    assert not (site / "site/en/analyses/stray").exists()


def test_unchanged_files_are_copied_where_they_cannot_be_linked(site, run, monkeypatch, tmp_path):
    """A swap links the unchanged files into the staging directory; where the file
    system refuses (another device, no hard links), they are copied, and the site is
    the same."""
    monkeypatch.setattr(publish, "SWAP_SHARE", 0.0)

    def refused(source, target, *args, **kwargs):
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), source, None, target)

    monkeypatch.setattr(os, "link", refused)
    _edit_catalog(site, f"locales/tr/LC_MESSAGES/{A}.po", "Relations between Russia", "Yeni çeviri.")
    before, after, err = _build(site, run)
    monkeypatch.undo()
    assert "in one swap" in err
    assert not set(before.items()) & set(after.items())  # every file a new one: copies
    assert tree(site / "site") == clean_build(site, tmp_path, run)


def test_interrupted_build_leaves_the_site_and_the_next_build_is_correct(site, run, monkeypatch, tmp_path):
    snapshot = {f: (site / "site" / f).read_bytes() for f in inodes(site / "site")}
    _edit_catalog(site, f"locales/ru/LC_MESSAGES/{A}.po", "Relations between Russia", "Новый перевод.")
    path = site / f"content/analyses/{B}.md"
    path.write_text(path.read_text().replace("degraded over time", "worsened over time"), encoding="utf-8")

    from pressroom.site.jobs import Renderer

    real = Renderer.document
    calls = []

    def dies(self, source, langs, out):
        calls.append(source)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C in the middle of rendering
        return real(self, source, langs, out)

    monkeypatch.setattr(Renderer, "document", dies)
    assert main(["build", "--no-pdf", "--jobs", "1"], project=site) == 130  # "interrupted"
    assert {f: (site / "site" / f).read_bytes() for f in inodes(site / "site")} == snapshot
    assert not list(site.glob(".site-*"))
    monkeypatch.setattr(Renderer, "document", real)

    assert run(site, "build", "--no-pdf")[0] == 0
    assert tree(site / "site") == clean_build(site, tmp_path, run)


def test_corrupt_cache_means_a_full_correct_build(site, run):
    (site / CACHE_DIR / STATE_FILE).write_text("{not json", encoding="utf-8")
    before, after, _ = _build(site, run)
    index = {f for f in after if in_index(f)}
    assert rebuilt(before, after) == set(after) - EVERY_BUILD - index  # everything rendered again
    assert index and not {f for f in index if before.get(f) == after[f]}  # the search index made again
    _, again, err = _build(site, run)
    assert "nothing to do" in err and again == after


def test_the_cache_round_trips_the_typed_results(site):
    config = load_config(site)
    state = load_state(config)
    assert set(state.articles) == {PageKey(slug, lang) for slug in (A, B) for lang in ("en", "tr", "ru")}
    assert ListingKey("author", "tr", "editors") in state.pages and ListingKey("shared") in state.pages
    entry = state.articles[PageKey(A, "tr")]
    assert isinstance(entry.listed, ListedArticle) and isinstance(entry.manifest, PageManifest)
    assert entry.listed.author.slug == "zeki-talustan-gulten"
    assert entry.manifest.entries.translated > 0
    # what a build without PDFs has not: a problem kept with its analysis, a PDF edition
    problem = Problem(f"content/analyses/{A}.md", 3, "warning", "a warning", "check")
    pdf = f"tr/analyses/{A}/{A}.tr.pdf"
    result = ArticleResult(
        entry.page, (*entry.files, pdf), replace(entry.listed, pdf=PdfLink(url=pdf, size="41 kB")),
        replace(entry.manifest, pdf=pdf), (problem,), (("content/analyses/figure.png", "ab" * 16),),
    )
    changed = CachedArticle.of(entry.key, result)
    assert (changed.listed, changed.manifest, changed.problems) == (result.listed, result.manifest, (problem,))
    assert changed.listing != entry.listing and changed.progress != entry.progress
    state.articles[PageKey(A, "tr")] = changed
    state.pages[ListingKey("topics", "tr")] = replace(state.pages[ListingKey("topics", "tr")], problems=(problem,))
    again = State.from_json(state.to_json())
    assert again == state
    assert again.articles[PageKey(A, "tr")].listed == result.listed
    assert again.articles[PageKey(A, "tr")].manifest == result.manifest
    # a line read is written back as it is; a changed copy writes its own
    read = again.articles[PageKey(A, "tr")]
    assert read.line is not None and read.to_line() == changed.to_line()
    assert f'["{"0" * 32}", '.encode() in replace(read, key="0" * 32).to_line()
    save_state(config, state)
    assert load_state(config) == state


OLD_CACHE = {
    "version": 2,
    "articles": {f"{A}:tr": {"key": "0" * 32, "files": [f"tr/analyses/{A}/index.html"], "meta": {}, "manifest": {},
                             "problems": []}},
    "pages": {"index:tr": {"key": "0" * 32, "files": ["tr/index.html", "tr/feed.xml"]}},
    "umask": 0o022,
}


@pytest.mark.parametrize("cache", [
    json.dumps(OLD_CACHE),  # an older toolkit's layout
    json.dumps({**OLD_CACHE, "version": STATE_VERSION}),  # this version's number on a layout it cannot read
    json.dumps([STATE_VERSION]),
    b"not UTF-8",
], ids=["old-format", "unreadable", "not-an-object", "not-utf-8"])
def test_a_cache_of_another_format_means_a_full_correct_build(site, run, tmp_path, cache):
    path = site / CACHE_DIR / STATE_FILE
    if isinstance(cache, bytes):  # this build's cache, but a page's fields are not UTF-8
        head, first, rest = path.read_bytes().split(b"\n", 2)
        assert first.startswith(b'["')  # its key
        path.write_bytes(b"\n".join([head, b'["\xff' + first[2:], rest]))
    else:
        path.write_text(cache, encoding="utf-8")
    before, after, _ = _build(site, run)
    index = {f for f in after if in_index(f)}
    assert rebuilt(before, after) == set(after) - EVERY_BUILD - index  # everything rendered again
    assert index and not {f for f in index if before.get(f) == after[f]}  # the search index made again
    assert tree(site / "site") == clean_build(site, tmp_path, run)
    first = (site / CACHE_DIR / STATE_FILE).read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(first)["version"] == STATE_VERSION
    _, again, err = _build(site, run)
    assert "nothing to do" in err and again == after


@pytest.mark.pdf
def test_output_does_not_depend_on_jobs(tmp_path, run):
    one, two = copy_project(tmp_path / "one"), copy_project(tmp_path / "two")
    assert run(one, "build", "--jobs", "1")[0] == 0
    assert run(two, "build", "--jobs", "2")[0] == 0
    files_one = sorted(inodes(one / "site"))
    assert files_one == sorted(inodes(two / "site"))
    for f in files_one:
        assert (one / "site" / f).read_bytes() == (two / "site" / f).read_bytes(), f


@pytest.mark.pdf
@pytest.mark.parametrize("ahead", [False, True], ids=["edited-just-now", "rendered-ahead"])
def test_one_entry_edit_with_pdfs_rebuilds_one_pdf(project, run, tmp_path, ahead):
    """Edited just before the build (no page is rendered ahead of the plan: the
    catalog's signature is too new to trust), or some time before (it is)."""
    if ahead:
        _age(project)
        _settled(project)
    assert run(project, "build")[0] == 0
    _edit_catalog(project, f"locales/tr/LC_MESSAGES/{A}.po", "Relations between Russia", "Yeni çeviri.")
    if ahead:
        os.utime(project / f"locales/tr/LC_MESSAGES/{A}.po", (time.time() - 30, time.time() - 30))
    before = inodes(project / "site")
    code, _, err = run(project, "build")
    assert code == 0 and ("rendered ahead of the plan" in err) == ahead
    got = rebuilt(before, inodes(project / "site"))
    assert {f for f in got if f.endswith(".pdf")} == {f"tr/analyses/{A}/{A}.tr.pdf"}
    if ahead:
        fresh = tmp_path / "fresh"
        copy_tree(project, fresh, ignore=shutil.ignore_patterns("site", ".site-*", CACHE_DIR))
        assert run(fresh, "build")[0] == 0
        assert tree(project / "site") == tree(fresh / "site")  # PDFs included


class _Stream:
    def __init__(self, tty: bool):
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("tty", [True, False])
def test_progress_bar_only_on_a_terminal(monkeypatch, tty):
    from pressroom.site import build as site_module

    stream = _Stream(tty)
    monkeypatch.setattr(site_module.sys, "stderr", stream)
    bar = site_module._progress(40)
    for _ in range(40):
        bar.update(1)
    bar.close()
    assert ("40/40" in stream.text) is tty
    assert stream.text == "" or tty


def test_clean_parallel_build_that_fails_leaves_nothing(project, run):
    """A clean build starts rendering before it has checked the project; when the
    check fails, none of that work is left behind."""
    shutil.copyfile(FIXTURES / "bad" / "bad.front-matter-date.md", project / "content/analyses/zz-bad.md")
    code, _, err = run(project, "build", "--no-pdf", "--jobs", "2")
    assert code == 1 and "content/analyses/zz-bad.md:" in err
    assert not (project / "site").exists()
    assert not list(project.glob(".site-*"))
    assert [p.name for p in (project / CACHE_DIR).iterdir()] == [LOCK_FILE]  # no cache, no spare


def test_early_jobs_that_differ_from_the_plan_are_redone(tmp_path, run, monkeypatch):
    """Sources that change between the early start and the plan: the plan wins, and
    the site is the one a one-job build makes."""
    from pressroom.site import build as site_module

    started = []
    real = site_module.Rendering

    class Recorded(real):
        def __init__(self, config, jobs, *args, **kwargs):
            started.append(jobs)
            super().__init__(config, jobs, *args, **kwargs)

    one, two = copy_project(tmp_path / "one"), copy_project(tmp_path / "two")
    assert run(one, "build", "--no-pdf", "--jobs", "1")[0] == 0
    monkeypatch.setattr(site_module, "Rendering", Recorded)
    monkeypatch.setattr(site_module, "every_analysis",  # as if a language had been added since
                        lambda config: [(job, ("en",)) for job, _ in real_every(config)])
    assert run(two, "build", "--no-pdf", "--jobs", "2")[0] == 0
    assert [langs for _, langs in started[0]] == [("en",), ("en",)]
    assert [langs for _, langs in started[1]] == [("en", "tr", "ru")] * 2
    assert sorted(inodes(one / "site")) == sorted(inodes(two / "site"))
    for f in inodes(one / "site"):
        assert (one / "site" / f).read_bytes() == (two / "site" / f).read_bytes(), f


# -- pages rendered ahead of the plan (``site.ahead``) ---------------------------------


def _age(root: Path, seconds: float = 60) -> None:
    """Every input of the project written ``seconds`` ago: signatures a build trusts
    (``fingerprints.RACY``), as in a project edited some time before it is built."""
    when = time.time() - seconds
    for top in ("content", "locales", "templates", "pyproject.toml"):
        for path in [root / top, *(root / top).rglob("*")]:
            if path.is_dir() or path.stat().st_nlink == 1:  # not the fonts, linked to the repository's
                os.utime(path, (when, when))


@pytest.fixture
def recorded(project, run):
    """The seed project built once from inputs old enough to trust: the build left its
    snapshot, so the next one knows which files changed."""
    _age(project)
    _settled(project)
    assert run(project, "build", "--no-pdf")[0] == 0
    assert (project / CACHE_DIR / "snapshot.json").is_file()
    return project


def _settled(root: Path) -> None:
    """Wait until the inputs a test cannot age (the toolkit's code, the fonts linked to
    the repository's) are old enough for a build to trust (a checkout or an edit of a
    moment ago is not: the build then records no snapshot)."""
    shared = [*(ROOT / "pressroom").rglob("*"), *(p for p in (root / "templates").rglob("*") if p.stat().st_nlink > 1)]
    newest = max(p.stat().st_mtime for p in shared if "__pycache__" not in p.parts)
    time.sleep(max(0.0, newest + RACY + 0.1 - time.time()))


@pytest.fixture
def started(monkeypatch):
    """The jobs the builds started ahead of their plan."""
    from pressroom.site import build

    jobs = []
    real = build.start_ahead

    def start(config, staging, renderer, job):
        jobs.append(job)
        return real(config, staging, renderer, job)

    monkeypatch.setattr(build, "start_ahead", start)
    return jobs


def _edited_ahead(root: Path, text: str) -> None:
    _edit_catalog(root, f"locales/tr/LC_MESSAGES/{A}.po", "Relations between Russia", text)
    os.utime(root / f"locales/tr/LC_MESSAGES/{A}.po", (time.time() - 30, time.time() - 30))


def test_a_changed_catalog_is_rendered_and_indexed_ahead_as_the_plan_would(
    recorded, run, tmp_path, file_by_file, started,
):
    _edited_ahead(recorded, "Önceden çevrildi.")
    before, after, err = _build(recorded, run)
    assert started == [(f"content/analyses/{A}.md", ("tr",))]
    assert "rendering 1 page(s) of 6 (without PDFs) (rendered ahead of the plan)" in err
    assert rebuilt(before, after) == article(A, "tr")
    assert "Önceden çevrildi." in (recorded / f"site/tr/analyses/{A}/index.html").read_text()
    index = {f for f in after if in_index(f) and f.startswith("tr/") and before.get(f) != after[f]}
    assert index and not {f for f in after if in_index(f) and not f.startswith("tr/") and before.get(f) != after[f]}
    assert tree(recorded / "site") == clean_build(recorded, tmp_path, run)
    assert not list(recorded.glob(".site-*"))


@pytest.mark.parametrize("change", ["touched", "another-language-lost", "shard-page-lost"])
def test_what_was_done_ahead_is_dropped_when_the_plan_differs(recorded, run, tmp_path, file_by_file, started, change):
    """A catalog whose signature changed but not its bytes (nothing to render); a page
    of another language deleted from site/ (the plan renders more); a page of the
    shard deleted from site/ (nothing can be lent to Pagefind ahead): the build does
    what its plan says, and publishes what a clean build makes."""
    po = recorded / f"locales/tr/LC_MESSAGES/{A}.po"
    if change == "touched":
        os.utime(po, (time.time() - 30, time.time() - 30))
    else:
        _edited_ahead(recorded, "Yine çevrildi.")
        (recorded / "site" / (f"ru/analyses/{A}/index.html" if change == "another-language-lost"
                              else f"tr/analyses/{B}/index.html")).unlink()
    before, after, err = _build(recorded, run)
    assert started == [(f"content/analyses/{A}.md", ("tr",))] and "ahead" not in err
    if change == "touched":
        assert "nothing to do" in err and after == before
    else:
        assert "rendering 2 page(s)" in err
    assert tree(recorded / "site") == clean_build(recorded, tmp_path, run)
    assert not list(recorded.glob(".site-*"))


def test_a_build_that_fails_after_rendering_ahead_leaves_the_site(recorded, run, started):
    """The page rendered ahead fails ``--strict`` (its translation drops a note): the
    site is as it was, no staging directory and no Pagefind process are left."""
    before = tree(recorded / "site")
    _edited_ahead(recorded, "Rusya ile ilişkiler.[^99]")
    code, _, err = run(recorded, "build", "--no-pdf", "--strict")
    assert code == 1 and f"locales/tr/LC_MESSAGES/{A}.po" in err and started
    assert tree(recorded / "site") == before
    assert not list(recorded.glob(".site-*"))


@pytest.mark.parametrize(
    ("publishing", "lost"),
    [("file by file", f"tr/analyses/{B}/index.html"),  # lent to the Turkish search shard
     ("one swap", f"en/analyses/{B}/index.html")],  # lent to the swap only
)
def test_a_page_removed_from_site_during_the_build_is_a_clear_error(site, run, tmp_path, monkeypatch, publishing, lost):
    """A page of site/ the build lends to the search index or to the swap is deleted
    after the plan counted on it: a clear error naming it, exit 1, nothing published,
    no staging left; the next build makes the site a clean build makes."""
    monkeypatch.setattr(publish, "SWAP_SHARE", math.inf if publishing == "file by file" else 0)
    _edit_catalog(site, f"locales/tr/LC_MESSAGES/{A}.po", "Relations between Russia", "Yeni çeviri.")
    lend = publish.Staging.lend

    def removed_first(self, files):
        (site / "site" / lost).unlink(missing_ok=True)
        return lend(self, files)

    monkeypatch.setattr(publish.Staging, "lend", removed_first)
    before = tree(site / "site")
    code, _, err = run(site, "build", "--no-pdf")
    assert code == 1
    assert f"site/{lost}: error: removed from site/ while the build ran; nothing was published: build again" in err
    assert "Traceback" not in err
    del before[lost]
    assert tree(site / "site") == before
    assert not list(site.glob(".site-*"))
    monkeypatch.setattr(publish.Staging, "lend", lend)
    _build(site, run)
    assert tree(site / "site") == clean_build(site, tmp_path, run)
