"""Templates -> target catalogs: ``update`` creates or merges every catalog
(msgmerge's semantics: ``merge``), rewriting only the files whose content changes."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..errors import CatalogError, Report
from ..po import PoFile, read_po, write_if_changed
from ..segments.body import Body
from ..sources.documents import Content
from .files import UI_DOMAIN, catalog_path, serialize, template_path
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

    merged = []
    for path, template, lang, domain, header in jobs:
        rel = config.rel(path)
        if not path.exists():
            merged.append((path, rel, new_catalog(config, lang, template, header, domain)))
            continue
        try:
            catalog = read_po(path, rel)
        except CatalogError as exc:
            report.add(exc.as_problem())
            continue
        if catalog.header is None:
            catalog.entries.insert(0, catalog_header(config, lang, [header], template.header_field("POT-Creation-Date")))
        merged.append((path, rel, merge(catalog, template, fuzzy, cutoff, format_flags=domain == UI_DOMAIN)))
    stop_if_failed(report, "no catalog was written: the catalog(s) above cannot be read")
    return [path for path, rel, catalog in merged if write_if_changed(path, serialize(catalog), rel)]
