"""Catalogs -> translation progress: entries and source words, translated / fuzzy /
untranslated / failing (and, of the translated, reviewed), per document and language
(``build.py stats``, the manifest, the site's translation-status pages and the editor).

*Failing* is a translation, not fuzzy, that the build does not publish because a
check calls it an error (``checks.gate`` decides; its caller says which entries it
refused): it counts neither as translated nor as done, since readers get the source
text in its place."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache

from babel.messages.catalog import Catalog, Message

from .catalogs.merge import WORD
from .po import CatalogMessage
from .po.review import is_reviewed


@dataclass(frozen=True)
class Counts:
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    failing: int = 0
    """Translated, but refused by an error-level check: the source text is published."""
    reviewed: int = 0
    """Of the translated, those marked reviewed (``po.review``)."""

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated + self.failing

    def as_dict(self) -> dict[str, int]:
        return {"translated": self.translated, "fuzzy": self.fuzzy, "untranslated": self.untranslated,
                "failing": self.failing, "reviewed": self.reviewed}


@dataclass(frozen=True)
class Progress:
    """The state of one document's catalog in one language: what the build publishes
    (translated), and why the rest is not (fuzzy, untranslated, failing a check)."""

    lang: str
    document: str
    """Source path (``content/analyses/<slug>.md``)."""
    catalog: str | None
    """Catalog path, or None for the source language."""
    entries: Counts
    words: Counts
    """Words of the source text of the entries."""

    @property
    def percent(self) -> float:
        return 100 * self.words.translated / self.words.total if self.words.total else 100.0

    @property
    def reviewed_percent(self) -> float:
        return 100 * self.words.reviewed / self.words.total if self.words.total else 100.0

    def as_dict(self) -> dict:
        return {"catalog": self.catalog, "entries": self.entries.as_dict(), "words": self.words.as_dict()}


def progress(
    lang: str, document: str, msgids: list[str], catalog: Catalog | Mapping[str, CatalogMessage] | None,
    path: str | None, refused: Collection[str] = (),
) -> Progress:
    """Count ``msgids`` (the document's current entries) by their state in ``catalog``
    (a Babel catalog or ``read_messages``' mapping); with no catalog (the source
    language) everything is translated. A translated msgid in ``refused`` (those
    ``checks.gate`` does not let the build publish) is failing."""
    entries = {"translated": 0, "fuzzy": 0, "untranslated": 0, "failing": 0, "reviewed": 0}
    counted = {"translated": 0, "fuzzy": 0, "untranslated": 0, "failing": 0, "reviewed": 0}
    for msgid in dict.fromkeys(msgids):
        reviewed = False
        if catalog is None and path is None:
            state = "translated"
            reviewed = True  # the source language's text is the source
        else:
            message = catalog.get(msgid) if catalog is not None else None
            if message is None or not message.string:
                state = "untranslated"
            elif message.fuzzy:
                state = "fuzzy"
            elif msgid in refused:
                state = "failing"
            else:
                state = "translated"
                reviewed = _reviewed(msgid, message)
        entries[state] += 1
        counted[state] += _word_count(msgid)
        if reviewed:
            entries["reviewed"] += 1
            counted["reviewed"] += _word_count(msgid)
    return Progress(lang, document, path, Counts(**entries), Counts(**counted))


def _reviewed(msgid: str, message: Message | CatalogMessage) -> bool:
    if isinstance(message, Message):  # read through Babel
        return is_reviewed(msgid, message.context, message.string, message.fuzzy, message.user_comments)
    return message.reviewed


@lru_cache(maxsize=4096)
def _word_count(text: str) -> int:
    # The same texts are counted for every language of a document: a few thousand
    # kept are enough. (65,536 kept a whole archive's paragraphs in each worker
    # process: 60 MB more at 5,000 analyses than at 500.)
    return len(WORD.findall(text))


def table(rows: list[Progress]) -> str:
    """A plain-text table for the terminal."""
    header = ("language", "document", "translated", "reviewed", "fuzzy", "untranslated", "failing",
              "words t/f/u/x", "done", "reviewed words")
    lines = [header]
    for row in sorted(rows, key=lambda r: (r.lang, r.document)):
        lines.append((
            row.lang,
            row.document.removeprefix("content/"),
            str(row.entries.translated),
            str(row.entries.reviewed),
            str(row.entries.fuzzy),
            str(row.entries.untranslated),
            str(row.entries.failing),
            f"{row.words.translated}/{row.words.fuzzy}/{row.words.untranslated}/{row.words.failing}",
            f"{row.percent:.0f}%",
            f"{row.reviewed_percent:.0f}%",
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for k, line in enumerate(lines):
        out.append("  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths))))
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
