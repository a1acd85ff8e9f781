"""The PO reader (``pressroom.po.reader`` and ``files``): data-first cases, every
catalog of the project against Babel's own reader, its whole-entry tokens against
reading token by token, and the inputs a catalog file can be (byte order mark,
charsets, CRLF, a directory). The comparison with GNU gettext is ``test_po_gnu.py``."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from babel.messages.pofile import read_po as babel_read_po
from conftest import FIXTURES, ROOT
from markdown_it.utils import read_fixture_file

from pressroom.errors import CatalogError
from pressroom.po import Entry, PoText, decode_po, parse, read_messages, read_po

CATALOGS = sorted([*ROOT.glob("locales/**/*.po"), *ROOT.glob("locales/**/*.pot"),
                   *ROOT.glob("tests/fixtures/**/*.po"), *ROOT.glob("tests/fixtures/**/*.pot")])
GOOD = [p for p in CATALOGS if not p.name.startswith("bad.catalog")]
MARKS = {"␍": "\r", "␌": "\f", "⟨BOM⟩": "\ufeff"}

# Lines a translator, a tool or an accident may put into a catalog.
SNIPPETS = [
    "", "#, fuzzy", "#, fuzzy, no-wrap", "#,fuzzy", "# a comment", "#. kind", "#: content/a.md:3",
    '#| msgid "old"', '#| msgctxt "c"', '#| "cont"', '#~ msgid "gone"', '#~ msgstr "weg"', '#~| msgid "was"',
    '#~ "more"', 'msgid "x"', 'msgstr "y"', 'msgstr ""', 'msgctxt "ctx"', 'msgid_plural "xs"', 'msgstr[0] "a"',
    'msgstr[1] "b"', 'msgstr [ 0 ] "a"', '"continued"', '"half', 'msgid "a\\"b"', '"esc \\\\ \\n \\t \\a \\x41 \\101"',
    '"bad \\q"', '  msgid "indented"', 'msgid "trailing" ', 'msgfoo "z"', '"\\"', 'msgid ""', 'msgid "in"side"',
    '"two" "strings"', 'msgstr "a"b"', 'msgid "a" msgstr "b"', "msgid", "msgstr", '"\r"', "# c\r", 'msgid "x" # c',
    "\t", "\f", "#", "#~", "#|", 'msgstr[00] "z"', 'msgid"nospace"', '"Language: !!!\\n"',
    '"POT-Creation-Date: garbage\\n"', "#: a.md:1 \u2068b c.md\u2069:2", "\ufeff#",
]


def mutants(count: int, seed: int, sources: list[Path] = CATALOGS):
    """Catalogs with one to three lines inserted, deleted, repeated or cut short."""
    rng = random.Random(seed)
    texts = [p.read_bytes().decode("utf-8", "replace").split("\n") for p in sources]
    for _ in range(count):
        lines = list(rng.choice(texts))
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
        yield "\n".join(lines)


# -- data-first cases -----------------------------------------------------------------


def _render(entry: Entry) -> str:
    fields = {
        "line": entry.line, "ctx": entry.context, "id": entry.msgid, "plural": entry.msgid_plural,
        "str": None if entry.plural else entry.msgstr, "strs": entry.plural_strings, "tc": entry.comments,
        "ec": entry.auto_comments, "refs": entry.references, "flags": entry.flags,
        "prev_ctx": entry.previous_context, "prev": entry.previous, "prev_plural": entry.previous_plural,
        "obsolete": entry.obsolete,
    }
    return json.dumps({k: v for k, v in fields.items() if v not in (None, "", [], False)}, ensure_ascii=False)


def _cases():
    return [pytest.param(text, expected, id=f"read.md:{line + 1}")
            for line, _title, text, expected in read_fixture_file(FIXTURES / "po" / "read.md")]


@pytest.mark.parametrize(("text", "expected"), _cases())
def test_read_cases(text, expected):
    for mark, char in MARKS.items():
        text = text.replace(mark, char)
    try:
        got = "".join(_render(e) + "\n" for e in parse(text, "case.po").entries)
    except CatalogError as exc:
        got = f"error: {exc.line}: {exc.message}\n"
    assert got == expected
    try:  # token by token: the same answer
        slow = "".join(_render(e) + "\n" for e in parse(text, "case.po", whole_entries=False).entries)
    except CatalogError as exc:
        slow = f"error: {exc.line}: {exc.message}\n"
    assert slow == expected


# -- every catalog -------------------------------------------------------------------


@pytest.mark.parametrize("path", GOOD, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalog_reads_as_babel_reads_what_it_keeps(path):
    """Babel's reader (an independent one) finds the same entries, strings, comments,
    fuzzy flags and lines; what Babel drops (previous msgids, obsolete flags, unknown
    header fields) is what ours keeps."""
    ours = read_po(path, path.name)
    with path.open("rb") as f:
        theirs = babel_read_po(f, abort_invalid=True)
    mine = [e for e in ours.messages]
    babel = [m for m in theirs if m.id]
    assert [(e.context, e.msgid) for e in mine] == [(m.context, m.id) for m in babel]
    for entry, message in zip(mine, babel, strict=True):
        assert entry.msgstr == message.string
        # (Babel 2.18 takes "#|" lines for translator comments, and writes them back as "# |")
        assert [c.strip() for c in entry.comments if not c.startswith("|")] == [
            c for c in message.user_comments if not c.startswith("|")]
        assert entry.auto_comments == message.auto_comments
        assert entry.fuzzy == message.fuzzy
        assert entry.line == message.lineno
    assert [e.msgid for e in ours.obsolete] == [m.id for m in theirs.obsolete.values()]


def test_project_catalogs_are_read_as_whole_entries():
    """The whole-entry tokens are what reads the project's catalogs (so the test below
    compares something)."""
    for path in ROOT.glob("locales/**/*.po"):
        text = path.read_text(encoding="utf-8")
        from pressroom.po import reader

        matches = [m for m in reader._TOKEN.finditer(text) if m.lastgroup == "entry"]
        assert len(matches) == len(parse(text).entries), path


@pytest.mark.slow
def test_whole_entries_read_as_token_by_token():
    """The whole-entry token gives what its tokens give one by one: entries, spans,
    lines and errors, on every catalog and thousands of mutated ones."""

    def outcome(text: str, whole: bool):
        try:
            po = parse(text, "x.po", whole_entries=whole)
        except CatalogError as exc:
            return str(exc)
        return [(_render(e), e.span) for e in po.entries]

    texts = [p.read_bytes().decode("utf-8", "replace") for p in CATALOGS] + list(mutants(3000, 20261202))
    refused = 0
    for text in texts:
        fast = outcome(text, True)
        assert fast == outcome(text, False), text[:200]
        refused += isinstance(fast, str)
    assert 300 < refused < len(texts) - 300  # both kinds of outcome are compared


def test_mutated_catalogs_give_a_catalog_error_or_entries():
    """Whatever the damage, reading ends in entries or a ``CatalogError`` on a line of
    the file (never another exception)."""
    for text in mutants(1500, 7):
        try:
            decode_po(text.encode("utf-8"), "x.po")
        except CatalogError as exc:
            assert exc.path == "x.po"
            assert exc.line is None or 1 <= exc.line <= text.count("\n") + 1, exc


def test_translations_view():
    path = ROOT / "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po"
    found = read_messages(path, "tr.po")
    po = read_po(path, "tr.po")
    assert found == {e.msgid: (e.msgstr, e.fuzzy, e.line, frozenset(e.flags), e.reviewed) for e in po.messages}
    assert len(found) > 20


# -- what a catalog file can be ------------------------------------------------------

TR = (ROOT / "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po").read_bytes()


def test_a_byte_order_mark_is_read_and_kept():
    data = b"\xef\xbb\xbf" + TR
    po = decode_po(data, "bom.po")
    plain = decode_po(TR, "plain.po")
    assert po.bom and not plain.bom
    assert [(e.msgid, e.msgstr, e.line) for e in po.entries] == [(e.msgid, e.msgstr, e.line) for e in plain.entries]
    text = PoText(data.decode("utf-8"))
    entry = text.entries[0]
    edited = text.replace_entry(entry, msgstr="Yeni", fuzzy=False)
    assert edited.encode("utf-8").startswith(b"\xef\xbb\xbf#")


LATIN5 = (
    'msgid ""\nmsgstr ""\n"Language: tr\\n"\n"Content-Type: text/plain; charset=ISO-8859-9\\n"\n\n'
    '#. title\nmsgid "Turkey and NATO"\nmsgstr "Türkiye ve NATO: ğ ş ı İ"\n\nmsgid "Untranslated"\nmsgstr ""\n'
)


def test_a_catalog_in_another_charset_is_read_in_it():
    po = decode_po(LATIN5.encode("iso-8859-9"), "latin5.po")
    assert po.charset == "ISO-8859-9"
    assert po.find("Turkey and NATO").msgstr == "Türkiye ve NATO: ğ ş ı İ"
    with pytest.raises(CatalogError, match="not UTF-8"):  # the same bytes, declared UTF-8
        decode_po(LATIN5.replace("ISO-8859-9", "UTF-8").encode("iso-8859-9"), "x.po")


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Content-Type: text/plain; charset=klingon", "Content-Type: unknown charset 'klingon'"),
        ("Content-Type: text/plain; charset=utf-16", "charset 'utf-16' does not keep ASCII as ASCII"),
        ("POT-Creation-Date: 2026-02-30 10:00+0000", "POT-Creation-Date has the value '2026-02-30 10:00+0000'"),
        ("Language: tr!", "Language has the value 'tr!'"),
        ("Plural-Forms: nplurals=many; plural=0;", "nplurals is not a number from 1 to 6"),
    ],
)
def test_a_header_the_project_cannot_take_is_an_error_on_its_line(header, message):
    name = header.split(":")[0]
    lines = TR.decode("utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(f'"{name}:'))
    lines[at] = f'"{header}\\n"'
    with pytest.raises(CatalogError) as caught:
        decode_po("\n".join(lines).encode("utf-8"), "x.po")
    assert caught.value.line == at + 1
    assert message in caught.value.message


def test_bytes_that_are_not_utf8_are_an_error_on_their_line():
    lines = TR.split(b"\n")
    lines[30] = lines[30].replace(b'"', b'"\xff', 1)
    with pytest.raises(CatalogError) as caught:
        decode_po(b"\n".join(lines), "x.po")
    assert caught.value.line == 31 and "not UTF-8" in caught.value.message


def test_a_directory_is_not_a_catalog(tmp_path: Path):
    (tmp_path / "x.po").mkdir()
    with pytest.raises(CatalogError, match="this path is a directory"):
        read_po(tmp_path / "x.po", "x.po")
