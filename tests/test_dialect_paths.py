"""Every Markdown construct renders the same through the three paths of a page: the
web page in the source language, the translated page (each unit translated to itself,
and each inline text parsed again as a translation is) and the print HTML of the PDF.

The cases are CommonMark's 652 spec examples (``fixtures/commonmark-spec.md``) and the
toolkit's own render fixtures. The paths are compared with each other, not with
CommonMark's expected HTML: the dialect turns raw HTML off and adds footnotes, tables,
strikethrough and bare URLs. The PDF path is compared on its HTML for every case here;
``test_pdf_text_is_the_web_pages_text`` reads a sample back from a real PDF.
"""

from __future__ import annotations

import functools
import gettext
import re
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT, body_document
from markdown_it.renderer import RendererHTML
from markdown_it.utils import read_fixture_file

from pressroom.config import load_config
from pressroom.errors import Report
from pressroom.html.fragments import RenderedBody, make_environment, render_body
from pressroom.html.pages import PageWriter, article_context, author_context
from pressroom.pdf.render import render_pdf
from pressroom.segments.body import Body, parse_body, parse_inline
from pressroom.segments.dialect import MD
from pressroom.sources.documents import parse_document

SPEC = read_fixture_file(FIXTURES / "commonmark-spec.md")
OWN = [case for name in ("render.md", "translate.md", "print.md") for case in read_fixture_file(FIXTURES / name)]


def _cases() -> list:
    cases = [pytest.param(md, id=f"commonmark-spec.md:{line + 1} {title.split(':')[0]}") for line, title, md, _ in SPEC]
    return cases + [pytest.param(md.partition("=== translations\n")[0], id=f"{title[:40]} ({line + 1})")
                    for line, title, md, *_ in OWN]


def _body(markdown: str) -> Body:
    report = Report()
    body = parse_body(body_document(markdown), report)
    assert not report.failed, report.problems
    return body


def _pages(body: Body) -> tuple[RenderedBody, RenderedBody]:
    web = render_body(body, {})
    translated = render_body(body, {u.msgid: u.msgid for u in body.units}, source_lang="en")
    return web, translated


def _comparable(token) -> dict:
    """A token as a dict, without the note ids a document numbers in its own order."""
    found = token.as_dict()
    if token.type == "footnote_ref":
        found["meta"] = {"label": token.meta["label"]}
    found["children"] = [_comparable(child) for child in token.children or ()] or None
    return found


@pytest.mark.parametrize(("line", "title", "markdown"), [pytest.param(*case[:3], id=f"{case[1].split(':')[0]}") for case in SPEC])
def test_web_page_is_markdown_its_rendering(line, title, markdown):
    """The web page in the source language is what markdown-it renders of the
    source's parse, but for heading ids, soft line breaks (the page shows each
    paragraph's text as its catalog entry has it: one line) and figures (an image
    alone in a top-level paragraph, its title the figcaption: read back here as the
    paragraph markdown-it makes of it)."""
    body = _body(markdown)
    page = re.sub(r' id="section-\d+"', "", render_body(body, {}).html)
    assert bool(_FIGURE.search(page)) == bool(body.figures)
    page = _FIGURE.sub(_as_paragraph, page)
    assert _squash(page) == _squash(RendererHTML().render(body.tokens, MD.options, {}))


_FIGURE = re.compile(r'<figure>(<img [^>]*?) />\s*(?:<figcaption><span class="caption">(.*?)</span></figcaption>\s*)?</figure>')


def _as_paragraph(figure: re.Match) -> str:
    title = f' title="{figure.group(2)}"' if figure.group(2) else ""
    return f"<p>{figure.group(1)}{title} /></p>"


@pytest.mark.parametrize("markdown", _cases())
def test_translated_page_is_the_web_page(markdown):
    """Each unit translated to itself gives the source's page, nothing marked."""
    web, translated = _pages(_body(markdown))
    assert translated.html == web.html
    assert [(n.html, n.backrefs) for n in translated.notes] == [(n.html, n.backrefs) for n in web.notes]
    assert translated.fallback == 0 and translated.print_html == web.print_html


