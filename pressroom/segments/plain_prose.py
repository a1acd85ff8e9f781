"""Plain prose -> inline tokens, without markdown-it's rule-by-rule scan.

Most paragraphs, citations and translations are plain prose: text, footnote calls
and URLs. For such text ``core_inline`` makes the tokens that markdown-it's inline
parser would make, without running its rules; ``simple_calls`` finds a translation's
note calls without a parse. Together they save a sixth of a clean build's
instructions (docs/benchmarks.md); any other text goes to the parser.

It re-implements what rules of two libraries make of that text: markdown-it-py's
``text`` and ``linkify`` inline rules, and the footnote plugin's ``footnote_ref``
rule with its bookkeeping in ``env``. Those are the libraries' internals, so the
shortcut is used only with the versions it was audited against (``AUDITED``, pinned
exactly in pyproject.toml) and the dialect's inline rules: with anything else,
``applies`` is false and the dialect keeps markdown-it's own rule (the tests run
both and compare them on fixtures, the project's texts and generated text).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from importlib import metadata
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline.linkify import SCHEME_RE
from markdown_it.token import Token

AUDITED = {"markdown-it-py": "4.3.0", "mdit-py-plugins": "0.7.0"}
"""The library versions whose rules this module copies."""
AUDITED_RULES = (
    "text", "linkify", "newline", "escape", "backticks", "strikethrough", "emphasis", "link", "image",
    "footnote_ref", "autolink", "html_inline", "entity",
)
"""The dialect's inline rules, in order, when the copy was audited."""

_CALL = re.compile(r"\[\^([\w.-]+)\](?![(\[])")
"""A simple note call: a label of letters, digits, "_", "." and "-"; no "(" or "["
after it (which could make it a link's text)."""
_SYNTAX = re.compile(r"[\n~*_&\[]")
"""Characters that start an inline rule of the dialect other than text, linkify
and the note calls (besides "`", "\\" and "<", which ``simple_calls`` excludes)."""


def installed(names: Collection[str] = tuple(AUDITED)) -> dict[str, str | None]:
    """The installed version of each distribution (None if it is not installed)."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def applies(md: MarkdownIt, versions: Mapping[str, str | None] | None = None) -> bool:
    """Does the shortcut make exactly what ``md``'s own inline parser makes: the
    audited library versions (``versions``, by default the installed ones), the
    audited inline rules, raw HTML off?"""
    versions = installed() if versions is None else versions
    return (
        all(versions.get(name) == version for name, version in AUDITED.items())
        and tuple(md.inline.ruler.get_active_rules()) == AUDITED_RULES
        and not md.options["html"]
        and bool(md.options["linkify"])
    )


def core_inline(state: StateCore) -> None:
    """markdown-it's core "inline" rule, with the tokens of plain prose made here."""
    for token in state.tokens:
        if token.type == "inline":
            children = plain_children(token.content, state.env, state.md)
            if children is None:
                children = []
                state.md.inline.parse(token.content, state.md, state.env, children)
            token.children = children


def simple_calls(text: str, references: Collection[str]) -> list[re.Match[str]] | None:
    """The note calls ``[^label]`` of ``text`` when nothing but a simple call can
    start with "[" there: the inline parser then takes each call of a defined note
    for a call and leaves any other as text, whatever else the text holds.

    That is so when every "[" opens a simple call (``_CALL``), no link reference
    label (``references``, as in ``env``) starts with "^", and nothing can swallow
    a call: no code span, escape or autolink ("`", "\\", "<"); links without "<"
    stop at a call (``dialect._Linkify``). None when it is not so."""
    if "`" in text or "\\" in text or "<" in text:
        return None
    if "[" not in text:
        return []
    calls = list(_CALL.finditer(text))
    if len(calls) != text.count("[") or any(key.startswith("^") for key in references):
        return None
    return calls


def plain_children(text: str, env: dict[str, Any], md: MarkdownIt) -> list[Token] | None:
    """The tokens ``md``'s inline parser makes of ``text`` when it is plain prose
    with footnote calls and URLs, made without running its rules; None for
    anything else.

    Plain means: simple calls of defined notes (``simple_calls``), and between them
    none of the characters that start another inline rule (``_SYNTAX``). Of that
    text the parser makes a ``footnote_ref`` per call (with the footnote plugin's
    ``id``/``subId`` bookkeeping in ``env``) and, between calls, what
    ``_text_and_urls`` makes.
    """
    calls = simple_calls(text, env.get("references", ()))
    if calls is None:
        return None
    notes = env.get("footnotes", {})
    refs = notes.get("refs") or {}
    bounds = [0]  # text[bounds[2k]:bounds[2k + 1]] is the k-th piece between calls
    for call in calls:
        if ":" + call.group(1) not in refs:
            return None
        bounds += [call.start(), call.end()]
    bounds.append(len(text))
    for k in range(0, len(bounds), 2):
        if _SYNTAX.search(text, bounds[k], bounds[k + 1]):
            return None
    children: list[Token] = []
    for k in range(0, len(bounds), 2):
        if k:
            label = calls[k // 2 - 1].group(1)
            note_id = refs[":" + label]
            if note_id < 0:
                note_id = refs[":" + label] = len(notes["list"])
                notes["list"][note_id] = {"label": label, "count": 0}
            entry = notes["list"][note_id]
            children.append(Token("footnote_ref", "", 0, meta={"id": note_id, "subId": entry["count"], "label": label}))
            entry["count"] += 1
        if not _text_and_urls(md, text, bounds[k], bounds[k + 1], children):
            return None
    return children


def _text_and_urls(md: MarkdownIt, text: str, start: int, end: int, out: list[Token]) -> bool:
    """Append the tokens of plain ``text[start:end]`` as markdown-it's text and
    linkify rules make them: runs of text, and a link for each URL that the linkify
    rule takes at a "://" (the scheme before it, the URL linkify-it finds from there).
    False if a URL would run past ``end`` (into a footnote call)."""
    pending = start
    at = text.find("://", start, end)
    while at >= 0:
        scheme = SCHEME_RE.search(text[pending:at])
        link = md.linkify.match_at_start(text[at - len(scheme.group(1)) :]) if scheme else None
        if link:  # the rule's rstrip("*") has nothing to strip: no "*" here
            url = link.url
            href = md.normalizeLink(url)
            if md.validateLink(href):
                begin = at - len(scheme.group(1))
                if begin + len(url) > end:  # the dialect's links stop at calls; kept in case that changes
                    return False
                if begin > pending:
                    out.append(Token("text", "", 0, content=text[pending:begin]))
                out += [
                    Token("link_open", "a", 1, attrs={"href": href}, markup="linkify", info="auto"),
                    Token("text", "", 0, content=md.normalizeLinkText(url), level=1),
                    Token("link_close", "a", -1, markup="linkify", info="auto"),
                ]
                pending = begin + len(url)
                at = text.find("://", pending, end)
                continue
        at = text.find("://", at + 1, end)
    if end > pending:
        out.append(Token("text", "", 0, content=text[pending:end]))
    return True
