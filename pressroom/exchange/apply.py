"""Project catalogs -> what ``export`` writes; an XLIFF file's units -> catalog edits.

``export_files`` reads the catalogs of one language (every document, or those named)
and gives an ``ExportFile`` per catalog: its current singular entries with their
source and translation split into text and inline codes.

``import_units`` takes the files ``read_xliff`` found and changes the catalogs they
name, one entry at a time through the one-entry PO editor (``po.editor``), so that no
other byte of a catalog changes. A unit is imported only when its target differs from
the entry (its text or its fuzzy state) and:

- its file names a catalog of this project (``original``) in its language
  (``target-language``), and its ``id`` an entry of that catalog;
- each of its inline codes is one the export wrote for that entry, with the markup it
  held (a CAT tool must not change them);
- the translation passes the error-level checks of ``build.py check`` (a footnote call
  dropped, a link changed…), the entry's ``no-…-check`` flags honoured as there.

Anything else is reported at the XLIFF file's line and leaves the entry as it was; the
other units are imported. Catalogs are written atomically, each once, after checking
that nobody changed them meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..catalogs.files import catalog_path
from ..checks.gate import refusals
from ..checks.registry import Pair
from ..config import Config
from ..errors import CatalogError, ExchangeError, Report
from ..po import Entry, PoText, decode_po, encode_po, read_bytes, write_atomic
from ..po.model import check_flags
from ..segments.body import Body
from ..sources.documents import Document
from .codes import Code, align, codes, join, split
from .xliff import ExportFile, ExportUnit, ImportFile, ImportUnit

CHECK = "import"


@dataclass
class Catalog:
    """One catalog an XLIFF file may name."""

    doc: Document
    body: Body
    lang: str
    path: Path
    rel: str


def catalogs_of(config: Config, documents: list[Document], bodies: dict[str, Body], langs: list[str]
                ) -> dict[str, Catalog]:
    """The project's document catalogs in ``langs``, by path relative to the project."""
    found = {}
    for doc in documents:
        for lang in doc.targets(config):
            if lang in langs:
                path = catalog_path(config, lang, doc.domain)
                rel = config.rel(path)
                found[rel] = Catalog(doc, bodies[doc.path], lang, path, rel)
    return found


def _note(entry: Entry) -> str:
    return "\n".join([*entry.auto_comments, *entry.references])


def _segments(entry: Entry, body: Body) -> tuple[tuple, tuple]:
    source = split(entry.msgid, body)
    target = align(source, split(entry.msgstr, body)) if entry.msgstr else ()
    return source, target


def export_files(catalogs: list[Catalog]) -> list[ExportFile]:
    """An ``ExportFile`` per catalog (a missing catalog is an error: run ``update``)."""
    files = []
    for cat in catalogs:
        if not cat.path.exists():
            raise ExchangeError(f"no catalog for {cat.doc.path}: run `python build.py update` first", cat.rel)
        po = decode_po(read_bytes(cat.path, cat.rel), cat.rel)
        units = []
        for entry in po.messages:
            if not entry.msgid or entry.plural:
                continue
            source, target = _segments(entry, cat.body)
            units.append(ExportUnit(entry.key, source, target, entry.fuzzy and bool(entry.msgstr), _note(entry),
                                    entry.context, entry.reviewed))
        files.append(ExportFile(cat.rel, cat.doc.lang, cat.lang, units))
    return files


@dataclass
class _Work:
    cat: Catalog
    disk: bytes
    po: object
    text: str
    changed: int = 0
    seen: dict[str, int] = field(default_factory=dict)


