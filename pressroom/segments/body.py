"""Markdown body -> ``Body`` (tokens, translatable units, numbered notes);
``Body`` + translations -> translated token stream.

The source is parsed once with the toolkit's dialect (``dialect.MD``). Every inline
token of a translatable block (heading, paragraph, list item, blockquote paragraph,
table cell, footnote paragraph) is one ``Unit``, whose msgid is its inline Markdown
as written. A translation replaces the inline token's children (re-parsed with the
source's ``env``), never the Markdown text, so container syntax (``>``, list
markers, indentation) cannot be broken by a translator.

Footnotes are numbered by first reference in the source; translated references are
renumbered by label, so numbers and anchors never depend on the translation.

A **figure** is an image alone in a paragraph of the body's top level (not in a
list, quote, table or note): ``![alt](chart.png "caption")``. Its alt text and its
caption (the image's title) are units of their own, plain text; a paragraph that
follows it and is all emphasis (``*Image: …*``) is its credit line, a unit like any
paragraph (``Figure``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..errors import Report
from ..sources.documents import Document
from .dialect import MD, MD_ESCAPES, PLAIN_SHORTCUT
from .plain_prose import simple_calls

_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_CONTAINERS = {
    "heading_open": "heading",
    "th_open": "table cell",
    "td_open": "table cell",
    "list_item_open": "list item",
    "blockquote_open": "blockquote",
}


@dataclass(frozen=True)
class Unit:
    """One translatable piece of a body: one catalog entry."""

    index: int
    """Index of its inline token in ``Body.tokens``."""
    msgid: str
    kind: str
    """What it is, for translators: ``paragraph``, ``heading``, ``footnote 3``…"""
    line: int
    """1-based line in the source file."""
    alt_span: tuple[int, int] | None = None
    """For an image alone in its paragraph: the slice of the inline source holding
    the alt text, which is all the translator sees."""
    caption: bool = False
    """The unit is a figure's caption (its image's title), plain text."""


@dataclass(frozen=True)
class Figure:
    """An image alone in a top-level paragraph, shown as ``<figure>``."""

    index: int
    """Index of its paragraph's inline token in ``Body.tokens``."""
    line: int
    credit: int | None = None
    """Index of the inline token of its credit line (the next paragraph, all
    emphasis), or None."""


@dataclass
class Note:
    """A footnote definition."""

    label: str
    number: int
    """1-based, by first reference in the source; 0 if never referenced."""
    line: int
    start: int
    end: int
    """``Body.tokens[start:end]`` is the definition's content."""
    refs: int = 0


@dataclass
class Body:
    """A parsed Markdown body."""

    path: str
    tokens: list[Token]
    env: dict[str, Any]
    units: list[Unit]
    notes: dict[str, Note] = field(default_factory=dict)
    figures: dict[int, Figure] = field(default_factory=dict)
    """Index of a figure's inline token -> the figure."""

    @property
    def numbered_notes(self) -> list[Note]:
        return sorted((n for n in self.notes.values() if n.number), key=lambda n: n.number)

    @property
    def labels(self) -> set[str]:
        return set(self.notes)


def parse_body(doc: Document, report: Report, unit_kind: str | None = None) -> Body:
    """Parse ``doc.body``; footnote problems go to ``report``.

    ``unit_kind`` overrides the kind of plain paragraphs (``bio`` on author pages).
    """
    env: dict[str, Any] = {}
    tokens = MD.parse(doc.body, env)
    body = Body(doc.path, tokens, env, [])
    line0 = doc.body_line

    # Definitions: label -> token range; a second definition of a label is an error.
    stack: list[tuple[str, int]] = []
    for i, tok in enumerate(tokens):
        if tok.type == "footnote_reference_open":
            stack.append((tok.meta["label"], i))
        elif tok.type == "footnote_reference_close":
            label, start = stack.pop()
            line = line0 + tokens[start].map[0] if tokens[start].map else line0
            if label in body.notes:
                first = body.notes[label].line
                report.error(doc.path, line, f"duplicate footnote label [^{label}] (first defined on line {first})", "footnotes")
                continue
            body.notes[label] = Note(label, 0, line, start + 1, i)

    # Numbering by first reference, in parse order; references to nothing are errors.
    for tok in tokens:
        if tok.type != "inline":
            continue
        for child in tok.children or []:
            if child.type == "footnote_ref" and (note := body.notes.get(child.meta["label"])):
                if not note.number:
                    note.number = 1 + sum(1 for n in body.notes.values() if n.number)
                note.refs += 1
        for label, offset in undefined_refs(tok):
            line = line0 + tok.map[0] + tok.content.count("\n", 0, offset) if tok.map else line0
            report.error(doc.path, line, f"footnote reference [^{label}] has no definition", "footnotes")
    for note in body.notes.values():
        if not note.number:
            report.warning(doc.path, note.line, f"footnote [^{note.label}] is defined but never referenced", "footnotes")

    body.figures = _figures(tokens, line0)
    body.units = list(_units(body, line0, unit_kind))
    return body


