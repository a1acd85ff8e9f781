"""Project directory -> ``Project``: sources, parsed bodies, catalogs, UI translations.

The reading stages shared by every command (``build``, ``stats``, ``check``, the
editor). Problems go to a ``Report``; nothing here writes a file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from babel.messages.mofile import write_mo
from babel.support import Translations as GNUTranslations

from .catalogs.files import UI_DOMAIN, catalog_path, read_catalog
from .catalogs.templates import ui_template
from .checks.gate import withheld_ui
from .config import Config
from .errors import CatalogError, Report
from .segments.body import Body, parse_document_body
from .sources.documents import Content, load_content
from .sources.images import document_images
from .translations import DocumentTranslation, load_translations


@dataclass
class Project:
    """Everything read and validated from the project, ready to render."""

    config: Config
    content: Content
    bodies: dict[str, Body]
    """Source path -> parsed body."""
    translations: dict[tuple[str, str], DocumentTranslation] = field(default_factory=dict)
    """(source path, language) -> usable translations."""
    ui: dict[str, Any] = field(default_factory=dict)
    """Language -> gettext translations of the UI strings."""


def read_project(config: Config, report: Report) -> Project:
    """Stage 1: sources, their bodies and the image files they show (no catalogs)."""
    content = load_content(config, report)
    bodies = {doc.path: parse_document_body(doc, report) for doc in content.documents}
    for doc in content.documents:  # a missing or broken image is an error of every command
        document_images(config, doc, bodies[doc.path].tokens, report)
    return Project(config, content, bodies)


def load_catalogs(project: Project, report: Report) -> None:
    """Stage 2: every catalog a build needs, checked; problems go to ``report``."""
    config = project.config
    for doc in project.content.documents:
        for lang in config.languages:
            try:
                project.translations[doc.path, lang] = load_translations(
                    config, doc, project.bodies[doc.path], lang, report
                )
            except CatalogError as exc:
                report.add(exc.as_problem())
    project.ui = load_ui(config, report)


def load_ui(config: Config, report: Report, check: bool = True) -> dict[str, Any]:
    """Every language's compiled UI translations, each checked complete against the
    templates' strings (``check=False``: not checked, for a process whose problems
    another one reports)."""
    template = ui_template(config) if check else []
    ui = {}
    for lang in config.languages:
        try:
            ui[lang] = ui_translations(config, lang, template, report)
        except CatalogError as exc:
            report.add(exc.as_problem())
            ui[lang] = GNUTranslations()
    return ui


def ui_translations(config: Config, lang: str, template, report: Report):
    """Compiled UI translations of ``lang``; every UI string must be translated. A
    translation that ``check`` calls an error (a placeholder dropped, a stray "%",
    HTML…) is reported and left out: the template's own text stands in its place."""
    if lang == config.template_language:
        return GNUTranslations()
    path = catalog_path(config, lang, UI_DOMAIN)
    rel = config.rel(path)
    if not path.exists():
        report.error(rel, None, f"no UI catalog for {lang}: run `python build.py update` and translate it", "ui")
        return GNUTranslations()
    catalog = read_catalog(path, rel, lang, UI_DOMAIN)
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        where = ", ".join(f"{p}:{n}" for p, n in message.locations)
        if found is None or not found.string or found.fuzzy:
            state = "fuzzy" if found is not None and found.fuzzy else "missing"
            line = found.lineno if found is not None else None
            report.error(rel, line, f"{state} UI translation of {message.id!r} (used in {where})", "ui")
    wanted = {m.id for m in template if m.id} if template else None
    for message in withheld_ui(catalog, rel, lang, config.template_language, report, wanted):
        catalog.delete(message.id, message.context)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return GNUTranslations(fp=buf)
