"""Segmentation and rendering, driven by fixture files (one case per block)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, body_document
from markdown_it.utils import read_fixture_file

from pressroom.errors import Report
from pressroom.html.fragments import render_body
from pressroom.segments.body import parse_body


def _cases(name: str):
    return [
        pytest.param(*case[1:], id=f"{name}:{case[0] + 1}")
        for case in read_fixture_file(FIXTURES / name)
    ]


@pytest.mark.parametrize(("title", "markdown", "expected"), _cases("segments.md"))
def test_segments(title, markdown, expected):
    body = parse_body(body_document(markdown), Report())
    got = "".join(f"{u.line}: {u.kind}: {u.msgid}\n" for u in body.units)
    assert got == expected


def _serialize(rendered) -> str:
    out = rendered.html
    for note in rendered.notes:
        out += f"[{note.id} {' '.join(note.backrefs)}]\n{note.html}"
    return out


@pytest.mark.parametrize(("title", "markdown", "expected"), _cases("render.md"))
def test_render_source(title, markdown, expected):
    body = parse_body(body_document(markdown), Report())
    assert _serialize(render_body(body, {})) == expected


@pytest.mark.parametrize(("title", "markdown", "expected"), _cases("print.md"))
def test_render_print(title, markdown, expected):
    body = parse_body(body_document(markdown), Report())
    assert render_body(body, {}).print_html == expected


@pytest.mark.parametrize(("title", "case", "expected"), _cases("translate.md"))
def test_render_translation(title, case, expected):
    markdown, _, table = case.partition("=== translations\n")
    translations = dict(line.split(" => ", 1) for line in table.splitlines() if line)
    body = parse_body(body_document(markdown), Report())
    assert {u.msgid for u in body.units} >= set(translations), "fixture translates a text that is no entry"
    assert _serialize(render_body(body, translations, source_lang="en")) == expected


@pytest.mark.parametrize(("title", "markdown", "expected"), _cases("render.md"))
def test_identity_translation_renders_the_source(title, markdown, expected):
    """Every msgstr = msgid gives exactly the source's HTML, with nothing marked."""
    body = parse_body(body_document(markdown), Report())
    identity = {u.msgid: u.msgid for u in body.units}
    assert _serialize(render_body(body, identity, source_lang="en")) == expected


def test_footnote_problems_are_reported_with_lines():
    markdown = "Text.[^1] Missing.[^9]\n\n[^1]: One.\n\n[^1]: Again.\n\n[^2]: Unused.\n"
    report = Report()
    parse_body(body_document(markdown), report)
    assert [str(p) for p in sorted(report.problems, key=lambda p: p.sort_key())] == [
        "case.md:1: error: footnote reference [^9] has no definition [footnotes]",
        "case.md:5: error: duplicate footnote label [^1] (first defined on line 3) [footnotes]",
        "case.md:7: warning: footnote [^2] is defined but never referenced [footnotes]",
    ]


def test_problems_without_a_line_sort_with_the_others():
    report = Report()
    report.error("a.po", 12, "late")
    report.error("a.po", None, "whole file")
    report.warning("a.po", 3, "early")
    assert [p.message for p in sorted(report.problems, key=type(report.problems[0]).sort_key)] == [
        "whole file", "early", "late"]
    report.print()  # no TypeError between None and a number