def _figures(tokens: list[Token], line0: int) -> dict[int, Figure]:
    """The figures of a body: top-level paragraphs holding one image and nothing
    else, each with the credit paragraph right after it, if any."""
    found: dict[int, Figure] = {}
    for i, tok in enumerate(tokens):
        if tok.type != "inline" or tok.level != 1 or tokens[i - 1].type != "paragraph_open" or tokens[i - 1].level:
            continue
        if _lone_image(tok) is None or not tok.content.lstrip().startswith("!["):
            continue
        credit = i + 3
        after = tokens[credit] if credit < len(tokens) else None
        is_credit = (
            after is not None and after.type == "inline" and tokens[credit - 1].type == "paragraph_open"
            and not tokens[credit - 1].level and _all_emphasis(after)
        )
        found[i] = Figure(i, line0 + tok.map[0] if tok.map else line0, credit if is_credit else None)
    return found


def _visible(children: list[Token] | None) -> list[Token]:
    return [c for c in children or () if not (c.type in ("text", "softbreak") and not c.content.strip())]


def _lone_image(tok: Token) -> Token | None:
    """The image of an inline token that holds nothing else, or None."""
    children = _visible(tok.children)
    return children[0] if len(children) == 1 and children[0].type == "image" else None


def _all_emphasis(tok: Token) -> bool:
    """An inline token that is one emphasis from start to end (``*Image: …*``)."""
    children = _visible(tok.children)
    if len(children) < 2 or children[0].type != "em_open" or children[-1].type != "em_close":
        return False
    depth = 0
    for child in children[:-1]:
        depth += {"em_open": 1, "em_close": -1}.get(child.type, 0)
        if depth == 0:
            return False  # the first emphasis ends before the paragraph does
    return True


def image_of(tok: Token) -> Token | None:
    """The image of a figure's inline token (None if a translation made it something else)."""
    return _lone_image(tok)


def _units(body: Body, line0: int, unit_kind: str | None):
    credits = {f.credit for f in body.figures.values() if f.credit is not None}
    containers: list[str] = []
    note: Note | None = None
    note_paragraphs = 0
    for i, tok in enumerate(body.tokens):
        if tok.type == "footnote_reference_open":
            note, note_paragraphs = body.notes.get(tok.meta["label"]), 0
        elif tok.type == "footnote_reference_close":
            note = None
        elif tok.type in _CONTAINERS:
            containers.append(_CONTAINERS[tok.type])
        elif tok.type.replace("_close", "_open") in _CONTAINERS and tok.nesting == -1:
            containers.pop()
        elif tok.type == "inline":
            msgid, alt_span = _source_text(tok, body)
            line = line0 + tok.map[0] if tok.map else line0
            if i in body.figures:
                yield from _figure_units(i, tok, msgid, alt_span, line)
                continue
            if not any(ch.isalnum() for ch in msgid):
                continue
            if note is not None:
                note_paragraphs += 1
                name = f"footnote {note.number}" if note.number else f"footnote [^{note.label}] (unreferenced)"
                kind = name if note_paragraphs == 1 else f"{name}, paragraph {note_paragraphs}"
            elif alt_span:
                kind = "image alt"
            elif i in credits:
                kind = "image credit"
            elif containers:
                kind = containers[-1]
            else:
                kind = unit_kind or "paragraph"
            yield Unit(i, msgid, kind, line, alt_span)


def _figure_units(index: int, tok: Token, msgid: str, alt_span: tuple[int, int] | None, line: int):
    """A figure's alt text and caption, each a unit when it has words."""
    if alt_span and any(ch.isalnum() for ch in msgid):
        yield Unit(index, msgid, "image alt", line, alt_span)
    image = _lone_image(tok)
    title = str(image.attrs.get("title") or "") if image is not None else ""
    if any(ch.isalnum() for ch in title):
        yield Unit(index, " ".join(title.split()), "image caption", line, caption=True)


def _source_text(tok: Token, body: Body) -> tuple[str, tuple[int, int] | None]:
    """The msgid of an inline token: its Markdown with soft line breaks as spaces
    (re-wrapping a paragraph changes nothing for translators), or the alt text of an
    image that stands alone."""
    content = source_text(tok, body)
    children = [c for c in tok.children or [] if not (c.type == "text" and not c.content.strip())]
    if len(children) == 1 and children[0].type == "image" and content.startswith("!["):
        state = StateInline(content, MD, {}, [])
        end = parseLinkLabel(state, 1)
        if end > 2:
            return content[2:end], (2, end)
    return content, None


def source_text(tok: Token, body: Body) -> str:
    """The Markdown of an inline token of ``body`` on one line (``normalize``), or as
    written where that would change what it says: a line ending inside a code span
    or a link's destination is not a line break, and a space in its place can keep a
    space a code span would drop, or make a link of ``[a](<b\nc>)``."""
    text = normalize(tok.content)
    if "\n" in tok.content and _meaning(parse_inline(text, body).children or ()) != _meaning(tok.children or ()):
        return tok.content
    return text


