"""UI strings and content fields are text on every page: a hostile catalog publishes nothing
but text.

``tests/fixtures/ui/hostile.tr.po`` gives every Turkish UI string HTML, quotes that
close an attribute, character references, ``javascript:`` URLs or template syntax,
each flagged ``no-html-check`` so that the build publishes it; the Turkish catalog of
an analysis gives its title, summary and a tag the same (they stand in ``<title>``,
``<meta content>`` and the feed). The site is built once; then every page type
(article, index, author, status, root, the PDF's HTML) is read back as text, and
opened in Chromium, where nothing may run; the feed stays well-formed XML with the
text in it; the PDF prints the page label as typed. A page-footer label that
``check`` calls an error falls back to English, reported at the UI catalog's line.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, copy_project
from pdfcheck import read_pdf

from pressroom.catalogs.files import read_catalog, serialize
from pressroom.cli import main
from pressroom.config import load_config
from pressroom.errors import Report
from pressroom.project import load_ui
from pressroom.site.jobs import Renderer

HOSTILE = FIXTURES / "ui" / "hostile.tr.po"
UI_PO = "locales/tr/LC_MESSAGES/messages.po"
SLUG = "us-role-in-nato-russia-tensions"
CONTENT_PO = f"locales/tr/LC_MESSAGES/{SLUG}.po"
CONTENT = {  # msgid -> hostile msgstr, in the analysis' Turkish catalog
    "The US Role in NATO-Russia Tensions": '"><script>alert(20)</script>ABD</title><img src=x onerror=alert(20)>',
    "NATO": "NATO\" onmouseover=\"alert(22)",
}
PAGES = {
    "article": f"tr/analyses/{SLUG}/index.html",
    "index": "tr/index.html",
    "author": "tr/authors/zeki-talustan-gulten/index.html",
    "status": "tr/status/index.html",
    "root": "index.html",
    "editors": "tr/analyses/how-nato-should-refine-its-russia-policy/index.html",
    "topics": "tr/topics/index.html",
    "topic": "tr/topics/nato/index.html",
    "not-found": "tr/404.html",
    "root-not-found": "404.html",
}
OTHER = "how-nato-should-refine-its-russia-policy"
CHROMIUM = os.environ.get("PRESSROOM_CHROMIUM") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ACTIVE = ("script, iframe, object, embed, base, svg, img, link[href*=evil], form, "
          'meta[http-equiv]:not([content="0; url=en/"])')
"""Elements that no translation may add to a page (the site has none of them but the
root page's lead to the default language)."""


def _hostile_ui() -> dict[str, str]:
    return {m.id: m.string for m in read_catalog(HOSTILE, "hostile", "tr", "messages") if m.id}


def _set_summary(root: Path) -> str:
    """The analysis' summary in Turkish, with quotes that would close ``content="…"``."""
    catalog = read_catalog(root / CONTENT_PO, CONTENT_PO, "tr", SLUG)
    summary = next(m for m in catalog if m.auto_comments == ["summary"])
    summary.string = 'Özet" http-equiv="refresh" content="0;url=javascript:alert(21)'
    for msgid, msgstr in CONTENT.items():
        catalog[msgid].string = msgstr
    (root / CONTENT_PO).write_bytes(serialize(catalog))
    other = f"locales/tr/LC_MESSAGES/{OTHER}.po"  # the same tag, so one topic name (no warning)
    catalog = read_catalog(root / other, other, "tr", OTHER)
    catalog["NATO"].string = CONTENT["NATO"]
    (root / other).write_bytes(serialize(catalog))
    return summary.string


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, str]:
    root = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    shutil.copyfile(HOSTILE, root / UI_PO)
    summary = _set_summary(root)
    assert main(["build", "--no-pdf", "--strict"], project=root) == 0  # published: nothing refused
    return root, summary


