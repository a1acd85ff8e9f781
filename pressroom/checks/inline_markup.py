"""Translation checks of what must survive as written: footnote references, links, markup.

Takes a ``Pair``; registers ``footnote-refs`` (the same footnote labels, as often),
``links`` (the same link targets and URLs) and ``markup`` (as many emphasis, strong,
code spans, links and images; code spans unchanged), each yielding messages.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from markdown_it.token import Token

from ..catalogs import footnote_mismatch
from .registry import Pair, register
from .text import _is_autolink, _plain, differences


@register("footnote-refs", "error")
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


@register("links", "error")
def links(pair: Pair) -> Iterator[str]:
    """link targets and URLs (links, autolinks, bare URLs, images) kept as in the source"""
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


def _constructs(tokens: list[Token]) -> Counter[str]:
    return Counter(
        _CONSTRUCTS[t.type] for t in tokens if t.type in _CONSTRUCTS and not _is_autolink(t)
    )


@register("markup", "error")
def markup(pair: Pair) -> Iterator[str]:
    """inline markup balanced and kept: as many emphasis, strong, code spans, links and images; code unchanged"""
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
