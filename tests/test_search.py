"""The search index and pages, without a browser: one Pagefind index per language of
the analysis pages only, what of a page it holds, the search page of each language
and the links to it, the index made in the build's staging directory (a failed index
leaves the previous site), skipped when no analysis page changed, and the same bytes
from run to run; the index cut in shards (``search_shard_size``), each made again
only when one of its pages changed. (Searching itself is tested in Chromium:
test_search_browser.py, on one index and on shards.)"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, copy_tree

from pressroom.config import load_config
from pressroom.site import search
from pressroom.site.search import SCRIPTS, UNUSED, bundle_dir, shard_count, shard_of, shards

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


def index(site: Path) -> dict[str, dict]:
    """Every language's indexed pages (of every shard), by URL."""
    return {url: page for lang in LANGS for bundle in sorted((site / lang / search.BUNDLE).iterdir())
            for url, page in fragments(bundle).items()}


def test_one_index_per_language_of_the_analyses_only(built_project):
    site = built_project / "site"
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    titles = {(lang, a["slug"]): a["languages"][lang]["title"] for a in manifest["articles"] for lang in LANGS}
    for lang in LANGS:
        bundle = site / bundle_dir(lang, 0)  # two analyses: one shard
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        # The language's own search code: Pagefind's Snowball stemmer for it ("unknown",
        # without stemming, is what a language Pagefind cannot stem gets), and no other.
        assert entry["languages"] == {lang: {"hash": entry["languages"][lang]["hash"], "wasm": lang,
                                             "page_count": len(SLUGS)}}
        assert sorted(p.name for p in bundle.glob("wasm.*")) == [f"wasm.{lang}.pagefind"]
        assert (bundle / f"pagefind.{entry['languages'][lang]['hash']}.pf_meta").is_file()
        assert not any((bundle / name).exists() for name in UNUSED)
        pages = fragments(bundle)
        assert set(pages) == {f"/{lang}/analyses/{slug}/" for slug in SLUGS}
        for slug in SLUGS:
            meta = pages[f"/{lang}/analyses/{slug}/"]["meta"]
            assert meta["title"] == titles[lang, slug]
            assert meta["date_iso"] in ("2023-12-17", "2024-11-01")
    assert index(site)[f"/tr/analyses/{A}/"]["meta"]["date"] == "17 Aralık 2023"
    bundles = sorted(p.relative_to(site).as_posix() for p in site.glob("**/pagefind/*") if p.is_dir())
    assert bundles == sorted(f"{lang}/pagefind/0" for lang in LANGS)


def test_a_page_is_indexed_without_its_chrome_and_note_calls(built_project):
    content = index(built_project / "site")[f"/en/analyses/{A}/"]["content"]
    # body and summary, a note call ([^1] after "environment.") left out
    assert "shook the global system and created a new competitive environment. The Cold War-era" in content
    assert content.startswith("The US Role in NATO-Russia Tensions.")
    assert "Date of Access" in content  # notes are searchable (weighted below the body)
    for chrome in ("Analysis", "By Zeki", "Download PDF", "↩", "Tags:", "Skip to content", "Türkçe"):
        assert chrome not in content, chrome
    content = index(built_project / "site")[f"/tr/analyses/{A}/"]["content"]
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
        assert [(path.parent / b).resolve() for b in form["data-bundles"].split()] == [site / lang / "pagefind/0"]
        assert form["data-bundles"].endswith("/")  # Pagefind adds file names to it
        assert (path.parent / form["data-root"]).resolve() == site.resolve()
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


def bundles(site: Path) -> dict[str, int]:
    """The search indexes' files and their inodes (a file made again is a new one)."""
    return {p.relative_to(site).as_posix(): p.stat().st_ino for lang in LANGS
            for p in (site / lang / search.BUNDLE).rglob("*") if p.is_file()}


def test_a_no_op_rebuild_does_not_run_pagefind(project, run, monkeypatch):
    assert run(project, "build", "--no-pdf")[0] == 0
    before = bundles(project / "site")

    def no_pagefind(*args):
        raise AssertionError("Pagefind ran")

    monkeypatch.setattr("pressroom.site.build.IndexRun", no_pagefind)
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0, err
    assert "nothing to do" in err and "indexing" not in err
    assert bundles(project / "site") == before


def test_a_changed_page_makes_its_languages_index_again_only(project, run):
    assert run(project, "build", "--no-pdf")[0] == 0
    before = bundles(project / "site")
    po = project / f"locales/tr/LC_MESSAGES/{A}.po"
    po.write_text(po.read_text(encoding="utf-8").replace(
        "küresel sistemi sarsmış", "bütün küresel sistemi sarsmış"), encoding="utf-8")
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0, err
    assert "indexing the analyses for search (tr: 1 shard)" in err
    after = bundles(project / "site")
    remade = {f.split("/")[0] for f, ino in after.items() if before.get(f) != ino}
    assert remade == {"tr"}
    assert "bütün küresel sistemi sarsmış" in index(project / "site")[f"/tr/analyses/{A}/"]["content"]


