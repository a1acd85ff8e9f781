"""Markdown body -> ``Body`` (tokens, translatable units, numbered notes);
``Body`` + translations -> translated token stream.

The source is parsed once with markdown-it-py. Every inline token of a translatable
block (heading, paragraph, list item, blockquote paragraph, table cell, footnote
paragraph) is one ``Unit``, whose msgid is its inline Markdown as written. A
translation replaces the inline token's children (re-parsed with the source's
``env``), never the Markdown text, so container syntax (``>``, list markers,
indentation) cannot be broken by a translator.

Footnotes are numbered by first reference in the source; translated references are
renumbered by label, so numbers and anchors never depend on the translation.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from linkify_it import LinkifyIt
from linkify_it.ucre import SRC_ZCC
from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.linkify import linkify as core_linkify
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.linkify import SCHEME_RE
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from .content import Document
from .errors import Report

_UNDEFINED_REF = re.compile(r"\[\^([^\]\s]+)\]")
_CALL = r"\[\^([\w.-]+)\](?![(\[])"
"""A note call the plain-prose shortcut takes: a simple label, no "(" or "[" after."""
_NOTE_CALL = re.compile(_CALL)
_INLINE_SYNTAX = re.compile(r"[\n\\`~*_<&\[]")
"""What starts an inline rule of ``MD`` other than text and linkify, outside note calls."""
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_CONTAINERS = {
    "heading_open": "heading",
    "th_open": "table cell",
    "td_open": "table cell",
    "list_item_open": "list item",
    "blockquote_open": "blockquote",
}


class _Linkify(LinkifyIt):
    """linkify-it, except that a footnote call never becomes part of a URL: in
    ``https://example.org/report[^2].`` the link ends before ``[^2]`` (brackets are
    legal in URLs, so linkify-it would take it, and the note would be lost)."""

    def _trim(self, text: str, pos: int, length: int) -> int:
        call = _UNDEFINED_REF.search(text, pos, pos + length)
        if call is None:
            return length
        return len(text[pos : call.start()].rstrip(".,;:!?"))

    def _validate_http(self, text, pos):
        return self._trim(text, pos, super()._validate_http(text, pos))

    def _validate_double_slash(self, text, pos):
        return self._trim(text, pos, super()._validate_double_slash(text, pos))

    # Links without a scheme, as GitHub's Markdown makes them: hosts written with
    # "www." and e-mail addresses; a bare "example.com" stays text.
    def test(self, text: str) -> bool:
        return ("@" in text or "www." in text.lower()) and super().test(text)

    def match(self, text: str):
        found = [m for m in self.match_any(text) if m.schema or m.text.lower().startswith("www.")]
        return found or None

    def match_any(self, text: str) -> list:
        """Everything linkify-it takes for a link, bare domains included (what machine
        translation must not touch, linked or not)."""
        return super().match(text) or []


_PLAIN_URL = re.compile(r"https?://(?:[A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}(?:[/?#][A-Za-z0-9;/?:@&=+$,_.!~*'()#-]*)?")
"""A URL that both link normalizers return unchanged: an http(s) scheme in lower
case; a host of ASCII letters, digits and hyphens (no user, port or IPv6 brackets;
labels of at most 63 characters, which mdurl keeps whole); after it only characters
that mdurl's encoder leaves alone (no "%", so its decoder has nothing to decode).
Punycode labels ("xn--") and hosts over 255 characters are excluded in ``_is_plain_url``."""


def _is_plain_url(url: str) -> bool:
    if not _PLAIN_URL.fullmatch(url) or "xn--" in url.lower():
        return False
    return len(url.split("/", 3)[2].partition("?")[0].partition("#")[0]) <= 255


class _Markdown(MarkdownIt):
    """``MarkdownIt`` with its link normalizers memoized (they are pure, slow (URL
    parsing, punycode) and see the same URLs in every language of a document), and
    returning a plain URL (``_is_plain_url``) as it is without parsing it."""

    @functools.lru_cache(maxsize=8192)  # noqa: B019 - one parser per process, never freed
    def normalizeLink(self, url: str) -> str:
        return url if _is_plain_url(url) else super().normalizeLink(url)

    @functools.lru_cache(maxsize=8192)  # noqa: B019
    def normalizeLinkText(self, link: str) -> str:
        return link if _is_plain_url(link) else super().normalizeLinkText(link)


def make_parser() -> MarkdownIt:
    """The one Markdown dialect of the toolkit: CommonMark, tables, strikethrough,
    footnotes, bare URLs as links; raw HTML off (shown as text, never passed through)."""
    md = _Markdown("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    # The core pass only adds links without a scheme (see ``_Linkify.test``); it runs
    # per inline token, in ``link_bare``, only where there is such a link to find.
    md.core.ruler.disable("linkify")
    md.linkify = _Linkify()
    md.use(footnote_plugin, inline=False, move_to_end=False)
    md.core.ruler.at("inline", _core_inline)
    return md


def _core_inline(state: StateCore) -> None:
    """markdown-it's core "inline" rule, through ``inline_children``."""
    for token in state.tokens:
        if token.type == "inline":
            token.children = inline_children(token.content, state.env)