def _page(root: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((root / "site" / PAGES[name]).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("name", PAGES)
def test_no_translation_adds_an_element_or_attribute(hostile, name):
    root, _ = hostile
    doc = _page(root, name)
    assert doc.select(ACTIVE) == []
    for tag in doc.find_all(True):
        assert not [a for a in tag.attrs if a.startswith("on") or a in ("autofocus", "src")], tag
        for attribute in ("href", "src", "action", "data", "formaction"):
            value = tag.get(attribute, "")
            assert "javascript:" not in value and "evil.example" not in value, tag


def test_ui_strings_are_shown_as_typed(hostile):
    root, _ = hostile
    ui = _hostile_ui()
    article = _page(root, "article")
    assert article.select_one(".kicker").get_text() == ui["Analysis"]
    assert article.select_one("#notes-title").get_text() == ui["Notes"]
    assert article.select_one(".site-nav")["aria-label"] == ui["Site"]
    assert article.select_one(".languages")["aria-label"] == ui["Languages"]
    assert article.select_one(".footnote-backref")["aria-label"] == ui["Back to reference %(number)s"] % {"number": 1}
    assert article.select_one(".skip").get_text() == ui["Skip to content"]
    assert article.select_one(".site-footer a").get_text() == ui["Translation status"]
    assert article.select_one(".tags span").get_text() == ui["Tags:"]
    byline = article.select_one(".byline")
    assert byline.select_one("a[rel=author]").get_text() == "Zeki Talustan Gülten"  # the template's link stays
    assert byline.get_text(" ", strip=True).startswith(
        ui["By %(author)s"] % {"author": "Zeki Talustan Gülten"})
    published = _page(root, "editors")
    assert " ".join(published.select_one(".byline").get_text().split()).startswith(
        ui["Published by %(author)s"] % {"author": "Editörler"})
    index = _page(root, "index")
    assert index.select_one("h1").get_text() == ui["Analyses"]
    assert index.select_one("title").get_text().startswith(ui["Analyses"] + " — ")
    status = _page(root, "status")
    assert [th.get_text() for th in status.select("th")][:7] == [
        ui["Document"], ui["Translated"], ui["Reviewed"], ui["Fuzzy"], ui["Untranslated"], ui["Failing checks"],
        ui["Words translated"]]


def test_content_fields_are_shown_as_typed_in_meta_and_title(hostile):
    root, summary = hostile
    article = _page(root, "article")
    title = CONTENT["The US Role in NATO-Russia Tensions"]
    assert article.select_one("h1").get_text() == title
    assert article.select_one("title").get_text().startswith(title)
    assert article.select_one('meta[name="description"]')["content"] == summary
    assert CONTENT["NATO"] in article.select_one('meta[name="keywords"]')["content"].split(", ")
    assert [m.get("name") or m.get("property") for m in article.select("meta")] == [
        None, "viewport", "description", "author", "keywords", "article:published_time",
        *["article:tag"] * 5, "og:site_name", "og:type", "og:title", "og:description", "og:locale",
        "og:locale:alternate", "og:locale:alternate", "twitter:card", "twitter:title", "twitter:description"]
    for name in ("og:description", "twitter:description"):
        assert article.select_one(f'meta[property="{name}"], meta[name="{name}"]')["content"] == summary
    for name in ("og:title", "twitter:title"):
        assert article.select_one(f'meta[property="{name}"], meta[name="{name}"]')["content"] == title
    assert CONTENT["NATO"] in [m["content"] for m in article.select('meta[property="article:tag"]')]
    index = _page(root, "index")
    assert index.select_one(".article-list h2 a").get_text() in (title, "How NATO Should Refine Its Russia Policy") or \
        title in [a.get_text() for a in index.select(".article-list h2 a")]


def test_feed_stays_well_formed_with_the_text_in_it(hostile):
    root, summary = hostile
    feed = ET.parse(root / "site" / "tr" / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{atom}title").text == "Pressroom Analyses — " + _hostile_ui()["Analyses"]
    entries = {e.find(f"{atom}title").text: e for e in feed.iter(f"{atom}entry")}
    entry = entries[CONTENT["The US Role in NATO-Russia Tensions"]]
    assert entry.find(f"{atom}summary").text == summary
    assert [child.tag.removeprefix(atom) for child in entry] == ["title", "id", "link", "updated", "author", "summary"]


def _print_html(root: Path, ui) -> str:
    """The PDF's HTML of the Turkish analysis, as the build renders it."""
    renderer = Renderer(load_config(root), pdf=False, ui=ui)
    html = {}

    def capture(template, lang, translations, **context):
        rendered = original(template, lang, translations, **context)
        html[template] = rendered
        return rendered

    from pressroom.html import pages

    original = pages.PageWriter.render
    writer = pages.PageWriter(renderer.config, renderer.environment, root / "out")
    writer.render = capture
    config = renderer.config
    doc = next(d for d in _content(config).analyses if d.slug == SLUG)
    from pressroom.html.fragments import render_body
    from pressroom.html.pages import article_context
    from pressroom.segments.body import parse_document_body
    from pressroom.translations import load_translations

    report = Report()
    body = parse_document_body(doc, report)
    tr = load_translations(config, doc, body, "tr", report)
    author, _ = renderer.author(renderer._author_doc(doc.meta["author"], report), "tr", report)
    rendered = render_body(body, tr.strings, source_lang="en")
    article = article_context(config, doc, "tr", tr.strings, author, rendered, tr.complete)
    return original(writer, "print.html", "tr", ui["tr"], article=article, stylesheets=[], footnote_policy="line",
                    breaks=[])


def _content(config):
    from pressroom.sources.documents import load_content

    return load_content(config, Report())


def test_the_pdfs_html_is_text_too(hostile):
    root, summary = hostile
    ui = load_ui(load_config(root), Report())
    doc = BeautifulSoup(_print_html(root, ui), "html.parser")
    assert doc.select(ACTIVE) == []
    styles = doc.select("style")
    assert len(styles) == 1 and "@bottom-center" in styles[0].string
    assert "</style" not in styles[0].string and "<script" not in styles[0].string
    assert doc.select_one(".kicker").get_text() == _hostile_ui()["Analysis"]
    assert doc.select_one('meta[name="description"]')["content"] == summary


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


class _Site:
    """site/ served by Python's own HTTP server on 127.0.0.1, in a thread."""

    def __init__(self, site: Path):
        handler = functools.partial(_QuietHandler, directory=str(site))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


_PROVOKE = """() => {
  for (const el of document.querySelectorAll("*")) {
    for (const type of ["mouseover", "mouseenter", "focus", "click"]) {
      if (type === "click" && el.closest("a")) continue;  // a link would leave the page
      el.dispatchEvent(new Event(type, {bubbles: true}));
    }
    if (el.focus) el.focus();
  }
}"""


def _provoke(page) -> None:
    """What a reader does that could fire a handler: every element hovered, focused
    and (but links) clicked; the keyboard moved through the page."""
    page.evaluate(_PROVOKE)
    for _ in range(12):
        page.keyboard.press("Tab")


@pytest.mark.browser
def test_nothing_runs_in_a_browser(hostile):
    from playwright.sync_api import sync_playwright

    root, _ = hostile
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: `make test` installs Debian's chromium")
    dialogs: list[str] = []
    ui = load_ui(load_config(root), Report())
    print_html = _print_html(root, ui)
    with _Site(root / "site") as site, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            for name, rel in PAGES.items():
                response = page.goto(f"{site.url}/{rel}")
                assert response.ok, name
                if name == "root":  # it leads on to the default language at once
                    page.wait_for_url(f"{site.url}/en/")
                _provoke(page)
                assert page.eval_on_selector_all(ACTIVE, "els => els.length") == 0, name
                handlers = page.evaluate(
                    "() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
                    ".filter(a => a.name.startsWith('on')).map(a => a.name))")
                assert handlers == [], name
            page.set_content(print_html)
            _provoke(page)
            assert page.eval_on_selector_all(ACTIVE, "els => els.length") == 0
            assert page.evaluate("() => document.body.innerText").count(_hostile_ui()["Analysis"]) == 1
        finally:
            browser.close()
    assert dialogs == []
    assert not [u for u in requests if "evil.example" in u or u.startswith("javascript:")]


@pytest.mark.pdf
def test_the_pdf_prints_the_page_label_as_typed(hostile, tmp_path):
    root, _ = hostile
    config = load_config(root)
    result = Renderer(config, pdf=True, ui=load_ui(config, Report())).article(f"content/analyses/{SLUG}.md", "tr",
                                                                               tmp_path)
    assert not [p for p in result.problems if p.severity == "error"], result.problems
    assert result.manifest is not None and result.manifest.pdf is not None
    pages = read_pdf(tmp_path / result.manifest.pdf)
    label = _hostile_ui()["Page %(page)s of %(pages)s"]
    for page in pages:
        assert page.footer == label % {"page": page.number, "pages": len(pages)}


@pytest.mark.pdf
@pytest.mark.parametrize(
    ("msgstr", "reason"),
    [("Sayfa %(x)s / %(pages)s", "drops %(page)s and adds %(x)s"),
     ("Sayfa %(page)s", "drops %(pages)s"),
     ("Sayfa %(pages)s / %(pages)s", "drops %(page)s"),
     ("Sayfa %(page)s / %(pages)s (%100)", "“%” starts no placeholder")],
)
def test_a_bad_page_label_names_the_ui_catalog_and_prints_english(tmp_path, msgstr, reason):
    """What the build does (``site.build``): the UI catalogs read and checked once,
    the reading given to the renderer; the problem is the UI catalog's, at its line."""
    root = copy_project(tmp_path / "project")
    catalog = read_catalog(root / UI_PO, UI_PO, "tr", "messages")
    catalog["Page %(page)s of %(pages)s"].string = msgstr
    (root / UI_PO).write_bytes(serialize(catalog))
    line = read_catalog(root / UI_PO, UI_PO, "tr", "messages")["Page %(page)s of %(pages)s"].lineno
    config = load_config(root)
    report = Report()
    ui = load_ui(config, report)
    assert [(p.path, p.line, p.severity, p.check) for p in report.problems] == [(UI_PO, line, "warning", "placeholders")]
    assert reason in report.problems[0].message
    result = Renderer(config, pdf=True, ui=ui).article(f"content/analyses/{SLUG}.md", "tr", tmp_path / "out")
    assert result.problems == ()
    assert result.manifest is not None and result.manifest.pdf is not None
    pages = read_pdf(tmp_path / "out" / result.manifest.pdf)
    assert [p.footer for p in pages] == [f"Page {p.number} of {len(pages)}" for p in pages]


SEARCH = "tr/search/index.html"


def test_the_search_page_keeps_its_texts_as_text(hostile):
    """The search page has a script and a form of its own; the texts its script
    shows are attribute values, exactly as the catalog has them (placeholders kept
    for the script to fill)."""
    root, _ = hostile
    ui = _hostile_ui()
    doc = BeautifulSoup((root / "site" / SEARCH).read_text(encoding="utf-8"), "html.parser")
    assert [(s.name, s.get("src")) for s in doc.select(ACTIVE)] == [("form", None), ("script", "../../static/search.js")]
    assert not [a for tag in doc.find_all(True) for a in tag.attrs if a.startswith("on")]
    form = doc.select_one("form[data-search]")
    for attribute, msgid in [("data-found", "Analyses found: %(count)s"), ("data-none", "No analysis matches “%(query)s”."),
                             ("data-searching", "Searching…"), ("data-more", "Show more results"),
                             ("data-failed", "Search could not be loaded. Please try again later.")]:
        assert form[attribute] == ui[msgid], attribute
    assert doc.h1.get_text() == ui["Search the analyses"]
    assert doc.select_one("button[type=submit]").get_text() == ui["Search"]
    assert doc.noscript.get_text(strip=True) == ui["Search needs JavaScript, which is turned off in this browser."]


@pytest.mark.browser
def test_nothing_runs_on_the_search_page(hostile):
    """Its script fills the catalog's texts and the reader's query in as text, even a
    query that a string replacement would expand (``$&``)."""
    from playwright.sync_api import sync_playwright

    root, _ = hostile
    ui = _hostile_ui()
    dialogs: list[str] = []
    with _Site(root / "site") as site, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(f"{site.url}/{SEARCH}")
            status = page.locator("#search-status")
            for query, expected in [("zzqq $& <i>", ui["No analysis matches “%(query)s”."] % {"query": "zzqq $& <i>"}),
                                    ("yaptırım", ui["Analyses found: %(count)s"] % {"count": 2})]:
                page.fill("#search-input", query)
                page.press("#search-input", "Enter")
                page.wait_for_function("s => document.getElementById('search-status').textContent === s",
                                       arg=expected, timeout=20_000)
            _provoke(page)
            assert status.inner_text() == ui["Analyses found: %(count)s"] % {"count": 2}
            assert page.locator(".search-result").count() == 2
            assert page.eval_on_selector_all(ACTIVE, "els => els.length") == 2  # the form and its script
            handlers = page.evaluate("() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
                                     ".filter(a => a.name.startsWith('on')).map(a => a.name))")
            assert handlers == []
        finally:
            browser.close()
    assert dialogs == []
