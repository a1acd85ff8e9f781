"""The glossary (``locales/<lang>/glossary.csv``) and its ``glossary`` check.

Data-first: tests/fixtures/glossary/matches.txt says which texts use which terms
(inflection, Turkish apostrophes and dotted/dotless i, case-sensitive rows);
rows.txt holds glossary files, good and bad, and what ``check`` says of them.
Then the check on a copy of the real project, whose seed glossaries the shipped
translations follow.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXTURES

from pressroom.checks import Pair, check_pair
from pressroom.glossary import Glossary, Term, read_glossary
from pressroom.segments.body import Body

CASES = FIXTURES / "glossary"
TR_PO = "locales/tr/LC_MESSAGES/how-nato-should-refine-its-russia-policy.po"
RU_PO = "locales/ru/LC_MESSAGES/how-nato-should-refine-its-russia-policy.po"


def _matches():
    for number, line in enumerate((CASES / "matches.txt").read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            lang, term, text, expected, *case = (part.strip() for part in line.split("|"))
            yield pytest.param(lang, term, text, expected == "yes", bool(case), id=f"matches.txt:{number}")


@pytest.mark.parametrize(("lang", "term", "text", "expected", "case_sensitive"), list(_matches()))
def test_match(lang, term, text, expected, case_sensitive):
    row = Term("source", term, "", case_sensitive, "", "g.csv", 2)
    assert Glossary(lang, "g.csv", [row]).translated(row, text) is expected
    # the same matching finds the term in a source text
    source = Term(term, "x", "", case_sensitive, "", "g.csv", 2)
    found = Glossary("xx", "g.csv", [source]).in_source(text, lang)
    assert bool(found) is expected


def _rows():
    text = (CASES / "rows.txt").read_text(encoding="utf-8")
    for block in text.split("=====\n")[1:]:
        title, rest = block.split("\n", 1)
        _, content, expected = rest.split("-----\n")
        problems = [] if expected.strip() == "none" else [
            (None if line.split(": ", 1)[0] == "-" else int(line.split(": ", 1)[0]), line.split(": ", 1)[1])
            for line in expected.strip().splitlines()
        ]
        yield pytest.param(content, problems, id=title)


@pytest.mark.parametrize(("content", "expected"), list(_rows()))
def test_rows(content, expected):
    glossary, problems = read_glossary(content.encode("utf-8"), "locales/tr/glossary.csv", "tr")
    assert [(p.line, p.severity, p.check) for p in problems] == [(line, "error", "glossary") for line, _ in expected]
    for problem, (_, message) in zip(problems, expected):
        assert message in problem.message
        assert str(problem).startswith(f"locales/tr/glossary.csv{':' + str(problem.line) if problem.line else ''}: error:")
    good_rows = [line for line in content.splitlines()[1:] if line.strip()]
    assert len(glossary.terms) <= len(good_rows)


def test_not_utf8_names_the_line():
    _, problems = read_glossary(b"source,target\nA,B\nC,\xff\n", "g.csv", "tr")
    assert [(p.line, p.message) for p in problems] == [(3, "not UTF-8 (byte 0xff)")]


def test_check_kept_title_and_approved_term():
    glossary = Glossary("tr", "g.csv", [Term("sanctions", "yaptırım", "", False, "noun", "g.csv", 2)])
    body = Body("case.md", [], {}, [])

    def names(msgid, msgstr):
        return [c.name for c, _ in check_pair(Pair(msgid, msgstr, "en", "tr", body, glossary=glossary))]

    assert names("New sanctions.", "Yeni yaptırımlar.") == []
    assert names("New sanctions.", "Yeni kısıtlamalar.") == ["glossary"]
    # a citation's title stays as published: the term kept as written needs no translation
    assert names("“EU Sanctions”, Reuters.", "“EU Sanctions”, Reuters.") == []
    assert names("“EU Sanctions” and sanctions.", "“EU Sanctions” ve kısıtlamalar.") == ["glossary"]
    # a URL is no use of a term
    assert names("See https://example.org/sanctions now.", "Bkz. https://example.org/sanctions şimdi.") == []
    # no glossary, no finding
    assert [c.name for c, _ in check_pair(Pair("New sanctions.", "Yeni.", "en", "tr", body))] == []


# -- the command on the real project -----------------------------------------------------


def _replace(project: Path, path: str, old: str, new: str) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_seed_glossaries_are_followed(project: Path, run):
    for lang in ("tr", "ru"):
        glossary, problems = read_glossary((project / f"locales/{lang}/glossary.csv").read_bytes(), "g", lang)
        assert problems == [] and len(glossary.terms) >= 10
    code, out, err = run(project, "check", "--strict")
    assert (code, out) == (0, ""), out


def test_a_term_translated_otherwise_is_a_warning(project: Path, run):
    # The summary's "Kurucu Senedi" becomes "Kuruluş Yasası": the term is reported at
    # the entry's msgid line; the other Founding Act entries keep theirs.
    _replace(project, TR_PO, "1997 tarihli NATO-Rusya Kurucu Senedi hakkında", "1997 tarihli Kuruluş Yasası hakkında")
    _replace(project, RU_PO, "Основополагающему акту Россия — НАТО 1997 года", "Учредительному акту 1997 года")
    code, out, _ = run(project, "check", "--format", "json")
    found = [f for f in json.loads(out) if f["check"] == "glossary"]
    assert code == 0  # a warning
    assert [(f["path"], f["line"], f["severity"]) for f in found] == [
        (RU_PO, 26, "warning"),
        (TR_PO, 25, "warning"),
    ]
    assert "“Founding Act” is “Kurucu Senet” in the glossary" in found[1]["message"]
    assert "(locales/tr/glossary.csv:2)" in found[1]["message"]
    code, out, _ = run(project, "check", "--strict", "--lang", "tr")
    assert code == 1
    assert re.search(rf"^{re.escape(TR_PO)}:25: warning: .*\[glossary\]$", out, re.MULTILINE)


def test_flag_silences_it(project: Path, run):
    _replace(project, TR_PO, "1997 tarihli NATO-Rusya Kurucu Senedi hakkında", "1997 tarihli Kuruluş Yasası hakkında")
    _replace(project, TR_PO, "#. summary\n", "#. summary\n#, no-glossary-check\n")
    code, out, _ = run(project, "check", "--strict", "--lang", "tr")
    assert (code, out) == (0, "")


def test_bad_rows_are_errors_at_their_lines(project: Path, run):
    path = project / "locales/tr/glossary.csv"
    path.write_text(path.read_text(encoding="utf-8") + "Kremlin,,,,\nEU,AB,,maybe,\n", encoding="utf-8")
    rows = len(path.read_text(encoding="utf-8").splitlines())
    code, out, err = run(project, "check", "--lang", "tr")
    assert code == 1
    assert out.splitlines() == [
        f"locales/tr/glossary.csv:{rows - 1}: error: a term needs both a source and a target (source 'Kremlin', target '') [glossary]",
        f"locales/tr/glossary.csv:{rows}: error: case-sensitive is yes or no, not 'maybe' [glossary]",
    ]
    assert "Traceback" not in err
    # the good rows still count
    _replace(project, TR_PO, "1997 tarihli NATO-Rusya Kurucu Senedi hakkında", "1997 tarihli Kuruluş Yasası hakkında")
    code, out, _ = run(project, "check", "--lang", "tr")
    assert f"{TR_PO}:25: warning:" in out
