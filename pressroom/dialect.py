"""The toolkit's one Markdown dialect: the markdown-it-py parser every stage uses
(``MD``), its inline pass with a shortcut for plain prose, and its links.

CommonMark with tables, strikethrough, footnotes and bare URLs as links; raw HTML
off. Links follow GitHub's policy: URLs with a scheme, ``www.`` hosts and e-mail
addresses become links, a bare ``example.com`` stays text, and a footnote call is
never taken into a URL. Every shortcut here answers exactly as the library it
stands in for (``tests/test_segments.py`` compares them).
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import re
from typing import Any

from linkify_it import LinkifyIt
from linkify_it.ucre import SRC_ZCC
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_core.linkify import linkify as core_linkify
from markdown_it.rules_inline.linkify import SCHEME_RE
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

UNDEFINED_REF = re.compile(r"\[\^((?:[^\]\s\[]|\[(?!\^))+)\]")
"""A footnote call as text: ``[^label]`` (markdown-it leaves calls of undefined notes so).
A label never holds "[^": in "[^a[^b]" the call is "[^b]", as markdown-it reads it, and
each attempt stops at the next "[^" (reading on to the end made "[^[^[^…" quadratic)."""
_CALL = r"\[\^([\w.-]+)\](?![(\[])"
"""A note call the plain-prose shortcut takes: a simple label, no "(" or "[" after."""
_NOTE_CALL = re.compile(_CALL)
_INLINE_SYNTAX = re.compile(r"[\n\\`~*_<&\[]")
"""What starts an inline rule of ``MD`` other than text and linkify, outside note calls."""


def _syntax_outside_calls(text: str) -> bool:
    """Does ``text`` hold a character of ``_INLINE_SYNTAX`` other than "[" and "_"
    (those a call ``[^label]`` can hold)? Seven substring tests, several times as
    fast as the regex on prose."""
    return ("\n" in text or "\\" in text or "`" in text or "~" in text or "*" in text
            or "<" in text or "&" in text)


class _Linkify(LinkifyIt):
    """linkify-it, except that a footnote call never becomes part of a URL: in
    ``https://example.org/report[^2].`` the link ends before ``[^2]`` (brackets are
    legal in URLs, so linkify-it would take it, and the note would be lost)."""

    def _trim(self, text: str, pos: int, length: int) -> int:
        call = UNDEFINED_REF.search(text, pos, pos + length)
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
    # Quick answer for most text: none of the characters anywhere, and every "[" a
    # call's. Else the pieces between calls (which never overlap) are searched.
    if "_" in text or text.count("[") != len(labels) or _syntax_outside_calls(text):
        for k in range(0, len(bounds), 2):
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
