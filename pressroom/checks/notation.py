"""Translation check of numbers: the source's numbers in the target language's notation.

Takes a ``Pair``; registers ``numbers``, which reads the numbers, years and percentages
of both texts, each in its language's notation (Babel's decimal and group symbols), and
yields a message for those of the source missing from the translation, or left there in
the source's notation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from .registry import Pair, register
from .text import _language, _plain

# Numbers: a numeric token is digit groups joined by "." "," or a space-like character,
# read in the notation of its text's language (Babel's symbols: "2.1" in English is
# "2,1" in Turkish and Russian, "10,000" is "10.000" / "10 000"). A translation may keep
# the source's notation only inside quotation marks (titles quoted as published):
# elsewhere "10,000" in Turkish reads as ten.
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")
_SPACES = "\u00a0\u202f "
_SPACED = re.compile(r"\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:[.,]\d+)?")
_PERCENT_AFTER = re.compile(r"[\u00a0\u202f ]?(?:%|per ?cent\b|процент)", re.IGNORECASE)
_PERCENT_BEFORE = re.compile(
    r"(?:(?<![\d\u00a0\u202f ])%|(?<!\d)[\u00a0\u202f ]%|yüzde)[\u00a0\u202f ]?$", re.IGNORECASE
)
_OPENING, _CLOSING = "“«„‹", "”»›"


@dataclass(frozen=True)
class _Number:
    text: str
    percent: bool
    value: Decimal | None
    """Read in its text's notation; None when it is no number there (07.08.2023)."""
    digits: tuple[int, ...]
    foreign: Decimal | None = None
    """Read in the source's notation (translations only)."""
    quoted: bool = False


def _value(token: str, lang: str) -> Decimal | None:
    """``token`` read in the notation of ``lang``, or None if it is not a number there."""
    try:
        decimal, groups = get_decimal_symbol(lang), get_group_symbol(lang) + _SPACES
    except (ValueError, TypeError):
        decimal, groups = ".", "," + _SPACES
    whole, _, fraction = token.partition(decimal)
    if fraction and not fraction.isdigit():
        return None
    parts = re.split(f"[{re.escape(groups)}]", whole)
    if not all(p.isdigit() for p in parts):
        return None
    if len(parts) > 1 and not (len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])):
        return None
    return Decimal("".join(parts) + ("." + fraction if fraction else ""))


def _quoted(text: str) -> bool:
    """Whether the end of ``text`` is inside quotation marks."""
    depth, straight = 0, False
    for ch in text:
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth = max(depth - 1, 0)
        elif ch == '"':
            straight = not straight
    return depth > 0 or straight


def _numbers(text: str, lang: str, source_lang: str | None = None) -> list[_Number]:
    """Numbers of ``text`` written in ``lang``; a translation's also read in ``source_lang``."""
    found = []
    for m in _NUMBER.finditer(text):
        start = m.start()
        pieces = [m.group()]
        if any(s in m.group() for s in _SPACES) and not _SPACED.fullmatch(m.group()):
            pieces = re.split(f"[{_SPACES}]", m.group())
        for piece in pieces:
            start = text.index(piece, start)
            end = start + len(piece)
            found.append(
                _Number(
                    piece,
                    bool(_PERCENT_AFTER.match(text, end) or _PERCENT_BEFORE.search(text[:start])),
                    _value(piece, lang),
                    tuple(int(g) for g in re.findall(r"\d+", piece)),
                    _value(piece, source_lang) if source_lang else None,
                    _quoted(text[:start]) if source_lang else False,
                )
            )
            start = end
    return found


def _written(number: _Number) -> str:
    return number.text + ("%" if number.percent else "")


def _in_notation(number: _Number, lang: str, always: bool = False) -> str | None:
    """How ``number`` is written in ``lang`` (Babel's locale data), when that can differ."""
    value = number.value
    if value is None or not (
        always or number.percent or value != value.to_integral_value() or value >= 10000
    ):
        return None
    try:
        if number.percent:
            return format_percent(value / 100, locale=lang, decimal_quantization=False)
        return format_decimal(value, locale=lang, decimal_quantization=False)
    except (ValueError, TypeError):
        return None


@register("numbers", "warning")
def numbers(pair: Pair) -> Iterator[str]:
    """numbers, years and percentages of the source reappear, in the target's notation (2.1% = %2,1 = 2,1 %)"""
    source = _numbers(_plain(pair.source, urls=False, code=False, ref=" "), pair.source_lang)
    target = _numbers(
        _plain(pair.target, urls=False, code=False, ref=" "), pair.lang, pair.source_lang
    )

    def same(s: _Number, t: _Number) -> bool:
        if s.value is None:
            return s.digits == t.digits
        return s.value == t.value or (t.quoted and s.value == t.foreign)

    left = []
    for s in source:
        if t := next((t for t in target if t.percent == s.percent and same(s, t)), None):
            target.remove(t)
        else:
            left.append(s)
    missing, foreign = [], []
    for s in left:
        if t := next(
            (
                t
                for t in target
                if t.percent == s.percent and s.value is not None and s.value == t.foreign
            ),
            None,
        ):
            target.remove(t)
            foreign.append(
                f"{_written(t)} ({_language(pair.lang)}: {_in_notation(s, pair.lang, always=True)})"
            )
        else:
            hint = _in_notation(s, pair.lang)
            missing.append(
                f"{_written(s)} ({_language(pair.lang)}: {hint})"
                if hint and hint != _written(s)
                else _written(s)
            )
    parts = []
    if missing:
        parts.append("number(s) of the source missing from the translation: " + ", ".join(missing))
    if foreign:
        parts.append(f"number(s) in {_language(pair.source_lang)} notation: " + ", ".join(foreign))
    if parts:
        yield "; ".join(parts)
