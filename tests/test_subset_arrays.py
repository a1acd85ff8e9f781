"""WeasyPrint's font subsetting with one C array type (``pressroom.pdf.subset_arrays``):
the arrays hold the same glyph ids, no sized array type reaches cffi, the PDFs are the
same bytes, and on a WeasyPrint it was not audited for nothing is changed."""

from __future__ import annotations

import sys

import pytest
from conftest import ROOT
from printhtml import print_html

from pressroom.pdf import subset_arrays
from pressroom.pdf.render import render_pdf
from pressroom.site.jobs import PDF_VARIANT

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_article


def test_an_array_of_one_type_holds_the_same_ids():
    from weasyprint.text.ffi import ffi

    one = subset_arrays._OneArrayType(ffi)
    ids = [3, 5, 8, 13, 2100]
    sized, open_ = ffi.new(f"hb_codepoint_t[{len(ids)}]", ids), one.new(f"hb_codepoint_t[{len(ids)}]", ids)
    assert ffi.typeof(open_) is ffi.typeof("hb_codepoint_t[]")
    assert list(open_) == list(sized) == ids and ffi.sizeof(open_) == ffi.sizeof(sized)
    # other types, and a length that is not the initializer's, are WeasyPrint's as asked
    assert ffi.typeof(one.new("hb_tag_t[100]")) is ffi.typeof("hb_tag_t[100]")
    assert ffi.typeof(one.new("hb_codepoint_t[4]", [1])) is ffi.typeof("hb_codepoint_t[4]")
    assert one.NULL == ffi.NULL


class _Spy:
    """Records the C types WeasyPrint's font subsetting asks cffi for."""

    def __init__(self, ffi):
        self.ffi, self.types = ffi, []

    def new(self, cdecl, init=None):
        self.types.append(cdecl)
        return self.ffi.new(cdecl, init)

    def __getattr__(self, name):
        return getattr(self.ffi, name)


@pytest.mark.pdf
def test_the_same_pdf_with_one_array_type(tmp_path, monkeypatch):
    from weasyprint.pdf import fonts

    html_for, notes = print_html(make_article(7, words=600, notes=6), "content/analyses/arrays.md", tmp_path / "out")
    sheets = [(ROOT / "templates" / "print" / "print.css").as_uri()]

    def pdf() -> bytes:
        return render_pdf(html_for, (ROOT / "content").as_uri() + "/", [ROOT / "templates"], notes,
                          variant=PDF_VARIANT, source_date=0, stylesheets=sheets).data

    subset_arrays.restore()
    spy = _Spy(fonts.ffi)
    monkeypatch.setattr(fonts, "ffi", spy)
    monkeypatch.setattr(subset_arrays, "install", lambda: False)  # WeasyPrint's own arrays
    plain = pdf()
    assert any(t.startswith("hb_codepoint_t[") and t[-2].isdigit() for t in spy.types)
    monkeypatch.undo()
    spy = _Spy(fonts.ffi)
    monkeypatch.setattr(fonts, "ffi", spy)
    assert subset_arrays.install()
    spy.types.clear()
    assert pdf() == plain
    assert "hb_codepoint_t[]" in spy.types
    assert not [t for t in spy.types if t.startswith("hb_codepoint_t[") and t != "hb_codepoint_t[]"]
    subset_arrays.restore()
    assert fonts.ffi is spy
    monkeypatch.undo()


def test_another_weasyprint_is_left_as_it_is(monkeypatch):
    from weasyprint.pdf import fonts

    subset_arrays.restore()
    before = fonts.ffi
    monkeypatch.setattr(subset_arrays, "AUDITED_SHA256", "0" * 64)
    assert not subset_arrays.audited()
    assert not subset_arrays.install()
    assert fonts.ffi is before
    monkeypatch.undo()
    assert subset_arrays.install()
