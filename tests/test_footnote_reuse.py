"""Footnotes laid out once per place in their area (``pressroom.pdf.footnote_reuse``):
the same PDF bytes as WeasyPrint's own layout on every case of
``fixtures/footnote-layouts.md``, on the project's analyses and on generated analyses
in several layouts; layouts really reused where a page has several notes, nothing
reused where a note cannot be; WeasyPrint left as it is outside a toolkit render or
on a WeasyPrint the wrapper was not audited for."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT
from markdown_it.utils import read_fixture_file
from pdfcheck import footnote_problems, read_pdf
from printhtml import print_html

from pressroom.pdf import footnote_fix, footnote_reuse
from pressroom.pdf.render import render_pdf
from pressroom.site.jobs import PDF_VARIANT

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_article

FIXTURES = ROOT / "tests" / "fixtures"
FRONT = ("---\ntitle: Footnote layouts\ndate: 2024-05-01\nauthor: editors\nlang: en\n"
         "summary: Notes in many arrangements.\ntags: [policy]\n---\n\n")

CASES = [
    pytest.param(FRONT + markdown, css, "inline blocks" not in title, id=f"footnote-layouts.md:{line + 1}")
    for line, title, markdown, css in read_fixture_file(FIXTURES / "footnote-layouts.md")
] + [
    pytest.param(source.read_text(encoding="utf-8"), "", True, id=f"seed-{source.stem}")
    for source in sorted((ROOT / "content" / "analyses").glob("*.md"))
] + [
    pytest.param(make_article(seed, words=words, notes=notes), css, True, id=f"generated-{seed}-{notes}-notes")
    for seed, words, notes, css in (
        (1, 1050, 9, ""),
        (2, 1200, 10, "html { font-size: 12pt }"),
        (3, 1350, 11, ".title-block { margin-top: 61pt } html { font-size: 9.5pt }"),
        (4, 700, 16, ".title-block { margin-top: 27pt }"),
    )
]
"""(Markdown, extra print CSS, whether some note layout must be reused)."""


def _printer(markdown: str, css: str, tmp_path: Path):
    """``(html_for, render, notes)`` of one analysis: its print HTML by policy and
    breaks, and ``render(reuse_notes)`` -> its ``PdfResult`` as the build prints it."""
    html_for, notes = print_html(markdown, "content/analyses/layouts.md", tmp_path / "out")
    extra = tmp_path / "extra.css"
    extra.write_text(css, encoding="utf-8")
    sheets = [(ROOT / "templates" / "print" / "print.css").as_uri(), extra.as_uri()]

    def render(reuse_notes: bool):
        return render_pdf(html_for, (ROOT / "content").as_uri() + "/", [ROOT / "templates", tmp_path],
                          notes, variant=PDF_VARIANT, source_date=0, stylesheets=sheets,
                          reuse_notes=reuse_notes)

    return html_for, render, notes


@pytest.mark.pdf
@pytest.mark.parametrize(("markdown", "css", "reusable"), CASES)
def test_the_same_pdf_with_footnote_layouts_reused(markdown, css, reusable, tmp_path):
    _, render, notes = _printer(markdown, css, tmp_path)
    plain = render(reuse_notes=False)
    reused = render(reuse_notes=True)
    assert plain.notes_reused == 0
    assert reused.data == plain.data
    assert reused.attempts == plain.attempts and reused.problems == plain.problems == []
    if reusable:
        assert reused.notes_reused > 0, "no note was laid out twice at one place: the case does not exercise reuse"
    else:
        assert reused.notes_reused == 0
    out = tmp_path / "reused.pdf"
    out.write_bytes(reused.data)
    assert footnote_problems(read_pdf(out), notes) == []


def _raw_pdf(tmp_path: Path) -> bytes:
    """Plain WeasyPrint on a generated analysis' print HTML, no toolkit render around it."""
    from weasyprint import HTML

    html_for, _, _ = _printer(make_article(4, words=700, notes=16), "", tmp_path)
    return HTML(string=html_for("line", frozenset()), base_url=(ROOT / "content").as_uri() + "/").write_pdf(
        stylesheets=[(ROOT / "templates" / "print" / "print.css").as_uri()])


@pytest.mark.pdf
def test_weasyprint_as_it_is_outside_a_toolkit_render(tmp_path):
    """Installed, the wrapper changes nothing for WeasyPrint used directly (raw
    benchmarks, other documents of the process)."""
    footnote_fix.restore()
    try:
        footnote_reuse.restore()
        before = _raw_pdf(tmp_path)
        assert footnote_reuse.install()
        assert _raw_pdf(tmp_path) == before
    finally:
        footnote_fix.apply()


@pytest.mark.pdf
def test_another_weasyprint_is_laid_out_as_it_is(monkeypatch, tmp_path):
    """On a WeasyPrint whose code differs from the audited one nothing is wrapped: the
    PDFs are WeasyPrint's own, the same bytes, only nothing is reused."""
    _, render, _ = _printer(make_article(4, words=700, notes=16), "", tmp_path)
    expected = render(reuse_notes=True)
    assert expected.notes_reused > 0
    footnote_reuse.restore()
    try:
        monkeypatch.setitem(footnote_reuse.AUDITED_SHA256, "_in_flow_layout", "0" * 64)
        assert not footnote_reuse.audited()
        result = render(reuse_notes=True)
        assert not footnote_reuse.install()
        from weasyprint.layout import block

        assert block.block_level_layout.__module__ == "weasyprint.layout.block"
        assert result.notes_reused == 0
        assert result.data == expected.data
    finally:
        monkeypatch.undo()
        footnote_reuse.restore()