MD = make_parser()

_TOKEN_FIELDS = tuple(f.name for f in dataclasses.fields(Token))
_token_values = operator.attrgetter(*_TOKEN_FIELDS)
_FIELD_INDEX = {name: i for i, name in enumerate(_TOKEN_FIELDS)}


def copy_token(tok: Token, **changes: Any) -> Token:
    """``tok.copy(**changes)`` (a shallow copy), without ``dataclasses.replace``'s
    per-call introspection: pages copy tens of tokens each."""
    values = list(_token_values(tok))
    for name, value in changes.items():
        values[_FIELD_INDEX[name]] = value
    return Token(*values)


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
            msgid, alt_span = _source_text(tok)
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


def _source_text(tok: Token) -> tuple[str, tuple[int, int] | None]:
    """The msgid of an inline token: its Markdown with soft line breaks as spaces
    (re-wrapping a paragraph changes nothing for translators), or the alt text of an
    image that stands alone."""
    content = normalize(tok.content)
    children = [c for c in tok.children or [] if not (c.type == "text" and not c.content.strip())]
    if len(children) == 1 and children[0].type == "image" and content.startswith("!["):
        state = StateInline(content, MD, {}, [])
        end = parseLinkLabel(state, 1)
        if end > 2:
            return content[2:end], (2, end)
    return content, None


def normalize(text: str) -> str:
    """Soft line breaks -> one space; hard breaks are kept as ``\\`` + newline."""
    if "\n" not in text:
        return text.strip()
    text = re.sub(r"(?: {2,}|\\)\n[ \t]*", "\\\\\n", text)
    parts = text.split("\\\n")
    return "\\\n".join(_SOFT_BREAK.sub(" ", p) for p in parts).strip()


def undefined_refs(tok: Token) -> list[tuple[str, int]]:
    """``[^label]`` left as text in an inline token (no such definition), with the
    offset of each in ``tok.content``."""
    found = []
    for child in tok.children or []:
        if child.type == "text":
            for m in _UNDEFINED_REF.finditer(child.content):
                found.append((m.group(1), max(tok.content.find(m.group(0)), 0)))
    return found


def parse_inline(text: str, body: Body) -> Token:
    """Parse ``text`` as the inline content of a block of ``body``: reference links
    and footnote labels of the source resolve."""
    env = {
        "references": body.env.get("references", {}),
        "footnotes": {"refs": {":" + label: -1 for label in body.notes}, "list": {}},
    }
    return Token("inline", "", 0, content=text, children=inline_children(text, env))


def inline_children(text: str, env: dict[str, Any]) -> list[Token]:
    """The inline tokens of ``text``: markdown-it's inline parser (or, for plain prose,
    ``_plain_children``), then links without a scheme (``link_bare``)."""
    children = _plain_children(text, env)
    if children is None:
        children = MD.inline.parse(text, MD, env, [])
    tok = Token("inline", "", 0, content=text, children=children)
    link_bare(tok, env)
    return tok.children or []


