"""Translation checks of what must survive as written: footnote references, links, markup.

Takes a ``Pair``; registers ``footnote-refs`` (the same footnote labels, as often),
``links`` (the same link targets and URLs) and ``markup`` (as many emphasis, strong,
code spans, links and images; code spans unchanged), each yielding messages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from markdown_it.token import Token

from ..segments.body import Body
from ..translations import footnote_mismatch
from .registry import Pair, register
from .text import _brackets_are_calls, _is_autolink, _plain, differences


@register("footnote-refs", "error", silenceable=False)
def footnote_refs(pair: Pair) -> Iterator[str]:
    """footnote references: the same labels, each as often as in the source"""
    if not pair.ui and (problem := footnote_mismatch(pair.msgid, pair.msgstr, pair.body)):
        yield problem


def _hrefs(tokens: list[Token]) -> set[str]:
    found = set()
    for tok in tokens:
        if tok.type == "link_open":
            found.add(str(tok.attrGet("href")))
        elif tok.type == "image":
            found.add(str(tok.attrGet("src")))
    return found


def _spanning(text: str) -> bool:
    """Whether ``text`` has syntax whose effect can reach from one word into another:
    code spans, emphasis, strikethrough, escapes."""
    return "`" in text or "*" in text or "_" in text or "~" in text or "\\" in text


def _has_link_sign(word: str) -> bool:
    """Whether ``word`` holds what starts a link: a "<" (autolinks), a "://" (bare
    URLs), an "@" or a "www." (addresses without a scheme: ``dialect._Linkify.test``),
    or an "&" (a character reference, which may stand for one of them)."""
    return (
        "://" in word or "@" in word or "<" in word or "&" in word
        or (("w." in word or "W." in word) and "www." in word.lower())
    )


_NO_WORDS: frozenset[str] = frozenset()


def _link_words(text: str, body: Body) -> frozenset[str] | None:
    """The words of ``text`` that can hold a link, when its links are decided word by
    word; None when only a parse can tell.

    No link spans whitespace, and the links of a word do not depend on the words
    around it unless a "[" that is no footnote call's (links, images) or syntax that
    spans words comes into play. Without those, two texts with the same such words
    have the same link targets (``tests/test_checks.py`` compares this with the parse
    on every catalog and on thousands of mutated texts)."""
    if _spanning(text) or not _brackets_are_calls(text, body):
        return None
    if not _has_link_sign(text):
        return _NO_WORDS
    return frozenset(word for word in text.split() if _has_link_sign(word))


@register("links", "error")
def links(pair: Pair) -> Iterator[str]:
    """link targets and URLs (links, autolinks, bare URLs, images) kept as in the source"""
    words = _link_words(pair.msgid, pair.body)
    if words is not None and words == _link_words(pair.msgstr, pair.body):
        return  # the same words hold the same links: no parse needed
    source, target = _hrefs(pair.source), _hrefs(pair.target)
    if message := differences(source, target, "link targets must be kept as in the source"):
        yield message


_CONSTRUCTS = {
    "em_open": "emphasis *…*",
    "strong_open": "strong **…**",
    "s_open": "strikethrough ~~…~~",
    "code_inline": "code span `…`",
    "link_open": "link […](…)",
    "image": "image ![…](…)",
}
_DELIMITERS = ("*", "_", "`", "~~", "](")


def _may_mark(text: str, body: Body) -> bool:
    """Whether ``text`` can hold a construct of ``_CONSTRUCTS``: each starts with
    "*", "_", "~" or "`", or, for links and images, a "[" that is no footnote call's."""
    return "*" in text or "_" in text or "~" in text or "`" in text or not _brackets_are_calls(text, body)


def _constructs(tokens: list[Token]) -> Counter[str]:
    return Counter(
        _CONSTRUCTS[t.type] for t in tokens if t.type in _CONSTRUCTS and not _is_autolink(t)
    )


@register("markup", "error")
def markup(pair: Pair) -> Iterator[str]:
    """inline markup balanced and kept: as many emphasis, strong, code spans, links and images; code unchanged"""
    if not _may_mark(pair.msgid, pair.body) and not _may_mark(pair.msgstr, pair.body):
        return
    source, target = _constructs(pair.source), _constructs(pair.target)
    differences = [
        f"{name}: {source[name]} in the source, {target[name]} in the translation"
        for name in _CONSTRUCTS.values()
        if source[name] != target[name]
    ]
    if differences:
        src_text, tgt_text = _plain(pair.source), _plain(pair.target)
        stray = [d for d in _DELIMITERS if tgt_text.count(d) > src_text.count(d)]
        hint = f" (unbalanced markup: “{'”, “'.join(stray)}” left as text)" if stray else ""
        yield "; ".join(differences) + hint
        return
    src_code = Counter(t.content for t in pair.source if t.type == "code_inline")
    tgt_code = Counter(t.content for t in pair.target if t.type == "code_inline")
    if src_code != tgt_code:
        changed = ", ".join(f"`{c}`" for c in sorted((src_code - tgt_code).elements()))
        yield f"code span {changed} changed in the translation (code is kept as written)"
