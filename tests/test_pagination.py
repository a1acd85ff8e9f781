"""Paginated listings: the index, its year archives and topic pages in pages of
``page_size``, linked with rel=prev/next; the feed holds the newest ``feed_size``."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import copy_project

from pressroom.cli import main

SOURCE = """---
title: Generated analysis {n}
date: {date}
author: editors
lang: en
summary: Summary {n}.
tags: [{tags}]
---

Paragraph {n}.[^1]

[^1]: Note {n}.
"""
DATES = ["2021-03-01", "2021-07-09", "2022-01-15", "2022-05-02", "2022-11", "2023-02-20", "2023-08-08"]
NEWEST_FIRST = ["how-nato-should-refine-its-russia-policy", "us-role-in-nato-russia-tensions",  # 2024-11, 2023-12-17
                *(f"generated-{n}" for n in range(7, 0, -1))]


def set_options(root: Path, **options) -> None:
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    lines = "".join(f"{name} = {value}\n" for name, value in options.items())
    (root / "pyproject.toml").write_text(text.replace("[tool.pressroom]\n", f"[tool.pressroom]\n{lines}", 1),
                                         encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("paged") / "project")
    for n, date in enumerate(DATES, 1):
        tags = "NATO, generated" if n % 2 else "generated"
        (root / f"content/analyses/generated-{n}.md").write_text(SOURCE.format(n=n, date=date, tags=tags),
                                                                encoding="utf-8")
    set_options(root, page_size=3, feed_size=2)
    assert main(["update"], project=root) == 0
    assert main(["build", "--no-pdf"], project=root) == 0
    return root / "site"


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def titles(html: BeautifulSoup) -> list[str]:
    return [a["href"].rstrip("/").rsplit("/", 1)[-1] for a in html.select(".article-list h2 a")]


def walk(site: Path, first: str) -> list[BeautifulSoup]:
    """The pages of a listing from its first, following rel=next (head and nav agree)."""
    pages, url = [], first
    while url is not None:
        html = page(site, url)
        pages.append(html)
        head = html.select_one('link[rel="next"]')
        nav = html.select_one('nav.pager a[rel="next"]')
        assert (head is None) == (nav is None) and (head is None or head["href"] == nav["href"])
        url = posixpath.normpath(posixpath.join(url, head["href"])) + "/" if head else None
    return pages


@pytest.mark.parametrize("lang", ["en", "tr", "ru"])
def test_the_index_is_paginated_newest_first_with_every_analysis_once(site, lang):
    pages = walk(site, f"{lang}/")
    listed = [slug for html in pages for slug in titles(html)]
    assert len(pages) == 3 and [len(titles(h)) for h in pages] == [3, 3, 3]
    assert listed == NEWEST_FIRST
    assert (site / lang / "page/2/index.html").is_file() and not (site / lang / "page/1").exists()
    second = page(site, f"{lang}/page/2")
    prev = second.select_one('link[rel="prev"]')["href"]
    assert posixpath.normpath(posixpath.join(f"{lang}/page/2/", prev)) == lang
    assert second.select_one('nav.pager [aria-current="page"]').text == "2"
    # alternates lead to the same page in the other languages
    for alt in second.select('link[rel="alternate"][hreflang]'):
        if alt["hreflang"] != "x-default":
            assert re.search(rf"\b{alt['hreflang']}/page/2/$", alt["href"]), alt["href"]


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_year_archives_hold_each_year_and_link_from_the_index(site, lang):
    index = page(site, f"{lang}/")
    years = [a.text for a in index.select("nav.archive a")]
    assert years == ["2024", "2023", "2022", "2021"]
    expected = {"2021": {"generated-1", "generated-2"}, "2022": {"generated-3", "generated-4", "generated-5"}}
    for year, slugs in expected.items():
        assert {s for html in walk(site, f"{lang}/archive/{year}/") for s in titles(html)} == slugs
    assert "2022" in page(site, f"{lang}/archive/2022").h1.text


def test_topic_pages_are_paginated_too(site):
    pages = walk(site, "en/topics/generated/")
    assert [len(titles(h)) for h in pages] == [3, 3, 1]
    assert page(site, "en/topics").find("a", string="generated").find_next_sibling("span").text == "(7)"


def test_the_feed_holds_the_newest(site):
    feed = feedparser.parse((site / "en/feed.xml").read_bytes())
    links = [e.link.rstrip("/").rsplit("/", 1)[-1] for e in feed.entries]
    assert not feed.bozo and links == NEWEST_FIRST[:2]


@pytest.mark.parametrize("value", ["0", "-3", "2.5", "true", '"20"'])
def test_a_bad_page_size_is_an_error_at_its_line(project, run, value):
    set_options(project, page_size=value)
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 2 or code == 1
    assert re.search(r"^pyproject\.toml:\d+: error: \[tool\.pressroom\] page_size must be a whole number", err, re.MULTILINE), err
    assert not (project / "site").exists()


def test_the_sitemap_has_every_page_of_every_listing(site):
    from pressroom.config import load_config
    from pressroom.errors import Report
    from pressroom.html.sitemap import clusters
    from pressroom.sources.documents import load_content

    config = load_config(site.parent)
    urls = {url for c in clusters(config, load_content(config, Report())) for url in c.urls()}
    made = {p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
            if re.search(r"/(page|archive|topics)/", p.as_posix()) and "/status/" not in p.as_posix()}
    assert made and made <= urls
    assert "en/page/3/" in urls and "en/page/4/" not in urls and "ru/topics/generated/page/3/" in urls


def test_author_and_status_pages_are_paginated(site):
    pages = walk(site, "tr/authors/editors/")
    listed = [[a["href"].rstrip("/").rsplit("/", 1)[-1] for a in h.select(".article-list li a")] for h in pages]
    own = [s for slugs in listed for s in slugs]
    assert len(pages) > 1 and all(len(slugs) <= 3 for slugs in listed)
    assert own == [s for s in NEWEST_FIRST if s.startswith("generated") or s.startswith("how-nato")]
    assert all(h.select_one(".bio") for h in pages[:1])
    status = walk(site, "tr/status/")
    rows = [a.text for html in status for a in html.select("table.status td a")]
    assert len(status) > 1 and len(rows) == len(set(rows)) == len(DATES) + 2 + 2  # analyses and two author pages
    # the English status page has nothing to list: its Turkish page 2 has it as alternate page 1
    alternates = {a["hreflang"]: a["href"] for a in page(site, "tr/status/page/2").select('link[rel="alternate"][hreflang]')}
    assert posixpath.normpath(posixpath.join("tr/status/page/2/", alternates["en"])) == "en/status"


def pager_cases() -> list[tuple[int, int, str]]:
    lines = (Path(__file__).parent / "fixtures" / "pager-links.txt").read_text(encoding="utf-8").splitlines()
    cases = []
    for line in lines:
        if line.strip() and not line.startswith("#"):
            where, links = line.split(":")
            count, number = map(int, where.split())
            cases.append((count, number, links.strip()))
    return cases


@pytest.mark.parametrize("count,number,expected", pager_cases())
def test_a_page_links_the_first_the_last_and_its_neighbours(count, number, expected):
    from pressroom.html.pagination import paginate

    pager = paginate("en/", list(range(count)), 1)[number - 1]
    shown = " ".join("…" if link is None else str(link[0]) for link in pager.pages)
    assert shown == expected
    assert all(link is None or link[1] == ("en/" if link[0] == 1 else f"en/page/{link[0]}/") for link in pager.pages)


def test_a_long_listing_shows_gaps_and_every_page_is_reachable(tmp_path):
    """Thirteen analyses in pages of one: page 7 links 1, 5–9 and 15 with gaps between,
    and following rel=next from the first page reaches every page."""
    root = copy_project(tmp_path / "project")
    for n in range(1, 14):
        (root / f"content/analyses/generated-{n}.md").write_text(
            SOURCE.format(n=n, date=f"2020-01-{n:02d}", tags="generated"), encoding="utf-8")
    set_options(root, page_size=1)
    assert main(["update"], project=root) == 0
    assert main(["build", "--no-pdf"], project=root) == 0
    site = root / "site"
    seventh = page(site, "en/page/7/")
    items = [li.get_text(strip=True) for li in seventh.select("nav.pager ol li")]
    assert items == ["1", "…", "5", "6", "7", "8", "9", "…", "15"]
    assert seventh.select_one("nav.pager li.gap")["aria-hidden"] == "true"
    assert len(walk(site, "en/")) == 15
