"""Body + translations -> HTML fragments for the web page and for print.

Footnote markup is the toolkit's own, so that numbers and anchors are the same in
every language: call ``<a id="fnref-3" href="#fn-3">3</a>`` (the second call of a
note is ``fnref-3-2``), note ``<li id="fn-3">`` with one back-link per call.
Headings get ids by position (``section-2``), also language-independent.

The print fragment comes from the same translated tokens: each note's text stands
inline right after its first call, as ``<span class="footnote" id="fn-3">`` (CSS
``float: footnote`` puts it at the foot of the page), its paragraphs as
``<span class="fn-p">``; later calls only link to it.

A figure (``segments.body.Figure``) is ``<figure>`` with its ``<img>`` and a
``<figcaption>`` holding the caption (text) and the credit line
(``<small class="credit">``). On the web an image names its copy in site/
(``sources.images``) with its ``width``, ``height``, ``loading="lazy"`` and
``decoding="async"``; in print it keeps the source's own path, which WeasyPrint
resolves from the source's folder.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import Markup, escape

from ..segments.body import Body, image_of, translate_tokens
from ..segments.dialect import MD
from ..sources.images import Images


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


def _image(web: bool):
    """An image: on the web its copy in site/ (``env["images"]``, ``env["root"]``)
    with its size and lazy loading; in print the source's path. A figure's image has
    no title (its caption is the figcaption); an alt text shown in the source
    language says so (``alt_lang``)."""

    def rule(self, tokens: list[Token], idx: int, options, env) -> str:
        tok = tokens[idx]
        src = str(tok.attrs.get("src") or "")
        found = env.get("images", {}).get(src)
        attrs: list[tuple[str, str | int]] = [("src", env.get("root", "") + found.site_file if found and web else src),
                                              ("alt", self.renderInlineAsText(tok.children or [], options, env))]
        if found is not None:
            attrs += [("width", found.width), ("height", found.height)]
            if web:
                attrs += [("loading", "lazy"), ("decoding", "async")]
        if tok.attrs.get("title") and not tok.meta.get("figure"):
            attrs.append(("title", str(tok.attrs["title"])))
        if tok.meta.get("alt_lang"):
            attrs += [("lang", tok.meta["alt_lang"]), ("class", "untranslated")]
        return "<img" + "".join(f' {name}="{escapeHtml(str(value))}"' for name, value in attrs) + " />"

    return rule


def _render_figure_caption(self, tokens: list[Token], idx: int, options, env) -> str:
    """After a figure's image: its caption, then its credit line or the figure's end."""
    meta = tokens[idx].meta
    caption = ""
    if meta["caption"]:
        marks = f' lang="{escapeHtml(meta["lang"])}" class="caption untranslated"' if meta["lang"] else ' class="caption"'
        caption = f"<span{marks}>{escapeHtml(meta['caption'])}</span>"
    if meta["credit"]:
        return f"\n<figcaption>{caption}"
    return f"\n<figcaption>{caption}</figcaption>\n</figure>\n" if caption else "\n</figure>\n"


def _render_figure_close(self, tokens: list[Token], idx: int, options, env) -> str:
    return "</small></figcaption>\n</figure>\n"


def _renderer(footnote_ref, web: bool) -> RendererHTML:
    renderer = RendererHTML()
    renderer.rules["footnote_ref"] = footnote_ref.__get__(renderer)
    renderer.rules["image"] = _image(web).__get__(renderer)
    renderer.rules["figure_caption"] = _render_figure_caption.__get__(renderer)
    renderer.rules["figure_close"] = _render_figure_close.__get__(renderer)
    return renderer


_RENDERER = _renderer(_render_footnote_ref, web=True)
_PRINT = _renderer(_render_print_footnote_ref, web=False)
_NOTE = _renderer(_render_footnote_ref, web=False)
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
    images: Images | None = None,
    root: str = "",
) -> RenderedBody:
    """Render ``body`` with ``translations`` (msgid -> msgstr).

    ``images`` are the body's image files (``sources.images``); on the web page they
    are named by their copies in site/, from the page's ``root`` (``../../../``).
    Without them an image keeps its source path and has no size.

    With ``source_lang`` set (a translated page), every block shown in the source
    language says so: ``lang`` attribute and class ``untranslated``.

    ``annotate`` (msgid -> attributes; off by default) adds attributes to the block
    of each unit, for the editor's preview (``data-entry``, classes appended).
    ``print_=False`` skips the print fragment (a build without PDFs).
    """
    tokens, fallback = translate_tokens(body, translations)
    captions = sum(1 for u in body.units if u.caption and u.msgid not in translations)
    if source_lang:
        for index in fallback:
            if index in body.figures:
                _mark_alt(tokens, index, source_lang)
            else:
                _mark_untranslated(tokens, index, source_lang)
    if annotate:
        for unit in body.units:
            if unit.msgid in annotate:
                _add_attrs(tokens, unit.index, annotate[unit.msgid])
    _number_headings(tokens)
    _make_figures(tokens, body, source_lang)
    env = {"images": images or {}, "root": root}
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
        inner = _RENDERER.render(content, MD.options, env)
        backrefs = [ref_id(note.number, k) for k in range(note.refs)]
        notes.append(RenderedNote(note.number, f"fn-{note.number}", inner, backrefs))
        if print_:
            print_notes[note.number] = _NOTE.render(content, MD.options, env).strip()
    fallback_count = len(fallback) + captions if source_lang else 0
    return RenderedBody(
        _RENDERER.render(main, MD.options, env),
        notes,
        fallback_count,
        _PRINT.render(_print_tokens(main), MD.options, {**env, "notes": print_notes}) if print_ else "",
    )


def _with_image(tok: Token, image: Token, **meta: Any) -> Token:
    """Inline token ``tok`` with its image's meta extended by ``meta``."""
    new = image.copy(meta={**image.meta, **meta})
    return tok.copy(children=[new if c is image else c for c in tok.children or ()])


