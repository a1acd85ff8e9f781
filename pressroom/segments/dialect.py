"""The toolkit's one Markdown dialect: the markdown-it-py parser every stage uses
(``MD``; a translation is parsed with ``MD.parseInline``), and its links.

CommonMark with tables, strikethrough, footnotes and bare URLs as links; raw HTML
off. Links follow GitHub's policy: URLs with a scheme, ``www.`` hosts and e-mail
addresses become links, a bare ``example.com`` stays text, and a footnote call is
never taken into a URL.

A source and a translation go through the same chain of markdown-it's core rules
(``MD.parse`` and ``MD.parseInline``), so a text gives the same tokens whichever it
is. Plain prose takes a shortcut through that chain (``plain_prose``), only with
the library versions it was audited against.
"""

from __future__ import annotations

import functools
import re

from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.footnote import footnote_plugin

from . import plain_prose

UNDEFINED_REF = re.compile(r"\[\^((?:[^\]\s\[]|\[(?!\^))+)\]")
"""A footnote call as text: ``[^label]`` (markdown-it leaves calls of undefined notes so).
A label never holds "[^": in "[^a[^b]" the call is "[^b]", as markdown-it reads it, and
each attempt stops at the next "[^" (reading on to the end made "[^[^[^…" quadratic)."""


class _Linkify(LinkifyIt):
    """linkify-it with the dialect's policy, through its public methods only.

    - A footnote call never becomes part of a link: in ``https://example.org/r[^2].``
      the link ends before ``[^2]`` (brackets are legal in URLs, so linkify-it would
      take it, and the note would be lost). linkify-it reads the text between calls,
      so a URL before a call ends where it would end before a space.
    - Links without a scheme, as GitHub's Markdown makes them: hosts written with
      ``www.`` and e-mail addresses; a bare ``example.com`` stays text.
    """

    def pretest(self, text: str) -> bool:
        # markdown-it's core linkify rule asks this of a paragraph before it asks
        # ``test`` of each of its text tokens. linkify-it's own answer runs its host
        # pattern at every position (a clean build took 2.3 times the instructions); this one
        # is quick, and true wherever ``test`` can be: the rule runs before
        # ``text_join``, when each text token is a slice of the paragraph's source
        # (escapes and entities are tokens of their own).
        return "@" in text or "www." in text.lower()

    def test(self, text: str) -> bool:
        return ("@" in text or "www." in text.lower()) and super().test(text)

    def match(self, text: str):
        found = [m for m in self.match_any(text) if m.schema or m.text.lower().startswith("www.")]
        return found or None

    def match_at_start(self, text: str):
        call = UNDEFINED_REF.search(text)
        return super().match_at_start(text[: call.start()] if call else text)

    def match_any(self, text: str) -> list:
        """Everything linkify-it takes for a link between footnote calls, bare
        domains included (what machine translation must not touch, linked or not)."""
        found = []
        start = 0
        for end in [m.start() for m in UNDEFINED_REF.finditer(text)] + [len(text)]:
            for link in super().match(text[start:end]) or ():
                link.index += start
                link.last_index += start
                found.append(link)
            call = UNDEFINED_REF.match(text, end)
            start = call.end() if call else end
        return found


def _undefined_calls(state: StateCore) -> None:
    """List the calls of undefined notes, which the footnote rule leaves as text, in
    their inline token's ``meta["undefined_calls"]`` (labels, in order).

    Runs before markdown-it's ``text_join``, which makes an escaped or entity
    bracket (``\\[^1]``, ``&#91;^1]``) plain text too: after it, a call left as text
    and a bracket written not to be one look the same."""
    for token in state.tokens:
        if token.type == "inline":
            labels = [
                m.group(1)
                for child in token.children or ()
                if child.type == "text" and "[^" in child.content
                for m in UNDEFINED_REF.finditer(child.content)
            ]
            if labels:
                token.meta["undefined_calls"] = labels


class _Markdown(MarkdownIt):
    """``MarkdownIt`` with its link normalizers memoized: they are pure functions of
    the URL, slow (mdurl parses and percent-encodes it), and see the same URLs in
    every language of a document (8% of a clean build's instructions)."""

    @functools.lru_cache(maxsize=8192)  # noqa: B019 - a parser lives as long as its process
    def normalizeLink(self, url: str) -> str:
        return super().normalizeLink(url)

    @functools.lru_cache(maxsize=8192)  # noqa: B019
    def normalizeLinkText(self, link: str) -> str:
        return super().normalizeLinkText(link)


def make_parser(plain: bool | None = None) -> MarkdownIt:
    """The one Markdown dialect of the toolkit: CommonMark, tables, strikethrough,
    footnotes, bare URLs as links; raw HTML off (shown as text, never passed through).

    ``plain`` turns the plain-prose shortcut on or off; by default it is on when
    the installed libraries are the audited ones (``plain_prose.applies``)."""
    md = _Markdown("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    md.linkify = _Linkify()
    md.use(footnote_plugin, inline=False, move_to_end=False)
    md.core.ruler.before("text_join", "undefined_calls", _undefined_calls)
    if plain_prose.applies(md) if plain is None else plain:
        md.core.ruler.at("inline", plain_prose.core_inline)
    return md


MD = make_parser()
MD_ESCAPES = make_parser()
MD_ESCAPES.core.ruler.disable("text_join")
"""The dialect with backslash escapes and entities left as tokens of their own
(``text_special``, as markdown-it's inline rules make them), for code that maps
tokens back to their source text; ``MD`` joins them into the text around them."""
PLAIN_SHORTCUT = plain_prose.core_inline in MD.core.ruler.getRules("")
"""Is the plain-prose shortcut on (the installed libraries are the audited ones)?"""
