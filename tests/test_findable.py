"""Findable and shareable: sitemap.xml (validated against the sitemaps.org 0.9 schema
and a strict schema of its xhtml:link alternates), robots.txt, canonical and
hreflang addresses, Open Graph and Twitter cards (``tests/fixtures/head.txt``: one
page of each type per line), feed links and the feeds themselves (read by
feedparser), share links, the 404 pages and ``build --production``.

Two builds: the seed project as it is (no ``base_url``: relative addresses, no
sitemap, no share links) and a copy with ``base_url`` and ``social_image`` set.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, PUBLISHED_BASE, copy_tree, set_option
from lxml import etree

from pressroom.cli import main
from pressroom.config import load_config
from pressroom.errors import ConfigError, Report
from pressroom.html.sitemap import clusters, sitemap_files
from pressroom.sources.documents import load_content

BASE = PUBLISHED_BASE
LANGS = ("en", "tr", "ru")
SLUGS = ("us-role-in-nato-russia-tensions", "how-nato-should-refine-its-russia-policy")
SCHEMAS = FIXTURES / "sitemap"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}


@pytest.fixture
def published(published_project: Path) -> Path:
    return published_project / "site"


@pytest.fixture
def seed(built_project: Path) -> Path:
    return built_project / "site"


def soup(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> set[str]:
    """Every page a search engine may index: every HTML file but the 404 pages."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html"}


def page_url(rel: str) -> str:
    """The site-relative address of an HTML file (``en/index.html`` -> ``en/``)."""
    return rel.removesuffix("index.html")


# -- sitemap.xml -----------------------------------------------------------------------------


def test_sitemap_is_valid_against_the_sitemap_and_xhtml_link_schemas(published):
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "xhtml-link.xsd")))  # imports sitemap.xsd
    document = etree.parse(str(published / "sitemap.xml"))
    assert schema.validate(document), schema.error_log
    # the schema is strict: an unknown element, a bad hreflang or a relative address fails it
    text = (published / "sitemap.xml").read_bytes()
    for good, bad in [(b'<xhtml:link rel="alternate" hreflang="tr"', b'<xhtml:lnk rel="alternate" hreflang="tr"'),
                      (b'hreflang="tr"', b'hreflang="Turkish"'), (f"<loc>{BASE}/".encode(), b"<loc>/")]:
        assert not schema.validate(etree.fromstring(text.replace(good, bad, 1))), bad


def test_sitemap_lists_every_page_once_with_all_its_alternates(published):
    document = etree.parse(str(published / "sitemap.xml"))
    entries = {}
    for url in document.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc not in entries, f"{loc} listed twice"
        entries[loc] = {link.get("hreflang"): link.get("href") for link in url.findall("xhtml:link", NS)}
    assert set(entries) == {f"{BASE}/{page_url(rel)}" for rel in html_pages(published)}
    for loc, alternates in entries.items():
        assert list(alternates) == [*LANGS, "x-default"], loc
        assert loc in alternates.values(), loc  # a page names itself among its alternates
        for href in alternates.values():  # each alternate is a page of the sitemap, with the same alternates
            assert entries[href] == alternates, (loc, href)
            assert (published / href.removeprefix(BASE + "/") / "index.html").is_file() or href == f"{BASE}/"
    slug = SLUGS[0]
    assert entries[f"{BASE}/tr/analyses/{slug}/"]["x-default"] == f"{BASE}/en/analyses/{slug}/"
    assert entries[f"{BASE}/ru/"]["x-default"] == f"{BASE}/"  # the language choice


def test_a_long_site_gets_a_sitemap_index(published, tmp_path):
    config = load_config(published.parent)
    content = load_content(config, Report())
    found = clusters(config, content)
    files = sitemap_files(BASE, found, max_urls=5)
    parts = -(-sum(len(c.urls()) for c in found) // 5)  # 5 addresses a file, none left out
    assert parts >= 4 and set(files) == {"sitemap.xml", *(f"sitemap-{n}.xml" for n in range(1, parts + 1))}
    index_schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "siteindex.xsd")))
    index = etree.fromstring(files["sitemap.xml"].encode())
    assert index_schema.validate(index), index_schema.error_log
    assert index.xpath("//sm:loc/text()", namespaces=NS) == [f"{BASE}/sitemap-{n}.xml" for n in range(1, parts + 1)]
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "xhtml-link.xsd")))
    locs = []
    for n in range(1, parts + 1):
        part = etree.fromstring(files[f"sitemap-{n}.xml"].encode())
        assert schema.validate(part), schema.error_log
        locs += part.xpath("//sm:loc/text()", namespaces=NS)
        assert len(part.findall("sm:url", NS)) <= 5
    one = etree.fromstring((published / "sitemap.xml").read_bytes())
    assert locs == one.xpath("//sm:loc/text()", namespaces=NS)  # the same pages, in the same order
    by_size = sitemap_files(BASE, clusters(config, content), max_bytes=3000)
    assert len(by_size) > 2 and all(len(text.encode()) <= 3000 for name, text in by_size.items() if name != "sitemap.xml")


