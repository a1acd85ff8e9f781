"""The translation checks do work linear in the length of the text, and their faster
indexes give the findings of their definitions.

Speed itself is measured by bench/check_bench.py, never here. What is asserted is
counted, not timed: the Python lines a check runs (``sys.settrace``) on a text of each
shape of tests/fixtures/checks/long-texts.toml at two lengths, four times apart. A
check that reads the text again for every number (or compares every pair of
paragraphs) runs about sixteen times the lines on the longer text; a linear one, four.
Work done inside regular expressions is not counted here: the benchmark shows it.
"""

from __future__ import annotations

import random
import re
import sys
import tomllib
from collections.abc import Callable
from decimal import Decimal

import pytest
from conftest import FIXTURES, body_document

from pressroom import checks
from pressroom.checks import notation, source
from pressroom.errors import Report
from pressroom.segments.body import Body, footnote_labels, parse_document_body, parse_inline

SHAPES = tomllib.loads((FIXTURES / "checks" / "long-texts.toml").read_text(encoding="utf-8"))["shape"]
EMPTY = Body("case.md", [], {}, [])
SHORT, LONG = 1_000, 4_000
LINEAR = 5.0
"""Most the longer text may cost, relative to the shorter (linear work: about 4)."""


def long_text(shape: dict, size: int) -> str:
    prefix, unit = shape.get("prefix", ""), shape["unit"]
    return (prefix + unit * (size // len(unit) + 1))[:size]


def lines_run(work: Callable[[], object]) -> int:
    """How many lines of Python ``work`` runs (deterministic: no clock involved)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += event == "line"
        return tracer

    sys.settrace(tracer)
    try:
        work()
    finally:
        sys.settrace(None)
    return count


def checked(text: str, ui: bool) -> Callable[[], object]:
    pair = checks.Pair(text, text, "en", "tr", EMPTY, ui=ui)
    pair.source, pair.target  # noqa: B018 - parsed before counting: the checks are measured, not markdown-it
    return lambda: checks.check_pair(pair)


@pytest.mark.parametrize("shape", SHAPES, ids=[s["name"] for s in SHAPES])
def test_translation_checks_do_linear_work(shape):
    ui = shape.get("ui", False)
    short = lines_run(checked(long_text(shape, SHORT), ui))
    long = lines_run(checked(long_text(shape, LONG), ui))
    assert long <= LINEAR * max(short, 1), f"{shape['name']}: {short} lines, then {long} ({shape['why']})"


def document(paragraphs: int, seed: int, words: tuple[int, int] = (4, 30)) -> Body:
    rng = random.Random(seed)
    vocabulary = ["alliance", "sanctions", "security", "treaty", "border", "energy", "pipeline", "summit", "council"]
    texts: list[str] = []
    for i in range(paragraphs):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(*words))) + "."
        if texts and i % 5 == 0:  # repeats, alone or glued to another paragraph
            text = rng.choice([rng.choice(texts), rng.choice(texts) + " " + text, text + " " + rng.choice(texts)])
        texts.append(text)
    return parse_document_body(body_document("\n\n".join(texts) + "\n"), Report())


def test_repeated_paragraphs_are_found_in_linear_work():
    # Short paragraphs: only equal ones count, so the work is the comparisons alone
    # (a regular expression compiled per long paragraph would hide them at this size).
    doc, small, large = body_document(""), document(100, 1, (2, 6)), document(400, 1, (2, 6))
    short = lines_run(lambda: list(source.repeated_paragraph(doc, small)))
    long = lines_run(lambda: list(source.repeated_paragraph(doc, large)))
    assert long <= LINEAR * short, (short, long)


# -- the indexes give what the definitions give -------------------------------------------


def repeated_by_definition(body: Body) -> list[tuple[int, str, str]]:
    """The check as first written: every paragraph against every earlier one."""

    def contains(outer: str, inner: str) -> bool:
        return re.search(rf"(?:^|\s){re.escape(inner)}(?:\s|$)", outer) is not None

    found, earlier = [], []
    for unit in body.units:
        if unit.kind not in source._PROSE:
            continue
        text = unit.msgid
        for other, line in earlier:
            if other == text:
                found.append((unit.line, f"paragraph repeats the paragraph on line {line}", text))
            elif len(text) >= source._MIN_REPEAT and contains(other, text):
                found.append((unit.line, f"paragraph repeats text of the paragraph on line {line} (printed twice?)", text))
            elif len(other) >= source._MIN_REPEAT and contains(text, other):
                found.append((unit.line, f"paragraph contains the whole paragraph on line {line} (printed twice?)", text))
            else:
                continue
            break
        earlier.append((text, unit.line))
    return found


@pytest.mark.parametrize("seed", range(40))
def test_repeated_paragraph_finds_what_its_definition_finds(seed):
    body = document(60, seed)
    found = list(source.repeated_paragraph(body_document(""), body))
    assert found == repeated_by_definition(body)
    assert found or seed % 10, "the generated documents do repeat paragraphs"


TOKENS = ["1", "2", "07", "10", "2023", ".", ",", " ", "\u00a0", "\u202f", "%", " %", "yüzde ", "per cent",
          "процент", "“", "”", "«", "»", '"', "a", "word ", "\n", "3,5", "10.000", "10 000"]


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(TOKENS) for _ in range(rng.randint(0, 40)))


def quoted_by_definition(text: str) -> bool:
    depth, straight = 0, False
    for ch in text:
        if ch in notation._OPENING:
            depth += 1
        elif ch in notation._CLOSING:
            depth = max(depth - 1, 0)
        elif ch == '"':
            straight = not straight
    return depth > 0 or straight


def number_starts(text: str) -> list[int]:
    """Where each number of ``text`` starts, found as ``_numbers`` finds them."""
    starts = []
    for m in notation._NUMBER.finditer(text):
        start, pieces = m.start(), [m.group()]
        if any(s in m.group() for s in notation._SPACES) and not notation._SPACED.fullmatch(m.group()):
            pieces = re.split(f"[{notation._SPACES}]", m.group())
        for piece in pieces:
            start = text.index(piece, start)
            starts.append(start)
            start += len(piece)
    return starts


def test_numbers_are_read_as_their_definition_reads_them():
    rng = random.Random(5)
    for _ in range(3000):
        text = random_text(rng)
        found = notation._numbers(text, "tr", "en")
        starts = number_starts(text)
        assert len(found) == len(starts)
        for number, start in zip(found, starts, strict=True):
            end = start + len(number.text)
            percent = bool(notation._PERCENT_AFTER.match(text, end) or notation._PERCENT_BEFORE.search(text[:start]))
            assert (number.percent, number.quoted) == (percent, quoted_by_definition(text[:start])), (text, number)


def matched_by_definition(source_numbers, target_numbers) -> tuple[list, list]:
    """The matching as first written: a scan of the translation's numbers per number."""
    target = list(target_numbers)

    def same(s, t) -> bool:
        if s.value is None:
            return s.digits == t.digits
        return s.value == t.value or (t.quoted and s.value == t.foreign)

    left = []
    for s in source_numbers:
        if (t := next((t for t in target if t.percent == s.percent and same(s, t)), None)) is not None:
            target.remove(t)
        else:
            left.append(s)
    foreign = []
    for s in left:
        t = next((t for t in target if t.percent == s.percent and s.value is not None and s.value == t.foreign), None)
        if t is not None:
            target.remove(t)
            foreign.append(t)
    return left, foreign


def test_numbers_are_matched_as_their_definition_matches_them():
    rng = random.Random(9)
    values = [None, Decimal(1), Decimal("2.1"), Decimal("2.10"), Decimal(10000)]
    for _ in range(2000):

        def number(rng=rng):
            return notation._Number(str(rng.randint(0, 3)), rng.random() < 0.3, rng.choice(values),
                                    (str(rng.randint(0, 2)),), rng.choice(values), rng.random() < 0.5)

        sources = [number() for _ in range(rng.randint(0, 8))]
        targets = [number() for _ in range(rng.randint(0, 8))]
        pool = notation._Pool(targets)
        left = []
        for s in sources:
            keys = ([("digits", s.percent, s.digits)] if s.value is None
                    else [("value", s.percent, s.value), ("quoted", s.percent, s.value)])
            if pool.take(*keys) is None:
                left.append(s)
        foreign = [t for s in left if s.value is not None and (t := pool.take(("foreign", s.percent, s.value)))]
        expected_left, expected_foreign = matched_by_definition(sources, targets)
        assert [id(x) for x in left] == [id(x) for x in expected_left]
        assert foreign == expected_foreign


@pytest.mark.parametrize(("msgid", "msgstr", "message"), [
    # More digits than decimal's precision: Babel's rounding refused them (an internal error).
    ("The figure 123456789012345678901234567890 rose.", "Rakam arttı.",
     "missing from the translation: 123456789012345678901234567890"),
    ("Up " + "9" * 5000 + "% now.", "Şimdi arttı.", "9" * 5000 + "%"),
])
def test_numbers_longer_than_decimal_precision_are_reported(msgid, msgstr, message):
    found = checks.check_pair(checks.Pair(msgid, msgstr, "en", "tr", EMPTY))
    assert [c.name for c, _ in found] == ["numbers"] and message in found[0][1]


@pytest.mark.parametrize(("text", "placeholders"), [
    ("%(name)s and %(count)d", {"%(name)s", "%(count)d"}),
    ("%(a)08.2f %(b)0s", {"%(a)08.2f", "%(b)0s"}),
    ("%(%(name)s", {"%(name)s"}),  # a name stops at "(": the second opening starts it
    ("%(" * 50 + "x", set()),
])
def test_prose_placeholders(text, placeholders):
    from pressroom.checks.formatting import _placeholders

    assert _placeholders(text, formatted=False) == placeholders


def test_a_note_call_label_reads_as_markdown_it_reads_it():
    body = parse_document_body(body_document("A[^b] c.[^1]\n\n[^b]: Note.\n\n[^1]: One.\n"), Report())
    for text in ["x [^a[^b] y", "[^[^[^b]", "[^1] [^b]", "[^zz] and [^b]"]:
        parsed = parse_inline(text, body)
        calls = sorted(c.meta["label"] for c in parsed.children if c.type == "footnote_ref")
        defined, _ = footnote_labels(text, body)  # the shortcut: no parse for plain prose
        assert sorted(defined.elements()) == calls, text
