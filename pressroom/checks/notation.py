"""Translation check of numbers: the source's numbers in the target language's notation.

Takes a ``Pair``; registers ``numbers``, which reads the numbers, years and percentages
of both texts, each in its language's notation (Babel's decimal and group symbols), and
yields a message for those of the source missing from the translation, or left there in
the source's notation.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

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
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class _Number:
    text: str
    percent: bool
    value: Decimal | None
    """Read in its text's notation; None when it is no number there (07.08.2023)."""
    digits: tuple[str, ...]
    """Its digit groups, less leading zeros."""
    foreign: Decimal | None = None
    """Read in the source's notation (translations only)."""
    quoted: bool = False


@lru_cache(maxsize=64)
def _notation(lang: str) -> tuple[str, re.Pattern[str]]:
    """The decimal symbol of ``lang`` and a pattern of its group separators (Babel's
    locale data, looked up once per language rather than once per number)."""
    try:
        decimal, groups = get_decimal_symbol(lang), get_group_symbol(lang) + _SPACES
    except (ValueError, TypeError):
        decimal, groups = ".", "," + _SPACES
    return decimal, re.compile(f"[{re.escape(groups)}]")


def _value(token: str, lang: str) -> Decimal | None:
    """``token`` read in the notation of ``lang``, or None if it is not a number there."""
    if token.isdigit():
        return Decimal(token)
    decimal, groups = _notation(lang)
    whole, _, fraction = token.partition(decimal)
    if fraction and not fraction.isdigit():
        return None
    parts = groups.split(whole)
    if not all(p.isdigit() for p in parts):
        return None
    if len(parts) > 1 and not (len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])):
        return None
    return Decimal("".join(parts) + ("." + fraction if fraction else ""))


class _Quotes:
    """Whether a position of a text is inside quotation marks, for positions asked in
    increasing order: each character is read once (a rescan per number was quadratic)."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.depth = 0
        self.straight = False

    def inside(self, end: int) -> bool:
        """Whether ``text[:end]`` ends inside quotation marks (``end`` never decreases)."""
        for ch in self.text[self.pos : end]:
            if ch in _OPENING:
                self.depth += 1
            elif ch in _CLOSING:
                self.depth = max(self.depth - 1, 0)
            elif ch == '"':
                self.straight = not self.straight
        self.pos = max(self.pos, end)
        return self.depth > 0 or self.straight


_PERCENT_BEFORE_REACH = len("yüzde") + 2
"""How far before a number ``_PERCENT_BEFORE`` can look (its longest match and the
character its lookbehind reads): the search starts there, not at the text's start."""


def _percent(text: str, start: int, end: int) -> bool:
    return bool(
        _PERCENT_AFTER.match(text, end)
        or _PERCENT_BEFORE.search(text, max(start - _PERCENT_BEFORE_REACH, 0), start)
    )


def _numbers(text: str, lang: str, source_lang: str | None = None) -> list[_Number]:
    """Numbers of ``text`` written in ``lang``; a translation's also read in ``source_lang``.
    Linear in the length of ``text``."""
    found = []
    quotes = _Quotes(text)
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
                    _percent(text, start, end),
                    _value(piece, lang),
                    # digit groups as written, less leading zeros ("07" is 7): no int(),
                    # which refuses more than 4,300 digits
                    tuple(g.lstrip("0") or "0" for g in _DIGITS.findall(piece)),
                    _value(piece, source_lang) if source_lang else None,
                    quotes.inside(start) if source_lang else False,
                )
            )
            start = end
    return found


class _Pool:
    """The numbers of a translation not matched yet, found by value in constant time:
    ``take`` gives the first one (in text order) that has one of the given keys, and
    removes it. (A scan of the list per source number was quadratic.)"""

    def __init__(self, numbers: list[_Number]):
        self.numbers = numbers
        self.taken = [False] * len(numbers)
        self.index: dict[tuple, deque[int]] = defaultdict(deque)
        for i, t in enumerate(numbers):
            for key in self._keys(t):
                self.index[key].append(i)

    @staticmethod
    def _keys(t: _Number) -> list[tuple]:
        keys: list[tuple] = [("digits", t.percent, t.digits)]
        if t.value is not None:
            keys.append(("value", t.percent, t.value))
        if t.foreign is not None:
            keys.append(("foreign", t.percent, t.foreign))
            if t.quoted:
                keys.append(("quoted", t.percent, t.foreign))
        return keys

    def _first(self, key: tuple) -> int | None:
        queue = self.index.get(key)
        while queue and self.taken[queue[0]]:
            queue.popleft()
        return queue[0] if queue else None

    def take(self, *keys: tuple) -> _Number | None:
        found = [i for key in keys if (i := self._first(key)) is not None]
        if not found:
            return None
        self.taken[min(found)] = True
        return self.numbers[min(found)]


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
    except (ValueError, TypeError, ArithmeticError):  # ArithmeticError: more digits than
        return None  # decimal's precision (28), which Babel's rounding refuses


@register("numbers", "warning")
def numbers(pair: Pair) -> Iterator[str]:
    """numbers, years and percentages of the source reappear, in the target's notation (2.1% = %2,1 = 2,1 %)"""
    source = _numbers(_plain(pair.source, urls=False, code=False, ref=" "), pair.source_lang)
    target = _numbers(
        _plain(pair.target, urls=False, code=False, ref=" "), pair.lang, pair.source_lang
    )

    # A source number is matched by the first translation number of the same kind
    # (percent or not) that has its value, or the value read in the source's notation
    # inside quotation marks (a title quoted as published); a number that is no
    # number in its notation (07.08.2023), by its digits.
    pool = _Pool(target)
    left = []
    for s in source:
        if s.value is None:
            t = pool.take(("digits", s.percent, s.digits))
        else:
            t = pool.take(("value", s.percent, s.value), ("quoted", s.percent, s.value))
        if t is None:
            left.append(s)
    missing, foreign = [], []
    for s in left:
        t = pool.take(("foreign", s.percent, s.value)) if s.value is not None else None
        if t is not None:
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
