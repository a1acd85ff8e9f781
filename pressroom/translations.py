"""A document's catalog in one language -> the translations a build may publish.

An entry is published when it is translated, not fuzzy, and passes the checks that
``check`` calls errors (``checks.gate``); any other entry falls back to the source
text. The catalog's progress (``progress``: an entry refused is *failing*) comes with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalogs.files import catalog_path
from .catalogs.templates import entries
from .config import Config
from .errors import Report
from .po import read_messages
from .progress import Progress, progress
from .segments.body import Body, footnote_labels
from .sources.documents import Document


@dataclass
class DocumentTranslation:
    """The usable translations of one document in one language."""

    strings: dict[str, str] = field(default_factory=dict)
    """msgid -> msgstr, for entries that are translated, not fuzzy, and valid."""
    lines: dict[str, int] = field(default_factory=dict)
    """msgid -> line of its msgid in the catalog, for the entries of ``strings``."""
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    path: str | None = None
    progress: Progress | None = None
    """The catalog's state (``progress``: ``build.py stats``), refused entries failing."""

    @property
    def ratio(self) -> float:
        return self.translated / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return self.translated == self.total


def load_translations(
    config: Config, doc: Document, body: Body, lang: str, report: Report
) -> DocumentTranslation:
    """The translation of ``doc`` into ``lang``; a translation that ``check`` calls an
    error (``checks.gate``: footnote calls, links, markup…) is reported with its PO
    line and not used: the source text stands in its place."""
    # The checks read this module's documents and catalogs: imported when first used.
    from .checks.gate import publishable

    msgids = [e.msgid for e in entries(doc, body)]
    wanted = set(msgids)
    result = DocumentTranslation(total=len(wanted))
    if lang == doc.lang:
        result.strings = {m: m for m in wanted}
        result.translated = result.total
        result.progress = progress(lang, doc.path, msgids, None, None)
        return result
    path = catalog_path(config, lang, doc.domain)
    rel = result.path = config.rel(path)
    if not path.exists():
        report.warning(rel, None, f"no catalog: {doc.path} is published untranslated in {lang}", "catalog")
        result.progress = progress(lang, doc.path, msgids, {}, rel)
        return result
    catalog = read_messages(path, rel, lang, doc.domain)
    refused = []
    for msgid, message in catalog.items():
        if msgid not in wanted or not message.string:
            continue
        if message.fuzzy:
            result.fuzzy += 1
            continue
        if not publishable(
            msgid, message.string, source_lang=doc.lang, lang=lang, body=body,
            flags=message.flags, path=rel, line=message.lineno, report=report,
        ):
            refused.append(msgid)
            continue
        result.strings[msgid] = message.string
        result.lines[msgid] = message.lineno
    result.translated = len(result.strings)
    result.progress = progress(lang, doc.path, msgids, catalog, rel, refused)
    return result


def footnote_mismatch(msgid: str, msgstr: str, body: Body) -> str | None:
    """Why a translation's footnote references differ from its source's, or None."""
    if "[^" not in msgid and "[^" not in msgstr:
        return None  # no calls on either side
    source, _ = footnote_labels(msgid, body)
    target, undefined = footnote_labels(msgstr, body)
    if undefined:
        return "translation refers to undefined footnote " + ", ".join(f"[^{x}]" for x in undefined)
    if source == target:
        return None
    missing = source - target
    extra = target - source
    parts = []
    if missing:
        parts.append("drops " + ", ".join(f"[^{x}]" for x in sorted(missing.elements())))
    if extra:
        parts.append("adds " + ", ".join(f"[^{x}]" for x in sorted(extra.elements())))
    return "translation " + " and ".join(parts) + " (footnote references must match the source)"