@pytest.mark.parametrize("markdown", _cases())
def test_a_translation_is_parsed_as_the_source(markdown):
    """Every inline text of the source, parsed again as a translation is, gives the
    tokens the source's parse gave (the same core rules, text_join included)."""
    body = _body(markdown)
    for tok in body.tokens:
        if tok.type == "inline":
            again = parse_inline(tok.content, body)
            assert [_comparable(c) for c in again.children] == [_comparable(c) for c in tok.children], tok.content


def _print_as_web(print_html: str) -> tuple[str, dict[str, str]]:
    """The print fragment with the web page's note markup: each note taken out
    (returned by id, as its text) and each call made the web page's ``<sup>``."""
    soup = BeautifulSoup(print_html, "html.parser")
    notes = {}
    for note in soup.select("span.footnote"):
        note.select_one("a.fn-mark").decompose()
        notes[note["id"]] = _squash(note.get_text(" "))
        note.decompose()
    for call in soup.select("a.fn-call"):
        sup = soup.new_tag("sup", attrs={"class": "footnote-ref"})
        call.replace_with(sup)
        sup.append(soup.new_tag("a", attrs={"href": call["href"], "id": call["id"], "role": "doc-noteref"}))
        sup.a.string = call.get_text()
    for tag in soup.find_all(True):
        for name in ("data-calls", "data-bookmark"):
            tag.attrs.pop(name, None)
    return _calls_together(str(soup)), notes


def _calls_together(html: str) -> str:
    """Whitespace between two calls dropped, as print does (it prints them "1,2")."""
    return re.sub(r"(</sup>(?:</?(?:em|strong|s|a)\b[^>]*>)*)\s+(?=(?:</?(?:em|strong|s|a)\b[^>]*>)*<sup)", r"\1", html)


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("markdown", _cases())
def test_print_html_is_the_web_page(markdown):
    """The PDF's HTML is the web page's, but for the notes' markup (placed at their
    first call) and the print-only attributes."""
    web, _ = _pages(_body(markdown))
    printed, notes = _print_as_web(web.print_html)
    assert printed == _calls_together(str(BeautifulSoup(web.html, "html.parser")))
    assert notes == {n.id: _squash(BeautifulSoup(n.html, "html.parser").get_text(" ")) for n in web.notes}


def test_entities_and_escapes_in_a_translation():
    """The issue's examples: a msgstr with entities and escapes prints them as the
    source would, never ``< />`` (markdown-it's ``text_special`` tokens)."""
    body = _body("Source.[^1]\n\n[^1]: Note.\n")
    msgstr = r"AT&amp;T, 5 \* 3, a&nbsp;b, &copy; \[x\].[^1]"
    page = render_body(body, {"Source.[^1]": msgstr}, source_lang="en")
    expected = "<p>AT&amp;T, 5 * 3, a\u00a0b, \u00a9 [x]."
    assert page.html.startswith(expected) and page.print_html.startswith(expected.replace("<p>", '<p data-calls="1">'))
    assert "< />" not in page.html + page.print_html


# -- the PDF, read back ------------------------------------------------------------------

PDF_SECTIONS = {
    "Backslash escapes", "Entity and numeric character references", "Code spans", "Emphasis and strong emphasis",
    "Links", "Autolinks", "Raw HTML", "Hard line breaks", "Soft line breaks", "Textual content", "Paragraphs",
    "ATX headings", "Setext headings", "Block quotes", "Fenced code blocks", "Thematic breaks",
}
"""Sections whose text a PDF shows as the page does (lists add markers, images show no
text; an example with a list is left out of the others too)."""


