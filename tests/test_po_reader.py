"""``read_translations`` (the build's quick catalog reader) answers exactly as
``read_catalog`` (Babel's parser, stricter) does: the same entries, fuzzy flags and
lines, and the same error for a file it must refuse. Compared on every catalog of the
project and its fixtures, and on thousands of mutated copies of them."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import ROOT

from pressroom.errors import CatalogError
from pressroom.pofile import FORMAT_FLAGS, Translation, _read_plain, read_catalog, read_translations

CATALOGS = sorted([*ROOT.glob("locales/**/*.po"), *ROOT.glob("locales/**/*.pot"),
                   *ROOT.glob("tests/fixtures/**/*.po"), *ROOT.glob("tests/fixtures/**/*.pot")])
PROJECT_CATALOGS = [p for p in CATALOGS if p.is_relative_to(ROOT / "locales")]

# Lines a translator, a tool or an accident may put into a catalog.
SNIPPETS = [
    "", "#, fuzzy", "#, fuzzy, no-wrap", "#, no-links-check", "#, python-format, no-markup-check", "#,fuzzy", "# a comment", "#. kind", "#: content/a.md:3",
    "#| msgid \"old\"", "#~ msgid \"gone\"", "#~ msgstr \"weg\"", 'msgid "x"', 'msgstr "y"', 'msgstr ""',
    'msgctxt "ctx"', 'msgid_plural "xs"', 'msgstr[0] "a"', '"continued"', '"half', 'msgid "a\\"b"',
    '"esc \\\\ \\n \\t"', '  msgid "indented"', 'msgid "trailing" ', "msgfoo \"z\"", '"\\"', 'msgid ""',
    'msgid "in"side"', '"two" "strings"', 'msgstr "a"b"', '"Language: !!!\\n"', '"POT-Creation-Date: garbage\\n"', "#: a.md:1 \u2068b c.md\u2069:2", "\ufeff#",
]


def _babel(path: Path, rel: str, locale: str | None, domain: str) -> dict[str, Translation]:
    catalog = read_catalog(path, rel, locale, domain)
    return {m.id: Translation(m.string, m.fuzzy, m.lineno, frozenset(m.flags - FORMAT_FLAGS))
            for m in catalog if m.id and isinstance(m.id, str)}


def _outcome(read, path: Path) -> object:
    try:
        return read(path, "case.po", "tr", path.stem)
    except CatalogError as exc:
        return f"CatalogError: {exc}"


def _assert_same(path: Path) -> None:
    assert _outcome(read_translations, path) == _outcome(_babel, path)


def _mutants(count: int, tmp_path: Path):
    rng = random.Random(20261123)
    sources = [p.read_bytes().decode("utf-8", "replace").split("\n") for p in CATALOGS]
    for i in range(count):
        lines = list(rng.choice(sources))
        for _ in range(rng.randint(1, 3)):
            k = rng.randrange(len(lines) + 1)
            what = rng.random()
            if what < 0.35:
                lines.insert(k, rng.choice(SNIPPETS))
            elif what < 0.6 and lines:
                del lines[min(k, len(lines) - 1)]
            elif what < 0.8 and lines:
                lines.insert(k, lines[rng.randrange(len(lines))])  # a line repeated elsewhere
            elif lines:
                j = min(k, len(lines) - 1)
                lines[j] = lines[j][: rng.randrange(len(lines[j]) + 1)]  # a line cut short
        path = tmp_path / f"mutant-{i}.po"
        path.write_text("\n".join(lines), encoding="utf-8")
        yield path


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_answer_on_every_catalog(path):
    _assert_same(path)


def test_project_catalogs_take_the_quick_way():
    """The comparison above means something: the quick reader reads them itself."""
    assert len(PROJECT_CATALOGS) >= 8
    for path in PROJECT_CATALOGS:
        assert _read_plain(path.read_bytes()) is not None, path


def test_same_answer_on_mutated_catalogs(tmp_path):
    quick = refused = 0
    for path in _mutants(3000, tmp_path):
        _assert_same(path)
        if _read_plain(path.read_bytes()) is not None:
            quick += 1
        elif isinstance(_outcome(_babel, path), str):
            refused += 1
    # Both kinds of file occur: read by the quick reader, and refused (by Babel's).
    assert quick > 300 and refused > 300, (quick, refused)
