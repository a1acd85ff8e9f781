"""Translation checks of the text's form: placeholders, edge whitespace, final punctuation.

Takes a ``Pair``; registers ``placeholders`` (printf and brace placeholders the same as
in the source), ``whitespace`` (the same leading and trailing whitespace) and
``punctuation`` (the source's sentence-final punctuation kept), each yielding messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .registry import Pair, register
from .text import _plain, differences

# Linear in the text's length: a name stops at "(" (one attempt per "%(" then reads only
# up to the next one, where "%(%(%(…" made every attempt read to the end), and the flags
# are possessive (a run of zeros, flags or width, was split every possible way).
_NAMED = re.compile(r"%\([^()\s]+\)[-#0+]*+\d*+(?:\.\d+)?[diouxXeEfFgGcrsa]")
_PRINTF = re.compile(
    r"%%|%(?:\([^()\s]+\))?[-#0+]*+(?:\d++|\*)?(?:\.(?:\d++|\*))?[diouxXeEfFgGcrsa]"
)
_BRACE_NAMED = re.compile(r"\{[A-Za-z_]\w*\}")
_BRACE = re.compile(r"\{\{|\}\}|\{(?:[A-Za-z_]\w*|\d+)?(?:\.\w+|\[\w+\])*(?:![rsa])?(?::[^{}]*)?\}")


def _placeholders(text: str, formatted: bool) -> set[str]:
    """Placeholders of ``text``: every printf and brace form in UI strings; in prose only
    the unambiguous ``%(name)s`` and ``{name}`` ("2% of" is no placeholder)."""
    patterns = (_PRINTF, _BRACE) if formatted else (_NAMED, _BRACE_NAMED)
    return {m for p in patterns for m in p.findall(text) if m not in ("%%", "{{", "}}")}


@register("placeholders", "error")
def placeholders(pair: Pair) -> Iterator[str]:
    """placeholders (%(name)s, %s, {name}) the same as in the source"""
    formatted = pair.ui or bool(pair.flags & {"python-format", "python-brace-format"})
    source, target = _placeholders(pair.msgid, formatted), _placeholders(pair.msgstr, formatted)
    if message := differences(source, target, "placeholders must match the source"):
        yield message


def _edges(text: str) -> tuple[str, str]:
    stripped = text.strip()
    if not stripped:
        return text, ""
    start = len(text) - len(text.lstrip())
    return text[:start], text[start + len(stripped) :]


@register("whitespace", "warning")
def whitespace(pair: Pair) -> Iterator[str]:
    """leading and trailing whitespace the same as in the source"""
    (src_lead, src_trail), (tgt_lead, tgt_trail) = _edges(pair.msgid), _edges(pair.msgstr)
    if src_lead != tgt_lead:
        yield f"leading whitespace {tgt_lead!r} differs from the source's {src_lead!r}"
    if src_trail != tgt_trail:
        yield f"trailing whitespace {tgt_trail!r} differs from the source's {src_trail!r}"


_CLOSERS = "\"'”’“»›)]}\u00a0\u202f \t\n"
_FINAL = dict(zip(".!?:…。！？：؟", ".!?:….!?:?", strict=True))


def _final(text: str) -> str | None:
    """The sentence-final punctuation of ``text`` (after closing quotes and note calls)."""
    stripped = text.rstrip(_CLOSERS)
    if stripped.endswith("..."):
        return "…"
    return _FINAL.get(stripped[-1:])


@register("punctuation", "warning")
def punctuation(pair: Pair) -> Iterator[str]:
    """final punctuation (. ! ? : …) kept; quotes, brackets and note calls may stand on either side"""
    wanted = _final(_plain(pair.source))
    if wanted is None:
        return
    got = _final(_plain(pair.target))
    if got != wanted:
        ending = f"ends with “{got}”" if got else "has no final punctuation"
        yield f"the source ends with “{wanted}” but the translation {ending}"
