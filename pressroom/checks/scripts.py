"""Translation checks of letters: scripts mixed within a word, Turkish-only letters.

Takes a ``Pair``; registers ``mixed-script`` (a Latin look-alike in a Cyrillic word, or
the reverse) and ``turkish-letters`` (ı İ ğ Ğ ş Ş in a non-Turkish translation), each
yielding messages. Gives the source check of Turkish letters its helpers
(``_turkish_words``, ``_turkish_message``, ``_TURKISH_LANGS``).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache
from collections.abc import Iterator

from .registry import Pair, register
from .text import _language, _plain, _words

_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


@lru_cache(maxsize=4096)
def _script(ch: str) -> str | None:
    """The script of a letter (by its Unicode name); cached: a text has few distinct
    characters, and looking up a name is most of the check's work on a long text."""
    name = unicodedata.name(ch, "")
    return next((s for s in _SCRIPTS if name.startswith(s + " ")), None)


@register("mixed-script", "error")
def mixed_script(pair: Pair) -> Iterator[str]:
    """no word mixes scripts (a Latin look-alike “a”, “o”, “c”, “e”, “p”, “x” in a Cyrillic word)"""
    text = _plain(pair.target, urls=False, code=False, ref=" ")
    # The odd letters are those not in the script of most of the text: the Cyrillic
    # "А" of "NАТО" in Turkish, the Latin "a" of "сaнкции" in Russian.
    overall = Counter(s for ch in text if (s := _script(ch)))
    found = []
    for word in dict.fromkeys(_words(text)):
        scripts = Counter(s for ch in word if (s := _script(ch)))
        if len(scripts) < 2:
            continue
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
