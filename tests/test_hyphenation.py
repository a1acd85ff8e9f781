"""Turkish hyphenation: the converted hyph-utf8 dictionary, its registration, WeasyPrint."""

from __future__ import annotations

from itertools import pairwise

import pyphen
import pytest
import weasyprint
from weasyprint.formatting_structure import boxes

from pressroom.pdf import hyphenation
from pressroom.pdf.hyphenation import DICTIONARY_PATH, register

VOWELS = set("aâeıiîoöuüû")


@pytest.fixture(autouse=True)
def pristine_pyphen(monkeypatch):
    """pyphen's registries as shipped (no Turkish), restored after each test."""
    ours = set(hyphenation.LANGUAGE_NAMES)
    monkeypatch.setattr(
        pyphen, "LANGUAGES", {k: v for k, v in pyphen.LANGUAGES.items() if k not in ours}
    )
    monkeypatch.setattr(
        pyphen,
        "LANGUAGES_LOWERCASE",
        {k: v for k, v in pyphen.LANGUAGES_LOWERCASE.items() if v not in ours},
    )
    monkeypatch.setattr(
        pyphen, "hdcache", {k: v for k, v in pyphen.hdcache.items() if k != DICTIONARY_PATH}
    )


def syllable_breaks(word: str) -> list[int]:
    """Break points by the Turkish syllable rule, independent of the patterns.

    A syllable has exactly one vowel; a single consonant between vowels starts
    the next syllable (ki-tap), two consonants are split (har-ca), of three the
    last starts the next syllable (Türk-çe), and two vowels are split (sa-at).
    """
    w = hyphenation.turkish_lower(word)
    vowel_at = [i for i, c in enumerate(w) if c in VOWELS]
    breaks = []
    for prev, nxt in pairwise(vowel_at):
        breaks.append(nxt if nxt == prev + 1 else nxt - 1)
    return breaks


# Ordinary words, with the hyphenation the patterns give (pyphen's default
# minimum of two letters on each side, as WeasyPrint uses).
KNOWN = {
    "kitaplık": "ki-tap-lık",
    "savunma": "sa-vun-ma",
    "harcamalarını": "har-ca-ma-la-rı-nı",
    "uluslararası": "ulus-la-ra-ra-sı",  # "u-" is one letter: below the minimum
    "gerginliğinde": "ger-gin-li-ğin-de",
    "Cumhuriyetler": "Cum-hu-ri-yet-ler",
    "kütüphanedeki": "kü-tüp-ha-ne-de-ki",
    "Türkçe": "Türk-çe",
    "saat": "sa-at",
    "öğretmenlerimizden": "öğ-ret-men-le-ri-miz-den",
}


def test_dictionary_file_is_pyphen_format_with_all_patterns():
    lines = DICTIONARY_PATH.read_text("utf-8").splitlines()
    assert lines[0] == "UTF-8"
    body = [line for line in lines[1:] if line]
    patterns = [line for line in body if not line.startswith(pyphen.ignored)]
    assert len(patterns) == 597
    assert "tu4r4k" in patterns and "2e2cek." in patterns
    assert any("hyph-tr.tex" in line for line in body if line.startswith("%"))
    assert len(pyphen.HyphDict(DICTIONARY_PATH).patterns) == 597


@pytest.mark.parametrize("word, expected", sorted(KNOWN.items()))
def test_known_turkish_words(word, expected):
    register()
    assert pyphen.Pyphen(lang="tr").inserted(word) == expected


@pytest.mark.parametrize("word", sorted(KNOWN))
def test_breaks_are_turkish_syllable_breaks(word):
    register()
    # With one letter allowed on the left, the patterns give exactly the
    # syllable breaks (they rely on a right-hand minimum of 2: see below).
    expected = [b for b in syllable_breaks(word) if b <= len(word) - 2]
    assert pyphen.Pyphen(lang="tr", left=1, right=2).positions(word) == expected


def test_patterns_need_right_minimum_of_two():
    register()
    one_left = pyphen.Pyphen(lang="tr", left=1, right=2)
    assert one_left.inserted("uluslararası") == "u-lus-la-ra-ra-sı"
    assert pyphen.Pyphen(lang="tr", right=1).inserted("kitaplık") == "ki-tap-lı-k"


