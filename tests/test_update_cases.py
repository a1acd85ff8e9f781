"""Update/merge cases as data: tests/fixtures/update/<case>/ holds the source before
and after an edit, the Turkish catalog before, and the catalog ``update`` must write
(golden; regenerate with PRESSROOM_REGEN=1 and review the diff)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from pressroom import catalogs
from pressroom.config import load_config
from pressroom.content import parse_document
from pressroom.errors import Report
from pressroom.merge import fuzzy_matches, merge

CASES = sorted(p for p in (FIXTURES / "update").iterdir() if p.is_dir())
FIXED = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def _template(markdown: str):
    config = load_config(ROOT)
    report = Report()
    doc = parse_document(markdown, "content/analyses/sample.md", "analysis", config.languages, report)
    template = catalogs.document_template(config, doc, catalogs.parse_document_body(doc, report))
    template.creation_date = FIXED
    return template


def _merged(case: Path) -> bytes:
    catalog = catalogs.read_catalog(case / "before.po", "before.po", "tr", "sample")
    return catalogs.serialize(merge(catalog, _template((case / "after.md").read_text(encoding="utf-8"))))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_update_case(case: Path):
    got = _merged(case)
    if os.environ.get("PRESSROOM_REGEN"):
        (case / "expected.po").write_bytes(got)
    assert got.decode() == (case / "expected.po").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_update_loses_no_translation_and_is_idempotent(case: Path, tmp_path: Path):
    before = catalogs.read_catalog(case / "before.po", "before.po", "tr", "sample")
    strings = {m.string for m in [*before, *before.obsolete.values()] if m.id and m.string}
    merged_path = tmp_path / "merged.po"
    merged_path.write_bytes(_merged(case))
    after = catalogs.read_catalog(merged_path, "merged.po", "tr", "sample")
    kept = {m.string for m in [*after, *after.obsolete.values()] if m.id and m.string}
    assert strings <= kept
    again = merge(after, _template((case / "after.md").read_text(encoding="utf-8")))
    assert catalogs.serialize(again) == merged_path.read_bytes()


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