def import_units(files: list[ImportFile], catalogs: dict[str, Catalog], rel: str, report: Report
                 ) -> list[tuple[str, int]]:
    """Apply the units of ``files``; problems go to ``report`` at ``rel:line``. Returns
    (catalog, entries changed) for every catalog written."""
    work: dict[str, _Work] = {}
    for f in files:
        cat = catalogs.get(f.original or "")
        if cat is None:
            report.error(rel, f.line, f"<file original={f.original!r}> is no catalog of this project "
                         "(export names locales/<lang>/LC_MESSAGES/<slug>.po)", CHECK)
            continue
        if not f.target_lang or f.target_lang.replace("_", "-").lower() != cat.lang.replace("_", "-").lower():
            report.error(rel, f.line, f"target-language {f.target_lang!r} of {f.original} is not {cat.lang!r}: "
                         "nothing of this file is imported", CHECK)
            continue
        if cat.rel not in work:
            try:
                disk = read_bytes(cat.path, cat.rel)
                po = decode_po(disk, cat.rel)
            except CatalogError as exc:
                report.add(exc.as_problem())
                continue
            work[cat.rel] = _Work(cat, disk, po, po.text)
        w = work[cat.rel]
        for unit in f.units:
            _import(w, unit, rel, report)
    written = []
    for w in work.values():
        if not w.changed:
            continue
        if w.cat.path.read_bytes() != w.disk:
            report.error(w.cat.rel, None, "changed on disk during the import: not written", CHECK)
            continue
        write_atomic(w.cat.path, encode_po(w.po, w.text), w.cat.rel)
        written.append((w.cat.rel, w.changed))
    return written


def _import(w: _Work, unit: ImportUnit, rel: str, report: Report) -> None:
    where = f"unit {unit.id!r} of {w.cat.rel}"
    if not unit.id:
        report.error(rel, unit.line, f"a <trans-unit> without an id in {w.cat.rel}: its entry cannot be found", CHECK)
        return
    if unit.id in w.seen:
        report.error(rel, unit.line, f"{where} is given twice (first at line {w.seen[unit.id]})", CHECK)
        return
    w.seen[unit.id] = unit.line
    po = PoText(w.text, w.cat.rel, w.po.charset)
    entry = next((e for e in po.entries if e.key == unit.id and e.msgid), None)
    if entry is None or entry.plural:
        report.error(rel, unit.line, f"{where}: no such entry in the catalog (its source changed since the "
                     "export? export again)", CHECK)
        return
    if unit.problem:
        report.error(rel, unit.line, f"{where}: {unit.problem}; the entry is left as it was", CHECK)
        return
    if unit.target is None:
        return  # nothing translated: an import never empties an entry
    msgstr, problem = _rebuild(unit.target, entry, w.cat.body)
    if problem:
        report.error(rel, unit.line, f"{where}: {problem}; the entry is left as it was", CHECK)
        return
    fuzzy = unit.fuzzy
    # Signed off in the CAT tool: reviewed. Any other state leaves an unchanged
    # translation's mark as it is, and a changed translation is not reviewed any more.
    reviewed = True if unit.signed_off and not fuzzy else None
    if (msgstr, fuzzy) == (entry.msgstr, entry.fuzzy) and (reviewed is None or entry.reviewed):
        return
    pair = Pair(entry.msgid, msgstr, w.cat.doc.lang, w.cat.lang, w.cat.body, flags=check_flags(entry.flags, entry.comments))
    found = refusals(pair)
    for check, message in found:
        report.error(rel, unit.line, f"{where}: {message}; the entry is left as it was", check.name)
    if found:
        return
    try:
        w.text = po.replace_entry(entry, msgstr=msgstr, fuzzy=fuzzy, reviewed=reviewed)
    except ValueError as exc:  # the edit would not read back as made: a bug; nothing is written
        raise ExchangeError(str(exc), w.cat.rel) from None
    try:
        w.text.encode(w.po.charset or "utf-8")
    except UnicodeEncodeError:
        report.error(rel, unit.line, f"{where}: the catalog's charset {w.po.charset} cannot hold the "
                     "translation; the entry is left as it was", CHECK)
        w.text = po.text
        return
    w.changed += 1


def _rebuild(target: list[str | Code], entry: Entry, body: Body) -> tuple[str, str | None]:
    """The msgstr a target stands for, or why it cannot be trusted: every code must be
    one the export wrote for this entry (the source's, or the current translation's
    own), holding the same markup."""
    source, current = _segments(entry, body)
    known = codes(source) | codes(current)
    parts = []
    for seg in target:
        if isinstance(seg, str):
            parts.append(seg)
            continue
        code = known.get((seg.id, seg.kind))
        if code is None:
            return "", f"inline code <{seg.kind} id={seg.id!r}> was not exported with this entry"
        if seg.markup != code.markup:
            return "", (f"inline code <{seg.kind} id={seg.id!r}> was changed: it holds {seg.markup!r}, "
                        f"the export wrote {code.markup!r}")
        parts.append(code.markup)
    return join(parts), None
