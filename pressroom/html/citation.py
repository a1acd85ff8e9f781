"""An analysis in one language -> its citation: the data, and the BibTeX and RIS
files readers download beside the page (``<slug>.<lang>.bib``, ``<slug>.<lang>.ris``).

The "Cite this analysis" line on the page and in the PDF is the UI catalog's (each
language writes it in its own convention: templates/cite.html); the files are
written here, from the same data. Every value comes from a source or a catalog,
so every value is escaped for its format: LaTeX's special characters in BibTeX
(as text commands with balanced braces, which BibTeX counts whatever a backslash
says), line breaks and control characters in RIS (one line per field). Neither
file has an access date: that date is the reader's, and a placeholder would be
imported as data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypedDict

from babel import Locale

from ..sources.frontmatter import MonthDate


class CitationFile(TypedDict):
    format: str
    """The format's name as readers know it ("BibTeX", "RIS")."""
    url: str
    """Site-relative."""
    type: str
    """Its media type."""


@dataclass(frozen=True)
class Citation:
    """What a citation of an analysis in one language says."""

    slug: str
    lang: str
    title: str
    author: str | None
    """The author's name in this language; None when the byline names a publisher
    (``publisher: true``): the analysis is then cited by its title."""
    institute: str
    """The site's name."""
    date: dt.date
    """A day, or a ``MonthDate`` when only the month is known."""
    url: str
    """The page's absolute address, or "" without ``base_url``."""
    summary: str
    tags: tuple[str, ...]

    @property
    def key(self) -> str:
        """The BibTeX key and RIS ID, ``<slug>-<lang>`` (letters, digits, hyphens)."""
        return f"{self.slug}-{self.lang}"


FORMATS = (("BibTeX", "bib", "application/x-bibtex"), ("RIS", "ris", "application/x-research-info-systems"))


def citation_files(page_url: str, slug: str, lang: str) -> list[CitationFile]:
    """The citation files of the analysis page at ``page_url``."""
    return [CitationFile(format=name, url=f"{page_url}{slug}.{lang}.{ext}", type=mime) for name, ext, mime in FORMATS]


def write_citation_files(out: Path, page_url: str, citation: Citation) -> list[str]:
    """Write the citation files of ``citation`` into the site directory ``out``;
    returns them, site-relative."""
    written = []
    for file, text in zip(citation_files(page_url, citation.slug, citation.lang), (bibtex(citation), ris(citation))):
        path = out / file["url"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(file["url"])
    return written


def _one_line(text: str) -> str:
    """``text`` on one line: every run of white space (line breaks, U+2028…) one
    space, control characters dropped."""
    text = "".join(ch for ch in text if ch.isspace() or ch.isprintable())
    return " ".join(text.split())


_AND = re.compile(r"\band\b", re.IGNORECASE)


def sort_name(name: str) -> str:
    """"Family, Given" from a name written "Given Family" (its last word is taken
    as the family name); a name with a comma is taken as already in that form, and
    one with an "and" as no person's (it is left as it is)."""
    name = _one_line(name)
    given, _, family = name.rpartition(" ")
    return name if "," in name or _AND.search(name) or not given else f"{family}, {given}"


# -- BibTeX ------------------------------------------------------------------------------

_LATEX = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile("[" + re.escape("".join(_LATEX)) + "]")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


_LIGATURE = re.compile(r"(-(?=-)|`(?=`)|'(?=')|<(?=<)|>(?=>)|[!?](?=`))")
"""The first character of a pair TeX's fonts print as one ("--" as an en dash,
"``" and "''" as quotes, "<<" as a guillemet, "!`" as "¡")."""


def latex(text: str) -> str:
    """``text`` as BibTeX field text: one line, LaTeX's special characters as the
    commands that print them (every brace balanced), ligature pairs kept apart."""
    escaped = _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group()], _one_line(text))
    return _LIGATURE.sub(r"\1{}", escaped)


def _url_in_argument(url: str) -> str:
    r"""A URL inside ``\url{}`` in another field: ``%`` and ``#`` escaped, as inside
    any command's argument (``base_url`` has no braces or backslashes)."""
    return url.replace("%", r"\%").replace("#", r"\#")


@cache
def langid(lang: str) -> str:
    """The language as biblatex and babel name it ("english", "turkish")."""
    return (Locale.parse(lang).english_name or lang).lower()


def bibtex(c: Citation) -> str:
    """The BibTeX entry (``@misc``, which every style knows, with biblatex's
    ``date``, ``url`` and ``langid``)."""
    fields: list[tuple[str, str]] = []
    if c.author is not None:
        name = latex(sort_name(c.author))
        if _AND.search(name):
            name = "{" + name + "}"  # one name: BibTeX splits authors at "and"
        fields.append(("author", "{" + name + "}"))
    fields.append(("title", "{{" + latex(c.title) + "}}"))  # inner braces: the case as written
    if c.url:
        fields.append(("howpublished", r"{\url{" + _url_in_argument(c.url) + "}}"))
        fields.append(("url", "{" + c.url + "}"))
    fields.append(("organization", "{" + latex(c.institute) + "}"))
    fields.append(("year", "{" + f"{c.date.year:04d}" + "}"))
    fields.append(("month", _MONTHS[c.date.month - 1]))
    date = f"{c.date.year:04d}-{c.date.month:02d}" if isinstance(c.date, MonthDate) else c.date.isoformat()
    fields.append(("date", "{" + date + "}"))
    fields.append(("langid", "{" + langid(c.lang) + "}"))
    if c.tags:
        # a tag with a comma in braces: keywords are split at commas outside braces
        tags = ("{" + latex(tag) + "}" if "," in tag else latex(tag) for tag in c.tags)
        fields.append(("keywords", "{" + ", ".join(tags) + "}"))
    if c.summary:
        fields.append(("abstract", "{" + latex(c.summary) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@misc{{{c.key},\n{body},\n}}\n"


# -- RIS ---------------------------------------------------------------------------------


def ris(c: Citation) -> str:
    """The RIS record (``ELEC``, a web page), lines ending CR LF as RIS has them."""
    lines = [("TY", "ELEC"), ("ID", c.key)]
    if c.author is not None:
        lines.append(("AU", sort_name(c.author)))
    lines.append(("TI", c.title))
    lines.append(("T2", c.institute))
    lines.append(("PB", c.institute))
    lines.append(("PY", f"{c.date.year:04d}"))
    day = "" if isinstance(c.date, MonthDate) else f"{c.date.day:02d}"
    lines.append(("DA", f"{c.date.year:04d}/{c.date.month:02d}/{day}/"))
    if c.url:
        lines.append(("UR", c.url))
    lines.append(("LA", c.lang))
    lines.extend(("KW", tag) for tag in c.tags)
    if c.summary:
        lines.append(("AB", c.summary))
    text = "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines if _one_line(value))
    return text + "ER  - \r\n"