def _pdf_sample() -> list[tuple[str, str]]:
    """(title, Markdown) of the examples of escapes and entities and every fourth of
    the other ``PDF_SECTIONS``, with text to show."""
    picked = []
    for section in sorted(PDF_SECTIONS):
        examples = [(title, md) for _, title, md, _ in SPEC if title.split(": ", 1)[1].startswith(section + " (")]
        every = 1 if section in ("Backslash escapes", "Entity and numeric character references") else 4
        for title, markdown in examples[::every]:
            page = BeautifulSoup(render_body(_body(markdown), {}).html, "html.parser")
            text = _squash(page.get_text())
            if page.find("li"):
                continue  # list markers are printed, not in the page's text
            # A character no font has (example 27: Malayalam, Kannada) prints as a box,
            # and pdfplumber then reads no text in that font on any page (pdfium does).
            if text and all(ord(ch) in _serif_cmap() for ch in text if not ch.isspace()):
                picked.append((title, markdown))
    return picked


@functools.cache
def _serif_cmap() -> frozenset[int]:
    """The characters of the print edition's text font."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(ROOT / "templates/print/fonts/NotoSerif-Regular.ttf").getBestCmap())


def _pdf_text(text: str) -> str:
    """Text as compared: NFKC (ligatures), no line-end hyphens, no whitespace."""
    text = unicodedata.normalize("NFKC", text.replace("\u00ad", ""))
    text = re.sub("\u2010\n", "", text)
    return "".join(text.split())


def _pdf_pages(bodies: list[RenderedBody], tmp_path: Path) -> list[str]:
    """The text of each page of a PDF edition (the print template and its CSS,
    WeasyPrint) whose body is ``bodies``' print HTML, each from a new page."""
    import pdfplumber

    config = load_config(ROOT)
    report = Report()
    doc = parse_document("---\ntitle: CommonMark examples\ndate: 2024-01-01\nauthor: editors\nlang: en\n"
                         "summary: A sample.\n---\n\nText.\n", "content/analyses/spec.md", "analysis", config.languages, report)
    author = author_context(
        parse_document("---\nname: The Editors\nlang: en\n---\n\nBio.\n", "content/authors/editors.md", "author",
                       config.languages, report), "en", {}, None, True)
    assert not report.failed, report.problems
    print_html = "".join(f'<section class="example">{body.print_html}</section>' for body in bodies)
    article = article_context(config, doc, "en", {}, author, RenderedBody("", [], 0, print_html), True)
    writer = PageWriter(config, make_environment(config.templates_dir), tmp_path)
    extra = tmp_path / "extra.css"
    extra.write_text("section.example { break-before: page; }", encoding="utf-8")
    sheets = [(config.templates_dir / "print" / "print.css").as_uri(), extra.as_uri()]

    def html_for(policy, breaks):
        return writer.render("print.html", "en", gettext.NullTranslations(), article=article,
                             stylesheets=sheets, footnote_policy=policy, breaks=sorted(breaks))

    result = render_pdf(html_for, (ROOT / "content").as_uri() + "/", [ROOT / "templates", tmp_path], 0)
    (tmp_path / "sample.pdf").write_bytes(result.data)
    with pdfplumber.open(tmp_path / "sample.pdf") as pdf:
        return [_text_block(page) for page in pdf.pages]


def _text_block(page) -> str:
    """A page's text without its furniture: running header, page label, colophon
    (print.css sets them in Noto Sans, the text in Noto Serif)."""
    kept = page.filter(lambda obj: obj.get("object_type") != "char" or "Noto-Sans" not in obj["fontname"])
    return kept.extract_text() or ""


@pytest.mark.pdf
@pytest.mark.slow
def test_pdf_text_is_the_web_pages_text(tmp_path):
    """A sample of the examples, one per page of a real PDF (the print template, its
    CSS, WeasyPrint): each page's text, read back with pdfplumber, is the text of the
    example's web page; no ``< />`` anywhere."""
    sample = _pdf_sample()
    assert len(sample) > 40
    pages = _pdf_pages([render_body(_body(md), {}) for _, md in sample], tmp_path)
    assert len(pages) == len(sample) + 1  # the title page, then one page per example
    for (title, markdown), page in zip(sample, pages[1:], strict=True):
        web = BeautifulSoup(render_body(_body(markdown), {}).html, "html.parser").get_text()
        assert _pdf_text(page) == _pdf_text(web), (title, markdown)
    assert not any("< />" in page for page in pages)
