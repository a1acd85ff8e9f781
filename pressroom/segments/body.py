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

    body.units = list(_units(body, line0, unit_kind))
    return body


def _units(body: Body, line0: int, unit_kind: str | None):
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
            if not any(ch.isalnum() for ch in msgid):
                continue
            if note is not None:
                note_paragraphs += 1
                name = f"footnote {note.number}" if note.number else f"footnote [^{note.label}] (unreferenced)"
                kind = name if note_paragraphs == 1 else f"{name}, paragraph {note_paragraphs}"
            elif alt_span:
                kind = "image alt"
            elif containers:
                kind = containers[-1]
            else:
                kind = unit_kind or "paragraph"
            line = line0 + tok.map[0] if tok.map else line0
            yield Unit(i, msgid, kind, line, alt_span)


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


def parse_document_body(doc: Document, report: Report) -> Body:
    """A document's body; an author page's units are of the kind "bio"."""
    return parse_body(doc, report, unit_kind="bio" if doc.kind == "author" else None)
