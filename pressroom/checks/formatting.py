"""Translation checks of the text's form: placeholders, HTML, edge whitespace, final punctuation.

Takes a ``Pair``; registers ``placeholders`` (printf and brace placeholders the same as
in the source; in a formatted string, no "%" that starts none), ``html`` (no HTML tag
or character reference in a UI string that its source lacks), ``whitespace`` (the same
leading and trailing whitespace) and ``punctuation`` (the source's sentence-final
punctuation kept), each yielding messages.
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


_CONVERSION = re.compile(r"%(?:\([^)]*\))?[-#0+ ]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?[diouxXeEfFgGcrsa%]")
"""A conversion as Python's ``%`` operator reads it (the templates' ``_()`` always formats)."""


def _stray_percent(text: str) -> int | None:
    """Offset of the first "%" of ``text`` that starts no conversion, or None."""
    at = text.find("%")
    while at >= 0:
        conversion = _CONVERSION.match(text, at)
        if conversion is None:
            return at
        at = text.find("%", conversion.end())
    return None


@register("placeholders", "error")
def placeholders(pair: Pair) -> Iterator[str]:
    """placeholders (%(name)s, %s, {name}) the same as in the source; in UI strings a percent sign is “%%”"""
    if "%" not in pair.msgid and "%" not in pair.msgstr and "{" not in pair.msgid and "{" not in pair.msgstr:
        return
    formatted = pair.ui or bool(pair.flags & {"python-format", "python-brace-format"})
    source, target = _placeholders(pair.msgid, formatted), _placeholders(pair.msgstr, formatted)
    if message := differences(source, target, "placeholders must match the source"):
        yield message
    if pair.ui and (at := _stray_percent(pair.msgstr)) is not None:
        context = pair.msgstr[max(at - 10, 0) : at + 4]
        yield f"“%” starts no placeholder in “{context}” (a UI string is formatted: a percent sign is “%%”)"


_HTML = re.compile(r"</?[A-Za-z][^<>]*>?|<!--|<[!?][A-Za-z]|&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")
"""What a browser would read as markup: a tag (closed or not), a comment, a declaration,
a character reference."""


@register("html", "error")
def html(pair: Pair) -> Iterator[str]:
    """UI strings are text: no HTML tag or character reference that the source lacks"""
    if not pair.ui or ("<" not in pair.msgstr and "&" not in pair.msgstr):
        return
    source = set(_HTML.findall(pair.msgid))
    added = list(dict.fromkeys(m for m in _HTML.findall(pair.msgstr) if m not in source))
    if added:
        shown = ", ".join(f"“{m}”" for m in added)
        yield f"translation adds HTML: {shown} (UI strings are text: it would be shown as typed)"


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
