"""How to cite: the "Cite this analysis" line of every analysis page and PDF in its
language's convention (``tests/fixtures/citations.txt``), and the BibTeX and RIS
files beside each page, read back by bibtexparser (its LaTeX decoded by pylatexenc)
and rispy, for the published analyses and for hostile texts
(``tests/fixtures/citation/texts.json``): braces, backslashes, LaTeX specials, line
breaks, control characters, text that looks like a field or a record's end.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bs4 import BeautifulSoup
from conftest import FIXTURES, PUBLISHED_BASE
from pdfcheck import read_pdf
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from pressroom.html.citation import Citation, bibtex, ris, sort_name
from pressroom.sources.frontmatter import MonthDate

LANGS = ("en", "tr", "ru")
SLUGS = ("us-role-in-nato-russia-tensions", "how-nato-should-refine-its-russia-policy")
TEXTS = json.loads((FIXTURES / "citation" / "texts.json").read_text(encoding="utf-8"))


def _decoder() -> LatexNodes2Text:
    """pylatexenc's LaTeX-to-text, with the text commands it lacks or reads otherwise."""
    db = get_default_latex_context_db()
    db.add_context_category("textcommands", prepend=True, macros=[
        MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textbackslash", "\\"), MacroTextSpec("textasciitilde", "~"),
        MacroTextSpec("textasciicircum", "^"),
    ])
    return LatexNodes2Text(latex_context=db, math_mode="verbatim", strict_latex_spaces=True)


DECODE = _decoder()


def one_line(text: str) -> str:
    """What a one-line field keeps of ``text``: words, single spaces, no control characters."""
    return " ".join("".join(ch for ch in text if ch.isspace() or ch.isprintable()).split())


def parse_bibtex(text: str) -> dict[str, str]:
    """The one entry of ``text``, its fields decoded (one level of braces off)."""
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [] and len(library.entries) == 1, text
    entry = library.entries[0]
    fields = {field.key: field.value for field in entry.fields}
    fields["ENTRYTYPE"], fields["ID"] = entry.entry_type, entry.key
    return fields


def latex_text(value: str) -> str:
    return DECODE.latex_to_text(value)


def parse_ris(text: str) -> dict:
    records = rispy.loads(text)
    assert len(records) == 1, text
    return records[0]


