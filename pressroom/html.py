"""Body + translations -> HTML fragments; page contexts + Jinja2 templates -> pages.

Footnote markup is the toolkit's own, so that numbers and anchors are the same in
every language: call ``<a id="fnref-3" href="#fn-3">3</a>`` (the second call of a
note is ``fnref-3-2``), note ``<li id="fn-3">`` with one back-link per call.
Headings get ids by position (``section-2``), also language-independent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from .segments import MD, Body, translate_tokens


@dataclass(frozen=True)
class RenderedNote:
    number: int
    id: str
    html: str
    backrefs: list[str]
    """Anchors of the note's calls, in order (one back-link each)."""


@dataclass(frozen=True)
class RenderedBody:
    html: str
    notes: list[RenderedNote]
    fallback: int
    """How many units are shown in the source language."""


def ref_id(number: int, sub: int) -> str:
    """Anchor of the ``sub``-th (0-based) call of note ``number``."""
    return f"fnref-{number}" if sub == 0 else f"fnref-{number}-{sub + 1}"


def _render_footnote_ref(self, tokens: list[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    number = meta["number"]
    return (
        f'<sup class="footnote-ref"><a href="#fn-{number}" id="{ref_id(number, meta["sub"])}" '
        f'role="doc-noteref">{number}</a></sup>'
    )


_RENDERER = RendererHTML()
_RENDERER.rules["footnote_ref"] = _render_footnote_ref.__get__(_RENDERER)


def render_body(
    body: Body, translations: Mapping[str, str], *, source_lang: str | None = None
) -> RenderedBody:
    """Render ``body`` with ``translations`` (msgid -> msgstr).

    With ``source_lang`` set (a translated page), every block shown in the source
    language says so: ``lang`` attribute and class ``untranslated``.
    """
    tokens, fallback = translate_tokens(body, translations)
    if source_lang:
        for index in fallback:
            _mark_untranslated(tokens, index, source_lang)
    _number_headings(tokens)
    main: list[Token] = []
    depth = 0
    for tok in tokens:
        if tok.type == "footnote_reference_open":
            depth += 1
        elif tok.type == "footnote_reference_close":
            depth -= 1
        elif depth == 0:
            main.append(tok)
    notes = []
    for note in body.numbered_notes:
        inner = _RENDERER.render(tokens[note.start : note.end], MD.options, {})
        backrefs = [ref_id(note.number, k) for k in range(note.refs)]
        notes.append(RenderedNote(note.number, f"fn-{note.number}", inner, backrefs))
    fallback_count = len(fallback) if source_lang else 0
    return RenderedBody(_RENDERER.render(main, MD.options, {}), notes, fallback_count)


def _mark_untranslated(tokens: list[Token], index: int, lang: str) -> None:
    """Put ``lang``/``class`` on the block that shows inline token ``index``."""
    j = index - 1
    while j > 0 and (tokens[j].hidden or tokens[j].nesting != 1):
        j -= 1
    opener = tokens[j]
    attrs: dict[str, Any] = dict(opener.attrs)
    attrs["lang"] = lang
    attrs["class"] = (str(attrs.get("class", "")) + " untranslated").strip()
    tokens[j] = opener.copy(attrs=attrs)


def _number_headings(tokens: list[Token]) -> None:
    count = 0
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            count += 1
            tokens[i] = tok.copy(attrs={**tok.attrs, "id": f"section-{count}"})


def make_environment(templates_dir) -> jinja2.Environment:
    """Jinja2 environment over templates/: autoescape, i18n, undefined names are errors."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
