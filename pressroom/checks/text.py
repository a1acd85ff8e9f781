"""Inline Markdown -> what the checks compare: tokens, the text a reader sees, words.

Takes a text of an entry (inline Markdown) and the ``Body`` of its document (footnote
labels, link references); gives its inline tokens with images' alt text spliced in
(``_children``), its plain text (``_plain``), its words (``_words``), and a language's
English name for messages (``_language``). Shared by the modules of checks.
"""

from __future__ import annotations

import re
import unicodedata

from babel import Locale
from markdown_it.token import Token

from ..segments.body import Body, parse_inline


def _children(text: str, body: Body) -> list[Token]:
    """The inline tokens of ``text``, images' alt text spliced in after the image."""
    out: list[Token] = []
    for tok in parse_inline(text, body).children or []:
        out.append(tok)
        if tok.type == "image":
            out.extend(tok.children or [])
    return out


_CALL = re.compile(r"\[\^[^\[\]\s]+\](?!\()")
"""A footnote call ``[^label]`` that no link can take: no "(" after it (a "[" after
it opens a reference to ``^…`` or is counted on its own)."""


def _brackets_are_calls(text: str, body: Body) -> bool:
    """Whether every "[" of ``text`` opens a footnote call, so that none can start a
    link or an image (unless the source defines a reference named ``^…``, which a
    call could then also be: the checks' quick paths give way to a parse)."""
    if "[" not in text:
        return True
    if text.count("[") != len(_CALL.findall(text)):
        return False
    return not any(key.startswith("^") for key in body.env.get("references", ()))


def _is_autolink(tok: Token) -> bool:
    return tok.type == "link_open" and tok.markup in ("linkify", "autolink")


def _plain(tokens: list[Token], *, urls: bool = True, code: bool = True, ref: str = "") -> str:
    """The text a reader sees (markup dropped); bare URLs and code spans optionally left
    out, footnote calls replaced by ``ref``."""
    out: list[str] = []
    in_url = False
    for tok in tokens:
        if _is_autolink(tok):
            in_url = True
            out.append(" " if not urls else "")
        elif tok.type == "link_close":
            in_url = False
        elif tok.type in ("text", "text_special") and (urls or not in_url):
            out.append(tok.content)
        elif tok.type == "code_inline":
            out.append(tok.content if code else " ")
        elif tok.type == "footnote_ref":
            out.append(ref)
        elif tok.type == "softbreak":
            out.append(" ")
        elif tok.type == "hardbreak":
            out.append("\n")
    return unicodedata.normalize("NFC", "".join(out))


_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _language(lang: str) -> str:
    try:
        return Locale.parse(lang).english_name or lang
    except (ValueError, TypeError):
        return lang


def differences(source: set[str], target: set[str], what: str) -> str | None:
    """"translation drops X and adds Y (<what>)", or None when the sets are equal."""
    parts = []
    if source - target:
        parts.append("drops " + ", ".join(sorted(source - target)))
    if target - source:
        parts.append("adds " + ", ".join(sorted(target - source)))
    return f"translation {' and '.join(parts)} ({what})" if parts else None