def _mark_alt(tokens: list[Token], index: int, lang: str) -> None:
    """A figure whose alt text is shown in the source language ``lang``."""
    image = image_of(tokens[index])
    if image is not None:
        tokens[index] = _with_image(tokens[index], image, alt_lang=lang)


def _make_figures(tokens: list[Token], body: Body, source_lang: str | None) -> None:
    """Turn each figure's paragraph (and its credit's) into ``<figure>`` tokens, in
    place: the paragraph's opener becomes ``figure_open`` (its attributes kept), its
    closer the caption (``figure_caption``); the credit's opener becomes ``<small
    class="credit">``, its emphasis is dropped, its closer ends the figure. A figure
    whose translation holds no lone image any more stays a paragraph."""
    for index, figure in body.figures.items():
        image = image_of(tokens[index])
        if image is None:
            continue
        tokens[index] = _with_image(tokens[index], image, figure=True)
        tokens[index - 1] = tokens[index - 1].copy(type="figure_open", tag="figure")
        fallback = bool(source_lang and image.meta.get("caption_fallback"))
        meta = {"caption": str(image.attrs.get("title") or ""), "lang": source_lang if fallback else None,
                "credit": figure.credit is not None}
        tokens[index + 1] = Token("figure_caption", "figcaption", 0, meta=meta, block=True)
        if figure.credit is not None:
            at = figure.credit
            opener = tokens[at - 1]
            cls = " ".join(["credit", *str(opener.attrs.get("class") or "").split()])
            tokens[at - 1] = opener.copy(type="credit_open", tag="small", block=False,
                                         attrs={**opener.attrs, "class": cls})
            tokens[at] = _without_emphasis(tokens[at])
            tokens[at + 1] = Token("figure_close", "figure", -1, block=True)


def _without_emphasis(tok: Token) -> Token:
    """A credit line's inline token without the emphasis around all of it."""
    children = list(tok.children or ())
    visible = [k for k, c in enumerate(children) if not (c.type in ("text", "softbreak") and not c.content.strip())]
    if len(visible) >= 2 and children[visible[0]].type == "em_open" and children[visible[-1]].type == "em_close":
        depth = 0
        for child in children[visible[0]:visible[-1]]:
            depth += {"em_open": 1, "em_close": -1}.get(child.type, 0)
            if depth == 0:
                return tok  # not one emphasis around it all
        del children[visible[-1]]
        del children[visible[0]]
        return tok.copy(children=children)
    return tok


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
