"""``locales/<lang>/glossary.csv`` -> ``Glossary``: approved translations of terms, and
where a text uses them, aware of inflection.

The file is CSV (UTF-8, a header row, one term per row)::

    source,target,note,case-sensitive,pos
    Founding Act,Kurucu Senet,NATO-Russia Founding Act of 1997,,noun

``source`` and ``target`` are required; ``note`` (for the translator), ``case-sensitive``
(``yes``/``no``, default no) and ``pos`` (part of speech) are optional columns. Every
bad row is a ``Problem`` at ``path:line``; the good rows are kept.

Matching works on words, so that an inflected form counts for its dictionary form:
words are lowered as their language lowers them (Turkish ``I`` -> ``ı``, ``İ`` -> ``i``),
a Turkish suffix after an apostrophe is dropped (``Senedi'nin`` -> ``Senedi``), and two
words match when their Snowball stems are equal, or when the text's word starts with
the term's word, its stem, or (Turkish) either with its final consonant softened
(``Senet`` -> ``Sened…``). A term of several words matches consecutive words.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from .errors import Problem

FILE_NAME = "glossary.csv"
COLUMNS = ("source", "target", "note", "case-sensitive", "pos")
REQUIRED = ("source", "target")
PARTS_OF_SPEECH = frozenset({"noun", "proper-noun", "verb", "adjective", "adverb", "phrase", "abbreviation"})
_YES = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False, "": False}
_STEMMERS = {"en": "english", "tr": "turkish", "ru": "russian", "de": "german", "fr": "french",
             "es": "spanish", "it": "italian", "az": "turkish"}
_WORD = re.compile(r"([^\W_]+)(?:['’][^\W\d_]+)?")
"""A run of letters and digits, with a suffix after an apostrophe (dropped: ``NATO'nun``)."""
_SOFTENED = {"t": "d", "p": "b", "ç": "c", "k": "ğ"}
_PREFIX_MIN = 4
"""A text's word may start with a term's word (or stem) only of this many letters:
shorter ones must match by stem ("act" is not "actual")."""
_PREFIX_MAX = 32
"""Beginnings of words are indexed up to this many letters (a longer one is looked up
by its first ones, then compared whole): a text of one 250,000-letter "word" stays
linear."""
_STEM_MAX = 64
"""Longer "words" (no language has them) are not stemmed."""


def base(lang: str) -> str:
    return lang.replace("-", "_").split("_")[0].lower()


def lower(text: str, lang: str) -> str:
    """``text`` in lower case as ``lang`` writes it (Turkish and Azerbaijani dotted and
    dotless i), NFC."""
    if base(lang) in ("tr", "az"):
        text = text.replace("I", "ı").replace("İ", "i")
    return unicodedata.normalize("NFC", text.lower())


@dataclass(frozen=True)
class Word:
    """One word of a text: as written, lowered, and where it is."""

    text: str
    low: str
    start: int
    end: int


def words(text: str, lang: str) -> tuple[Word, ...]:
    """The words of ``text`` (a suffix after an apostrophe left out), with their offsets."""
    return _words(unicodedata.normalize("NFC", text), base(lang) in ("tr", "az"))


@lru_cache(maxsize=256)
def _words(text: str, turkish: bool) -> tuple[Word, ...]:
    # Cached: the check reads a translation once for every term its source uses.
    found = []
    for m in _WORD.finditer(text):
        word = m.group(1)
        low = (word.replace("I", "ı").replace("İ", "i") if turkish else word).lower()
        found.append(Word(word, low, m.start(), m.end(1)))
    return tuple(found)


def term_words(text: str, lang: str) -> tuple[Word, ...]:
    """The words of a term."""
    return words(text, lang)


@lru_cache(maxsize=65536)
def stem(word: str, lang: str) -> str:
    """The Snowball stem of a lowered word (the word itself for a language without one)."""
    algorithm = _STEMMERS.get(base(lang))
    if algorithm is None or len(word) > _STEM_MAX:
        return word
    return _stemmer(algorithm).stemWord(word)


@cache
def _stemmer(algorithm: str):
    # Imported here: a build reads the checks' modules but never runs this (warning-level) check.
    import snowballstemmer

    return snowballstemmer.stemmer(algorithm)


def _soften(word: str) -> str:
    return word[:-1] + _SOFTENED[word[-1]] if word and word[-1] in _SOFTENED else word


@lru_cache(maxsize=16384)
def _prefixes(low: str, lang: str) -> tuple[str, ...]:
    """What an inflected form of the word ``low`` may start with."""
    forms = {low, stem(low, lang)}
    if base(lang) in ("tr", "az"):
        forms |= {_soften(f) for f in forms}
    return tuple(sorted(f for f in forms if len(f) >= _PREFIX_MIN))


@lru_cache(maxsize=65536)
def _keys(low: str, lang: str) -> frozenset[str]:
    """What a text's word is found under: itself, its stem, its beginnings."""
    return frozenset({low, stem(low, lang), *(low[:n] for n in range(_PREFIX_MIN, min(len(low), _PREFIX_MAX) + 1))})


@lru_cache(maxsize=16384)
def _lookups(low: str, lang: str) -> frozenset[str]:
    """What a term's word is looked up as: every text word it matches has one of these
    among its ``_keys`` (``word_matches`` then decides)."""
    return frozenset({low, stem(low, lang), *(p[:_PREFIX_MAX] for p in _prefixes(low, lang))})


@lru_cache(maxsize=64)
def _text_index(text: str, lang: str) -> tuple[tuple[Word, ...], dict[str, list[int]]]:
    """A text's words, and key -> the positions of the words found under it."""
    found = words(text, lang)
    index: dict[str, list[int]] = {}
    for i, word in enumerate(found):
        for key in _keys(word.low, lang):
            index.setdefault(key, []).append(i)
    return found, index


def occurrences(term: tuple[Word, ...], text: str, lang: str, case_sensitive: bool = False) -> list[tuple[int, int]]:
    """The (first, last + 1) word indices of every occurrence of a term in ``text``."""
    if not term:
        return []
    text_words, index = _text_index(text, lang)
    starts = sorted({i for key in _lookups(term[0].low, lang) for i in index.get(key, ())})
    n = len(term)
    return [(i, i + n) for i in starts if find(term, text_words[i : i + n], lang, case_sensitive)]


def _same_case(term: str, text: str) -> bool:
    if term[:1].isupper() != text[:1].isupper():
        return False
    return not (len(term) > 1 and term.isupper()) or text[: len(term)].isupper()


def word_matches(term: Word, text: Word, lang: str, case_sensitive: bool = False) -> bool:
    """Whether ``text`` is ``term`` or an inflected form of it."""
    if case_sensitive and not _same_case(term.text, text.text):
        return False
    if term.low == text.low or stem(term.low, lang) == stem(text.low, lang):
        return True
    return any(text.low.startswith(p) for p in _prefixes(term.low, lang))


@dataclass(frozen=True)
class Term:
    """One row of a glossary."""

    source: str
    target: str
    note: str
    case_sensitive: bool
    pos: str
    path: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def find(term: tuple[Word, ...], text_words: tuple[Word, ...], lang: str, case_sensitive: bool = False
         ) -> list[tuple[int, int]]:
    """The (first, last + 1) word indices of every occurrence of a term in a text."""
    n = len(term)
    if not n:
        return []
    found = []
    for i in range(len(text_words) - n + 1):
        if all(word_matches(term[k], text_words[i + k], lang, case_sensitive) for k in range(n)):
            found.append((i, i + n))
    return found


@dataclass
class Glossary:
    """A language's approved translations."""

    lang: str
    path: str
    terms: list[Term] = field(default_factory=list)
    _indexes: dict[str, tuple[int, dict]] = field(default_factory=dict, repr=False, compare=False)

    def in_source(self, text: str, source_lang: str) -> list[tuple[Term, list[str], int]]:
        """The terms that ``text`` (in ``source_lang``) uses, each with the forms it has
        and how many times. Each word of the text is looked up in an index of the
        terms' first words, so the time grows with the text, not with the glossary."""
        index = self._index(source_lang)
        text_words = words(text, source_lang)
        spans: dict[int, list[tuple[int, int]]] = {}
        for i, word in enumerate(text_words):
            candidates = {entry for key in _keys(word.low, source_lang) for entry in index.get(key, ())}
            for number, tw, case_sensitive in sorted(candidates, key=lambda c: c[0]):
                if find(tw, text_words[i : i + len(tw)], source_lang, case_sensitive):
                    spans.setdefault(number, []).append((i, i + len(tw)))
        found = []
        for number in sorted(spans):
            forms = dict.fromkeys(text[text_words[a].start : text_words[b - 1].end] for a, b in spans[number])
            found.append((self.terms[number], list(forms), len(spans[number])))
        return found

    def _index(self, lang: str) -> dict[str, list[tuple[int, tuple[Word, ...], bool]]]:
        """First word of each term (lowered, stemmed, its prefixes) -> the terms'
        numbers, words and case-sensitivity."""
        cached = self._indexes.get(lang)
        if cached is not None and cached[0] == len(self.terms):
            return cached[1]
        index: dict[str, list[tuple[int, tuple[Word, ...], bool]]] = {}
        for number, term in enumerate(self.terms):
            tw = words(term.source, lang)
            for key in _lookups(tw[0].low, lang):
                index.setdefault(key, []).append((number, tw, term.case_sensitive))
        self._indexes[lang] = (len(self.terms), index)
        return index

    def kept(self, term: Term, text: str, source_lang: str) -> int:
        """How many times ``text`` (a translation) keeps ``term`` in the source language."""
        return len(occurrences(term_words(term.source, source_lang), text, source_lang, term.case_sensitive))

    def translated(self, term: Term, text: str) -> bool:
        """Whether ``text`` (a translation) uses the approved translation of ``term``."""
        return bool(occurrences(term_words(term.target, self.lang), text, self.lang, term.case_sensitive))


def glossary_path(locales_dir: Path, lang: str) -> Path:
    return locales_dir / lang / FILE_NAME


def read_glossary(data: bytes, rel: str, lang: str) -> tuple[Glossary, list[Problem]]:
    """A glossary file's bytes -> its good rows, and a problem for every bad one."""
    problems: list[Problem] = []
    glossary = Glossary(lang, rel)

    def bad(line: int | None, message: str) -> None:
        problems.append(Problem(rel, line, "error", message, "glossary"))

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad(data.count(b"\n", 0, exc.start) + 1, f"not UTF-8 (byte {data[exc.start]:#04x})")
        return glossary, problems
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            rows.append((reader.line_num - sum(cell.count("\n") for cell in row), row))
    except csv.Error as exc:
        bad(reader.line_num, f"not valid CSV: {exc}")
        return glossary, problems
    rows = [(line, row) for line, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        bad(None, f"empty: the first row names the columns ({', '.join(COLUMNS)})")
        return glossary, problems
    header_line, header = rows[0]
    names = [h.strip().lower() for h in header]
    unknown = [h for h in names if h not in COLUMNS]
    missing = [c for c in REQUIRED if c not in names]
    doubled = sorted({h for h in names if names.count(h) > 1})
    if unknown or missing or doubled:
        parts = ([f"unknown column(s) {', '.join(map(repr, unknown))}"] if unknown else []) + (
            [f"no column {', '.join(missing)}"] if missing else []) + (
            [f"column(s) {', '.join(doubled)} given twice"] if doubled else [])
        bad(header_line, "; ".join(parts) + f" (the columns are {', '.join(COLUMNS)})")
        return glossary, problems
    seen: dict[str, int] = {}
    for line, row in rows[1:]:
        if len(row) != len(names):
            bad(line, f"{len(row)} field(s), the header names {len(names)}")
            continue
        cells = {name: unicodedata.normalize("NFC", cell.strip()) for name, cell in zip(names, row)}
        term, message = _term(cells, rel, line, lang)
        if term is None:
            bad(line, message)
            continue
        key = " ".join(w.low for w in words(term.source, "en"))
        if key in seen:
            bad(line, f"“{term.source}” is already in the glossary at line {seen[key]}")
            continue
        seen[key] = line
        glossary.terms.append(term)
    return glossary, problems


def _term(cells: dict[str, str], rel: str, line: int, lang: str) -> tuple[Term | None, str]:
    source, target = cells["source"], cells["target"]
    if not source or not target:
        return None, f"a term needs both a source and a target (source {source!r}, target {target!r})"
    for name, value in (("source", source), ("target", target)):
        if not words(value, lang):
            return None, f"{name} {value!r} has no word to look for"
        if any(unicodedata.category(ch) == "Cc" for ch in value):
            return None, f"{name} {value!r} holds a control character"
    case = cells.get("case-sensitive", "").lower()
    if case not in _YES:
        return None, f"case-sensitive is yes or no, not {cells['case-sensitive']!r}"
    pos = cells.get("pos", "").lower()
    if pos and pos not in PARTS_OF_SPEECH:
        return None, f"unknown part of speech {cells['pos']!r} (one of {', '.join(sorted(PARTS_OF_SPEECH))})"
    return Term(source, target, cells.get("note", ""), _YES[case], pos, rel, line), ""


def load_glossary(locales_dir: Path, lang: str, rel: str) -> tuple[Glossary | None, list[Problem]]:
    """The glossary of ``lang`` (None: the language has none), and its bad rows."""
    path = glossary_path(locales_dir, lang)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        return None, [Problem(rel, None, "error", f"cannot be read: {exc.strerror or exc}", "glossary")]
    return read_glossary(data, rel, lang)
