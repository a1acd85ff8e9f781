"""The PO writer (``pressroom.po.writer``): the project's catalogs are its fixed
points; its strings and comments are wrapped exactly as Babel's writer wraps them
(the format the catalogs have always had), except ``#|``/``#~`` lines, which use
the 76 columns too; nothing in its output comes from the installed Babel."""

from __future__ import annotations

import random

import pytest
from babel.messages.pofile import normalize as babel_normalize
from babel.util import TextWrapper
from conftest import FIXTURES, ROOT

from pressroom.po import Entry, PoFile, parse, read_po, serialize
from pressroom.po.strings import WIDTH, normalize
from pressroom.po.writer import wrap

PROJECT = sorted([*ROOT.glob("locales/**/*.po"), *ROOT.glob("locales/**/*.pot"),
                  *FIXTURES.glob("update/*/expected.po")])


@pytest.mark.parametrize("path", PROJECT, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogs_in_the_project_format_are_written_back_byte_for_byte(path):
    assert serialize(read_po(path, path.name)).encode("utf-8") == path.read_bytes()


def _texts(count: int, seed: int) -> list[str]:
    """Texts from the catalogs' own, cut, joined and sprinkled with what wrapping
    treats specially (hyphens, em-dashes, long words, newlines, odd white space)."""
    rng = random.Random(seed)
    words = [w for p in PROJECT for e in read_po(p, p.name).entries for w in (e.msgid + " " + e.msgstr).split(" ")]
    extras = ["well-known", "--", "—", "x" * 90, "\n", "\t", "\u00a0", "  ", "a-b-c-d", '"quoted"', "back\\slash",
              "https://example.org/a-very-long-path/with-hyphens-and-more-hyphens/index.html", "\u2028", "-", ""]
    texts = []
    for _ in range(count):
        n = rng.randint(1, 60)
        texts.append(" ".join(rng.choice(words) if rng.random() < 0.8 else rng.choice(extras) for _ in range(n)))
    return texts


def test_strings_wrap_as_babel_wraps_them():
    for text in _texts(3000, 1):
        assert normalize(text) == babel_normalize(text, width=WIDTH), text


def test_comments_wrap_as_babel_wraps_them():
    wrapper = TextWrapper(width=WIDTH, break_long_words=False)
    header = TextWrapper(width=WIDTH, subsequent_indent="# ", break_long_words=False)
    for text in _texts(3000, 2):
        assert wrap(text) == wrapper.wrap(text), text
        assert wrap("# " + text, WIDTH, "# ") == header.wrap("# " + text), text


def test_previous_and_obsolete_lines_use_the_76_columns():
    """``#|`` and ``#~`` lines are wrapped at 76 columns, their prefix counted once
    (they were wrapped at about 40)."""
    old = ("The alliance agreed on new sanctions against the energy sector in March, after a long debate "
           "among its members about the price cap and the exemptions for pipeline deliveries.[^1]")
    po = PoFile([
        Entry("New text.", "Yeni metin.", flags=["fuzzy"], previous=old),
        Entry(old, "İttifak, uzun bir tartışmanın ardından Mart ayında enerji sektörüne yönelik yeni yaptırımlar "
                   "üzerinde uzlaştı.[^1]", obsolete=True, previous=old),
    ])
    text = serialize(po)
    marked = [line for line in text.split("\n") if line.startswith(("#|", "#~"))]
    assert {line[:3] for line in marked} == {"#| ", "#~ ", "#~|"}
    assert all(len(line) <= WIDTH for line in marked), marked
    assert max(len(line) for line in marked) > 70, marked
    again = parse(text)
    assert again.entries[0].previous == old and again.entries[1].msgid == old


def test_what_the_writer_writes_does_not_come_from_babel(monkeypatch):
    """The output is the same whatever Babel says its version is (Babel's writer put
    its version into every header, so that a new Babel changed every catalog)."""
    import babel
    import babel.messages.catalog

    path = ROOT / "locales/ru/LC_MESSAGES/messages.po"
    before = serialize(read_po(path, "messages.po"))
    monkeypatch.setattr(babel, "__version__", "9.99.0")
    monkeypatch.setattr(babel.messages.catalog, "VERSION", "9.99.0")
    assert serialize(read_po(path, "messages.po")) == before
    assert "9.99" not in before
