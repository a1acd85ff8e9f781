"""Front-matter dates: a day or a month, read from the source, shown per locale.

The cases are ``fixtures/dates.txt``, one per line (the line number is the test id);
invalid values are in the bad.* corpus (``bad.month-*.md``)."""

from __future__ import annotations

import datetime as dt
import pickle

import pytest
from conftest import FIXTURES

from pressroom.errors import Report
from pressroom.html.pages import long_date
from pressroom.sources.documents import parse_document
from pressroom.sources.frontmatter import MonthDate, month_date

LOCALES = {"en": "en_GB", "tr": "tr", "ru": "ru"}
"""The site's date locales (``date_locales``: en is written the British way)."""


def _cases() -> list:
    cases = []
    lines = (FIXTURES / "dates.txt").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if line.strip() and not line.startswith("#"):
            value, iso, *shown = (part.strip() for part in line.split(" | "))
            cases.append(pytest.param(value, iso, dict(zip(LOCALES, shown)), id=f"dates.txt:{number}"))
    return cases


def _source(value: str) -> str:
    return f"---\ntitle: Dated\ndate: {value}\nauthor: editors\nlang: en\nsummary: Summary.\n---\n\nBody.\n"


@pytest.mark.parametrize(("value", "iso", "shown"), _cases())
def test_dates_are_read_and_shown_in_each_locale(value: str, iso: str, shown: dict[str, str]):
    report = Report()
    doc = parse_document(_source(value), "content/analyses/dated.md", "analysis", tuple(LOCALES), report)
    assert doc is not None and not report.problems
    date = doc.meta["date"]
    assert isinstance(date, dt.date) and date.isoformat() == iso
    assert isinstance(date, MonthDate) == (len(value.strip('"')) == 7)
    for lang, text in shown.items():
        assert long_date(date, LOCALES[lang]) == text


def test_a_month_is_the_first_of_the_month_for_machines():
    month = MonthDate(2024, 11)
    assert month == dt.date(2024, 11, 1) and month.isoformat() == "2024-11-01"
    assert month.timetuple() == dt.date(2024, 11, 1).timetuple()  # the PDFs' source date
    assert sorted([dt.date(2024, 11, 20), month, dt.date(2024, 10, 31)])[1] is month
    copy = pickle.loads(pickle.dumps(month))  # as sent to the build's workers
    assert type(copy) is MonthDate and copy == month


def test_the_day_and_the_month_are_not_confused_by_the_cache():
    """MonthDate(2024, 11) == date(2024, 11, 1): the formatting cache must tell them apart."""
    for _ in range(2):
        assert long_date(MonthDate(2024, 11), "en_GB") == "November 2024"
        assert long_date(dt.date(2024, 11, 1), "en_GB") == "1 November 2024"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-11", MonthDate(2024, 11)), ("2024-1", None), ("2024-11-20", None), ("November 2024", None),
     ("24-11", None)],
)
def test_month_date_reads_only_year_and_two_digit_month(text: str, expected):
    assert month_date(text) == expected


@pytest.mark.parametrize("text", ["2024-13", "2024-00", "0000-05"])
def test_a_month_that_does_not_exist_is_refused(text: str):
    with pytest.raises(ValueError):
        month_date(text)
