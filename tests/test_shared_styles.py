"""Computed styles shared by the documents of a session (``pressroom.pdf.shared_styles``):
a PDF's bytes, warnings and problems do not depend on what its process rendered
before, on every case of ``fixtures/shared-styles.md``, on the project's analyses and
on generated ones; styles really shared, and dropped where a document's own values
(page size, warnings) are involved; the number of templates bounded; WeasyPrint left
as it is outside a toolkit render and on a WeasyPrint the wrapper was not audited for."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT
from markdown_it.utils import read_fixture_file
from printhtml import print_html

from pressroom.pdf import shared_styles
from pressroom.pdf.render import PrintSession, render_pdf
from pressroom.pdf.shared_styles import StyleTemplates
from pressroom.site.jobs import PDF_VARIANT

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_article

FIXTURES = ROOT / "tests" / "fixtures"
SHEETS = [(ROOT / "templates" / "print" / "print.css").as_uri()]
BASE = (ROOT / "content").as_uri() + "/"
HTML = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>{css}</style></head><body>{body}</body></html>'

CASES = [(f"shared-styles.md:{line + 1}", title, HTML.format(body=body, css=css))
         for line, title, body, css in read_fixture_file(FIXTURES / "shared-styles.md")]
"""(id, title, print HTML)."""


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> list[tuple[str, object, int]]:
    """(id, html_for, notes) of every fixture case, the seeds and two generated analyses."""
    out = tmp_path_factory.mktemp("printed")
    made = [(name, lambda policy, breaks, html=html: html, 0) for name, _, html in CASES]
    sources = [(f"seed-{p.stem}", p.read_text(encoding="utf-8")) for p in sorted((ROOT / "content/analyses").glob("*.md"))]
    sources += [(f"generated-{seed}", make_article(seed, words=900, notes=8)) for seed in (5, 6)]
    for name, markdown in sources:
        html_for, notes = print_html(markdown, "content/analyses/shared.md", out / name)
        made.append((name, html_for, notes))
    return made


def _render(document, session: PrintSession, share: bool):
    _, html_for, notes = document
    return render_pdf(html_for, BASE, [ROOT / "templates", ROOT / "content"], notes, variant=PDF_VARIANT,
                      source_date=0, stylesheets=SHEETS, session=session, share_styles=share)


def _same(result, alone, name: str) -> None:
    assert result.data == alone.data, f"{name}: other bytes after other documents"
    assert (result.warnings, result.problems, result.attempts, result.pages) == (
        alone.warnings, alone.problems, alone.attempts, alone.pages), name


@pytest.fixture(scope="module")
def alone(documents) -> dict[str, object]:
    """Each document rendered first in its process, nothing shared."""
    return {d[0]: _render(d, PrintSession(), share=False) for d in documents}


@pytest.mark.pdf
def test_a_pdf_does_not_depend_on_the_documents_before_it(documents, alone):
    session = PrintSession()
    for document in [*documents, *reversed(documents)]:
        _same(_render(document, session, share=True), alone[document[0]], document[0])
    assert session.starts == 1
    styles = session.styles
    assert styles.copied > styles.started, "most styles should come from a template"
    assert styles.dropped > 0, "the cases of page units and warnings drop their templates"


@pytest.mark.pdf
@pytest.mark.parametrize("title", ["units of the page (vw, vh, vmin)", "values that warn (invalid calc)"])
def test_styles_a_document_computes_its_own_way_are_not_shared(documents, alone, title):
    """A style that reads the page size or logs a warning is computed by each
    document: the second render warns as the first did."""
    name = next(name for name, t, _ in CASES if t == title)
    document = next(d for d in documents if d[0] == name)
    session = PrintSession()
    first = _render(document, session, share=True)
    assert session.styles.dropped > 0
    second = _render(document, session, share=True)
    _same(first, alone[name], name)
    _same(second, alone[name], name)
    if "warn" in title:
        assert second.warnings and any("Invalid math function" in w for w in second.warnings)


@pytest.mark.pdf
def test_templates_are_bounded(documents, alone):
    session = PrintSession()
    session.styles = StyleTemplates(limit=40)
    for document in documents:
        _same(_render(document, session, share=True), alone[document[0]], document[0])
        assert len(session.styles.kept) <= 40
    assert session.styles.started > 40


def _raw_pdf(document) -> bytes:
    """Plain WeasyPrint on a document's print HTML, no toolkit render around it."""
    from weasyprint import HTML as Document

    _, html_for, _ = document
    return Document(string=html_for("line", frozenset()), base_url=BASE).write_pdf(stylesheets=SHEETS)


@pytest.mark.pdf
def test_weasyprint_as_it_is_outside_a_toolkit_render(documents):
    """Installed, the wrapper changes nothing for WeasyPrint used directly, even after
    a toolkit render filled a session's templates."""
    from weasyprint.css import StyleFor

    shared_styles.restore()
    before = [_raw_pdf(d) for d in documents[:3]]
    assert shared_styles.install()
    assert StyleFor.set_computed_styles is shared_styles._set_computed_styles
    _render(documents[0], PrintSession(), share=True)
    assert [_raw_pdf(d) for d in documents[:3]] == before


@pytest.mark.pdf
def test_another_weasyprint_is_styled_as_it_is(monkeypatch, documents, alone):
    """On a WeasyPrint whose code differs from the audited one nothing is wrapped: the
    PDFs are WeasyPrint's own, the same bytes, only nothing is shared."""
    from weasyprint.css import StyleFor

    shared_styles.restore()
    try:
        monkeypatch.setitem(shared_styles.AUDITED_SHA256, "ComputedStyle.__missing__", "0" * 64)
        assert not shared_styles.audited()
        session = PrintSession()
        for document in documents[:4]:
            _same(_render(document, session, share=True), alone[document[0]], document[0])
        assert not shared_styles.install()
        assert StyleFor.set_computed_styles.__module__ == "weasyprint.css"
        assert session.styles.copied == session.styles.started == 0
    finally:
        monkeypatch.undo()
        shared_styles.restore()
