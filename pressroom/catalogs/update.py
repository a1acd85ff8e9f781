"""Templates -> target catalogs: ``update`` creates or merges every catalog
(msgmerge's semantics: ``merge``), pre-fills new entries from the language's
translation memory (``memory``: exact matches only, fuzzy, with their origin in a
comment), and rewrites only the files whose content changes."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..errors import CatalogError, Report
from ..po import PoFile, read_po, write_if_changed
from ..segments.body import Body
from ..sources.documents import Content
from .files import UI_DOMAIN, catalog_path, serialize, template_path
from .memory import MEMORY_STAMP, Memory, memories
from .merge import DEFAULT_CUTOFF, merge
from .templates import catalog_header, extract, stop_if_failed


def new_catalog(config: Config, lang: str, template: PoFile, header: str, domain: str) -> PoFile:
    """A catalog of ``template``'s entries, untranslated, for ``lang``."""
    created = template.header_field("POT-Creation-Date")
    catalog = PoFile([catalog_header(config, lang, [header], created)])
    return merge(catalog, template, fuzzy=False, format_flags=domain == UI_DOMAIN)


def update(
    config: Config, content: Content, bodies: dict[str, Body], fuzzy: bool = True, cutoff: float = DEFAULT_CUTOFF,
    started: float | None = None,
) -> list[Path]:
    """Create or merge every target catalog from fresh templates; returns changed files.

    All catalogs are read (and so validated) before any is written; every one that
    cannot be read is reported, and then nothing is written."""
    extract(config, content, bodies, started)
    report = Report()
    jobs: list[tuple[Path, PoFile, str, str, str]] = []
    targets = [(doc.domain, doc.targets(config), f"of {doc.path}") for doc in content.documents]
    targets.append((UI_DOMAIN, config.ui_targets, "of the UI strings of templates/"))
    for domain, langs, what in targets:
        try:
            template = read_po(template_path(config, domain), config.rel(template_path(config, domain)))
        except CatalogError as exc:
            report.add(exc.as_problem())
            continue
        for lang in langs:
            jobs.append((catalog_path(config, lang, domain), template, lang, domain, f"{lang} translation {what}."))

    read: list[tuple[Path, str, PoFile | None, PoFile, str, str, str]] = []
    for path, template, lang, domain, header in jobs:
        rel = config.rel(path)
        try:
            catalog = read_po(path, rel) if path.exists() else None
        except CatalogError as exc:
            report.add(exc.as_problem())
            continue
        read.append((path, rel, catalog, template, lang, domain, header))
    stop_if_failed(report, "no catalog was written: the catalog(s) above cannot be read")

    memories = _memories(config, content, bodies, read) if fuzzy else {}
    source_lang = {doc.domain: doc.lang for doc in content.documents}
    merged = []
    for path, rel, catalog, template, lang, domain, header in read:
        if catalog is None:
            catalog = new_catalog(config, lang, template, header, domain)
        else:
            if catalog.header is None:
                created = template.header_field("POT-Creation-Date")
                catalog.entries.insert(0, catalog_header(config, lang, [header], created))
            catalog = merge(catalog, template, fuzzy, cutoff, format_flags=domain == UI_DOMAIN)
        memory = memories.get((source_lang.get(domain), lang))
        if memory is not None and domain != UI_DOMAIN:
            prefill(catalog, memory, rel)
        merged.append((path, rel, catalog))
    stop_if_failed(report, "no catalog was written: the catalog(s) above cannot be read")
    return [path for path, rel, catalog in merged if write_if_changed(path, serialize(catalog), rel)]


def prefill(catalog: PoFile, memory: Memory, rel: str) -> int:
    """Fill each untranslated entry whose source the memory has exactly: fuzzy, with a
    comment naming where the translation came from. Returns how many were filled."""
    filled = 0
    for entry in catalog.messages:
        if entry.msgstr or entry.plural or entry.context is not None or entry.fuzzy:
            continue
        found = memory.exact(entry.msgid, exclude=rel)
        if found is None:
            continue
        entry.msgstr = found.target
        entry.set_fuzzy(True)
        entry.comments = [*entry.comments, f"{MEMORY_STAMP} {found.origin}"]
        filled += 1
    return filled


def _memories(config: Config, content: Content, bodies: dict[str, Body],
              read: list) -> dict[tuple[str, str], Memory]:
    """The translation memories, from the document catalogs as they were read."""
    documents = {doc.domain: doc for doc in content.documents}
    return memories(((documents[domain], lang, catalog, rel) for _path, rel, catalog, _template, lang, domain, _header
                     in read if catalog is not None and domain != UI_DOMAIN), bodies)
