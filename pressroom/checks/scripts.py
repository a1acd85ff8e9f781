"""Translation checks of letters: scripts mixed within a word, Turkish-only letters.

Takes a ``Pair``; registers ``mixed-script`` (a Latin look-alike in a Cyrillic word, or
the reverse) and ``turkish-letters`` (ı İ ğ Ğ ş Ş in a non-Turkish translation), each
yielding messages. Gives the source check of Turkish letters its helpers
(``_turkish_words``, ``_turkish_message``, ``_TURKISH_LANGS``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from ..segments.body import Body
from .registry import Pair, register
from .text import _brackets_are_calls, _language, _plain, _words

_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


@lru_cache(maxsize=4096)
def _script(ch: str) -> str | None:
    """The script of a letter (by its Unicode name); cached: a text has few distinct
    characters, and looking up a name is most of the check's work on a long text."""
    name = unicodedata.name(ch, "")
    return next((s for s in _SCRIPTS if name.startswith(s + " ")), None)


_NOT_LATIN = re.compile("[^\\x00-\u024f\u2000-\u206f]")
"""A character outside ASCII, Latin-1, Latin Extended-A/B and General Punctuation:
every letter in those is named LATIN …, or has no script."""
_CODE_PAGE = "cp1251"
"""Windows' Cyrillic code page: its Latin letters are ASCII's, its other letters
Cyrillic (and "µ", of no script)."""


def _letter_class(ch: str) -> bytes:
    if not _words(ch):
        return b" "
    return {"LATIN": b"L", "CYRILLIC": b"C"}.get(_script(ch) or "", b"N")


_CLASSES = b"".join(_letter_class(bytes([b]).decode(_CODE_PAGE, "replace")) for b in range(256))
"""Each byte of the code page -> L (a Latin letter), C (a Cyrillic one), N (a letter
of neither) or a space (no letter)."""


def _may_mix(text: str) -> bool:
    """Whether a word of ``text`` could mix scripts (False: none can), without naming
    its letters one by one: a text of Latin letters only cannot; a text in the
    Cyrillic code page can only where a Latin letter touches a Cyrillic one."""
    if text.isascii() or not _NOT_LATIN.search(text):
        return False
    try:
        classes = text.encode(_CODE_PAGE).translate(_CLASSES)
    except UnicodeEncodeError:
        return True
    return b"LC" in classes or b"CL" in classes or b"N" in classes


def _joins_words(text: str, body: Body) -> bool:
    """Whether the text a reader sees may join runs of letters that are apart in
    ``text`` (emphasis, strikethrough, code and links go, with their syntax) or hold a
    letter ``text`` does not (character references, escapes)."""
    return (
        "*" in text or "_" in text or "~" in text or "`" in text or "<" in text or "&" in text
        or "\\" in text or not _brackets_are_calls(text, body)
    )


def _mixed(text: str) -> dict[str, Counter[str]]:
    """The words of ``text`` that mix scripts, with their letters counted by script."""
    if not _may_mix(text):
        return {}
    mixed = {}
    for word in dict.fromkeys(_words(text)):
        scripts = Counter(s for ch in word if (s := _script(ch)))
        if len(scripts) >= 2:
            mixed[word] = scripts
    return mixed


@register("mixed-script", "error")
def mixed_script(pair: Pair) -> Iterator[str]:
    """no word mixes scripts (a Latin look-alike “a”, “o”, “c”, “e”, “p”, “x” in a Cyrillic word)"""
    if not _joins_words(pair.msgstr, pair.body) and not _may_mix(pair.msgstr):
        # The words a reader sees are then pieces of the words as written (a bare
        # URL or a note call leaves a space where it stood): none can mix either.
        return
    text = _plain(pair.target, urls=False, code=False, ref=" ")
    mixed = _mixed(text)
    if not mixed:
        return
    # The odd letters are those not in the script of most of the text: the Cyrillic
    # "А" of "NАТО" in Turkish, the Latin "a" of "сaнкции" in Russian.
    overall = Counter(s for ch in text if (s := _script(ch)))
    found = []
    for word, scripts in mixed.items():
        main = max(scripts, key=lambda s: (overall[s], scripts[s]))
        odd = ", ".join(f"“{ch}”" for ch in dict.fromkeys(word) if _script(ch) not in (main, None))
        others = "/".join(sorted(s.title() for s in scripts if s != main))
        found.append(f"“{word}” ({others} {odd} among {main.title()} letters)")
    if found:
        yield "word(s) mixing scripts: " + "; ".join(found)


_TURKISH = frozenset("ıİğĞşŞ")
_TURKISH_HINTS = {"ı": "dotless ı for i?", "İ": "dotted İ for I?"}
_TURKISH_LANGS = ("tr", "az")


def _turkish_words(text: str, allowed: set[str] = frozenset()) -> list[str]:
    return [w for w in dict.fromkeys(_words(text)) if _TURKISH & set(w) and w not in allowed]


def _turkish_message(words: list[str], lang: str) -> str:
    hints = sorted({_TURKISH_HINTS[ch] for w in words for ch in w if ch in _TURKISH_HINTS})
    hint = f" ({'; '.join(hints)})" if hints else ""
    return (
        f"Turkish letters in {_language(lang)} text: " + ", ".join(f"“{w}”" for w in words) + hint
    )


@register("turkish-letters", "warning")
def turkish_letters(pair: Pair) -> Iterator[str]:
    """no Turkish-only letters (ı İ ğ Ğ ş Ş) in a non-Turkish translation, unless kept from the source"""
    if pair.lang.split("_")[0] in _TURKISH_LANGS:
        return
    kept = set(_words(_plain(pair.source)))
    if words := _turkish_words(_plain(pair.target, urls=False, code=False, ref=" "), kept):
        yield _turkish_message(words, pair.lang)