def test_a_changed_analysis_is_indexed_again_in_every_language(project, run):
    assert run(project, "build", "--no-pdf")[0] == 0
    source = project / f"content/analyses/{A}.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "shook the global system", "shook the whole global system"), encoding="utf-8")
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0, err
    assert "indexing the analyses for search (en, tr, ru: 3 shards)" in err
    assert "shook the whole global system" in index(project / "site")[f"/en/analyses/{A}/"]["content"]


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
    assert ("site/en/pagefind/0: error: Pagefind failed (exit status 3): "
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
    """Pagefind's output, as the build keeps it, depends on the pages alone."""
    config = load_config(built_project)
    made = []
    for run in range(3):
        site = copy_tree(built_project / "site", tmp_path / f"site-{run}")
        for lang in LANGS:
            shutil.rmtree(site / bundle_dir(lang, 0))
            listed = search.write_index(config, site, lang, 0, SLUGS, primary=True)
            assert listed == [f"{bundle_dir(lang, 0)}/{name}" for name in files(site / bundle_dir(lang, 0))]
        made.append({lang: files(site / bundle_dir(lang, 0)) for lang in LANGS})
        assert not list(site.glob(".search-*"))  # the pages' links are gone
    assert all(bundle == made[0] for bundle in made)
    assert made[0] == {lang: files(built_project / "site" / bundle_dir(lang, 0)) for lang in LANGS}


def test_pagefind_lists_languages_in_changing_order_and_the_build_sorts_them(built_project, tmp_path):
    """Why the entry file is rewritten: one Pagefind run over several languages names
    them in hash-map order. The rewrite makes any such file the same bytes."""
    site = copy_tree(built_project / "site", tmp_path / "site")
    orders, sorted_bytes = set(), set()
    for _ in range(6):
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        subprocess.run([str(search.executable()), "--site", ".", "--glob", "*/analyses/*/index.html", "--silent"],
                       cwd=site, check=True)
        entry = site / "pagefind" / search.ENTRY
        orders.add(tuple(json.loads(entry.read_text(encoding="utf-8"))["languages"]))
        search._sort_entry(entry, "site/pagefind")
        sorted_bytes.add(entry.read_bytes())
    assert len(sorted_bytes) == 1
    assert json.loads(sorted_bytes.pop())["languages"].keys() == {"en", "ru", "tr"}
    print(f"orders Pagefind wrote in 6 runs: {sorted(orders)}")


def test_pagefind_settings_of_the_environment_are_ignored(built_project, tmp_path, monkeypatch):
    site = copy_tree(built_project / "site", tmp_path / "site")
    shutil.rmtree(site / bundle_dir("tr", 0))
    monkeypatch.setenv("PAGEFIND_FORCE_LANGUAGE", "en")
    monkeypatch.setenv("PAGEFIND_OUTPUT_SUBDIR", "elsewhere")
    search.write_index(load_config(built_project), site, "tr", 0, SLUGS, primary=True)
    assert files(site / bundle_dir("tr", 0)) == files(built_project / "site" / bundle_dir("tr", 0))
    assert os.environ["PAGEFIND_FORCE_LANGUAGE"] == "en"


# Shards. The four analyses of the sharded project fall in shards 0 and 2 of 4 with
# search_shard_size = 1 (SHA-1 of the slugs): shards 1 and 3 have none.
SHARDED = {0: ("alpine-wardens", "how-nato-should-refine-its-russia-policy"),
           2: ("island-ferries", "us-role-in-nato-russia-tensions")}


@pytest.mark.parametrize(("analyses", "size", "count"), [
    (0, 100, 1), (1, 100, 1), (199, 100, 1), (200, 100, 2), (399, 100, 2), (400, 100, 4), (500, 100, 4),
    (5000, 100, 32), (5000, 150, 32), (5000, 160, 16), (4, 1, 4), (4, 2, 2), (3, 2, 1),
])
def test_the_number_of_shards_is_a_power_of_two_of_about_size_analyses(analyses, size, count):
    assert shard_count(analyses, size) == count


def test_a_shard_splits_in_two_when_the_number_of_shards_doubles():
    slugs = [f"analysis-{n}" for n in range(2000)]
    for count in (1, 2, 4, 8, 16, 32):
        assert all(shard_of(slug, 2 * count) % count == shard_of(slug, count) for slug in slugs)
    sizes = [len(part) for part in shards(slugs, 100).values()]
    assert len(sizes) == 16 and sum(sizes) == 2000 and min(sizes) > 90 and max(sizes) < 160, sizes
    assert shards(reversed(slugs), 100) == shards(slugs, 100)  # the order of the sources does not matter


@pytest.fixture
def sharded(project, run) -> Path:
    """The project with two more analyses and one analysis a shard, built."""
    for source in (FIXTURES / "search").glob("*.md"):
        shutil.copy(source, project / "content/analyses" / source.name)
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    (project / "pyproject.toml").write_text(text.replace("[tool.pressroom]\n", "[tool.pressroom]\nsearch_shard_size = 1\n"),
                                            encoding="utf-8")
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0, err
    assert "indexing the analyses for search (en, tr, ru: 6 shards)" in err
    return project


def test_each_shard_indexes_its_analyses_and_the_first_holds_the_script(sharded):
    site = sharded / "site"
    assert shards(SLUGS + ["alpine-wardens", "island-ferries"], 1) == SHARDED
    for lang in LANGS:
        assert sorted(p.name for p in (site / lang / search.BUNDLE).iterdir()) == ["0", "2"]
        for shard, slugs in SHARDED.items():
            bundle = site / bundle_dir(lang, shard)
            assert set(fragments(bundle)) == {f"/{lang}/analyses/{slug}/" for slug in slugs}
            entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
            assert entry["languages"][lang]["page_count"] == 2 and list(entry["languages"]) == [lang]
            primary = shard == 0  # merged indexes are searched with the first one's code
            assert [(bundle / name).is_file() for name in SCRIPTS] == [primary] * len(SCRIPTS)
            assert (bundle / f"wasm.{lang}.pagefind").is_file() == primary
        doc = BeautifulSoup((site / lang / "search/index.html").read_text(encoding="utf-8"), "html.parser")
        assert doc.find("form", role="search")["data-bundles"] == f"../../{lang}/pagefind/0/ ../../{lang}/pagefind/2/"
    assert not list(site.glob(".search-*")) and not list(site.glob("**/.search-*"))


def test_a_changed_page_makes_its_shard_again_only(sharded, run):
    before = bundles(sharded / "site")
    po = sharded / f"locales/tr/LC_MESSAGES/{A}.po"  # shard 2
    po.write_text(po.read_text(encoding="utf-8").replace(
        "küresel sistemi sarsmış", "bütün küresel sistemi sarsmış"), encoding="utf-8")
    code, _, err = run(sharded, "build", "--no-pdf")
    assert code == 0, err
    assert "indexing the analyses for search (tr: 1 shard)" in err
    after = bundles(sharded / "site")
    assert {"/".join(f.split("/")[:3]) for f, ino in after.items() if before.get(f) != ino} == {"tr/pagefind/2"}
    assert {f for f in before if not f.startswith("tr/pagefind/2/")} <= set(after)
    assert "bütün küresel sistemi sarsmış" in fragments(sharded / "site" / bundle_dir("tr", 2))[
        f"/tr/analyses/{A}/"]["content"]


def test_shards_follow_the_archive_and_two_builds_are_the_same_bytes(sharded, run, tmp_path):
    """Fewer analyses a shard: the shards are made again; the same sources give the
    same bytes from a clean build."""
    first = files(sharded / "site")
    shutil.rmtree(sharded / "site")
    assert run(sharded, "build", "--no-pdf")[0] == 0
    assert files(sharded / "site") == first
    text = (sharded / "pyproject.toml").read_text(encoding="utf-8")
    (sharded / "pyproject.toml").write_text(text.replace("search_shard_size = 1", "search_shard_size = 4"),
                                            encoding="utf-8")
    code, _, err = run(sharded, "build", "--no-pdf")
    assert code == 0, err
    for lang in LANGS:
        assert sorted(p.name for p in (sharded / "site" / lang / search.BUNDLE).iterdir()) == ["0"]
        assert len(fragments(sharded / "site" / bundle_dir(lang, 0))) == 4


@pytest.mark.parametrize("value", ["0", "-3", "2.5", "true", '"100"'])
def test_a_bad_shard_size_is_an_error_at_its_line(project, run, value):
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    (project / "pyproject.toml").write_text(
        text.replace("[tool.pressroom]\n", f"[tool.pressroom]\nsearch_shard_size = {value}\n"), encoding="utf-8")
    code, _, err = run(project, "build", "--no-pdf")
    assert code in (1, 2)
    line = text.splitlines().index("[tool.pressroom]") + 2
    assert f"pyproject.toml:{line}: error: [tool.pressroom] search_shard_size must be a whole number" in err, err
    assert "Traceback" not in err and not (project / "site").exists()