def test_analyses_have_a_lastmod_from_their_sources(published):
    document = etree.parse(str(published / "sitemap.xml"))
    dates = {"us-role-in-nato-russia-tensions": "2023-12-17", "how-nato-should-refine-its-russia-policy": "2024-11-01"}
    for url in document.findall("sm:url", NS):
        loc, lastmod = url.findtext("sm:loc", namespaces=NS), url.findtext("sm:lastmod", namespaces=NS)
        slug = next((s for s in dates if f"/analyses/{s}/" in loc), None)
        assert lastmod == (dates[slug] if slug else None), loc  # a month (2024-11) is its first day


def test_an_updated_date_is_the_lastmod(project):
    source = project / f"content/analyses/{SLUGS[0]}.md"
    source.write_text(source.read_text(encoding="utf-8").replace("date: 2023-12-17\n", "date: 2023-12-17\nupdated: 2024-02-29\n", 1),
                      encoding="utf-8")
    report = Report()
    content = load_content(load_config(project), report)
    assert report.problems == []
    text = sitemap_files(BASE, clusters(load_config(project), content))["sitemap.xml"]
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "xhtml-link.xsd")))
    document = etree.fromstring(text.encode())
    assert schema.validate(document), schema.error_log
    lastmods = {url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
                for url in document.findall("sm:url", NS)}
    assert {lastmods[f"{BASE}/{lang}/analyses/{SLUGS[0]}/"] for lang in LANGS} == {"2024-02-29"}
    assert sitemap_files(BASE, clusters(load_config(project), content)) == {"sitemap.xml": text}  # no build time


def test_robots_txt_allows_everything_and_names_the_sitemap(published, seed):
    robots = RobotFileParser()
    robots.parse((published / "robots.txt").read_text(encoding="utf-8").splitlines())
    assert robots.can_fetch("*", f"{BASE}/tr/analyses/{SLUGS[0]}/")
    assert robots.site_maps() == [f"{BASE}/sitemap.xml"]
    robots = RobotFileParser()
    robots.parse((seed / "robots.txt").read_text(encoding="utf-8").splitlines())
    assert robots.can_fetch("*", "/en/") and robots.site_maps() is None
    assert not (seed / "sitemap.xml").exists()  # the protocol takes absolute addresses only


# -- <head> ------------------------------------------------------------------------------------