def test_patterns_refuse_cek_at_word_end():
    register()
    assert syllable_breaks("gelecek") == [2, 4]
    assert pyphen.Pyphen(lang="tr").inserted("gelecek") == "ge-lecek"  # pattern 2e2cek.


def test_not_available_before_register():
    assert pyphen.language_fallback("tr") is None
    with pytest.raises(KeyError):
        pyphen.Pyphen(lang="tr")


def test_register_is_idempotent():
    register()
    languages = dict(pyphen.LANGUAGES)
    lowercase = dict(pyphen.LANGUAGES_LOWERCASE)
    hyph_dict = pyphen.hdcache[DICTIONARY_PATH]
    register()
    assert pyphen.LANGUAGES == languages
    assert pyphen.LANGUAGES_LOWERCASE == lowercase
    assert pyphen.hdcache[DICTIONARY_PATH] is hyph_dict
    assert pyphen.LANGUAGES["tr_TR"] == pyphen.LANGUAGES["tr"] == DICTIONARY_PATH
    assert pyphen.LANGUAGES["ru"].name == "hyph_ru_RU.dic"  # others untouched


@pytest.mark.parametrize("lang", ["tr", "tr_TR", "tr-TR", "TR_tr"])
def test_language_names_resolve(lang):
    register()
    assert pyphen.LANGUAGES[pyphen.language_fallback(lang)] == DICTIONARY_PATH
    assert pyphen.Pyphen(lang=lang).inserted("kitaplık") == "ki-tap-lık"


@pytest.mark.parametrize(
    "word, expected",
    [
        ("İstanbul", "İs-tan-bul"),
        ("İSTANBUL", "İS-TAN-BUL"),
        ("İzmir", "İz-mir"),
        ("İİ", "İİ"),
        ("İ", "İ"),
        ("ISPARTA", "IS-PAR-TA"),
        ("İnşaat", "İn-şa-at"),
    ],
)
def test_capital_dotted_i_does_not_shift_breaks(word, expected):
    register()
    assert pyphen.Pyphen(lang="tr").inserted(word) == expected


def test_uncached_pyphen_does_not_crash_on_dotted_i():
    register()
    # Without the cache pyphen uses its own lowercasing (break points shifted
    # after an İ, see the module docstring), but it must not fail.
    result = pyphen.Pyphen(lang="tr", cache=False).inserted("İstanbul")
    assert result.replace("-", "") == "İstanbul"


PAGE = """<!doctype html><html lang="tr"><head><style>
@page { size: 80mm 200mm; margin: 5mm }
p { width: 30mm; hyphens: auto; text-align: justify;
    font-family: "DejaVu Sans", sans-serif; font-size: 11pt }
</style></head><body><p>
Cumhuriyetler harcamalarını gerginliğinde uluslararası kütüphanedeki savunma
kitaplık öğretmenlerimizden İstanbul’daki
</p></body></html>"""
WORDS = PAGE.split("<p>")[1].split("</p>")[0].split()


def rendered_lines(html: str) -> list[str]:
    document = weasyprint.HTML(string=html).render()
    lines = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.LineBox):
                lines.append(
                    "".join(
                        text.text for text in box.descendants() if isinstance(text, boxes.TextBox)
                    )
                )
    return [line.strip() for line in lines if line.strip()]


def test_weasyprint_does_not_hyphenate_turkish_without_dictionary():
    lines = rendered_lines(PAGE)
    assert " ".join(lines).split() == WORDS
    assert not any(line.endswith(("‐", "-")) for line in lines)


def test_weasyprint_hyphenates_turkish_after_register():
    register()
    lines = rendered_lines(PAGE)
    hyphenated = [line for line in lines if line.endswith(("‐", "-"))]
    assert hyphenated, lines
    # Every break WeasyPrint made is one the Turkish dictionary offers.
    dictionary = pyphen.Pyphen(lang="tr")
    for index, line in enumerate(lines):
        if line in hyphenated:
            head = line.split()[-1][:-1]
            tail = lines[index + 1].split()[0]
            assert (head, tail) in list(dictionary.iterate(head + tail)), (head, tail)
            assert len(head) in syllable_breaks(head + tail), (head, tail)
    assert not any(line.startswith(("'", "’")) for line in lines), lines
    # No letters lost or added apart from the hyphens.
    joined = "".join(line[:-1] if line in hyphenated else line + " " for line in lines)
    assert joined.split() == WORDS
