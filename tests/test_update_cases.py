"""Update/merge cases as data: tests/fixtures/update/<case>/ holds the source before
and after an edit, the Turkish catalog before, and the catalog ``update`` must write
(golden; regenerate with PRESSROOM_REGEN=1 and review the diff)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from pressroom.catalogs.merge import fuzzy_matches, merge
from pressroom.catalogs.templates import document_template
from pressroom.config import load_config
from pressroom.errors import Report
from pressroom.po import read_po, serialize
from pressroom.segments.body import parse_document_body
from pressroom.sources.documents import parse_document

CASES = sorted(p for p in (FIXTURES / "update").iterdir() if p.is_dir())
FIXED = "2024-03-01 12:00+0000"


def _template(markdown: str):
    config = load_config(ROOT)
    report = Report()
    doc = parse_document(markdown, "content/analyses/sample.md", "analysis", config.languages, report)
    template = document_template(config, doc, parse_document_body(doc, report))
    template.set_header_field("POT-Creation-Date", FIXED)
    return template


def _merged(case: Path) -> bytes:
    catalog = read_po(case / "before.po", "before.po")
    return serialize(merge(catalog, _template((case / "after.md").read_text(encoding="utf-8")))).encode()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_update_case(case: Path):
    got = _merged(case)
    if os.environ.get("PRESSROOM_REGEN"):
        (case / "expected.po").write_bytes(got)
    assert got.decode() == (case / "expected.po").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_update_loses_no_translation_and_is_idempotent(case: Path, tmp_path: Path):
    before = read_po(case / "before.po", "before.po")
    strings = {e.msgstr for e in before.entries if e.msgid and e.msgstr}
    merged_path = tmp_path / "merged.po"
    merged_path.write_bytes(_merged(case))
    after = read_po(merged_path, "merged.po")
    kept = {e.msgstr for e in after.entries if e.msgid and e.msgstr}
    assert strings <= kept
    again = merge(after, _template((case / "after.md").read_text(encoding="utf-8")))
    assert serialize(again).encode() == merged_path.read_bytes()


@pytest.mark.parametrize(
    ("old", "new", "cutoff", "matched"),
    [
        ("Ministers will meet again in Brussels next month.", "Ministers will meet again in Brussels in June.", 0.6, True),
        ("Exceptions", "Functions", 0.6, False),
        ("The alliance agreed on new sanctions against the energy sector.",
         "Oil exports fell by a third as tankers avoided the route.", 0.6, False),
        ("The alliance agreed on new sanctions.", "The alliance agreed on tough new sanctions today.", 0.9, False),
        ("The alliance agreed on new sanctions.", "The alliance agreed on tough new sanctions today.", 0.6, True),
    ],
)
def test_fuzzy_matching_cutoff(old, new, cutoff, matched):
    assert (fuzzy_matches([new], [old], cutoff) == {new: old}) is matched