def _head_cases() -> list:
    cases = []
    for number, line in enumerate((FIXTURES / "head.txt").read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            fields = [field.strip() for field in line.split("|")]
            cases.append(pytest.param(*fields, id=f"head.txt:{number}:{fields[0]}"))
    return cases


def _absolute(url: str) -> str | None:
    return None if url == "-" else f"{BASE}/" if url == "/" else f"{BASE}/{url}"


def _meta(doc: BeautifulSoup, name: str) -> list[str]:
    return [m["content"] for m in doc.find_all("meta", attrs={"property": name})] + \
           [m["content"] for m in doc.find_all("meta", attrs={"name": name})]


@pytest.mark.parametrize(("page", "og_type", "title", "canonical", "x_default", "locale", "description"), _head_cases())
def test_head_metadata_of_each_page_type(published, page, og_type, title, canonical, x_default, locale, description):
    doc = soup(published, page)
    head = doc.head
    assert _meta(head, "og:type") == [og_type]
    assert _meta(head, "og:title") == _meta(head, "twitter:title") == [title]
    assert _meta(head, "og:site_name") == ["Pressroom Analyses"]
    assert _meta(head, "og:locale") == [locale]
    others = {"en": "en_GB", "tr": "tr_TR", "ru": "ru_RU"}
    assert _meta(head, "og:locale:alternate") == [v for v in others.values() if v != locale]
    assert _meta(head, "og:image") == _meta(head, "twitter:image") == [f"{BASE}/static/card.png"]
    assert (published / "static" / "card.png").is_file()
    assert _meta(head, "twitter:card") == ["summary_large_image"]
    expected = doc.select_one("p.summary").get_text() if description == "summary" else description
    assert _meta(head, "description") == ([] if expected == "-" else [expected])
    assert _meta(head, "og:description") == _meta(head, "twitter:description") == _meta(head, "description")
    canonical_links = [link["href"] for link in head.find_all("link", rel="canonical")]
    hreflang = {link["hreflang"]: link["href"] for link in head.find_all("link", rel="alternate", hreflang=True)
                if link.get("type") is None}
    if canonical == "-":  # a 404 page
        assert canonical_links == [] and hreflang == {} and _meta(head, "og:url") == []
        assert _meta(head, "robots") == ["noindex"]
    else:
        assert canonical_links == _meta(head, "og:url") == [_absolute(canonical)]
        assert hreflang["x-default"] == _absolute(x_default)
        assert set(hreflang) == {*LANGS, "x-default"}
        assert all(href.startswith(BASE + "/") for href in hreflang.values())
        assert _meta(head, "robots") == []
    feeds = [link for link in head.find_all("link", rel="alternate") if link.get("type") == "application/atom+xml"]
    lang = doc.html["lang"]
    if page == "index.html":  # the language choice names every language's feed
        assert [f["href"] for f in feeds] == [f"{BASE}/{x}/feed.xml" for x in LANGS]
    else:
        assert [f["href"] for f in feeds] == [f"{BASE}/{lang}/feed.xml"]


def test_without_base_url_addresses_are_relative_and_lead_to_the_pages(seed):
    for rel in sorted(html_pages(seed)):
        head = soup(seed, rel).head
        here = (seed / rel).parent
        canonical = head.find("link", rel="canonical")["href"]
        assert (here / canonical).resolve() == here.resolve(), rel
        for link in head.find_all("link", rel="alternate"):
            target = here / link["href"]
            assert (target / "index.html").is_file() or target.is_file(), (rel, link)
        assert _meta(head, "og:url") == [] and _meta(head, "og:image") == [], rel  # previews need absolute addresses
        assert _meta(head, "twitter:card") == ["summary"]
    assert not soup(seed, f"en/analyses/{SLUGS[0]}/index.html").select(".share")  # no address to share


# -- feeds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_feeds_read_by_feedparser_lead_to_the_pages(seed, published, lang):
    # the seed site's feed as served from the root of a host (its addresses are relative)
    for site, base in ((seed, "http://localhost:8000"), (published, BASE)):
        location = f"{base}/{lang}/feed.xml"
        feed = feedparser.parse((site / lang / "feed.xml").read_bytes(), response_headers={"content-location": location, "content-type": "application/atom+xml"})
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.language == lang
        assert feed.feed.link == f"{base}/{lang}/"
        titles = [soup(site, f"{lang}/analyses/{slug}/index.html").h1.get_text() for slug in SLUGS]
        assert sorted(entry.title for entry in feed.entries) == sorted(titles)
        for entry in feed.entries:
            assert entry.link.startswith(f"{base}/{lang}/analyses/")
            rel = entry.link.removeprefix(base + "/")
            assert (site / rel / "index.html").is_file(), entry.link
        # the feed the pages name in their head is this one
        head_feed = soup(site, f"{lang}/index.html").head.find("link", type="application/atom+xml")["href"]
        assert urljoin(f"{base}/{lang}/", head_feed) == location


# -- share links -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_share_links_carry_the_title_and_address_url_encoded(published, lang):
    slug = SLUGS[0]
    doc = soup(published, f"{lang}/analyses/{slug}/index.html")
    address, title = f"{BASE}/{lang}/analyses/{slug}/", doc.h1.get_text()
    links = {a["class"][0].removeprefix("share-"): a for a in doc.select("nav.share a")}
    assert list(links) == ["email", "x", "linkedin", "telegram", "whatsapp"]
    assert not doc.find_all("script") and not doc.find_all("iframe")
    hosts = {"x": "x.com", "linkedin": "www.linkedin.com", "telegram": "t.me", "whatsapp": "wa.me"}
    for network, a in links.items():
        href = a["href"]
        parts = urlsplit(href)
        query = parse_qs(parts.query, strict_parsing=True)
        assert " " not in href and "+" not in parts.query  # spaces as %20 (mailto: needs it)
        if network == "email":
            assert parts.scheme == "mailto" and query == {"subject": [title], "body": [f"{title}\r\n\r\n{address}"]}
        else:
            assert (parts.scheme, parts.netloc) == ("https", hosts[network])
            assert {"x": {"text": [title], "url": [address]}, "linkedin": {"url": [address]},
                    "telegram": {"url": [address], "text": [title]},
                    "whatsapp": {"text": [f"{title} {address}"]}}[network] == query
    label = {"en": "Share", "tr": "Paylaş", "ru": "Поделиться"}[lang]
    assert doc.select_one("#share-title").get_text() == label
    assert links["email"].get_text() == {"en": "E-mail", "tr": "E-posta", "ru": "Эл. почта"}[lang]
    assert links["linkedin"]["title"] == {"en": "Share on LinkedIn", "tr": "LinkedIn üzerinden paylaş",
                                          "ru": "Поделиться в LinkedIn"}[lang]


# -- 404 pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_404_page_per_language_with_links_from_the_sites_root(seed, published, lang):
    heading = {"en": "Page not found", "tr": "Sayfa bulunamadı", "ru": "Страница не найдена"}[lang]
    for site, prefix in ((seed, "/"), (published, f"{BASE}/")):
        doc = soup(site, f"{lang}/404.html")
        assert doc.html["lang"] == lang and doc.h1.get_text() == heading
        assert _meta(doc.head, "robots") == ["noindex"]
        stylesheet = doc.head.find("link", rel="stylesheet")["href"]
        assert stylesheet == ("/static/style.css" if site is seed else "/press/static/style.css")
        for a in doc.select("main a, header a"):  # served at any address: no link may be relative to it
            assert a["href"].startswith(prefix), a
            rel = a["href"].removeprefix(prefix)
            assert (site / rel / "index.html").is_file(), a


def test_the_root_404_page_speaks_every_language(seed):
    doc = soup(seed, "404.html")
    sections = doc.select("section.not-found")
    assert [s["lang"] for s in sections] == list(LANGS)
    assert [s.h1.get_text() for s in sections] == ["Page not found", "Sayfa bulunamadı", "Страница не найдена"]
    assert [s.a["href"] for s in sections] == ["/en/", "/tr/", "/ru/"]


# -- build --production ----------------------------------------------------------------------


def test_production_build_warns_about_an_empty_base_url(project, run):
    code, _, err = run(project, "build", "--no-pdf", "--production")
    line = next(n for n, text in enumerate((project / "pyproject.toml").read_text().splitlines(), 1)
                if text.startswith("base_url"))
    assert code == 0
    assert f"pyproject.toml:{line}: warning: base_url is empty on a production build" in err
    assert err.rstrip().endswith("[production]")
    before = (project / "site" / "index.html").read_bytes()
    shutil.rmtree(project / "templates" / "static")  # a change, so the strict build would write a new site
    code, _, err = run(project, "build", "--no-pdf", "--production", "--strict")
    assert code == 1 and "[production]" in err and "build failed: 1 warning(s) (--strict)" in err
    assert (project / "site" / "static" / "style.css").is_file()  # the site is as it was
    assert (project / "site" / "index.html").read_bytes() == before
    code, _, err = run(project, "build", "--no-pdf")  # not a production build: nothing to say
    assert code == 0 and "[production]" not in err
    set_option(project, f'base_url = "{BASE}"')
    code, _, err = run(project, "build", "--no-pdf", "--production", "--strict")
    assert code == 0 and "warning" not in err


@pytest.mark.parametrize(("value", "message"), [
    ('"../pyproject.toml"', "must be a path inside templates/static/"),
    ('"/etc/passwd"', "must be a path inside templates/static/"),
    ('"missing.png"', "names no file: templates/static/missing.png does not exist"),
    ("7", "must be a string, not int"),
])
def test_a_bad_social_image_is_refused_at_its_line(project, run, value, message):
    set_option(project, f"social_image = {value}")
    line = next(n for n, text in enumerate((project / "pyproject.toml").read_text().splitlines(), 1)
                if text.startswith("social_image"))
    with pytest.raises(ConfigError) as raised:
        load_config(project)
    assert message in str(raised.value) and raised.value.line == line
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 1 and f"pyproject.toml:{line}: error: [tool.pressroom] social_image {message}" in err


def test_two_builds_give_the_same_bytes(published, tmp_path):
    again = tmp_path / "again"
    copy_tree(published.parent, again, ignore=shutil.ignore_patterns("site", ".site-*", ".pressroom-cache"))
    assert main(["build", "--no-pdf"], project=again) == 0
    for path in sorted(p for p in published.rglob("*") if p.is_file()):
        rel = path.relative_to(published)
        assert (again / "site" / rel).read_bytes() == path.read_bytes(), rel
