"""The search index and pages, without a browser: one Pagefind index per language of
the analysis pages only, what of a page it holds, the search page of each language
and the links to it, the index made in the build's staging directory (a failed index
leaves the previous site), skipped when no analysis page changed, and the same bytes
from run to run. (Searching itself is tested in Chromium: test_search_browser.py.)"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import copy_tree

from pressroom import search
from pressroom.config import load_config
from pressroom.search import BUNDLE, UNUSED

LANGS = ["en", "tr", "ru"]
SLUGS = ["how-nato-should-refine-its-russia-policy", "us-role-in-nato-russia-tensions"]
A = "us-role-in-nato-russia-tensions"


def fragments(bundle: Path) -> dict[str, dict]:
    """Pagefind's record of each page (``fragment/*.pf_fragment``: gzip, a signature,
    then JSON), by URL."""
    pages = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        pages[record["url"]] = record
    return pages


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_one_index_per_language_of_the_analyses_only(built_project):
    bundle = built_project / "site" / BUNDLE
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == sorted(LANGS)  # in the order the build rewrites them
    for lang, index in entry["languages"].items():
        # Each language's own search code: Pagefind's Snowball stemmer for that language
        # ("unknown", without stemming, is what a language Pagefind cannot stem gets).
        assert index["wasm"] == lang and (bundle / f"wasm.{lang}.pagefind").is_file()
        assert index["page_count"] == len(SLUGS)
        assert (bundle / f"pagefind.{index['hash']}.pf_meta").is_file()
    manifest = json.loads((built_project / "site/manifest.json").read_text(encoding="utf-8"))
    titles = {(lang, a["slug"]): a["languages"][lang]["title"] for a in manifest["articles"] for lang in LANGS}
    pages = fragments(bundle)
    assert set(pages) == {f"/{lang}/analyses/{slug}/" for lang in LANGS for slug in SLUGS}
    for (lang, slug), title in titles.items():
        meta = pages[f"/{lang}/analyses/{slug}/"]["meta"]
        assert meta["title"] == title
        assert meta["date_iso"] in ("2023-12-17", "2024-11-01")
    assert pages[f"/tr/analyses/{A}/"]["meta"]["date"] == "17 Aralık 2023"
    assert not any((bundle / name).exists() for name in UNUSED)


def test_a_page_is_indexed_without_its_chrome_and_note_calls(built_project):
    content = fragments(built_project / "site" / BUNDLE)[f"/en/analyses/{A}/"]["content"]
    # body and summary, a note call ([^1] after "environment.") left out
    assert "shook the global system and created a new competitive environment. The Cold War-era" in content
    assert content.startswith("The US Role in NATO-Russia Tensions.")
    assert "Date of Access" in content  # notes are searchable (weighted below the body)
    for chrome in ("Analysis", "By Zeki", "Download PDF", "↩", "Tags:", "Skip to content", "Türkçe"):
        assert chrome not in content, chrome
    content = fragments(built_project / "site" / BUNDLE)[f"/tr/analyses/{A}/"]["content"]
    for chrome in ("Dipnotlar", "Analiz ", "Yazar:", "Özgün dil", "PDF indir", "English"):
        assert chrome not in content, chrome


def test_each_language_has_a_translated_search_page(built_project):
    site = built_project / "site"
    expected = {"en": ("Search the analyses", "Analyses found: %(count)s"),
                "tr": ("Analizlerde ara", "Bulunan analiz sayısı: %(count)s"),
                "ru": ("Поиск по анализам", "Найдено анализов: %(count)s")}
    for lang in LANGS:
        path = site / lang / "search/index.html"
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert doc.html["lang"] == lang
        assert doc.h1.get_text() == expected[lang][0]
        form = doc.find("form", role="search")
        assert form["data-found"] == expected[lang][1]
        assert (path.parent / form["data-bundle"]).resolve() == (site / BUNDLE / "pagefind.js").resolve()
        scripts = [s["src"] for s in doc.find_all("script")]
        assert scripts == ["../../static/search.js"] and (site / "static/search.js").is_file()
        assert doc.find("input", type="search")["aria-labelledby"] == "search-title"


def test_every_page_links_to_the_search_page_of_its_language(built_project):
    site = built_project / "site"
    pages = [p for p in site.glob("*/**/index.html")]
    assert len(pages) >= 3 * (len(SLUGS) + 5)
    for path in pages:
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        lang = doc.html["lang"]
        links = [a["href"] for a in doc.find("nav", class_="site-nav").find_all("a")]
        assert any((path.parent / href).resolve() == (site / lang / "search").resolve() for href in links), path


def test_a_no_op_rebuild_does_not_run_pagefind(project, run, monkeypatch):
    assert run(project, "build", "--no-pdf")[0] == 0
    bundle = project / "site" / BUNDLE
    before = {p: p.stat().st_ino for p in bundle.rglob("*")}

    def no_pagefind(*args):
        raise AssertionError("Pagefind ran")

    monkeypatch.setattr("pressroom.site.write_index", no_pagefind)
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0, err
    assert "nothing to do" in err and "indexing" not in err
    assert {p: p.stat().st_ino for p in bundle.rglob("*")} == before


def test_a_changed_analysis_is_indexed_again(project, run):
    assert run(project, "build", "--no-pdf")[0] == 0
    source = project / f"content/analyses/{A}.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "shook the global system", "shook the whole global system"), encoding="utf-8")
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0, err
    assert "indexing the analyses for search" in err
    content = fragments(project / "site" / BUNDLE)[f"/en/analyses/{A}/"]["content"]
    assert "shook the whole global system" in content


@pytest.fixture
def failing_pagefind(tmp_path, monkeypatch) -> None:
    """Pagefind replaced by a program that fails as Pagefind does, with a message."""
    script = tmp_path / "pagefind"
    script.write_text("#!/bin/sh\necho 'Error: Pagefind was not able to build an index.' >&2\nexit 3\n")
    script.chmod(0o755)
    monkeypatch.setattr(search, "executable", lambda: script)


def test_a_failed_index_fails_the_build_and_leaves_the_previous_site(project, run, request):
    assert run(project, "build", "--no-pdf")[0] == 0
    before = files(project / "site")
    source = project / f"content/analyses/{A}.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "shook the global system", "shook the whole global system"), encoding="utf-8")
    request.getfixturevalue("failing_pagefind")
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 1
    assert ("site/pagefind: error: Pagefind failed (exit status 3): "
            "Error: Pagefind was not able to build an index.") in err
    assert "Traceback" not in err
    assert files(project / "site") == before
    assert not list(project.glob(".site-*"))


def test_without_pagefind_the_build_says_what_to_install(project, run, monkeypatch):
    monkeypatch.setitem(sys.modules, "pagefind_bin", None)  # import fails
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 1
    assert "error: Pagefind is not installed: `pip install pagefind-bin`" in err
    assert not (project / "site").exists()


def test_the_index_is_the_same_bytes_from_run_to_run(built_project, tmp_path):
    """Pagefind names the languages of pagefind-entry.json in a different order from
    run to run (a hash map's); the build sorts them, and nothing else differs."""
    config = load_config(built_project)
    made = []
    for run in range(4):
        site = copy_tree(built_project / "site", tmp_path / f"site-{run}")
        shutil.rmtree(site / BUNDLE)
        listed = search.write_index(config, site)
        assert listed == [f"{BUNDLE}/{name}" for name in files(site / BUNDLE)]
        made.append(files(site / BUNDLE))
    assert all(bundle == made[0] for bundle in made)
    assert made[0] == files(built_project / "site" / BUNDLE)


def test_pagefind_settings_of_the_environment_are_ignored(built_project, tmp_path, monkeypatch):
    site = copy_tree(built_project / "site", tmp_path / "site")
    shutil.rmtree(site / BUNDLE)
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "en")
    monkeypatch.setenv("PAGEFIND_OUTPUT_SUBDIR", "elsewhere")
    search.write_index(load_config(built_project), site)
    assert files(site / BUNDLE) == files(built_project / "site" / BUNDLE)
    assert os.environ["PAGEFIND_FORCE_LANGUAGE"] == "en"
