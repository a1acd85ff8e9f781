"""Body + translations -> HTML fragments for the web page and for print.

Footnote markup is the toolkit's own, so that numbers and anchors are the same in
every language: call ``<a id="fnref-3" href="#fn-3">3</a>`` (the second call of a
note is ``fnref-3-2``), note ``<li id="fn-3">`` with one back-link per call.
Headings get ids by position (``section-2``), also language-independent.

The print fragment comes from the same translated tokens: each note's text stands
inline right after its first call, as ``<span class="footnote" id="fn-3">`` (CSS
``float: footnote`` puts it at the foot of the page), its paragraphs as
``<span class="fn-p">``; later calls only link to it.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import Markup, escape

from ..segments.body import Body, translate_tokens
from ..segments.dialect import MD


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
    print_html: str = ""
    """The body for the PDF edition: notes inline at their first call."""


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


def _render_print_footnote_ref(self, tokens: list[Token], idx: int, options, env) -> str:
    meta = tokens[idx].meta
    number, sub = meta["number"], meta["sub"]
    # print.css draws the separator of "1,2" before a call marked so (``_group_calls``)
    kind = "fn-call fn-after-call" if meta.get("after_call") else "fn-call"
    call = f'<a class="{kind}" href="#fn-{number}" id="{ref_id(number, sub)}">{number}</a>'
    if sub:
        return call
    # The note comes first: after the call, a line could break before the floated
    # note and leave it alone on an empty line, which crashes WeasyPrint 70's pager.
    return (
        f'<span class="footnote" id="fn-{number}" data-n="{number}">'
        f'<a class="fn-mark" href="#fnref-{number}">{number}</a> {env["notes"].get(number, "")}</span>{call}'
    )


def _span(name: str):
    """Render block tokens of a note as spans: a note lives inside a paragraph."""

    def rule(self, tokens: list[Token], idx: int, options, env) -> str:
        tok = tokens[idx]
        if tok.nesting == 1:
            return f'<span class="fn-{name}">'
        return "</span>" if tok.nesting == -1 else ""

    return rule


_RENDERER = RendererHTML()
_RENDERER.rules["footnote_ref"] = _render_footnote_ref.__get__(_RENDERER)
_PRINT = RendererHTML()
_PRINT.rules["footnote_ref"] = _render_print_footnote_ref.__get__(_PRINT)
_NOTE = RendererHTML()
_NOTE.rules["footnote_ref"] = _render_footnote_ref.__get__(_NOTE)
for _type, _name in [
    ("paragraph", "p"), ("bullet_list", "list"), ("ordered_list", "list"),
    ("list_item", "li"), ("blockquote", "quote"), ("heading", "p"),
]:
    _NOTE.rules[f"{_type}_open"] = _span(_name).__get__(_NOTE)
    _NOTE.rules[f"{_type}_close"] = _span(_name).__get__(_NOTE)


def render_body(
    body: Body,
    translations: Mapping[str, str],
    *,
    source_lang: str | None = None,
    annotate: Mapping[str, Mapping[str, str]] | None = None,
    print_: bool = True,
) -> RenderedBody:
    """Render ``body`` with ``translations`` (msgid -> msgstr).

    With ``source_lang`` set (a translated page), every block shown in the source
    language says so: ``lang`` attribute and class ``untranslated``.

    ``annotate`` (msgid -> attributes; off by default) adds attributes to the block
    of each unit, for the editor's preview (``data-entry``, classes appended).
    ``print_=False`` skips the print fragment (a build without PDFs).
    """
    tokens, fallback = translate_tokens(body, translations)
    if source_lang:
        for index in fallback:
            _mark_untranslated(tokens, index, source_lang)
    if annotate:
        for unit in body.units:
            if unit.msgid in annotate:
                _add_attrs(tokens, unit.index, annotate[unit.msgid])
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
    print_notes = {}
    for note in body.numbered_notes:
        content = tokens[note.start : note.end]
        inner = _RENDERER.render(content, MD.options, {})
        backrefs = [ref_id(note.number, k) for k in range(note.refs)]
        notes.append(RenderedNote(note.number, f"fn-{note.number}", inner, backrefs))
        if print_:
            print_notes[note.number] = _NOTE.render(content, MD.options, {}).strip()
    fallback_count = len(fallback) if source_lang else 0
    return RenderedBody(
        _RENDERER.render(main, MD.options, {}),
        notes,
        fallback_count,
        _PRINT.render(_print_tokens(main), MD.options, {"notes": print_notes}) if print_ else "",
    )


def _print_tokens(tokens: list[Token]) -> list[Token]:
    """Print-only attributes: ``data-bookmark`` (heading text without note calls, for
    the PDF outline) and ``data-calls`` (notes first called in a block, so that a
    layout correction can break the page before it); adjacent calls grouped
    (``_group_calls``)."""
    tokens = list(tokens)
    for i, tok in enumerate(tokens):
        if tok.type != "inline":
            continue
        grouped = _group_calls(tok.children or [])
        if grouped is not None:
            tokens[i] = tok = tok.copy(children=grouped)
        opener = _block_of(tokens, i)
        first_calls = [c.meta["number"] for c in tok.children or [] if c.type == "footnote_ref" and not c.meta["sub"]]
        attrs = dict(tokens[opener].attrs)
        if first_calls:
            attrs["data-calls"] = " ".join(map(str, first_calls))
        if tokens[opener].type == "heading_open":
            attrs["data-bookmark"] = "".join(
                c.content for c in tok.children or [] if c.type in ("text", "code_inline", "softbreak")
            ).strip()
        if attrs != tokens[opener].attrs:
            tokens[opener] = tokens[opener].copy(attrs=attrs)
    return tokens


_MARKUP = frozenset({"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close", "link_open", "link_close"})
"""Inline tokens that show no text of their own."""


def _is_space(tok: Token) -> bool:
    return tok.type == "softbreak" or (tok.type == "text" and not tok.content.strip())


def _group_calls(children: list[Token]) -> list[Token] | None:
    """Inline tokens with each call that follows another call with nothing but
    whitespace between marked ``meta["after_call"]`` (print.css puts a comma before
    it: "1,2"), and that whitespace dropped; None when no call follows another.

    The mark is made here, on the tokens, because CSS cannot tell: its sibling
    selectors skip the text between two elements, so a rule like
    ``.fn-call + .fn-call`` also matches calls with words between them."""
    out: list[Token] = []
    previous: int | None = None  # index in ``out`` of the last call, while nothing but space or markup followed it
    grouped = False
    for child in children:
        if child.type == "footnote_ref":
            if previous is not None:
                out[previous + 1 :] = [t for t in out[previous + 1 :] if not _is_space(t)]
                child = child.copy(meta={**child.meta, "after_call": True})
                grouped = True
            out.append(child)
            previous = len(out) - 1
            continue
        out.append(child)
        if not (child.type in _MARKUP or _is_space(child)):
            previous = None
    return out if grouped else None


def _block_of(tokens: list[Token], index: int) -> int:
    """Index of the visible block token that opens the inline token ``index``."""
    j = index - 1
    while j > 0 and (tokens[j].hidden or tokens[j].nesting != 1):
        j -= 1
    return j


def _mark_untranslated(tokens: list[Token], index: int, lang: str) -> None:
    """Put ``lang``/``class`` on the block that shows inline token ``index``."""
    j = _block_of(tokens, index)
    opener = tokens[j]
    attrs: dict[str, Any] = dict(opener.attrs)
    attrs["lang"] = lang
    attrs["class"] = (str(attrs.get("class", "")) + " untranslated").strip()
    tokens[j] = opener.copy(attrs=attrs)


def _add_attrs(tokens: list[Token], index: int, extra: Mapping[str, str]) -> None:
    """Put ``extra`` on the block that shows inline token ``index`` (classes appended)."""
    j = _block_of(tokens, index)
    attrs: dict[str, Any] = dict(tokens[j].attrs)
    for name, value in extra.items():
        attrs[name] = f"{attrs[name]} {value}" if name == "class" and attrs.get(name) else value
    tokens[j] = tokens[j].copy(attrs=attrs)


def _number_headings(tokens: list[Token]) -> None:
    count = 0
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            count += 1
            tokens[i] = tok.copy(attrs={**tok.attrs, "id": f"section-{count}"})


def css_string(text: str) -> Markup:
    """``text`` as a CSS string literal, safe inside a ``<style>`` element."""
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;!?-/()%" else f"\\{ord(ch):x} " for ch in str(text))
    return Markup(f'"{escaped}"')


_COUNTERS = re.compile(r"\{(page|pages)\}")


def css_counters(label: str) -> Markup:
    """A label holding ``{page}`` and ``{pages}`` (a translated "Page %(page)s of
    %(pages)s") as a CSS ``content`` value: its text as CSS strings (the text, not
    its HTML escaping), each marker as ``counter(page)`` / ``counter(pages)``, in the
    label's order (a language may name the total first)."""
    text = label.unescape() if isinstance(label, Markup) else str(label)
    parts = _COUNTERS.split(text)
    return Markup(" ".join(f"counter({part})" if k % 2 else css_string(part) for k, part in enumerate(parts)))


def make_environment(templates_dir) -> jinja2.Environment:
    """Jinja2 environment over templates/: autoescape, i18n, undefined names are errors."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # an environment lives for one build; the editor makes a new one when templates change
    )
    environment.filters["css_string"] = css_string
    environment.filters["css_counters"] = css_counters
    return environment


def install_translations(environment: jinja2.Environment, translations: gettext.NullTranslations) -> None:
    """``translations`` as the templates' ``_()``, through Jinja's public i18n API
    (``install_gettext_callables``, new style), every translation escaped.

    A catalog supplies text, never HTML: "<script>" or a quote in a msgstr is shown as
    typed, in text and in attributes alike. Jinja then formats the escaped string with
    ``%``, which escapes each value too, unless it is ``Markup`` (a link the template
    built)."""
    environment.install_gettext_callables(
        gettext=lambda message: escape(translations.gettext(message)),
        ngettext=lambda singular, plural, n: escape(translations.ngettext(singular, plural, n)),
        newstyle=True,
        pgettext=lambda context, message: escape(translations.pgettext(context, message)),
        npgettext=lambda context, singular, plural, n: escape(
            translations.npgettext(context, singular, plural, n)
        ),
    )