def _plain_children(text: str, env: dict[str, Any]) -> list[Token] | None:
    """The tokens markdown-it's inline parser makes of ``text`` when it is plain prose
    with footnote calls and URLs, made without running its rules; None for anything
    else.

    Most paragraphs, citations and translations are such text, and the rule-by-rule
    scan costs more than everything else a page needs. Plain means: none of the
    characters that start another inline rule of ``MD`` (line break, escape, code,
    strikethrough, emphasis, link, image, autolink, entity: ``_INLINE_SYNTAX``),
    except ``[`` in a call ``[^label]`` of a defined note that no ``(`` or ``[``
    follows. Of that text the parser makes a ``footnote_ref`` per call (with the
    footnote plugin's ``id``/``subId`` bookkeeping in ``env``) and, between them,
    what ``_text_and_urls`` makes. ``tests/test_segments.py`` compares both on every
    fixture, the seeds, the catalogs and generated text.
    """
    labels: list[str] = []
    bounds = [0]  # text[bounds[2k]:bounds[2k + 1]] is the k-th piece between calls
    if "[" in text:
        notes = env.get("footnotes", {})
        refs = notes.get("refs")
        if not refs or any(key.startswith("^") for key in env.get("references", ())):
            return None
        for m in _NOTE_CALL.finditer(text):
            if ":" + m.group(1) not in refs:
                return None
            labels.append(m.group(1))
            bounds += [m.start(), m.end()]
    bounds.append(len(text))
    for k in range(0, len(bounds), 2):  # calls never overlap: any "[" between them starts something else
        if _INLINE_SYNTAX.search(text, bounds[k], bounds[k + 1]):
            return None
    children: list[Token] = []
    for k in range(0, len(bounds), 2):
        if k:
            label = labels[k // 2 - 1]
            note_id = refs[":" + label]
            if note_id < 0:
                note_id = refs[":" + label] = len(notes["list"])
                notes["list"][note_id] = {"label": label, "count": 0}
            entry = notes["list"][note_id]
            children.append(Token("footnote_ref", "", 0, meta={"id": note_id, "subId": entry["count"], "label": label}))
            entry["count"] += 1
        if not _text_and_urls(text, bounds[k], bounds[k + 1], children):
            return None
    return children


def _text_and_urls(text: str, start: int, end: int, out: list[Token]) -> bool:
    """Append the tokens of plain ``text[start:end]`` as markdown-it's text and
    linkify rules make them: runs of text, and a link for each URL that the linkify
    rule takes at a "://" (the scheme before it, the URL linkify-it finds from there).
    False if a URL would run past ``end`` (into a footnote call)."""
    pending = start
    at = text.find("://", start, end)
    while at >= 0:
        scheme = SCHEME_RE.search(text[pending:at])
        url = _url_at(_url_key(text, at - len(scheme.group(1)))) if scheme else None
        if url:  # the rule's rstrip("*") has nothing to strip: no "*" here
            href = MD.normalizeLink(url)
            if MD.validateLink(href):
                begin = at - len(scheme.group(1))
                if begin + len(url) > end:  # _Linkify stops URLs at calls; kept in case it changes
                    return False
                if begin > pending:
                    out.append(Token("text", "", 0, content=text[pending:begin]))
                out += [
                    Token("link_open", "a", 1, attrs={"href": href}, markup="linkify", info="auto"),
                    Token("text", "", 0, content=MD.normalizeLinkText(url), level=1),
                    Token("link_close", "a", -1, markup="linkify", info="auto"),
                ]
                pending = begin + len(url)
                at = text.find("://", pending, end)
                continue
        at = text.find("://", at + 1, end)
    if end > pending:
        out.append(Token("text", "", 0, content=text[pending:end]))
    return True


_SPACE = re.compile(SRC_ZCC)
"""What no part of a link can hold (linkify-it's Unicode spaces and controls)."""


def _url_key(text: str, start: int) -> str:
    """``text`` from ``start`` through the first space or control character after it.

    linkify-it's result for a link starting at ``start`` depends on this much of
    the text only: none of its patterns (scheme, user, host, port, path) takes a
    space or control character, and each of their lookaheads that could look past
    one fails or succeeds on that character itself (the space and control classes
    are among its alternatives wherever ``$`` is). So the same link in the three
    languages of an analysis is matched once."""
    space = _SPACE.search(text, start)
    return text[start : space.end()] if space else text[start:]


@functools.lru_cache(maxsize=8192)
def _url_at(key: str) -> str | None:
    """The URL linkify-it (``MD.linkify``) finds at the start of ``key``, if any."""
    link = MD.linkify.match_at_start(key)
    return link.url if link else None


def link_bare(tok: Token, env: dict[str, Any]) -> None:
    """Links without a scheme ("www.…", e-mail addresses) in an inline token's text
    outside links: markdown-it's core linkify rule, run on this one token when there
    is one to find."""
    depth = 0
    for child in tok.children or ():
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        elif not depth and child.type == "text" and MD.linkify.test(child.content):
            break
    else:
        return
    state = StateCore(tok.content, MD, env)
    state.tokens = [tok]
    core_linkify(state)


def footnote_labels(text: str, body: Body) -> tuple[Counter[str], list[str]]:
    """Footnote references in an inline text: (defined labels with counts, undefined)."""
    if "`" not in text and "\\" not in text and "](" not in text and "<" not in text:
        # nothing can hide a call from this pattern, so no parse is needed
        found = _UNDEFINED_REF.findall(text)
        return Counter(x for x in found if x in body.notes), [x for x in found if x not in body.notes]
    tok = parse_inline(text, body)
    defined = Counter(c.meta["label"] for c in tok.children if c.type == "footnote_ref")
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
            source = normalize(original.content)
            text = source[: unit.alt_span[0]] + text + source[unit.alt_span[1] :]
        if text == original.content:
            continue  # the source parse already made these children
        tokens[unit.index] = copy_token(original, content=text, children=parse_inline(text, body).children)
    seen: Counter[str] = Counter()
    for i, tok in enumerate(tokens):
        if tok.type != "inline" or not tok.children:
            continue
        children = None
        for j, child in enumerate(tok.children):
            if child.type == "footnote_ref":
                label = child.meta["label"]
                children = children or list(tok.children)
                children[j] = copy_token(child, meta={"label": label, "number": body.notes[label].number, "sub": seen[label]})
                seen[label] += 1
        if children:
            tokens[i] = copy_token(tok, children=children)
    return tokens, fallback
