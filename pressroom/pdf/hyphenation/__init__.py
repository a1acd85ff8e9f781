"""Turkish hyphenation dictionary for pyphen (and so for WeasyPrint).

Takes: nothing but the files next to this module. ``hyph_tr_TR.dic`` is
hyph-utf8's Turkish patterns (``hyph-tr.tex``, from TeX Live 2022 as packaged
in Debian's ``texlive-lang-european`` 2022.20230122-1), converted to pyphen's
LibreOffice-hyphen format with the 597 patterns unchanged. The patterns are
under the LPPL (version 1 or later); see ``LICENSE-hyph-tr.txt``.

Gives: ``register()``, which adds that dictionary to pyphen's process-wide
registry under ``tr_TR`` and ``tr``. Afterwards ``pyphen.Pyphen(lang="tr")``,
``pyphen.Pyphen(lang="tr_TR")`` and ``pyphen.language_fallback("tr-TR")`` find
it, and WeasyPrint (which looks dictionaries up through
``pyphen.language_fallback``) hyphenates ``lang="tr"`` text that has
``hyphens: auto``. Calling ``register()`` again changes nothing. Call it before
rendering; nothing is registered at import time.

Capital dotted İ: pyphen lowercases words with ``str.lower()``, which turns
"İ" (U+0130) into two characters, "i" + U+0307 COMBINING DOT ABOVE. Pyphen's
break positions are then counted in the longer string but applied to the
original word, so every break after an İ lands one letter too far to the right
("İstanbul" would give "İst-anb-ul"). ``register()`` therefore puts a
``TurkishHyphDict`` in pyphen's dictionary cache (``pyphen.hdcache``), which
lowercases the Turkish way first (İ -> i, I -> ı; both length-preserving) and
so gives "İs-tan-bul". That fix only applies while pyphen's cache is used, which
is the default and what WeasyPrint does; a ``pyphen.Pyphen(..., cache=False)``
parses the file again with pyphen's own class and shows the shift again
(wrong break points, but no crash).

Other limits: Turkish words are hyphenated by syllable rules only, not by
morphology; the patterns deliberately refuse "-cek" at the end of a word
("ge-lecek", not "ge-le-cek"); pyphen's default minimum of 2 letters on each
side applies (WeasyPrint: ``hyphenate-limit-chars``), so "u-lus..." is not
offered, and the patterns need that right-hand minimum (with ``right=1`` they
would offer "kitaplı-k"). An apostrophe before a suffix is no letter to the
patterns, so pyphen alone gives "Tür-ki-ye-'-nin"; WeasyPrint is not affected,
because Pango ends the word at the apostrophe and only "Türkiye" is hyphenated.
"""

from __future__ import annotations

from pathlib import Path

import pyphen

__all__ = ["DICTIONARY_PATH", "TurkishHyphDict", "register", "turkish_lower"]

#: The converted hyph-utf8 Turkish patterns.
DICTIONARY_PATH = Path(__file__).resolve().with_name("hyph_tr_TR.dic")

#: Names under which ``register()`` puts the dictionary in ``pyphen.LANGUAGES``.
LANGUAGE_NAMES = ("tr_TR", "tr")


def turkish_lower(word: str) -> str:
    """Lowercase ``word`` by Turkish rules, keeping its length (İ -> i, I -> ı)."""
    return word.replace("İ", "i").replace("I", "ı").lower()


class TurkishHyphDict(pyphen.HyphDict):
    """pyphen's pattern dictionary, lowercasing words the Turkish way first."""

    def positions(self, word):
        """``pyphen.HyphDict.positions`` of the word lowercased by Turkish rules."""
        return super().positions(turkish_lower(word))


def register() -> None:
    """Register the Turkish dictionary in pyphen as ``tr_TR`` and ``tr`` (idempotent)."""
    for name in LANGUAGE_NAMES:
        pyphen.LANGUAGES[name] = DICTIONARY_PATH
    # pyphen >= 0.13 resolves names through this lowercase index (built at import).
    lowercase = getattr(pyphen, "LANGUAGES_LOWERCASE", None)
    if lowercase is not None:
        for name in LANGUAGE_NAMES:
            lowercase[name.lower()] = name
    # Pyphen(lang=...) takes an already parsed dictionary from this cache.
    if not isinstance(pyphen.hdcache.get(DICTIONARY_PATH), TurkishHyphDict):
        pyphen.hdcache[DICTIONARY_PATH] = TurkishHyphDict(DICTIONARY_PATH)