def _meaning(tokens: list[Token]) -> list[tuple]:
    """What inline tokens show, whatever the line endings of their source: soft
    breaks and line endings as spaces, adjacent texts as one."""
    out: list[tuple] = []
    for t in tokens:
        if t.type in ("text", "softbreak"):
            text = " " if t.type == "softbreak" else t.content.replace("\n", " ")
            if out and out[-1][0] == "text":
                out[-1] = ("text", out[-1][1] + text)
            else:
                out.append(("text", text))
        else:
            attrs = tuple((name, str(value).replace("\n", " ")) for name, value in t.attrs.items())
            label = t.meta.get("label") if t.type == "footnote_ref" else None
            out.append((t.type, attrs, t.content.replace("\n", " "), label, tuple(_meaning(t.children or ()))))
    return out


def normalize(text: str) -> str:
    """Soft line breaks -> one space; hard breaks are kept as ``\\`` + newline."""
    if "\n" not in text:
        return text.strip()
    text = re.sub(r"(?: {2,}|\\)\n[ \t]*", "\\\\\n", text)
    parts = text.split("\\\n")
    return "\\\n".join(_SOFT_BREAK.sub(" ", p) for p in parts).strip()


def undefined_refs(tok: Token) -> list[tuple[str, int]]:
    """Calls ``[^label]`` of undefined notes, left as text in an inline token (an
    escaped or entity bracket is not a call), with the offset of each in
    ``tok.content``."""
    return [(label, max(tok.content.find(f"[^{label}]"), 0)) for label in tok.meta.get("undefined_calls", ())]


def parse_inline(text: str, body: Body, keep_escapes: bool = False) -> Token:
    """Parse ``text`` as the inline content of a block of ``body`` (a translation,
    say), as the dialect parses a paragraph's text: reference links and footnote
    labels of the source resolve. ``keep_escapes`` leaves escapes and entities as
    tokens of their own (``text_special``; see ``dialect.MD_ESCAPES``)."""
    env = {
        "references": body.env.get("references", {}),
        "footnotes": {"refs": {":" + label: -1 for label in body.notes}, "list": {}},
    }
    return (MD_ESCAPES if keep_escapes else MD).parseInline(text, env)[0]


def footnote_labels(text: str, body: Body) -> tuple[Counter[str], list[str]]:
    """Footnote references in an inline text: (defined labels with counts, undefined),
    as the parser finds them."""
    calls = simple_calls(text, body.env.get("references", ())) if PLAIN_SHORTCUT else None
    if calls is not None:  # the parser takes exactly these for calls: no parse needed
        found = [call.group(1) for call in calls]
        return Counter(x for x in found if x in body.notes), [x for x in found if x not in body.notes]
    tok = parse_inline(text, body)
    defined = Counter(c.meta["label"] for c in tok.children or () if c.type == "footnote_ref")
    return defined, [label for label, _ in undefined_refs(tok)]


def translate_tokens(body: Body, translations: Mapping[str, str]) -> tuple[list[Token], set[int]]:
    """The body's tokens with each unit's inline content replaced by its translation
    (or its normalized source text when it has none), footnote references numbered.

    Returns the tokens and the indexes of inline tokens that fell back to the source.
    """
    tokens = list(body.tokens)
    fallback: set[int] = set()
    for unit in body.units:
        if unit.caption:
            continue  # set on the image once its alt text is in place
        original = tokens[unit.index]
        text = translations.get(unit.msgid)
        if text is None:
            fallback.add(unit.index)
            text = unit.msgid
        if unit.alt_span:
            source = source_text(original, body)
            text = source[: unit.alt_span[0]] + text + source[unit.alt_span[1] :]
        if text == original.content:
            continue  # the source parse already made these children
        parsed = parse_inline(text, body)
        tokens[unit.index] = original.copy(content=text, children=parsed.children, meta=parsed.meta)
    for unit in body.units:
        if unit.caption:
            _caption(tokens, unit, translations.get(unit.msgid))
    seen: Counter[str] = Counter()
    for i, tok in enumerate(tokens):
        if tok.type != "inline" or not tok.children:
            continue
        children = None
        for j, child in enumerate(tok.children):
            if child.type == "footnote_ref":
                label = child.meta["label"]
                children = children or list(tok.children)
                children[j] = child.copy(meta={"label": label, "number": body.notes[label].number, "sub": seen[label]})
                seen[label] += 1
        if children:
            tokens[i] = tok.copy(children=children)
    return tokens, fallback


def _caption(tokens: list[Token], unit: Unit, text: str | None) -> None:
    """Put a figure's caption (``text``, or the source's when None) on its image as
    its title, plain text; ``meta["caption_fallback"]`` says it is the source's."""
    tok = tokens[unit.index]
    image = _lone_image(tok)
    if image is None:
        return
    meta = {**image.meta, "caption_fallback": text is None}
    new = image.copy(attrs={**image.attrs, "title": unit.msgid if text is None else text}, meta=meta)
    tokens[unit.index] = tok.copy(children=[new if c is image else c for c in tok.children or ()])


def parse_document_body(doc: Document, report: Report) -> Body:
    """A document's body; an author page's units are of the kind "bio"."""
    return parse_body(doc, report, unit_kind="bio" if doc.kind == "author" else None)