def _lines() -> list:
    cases = []
    for number, line in enumerate((FIXTURES / "citations.txt").read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            site, lang, slug, expected = (field.strip() for field in line.split(" | ", 3))
            cases.append(pytest.param(site, lang, slug, expected, id=f"citations.txt:{number}:{site}-{lang}-{slug[:6]}"))
    return cases


def _page(site: Path, lang: str, slug: str) -> BeautifulSoup:
    return BeautifulSoup((site / lang / "analyses" / slug / "index.html").read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize(("which", "lang", "slug", "expected"), _lines())
def test_cite_line_in_the_languages_convention(built_project, published_project, which, lang, slug, expected):
    site = (built_project if which == "seed" else published_project) / "site"
    doc = _page(site, lang, slug)
    section = doc.select_one("section.cite")
    assert section.h2.get_text() == {"en": "Cite this analysis", "tr": "Atıf için", "ru": "Для цитирования"}[lang]
    assert one_line(section.select_one(".citation").get_text()) == expected
    links = section.select(".cite-files a")
    assert [(a.get_text(), a["type"]) for a in links] == [
        ("BibTeX", "application/x-bibtex"), ("RIS", "application/x-research-info-systems")]
    page_dir = site / lang / "analyses" / slug
    for a in links:
        target = a["href"].removeprefix(f"{PUBLISHED_BASE}/{lang}/analyses/{slug}/")
        assert (page_dir / target).is_file() and a.has_attr("download")


@pytest.mark.pdf
@pytest.mark.parametrize(("which", "lang", "slug", "expected"), [c for c in _lines() if c.values[0] == "seed"])
def test_cite_line_in_the_pdf(built_project, which, lang, slug, expected):
    pages = read_pdf(built_project / "site" / lang / "analyses" / slug / f"{slug}.{lang}.pdf")
    label = {"en": "Cite this analysis:", "tr": "Atıf için:", "ru": "Для цитирования:"}[lang]
    text = pages[-1].text
    assert label in text
    printed = text[text.index(label) + len(label):]
    # the colophon is not hyphenated: the line reads back whole, whatever its line breaks
    assert "".join(printed.split()).startswith("".join(expected.split()))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("slug", SLUGS)
def test_citation_files_read_back_as_the_page_says(published_project, lang, slug):
    site = published_project / "site"
    doc = _page(site, lang, slug)
    title, summary = doc.h1.get_text(), doc.select_one("p.summary").get_text()
    tags = [t.get_text() for t in doc.select(".tags .tag")]
    publisher = slug == SLUGS[1]  # "Published by The Editors": cited by its title
    author = doc.select_one(".byline a[rel=author]").get_text()
    url = f"{PUBLISHED_BASE}/{lang}/analyses/{slug}/"
    month_only = slug == SLUGS[1]

    fields = parse_bibtex((site / lang / "analyses" / slug / f"{slug}.{lang}.bib").read_text(encoding="utf-8"))
    assert fields["ENTRYTYPE"] == "misc" and fields["ID"] == f"{slug}-{lang}"
    assert latex_text(fields["title"]) == title
    assert ("author" in fields) == (not publisher)
    if not publisher:
        assert latex_text(fields["author"]) == sort_name(author)
    assert fields["url"] == url and fields["howpublished"] == rf"\url{{{url}}}"
    assert latex_text(fields["organization"]) == "Pressroom Analyses"
    assert latex_text(fields["abstract"]) == summary
    assert [latex_text(k) for k in fields["keywords"].split(", ")] == tags
    assert fields["date"] == ("2024-11" if month_only else "2023-12-17")
    assert (fields["year"], fields["month"]) == (("2024", "nov") if month_only else ("2023", "dec"))
    assert fields["langid"] == {"en": "english", "tr": "turkish", "ru": "russian"}[lang]

    raw = (site / lang / "analyses" / slug / f"{slug}.{lang}.ris").read_bytes()
    assert raw.endswith(b"ER  - \r\n") and raw.count(b"\r\n") == raw.count(b"\n")
    record = parse_ris(raw.decode("utf-8"))
    assert record["type_of_reference"] == "ELEC" and record["id"] == f"{slug}-{lang}"
    assert record["title"] == title and record["abstract"] == summary and record["keywords"] == tags
    assert record.get("authors") == (None if publisher else [sort_name(author)])
    assert record["urls"] == [url] and record["language"] == lang
    assert record["publisher"] == record["secondary_title"] == "Pressroom Analyses"
    assert record["date"] == ("2024/11//" if month_only else "2023/12/17/")
    assert record["year"] == ("2024" if month_only else "2023")


def test_the_seed_site_cites_without_an_address(built_project):
    text = (built_project / "site" / "tr" / "analyses" / SLUGS[0] / f"{SLUGS[0]}.tr.bib").read_text(encoding="utf-8")
    fields = parse_bibtex(text)
    assert "url" not in fields and "howpublished" not in fields
    record = parse_ris((built_project / "site" / "tr" / "analyses" / SLUGS[0] / f"{SLUGS[0]}.tr.ris").read_text())
    assert "urls" not in record and "Y2" not in record and "access_date" not in record


def _citation(text: str, date: dt.date = dt.date(2023, 12, 17)) -> Citation:
    return Citation(slug="case", lang="tr", title=text, author=text, institute=text, date=date,
                    url="https://example.org/a%20b/", summary=text, tags=(text, "plain"))


@pytest.mark.parametrize("text", TEXTS, ids=[f"texts.json:{n}" for n in range(len(TEXTS))])
def test_hostile_text_round_trips_through_bibtex(text):
    fields = parse_bibtex(bibtex(_citation(text)))
    expected = one_line(text)
    assert set(fields) == {"ENTRYTYPE", "ID", "author", "title", "howpublished", "url", "organization", "year",
                           "month", "date", "langid", "keywords", "abstract"}  # nothing injected
    assert latex_text(fields["title"]) == expected
    assert latex_text(fields["organization"]) == expected
    assert latex_text(fields["abstract"]) == expected
    assert latex_text(fields["author"]) == sort_name(text)
    tags = latex_text(fields["keywords"])
    assert tags == f"{expected}, plain"
    assert fields["howpublished"] == r"\url{https://example.org/a\%20b/}" and fields["url"] == "https://example.org/a%20b/"


@pytest.mark.parametrize("text", TEXTS, ids=[f"texts.json:{n}" for n in range(len(TEXTS))])
def test_hostile_text_round_trips_through_ris(text):
    record = parse_ris(ris(_citation(text, MonthDate(2024, 11))))
    expected = one_line(text)
    present = {key: value for key, value in record.items() if value}
    if expected:
        assert record["title"] == record["abstract"] == record["publisher"] == expected
        assert record["authors"] == [sort_name(text)] and record["keywords"] == [expected, "plain"]
    assert present["type_of_reference"] == "ELEC" and present["id"] == "case-tr"
    assert present["date"] == "2024/11//" and present["urls"] == ["https://example.org/a%20b/"]
    assert set(record) <= {"type_of_reference", "id", "authors", "title", "secondary_title", "publisher", "year",
                           "date", "urls", "language", "keywords", "abstract"}  # nothing injected


def test_names_are_sorted_family_first_but_not_split_at_and():
    assert sort_name("Zeki Talustan Gülten") == "Gülten, Zeki Talustan"
    assert sort_name("Зеки Талустан Гюльтен") == "Гюльтен, Зеки Талустан"
    assert sort_name("Gülten, Zeki") == "Gülten, Zeki"
    assert sort_name("Plato") == "Plato"
    assert sort_name("Smith and Sons") == "Smith and Sons"
    fields = parse_bibtex(bibtex(_citation("Smith and Sons")))
    assert fields["author"] == "{Smith and Sons}"  # one name, not two authors
