"""The build: sources + catalogs + templates -> site/ (pages, static files, manifest).

``build()`` reads as its stages. Everything is validated before anything is written;
pages are written to a staging directory that replaces site/ only when the whole
build succeeded, so a failed build leaves the previous site as it was.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.support import Translations as GNUTranslations

from . import catalogs
from .catalogs import Translations, load_translations
from .config import Config
from .content import Content, Document, load_content
from .errors import CatalogError, PressroomError, Report
from .html import make_environment, render_body
from .pages import (
    Page,
    alternates,
    article_context,
    article_url,
    author_ref,
    author_url,
    href,
    index_url,
    long_date,
    render_page,
    write_page,
)
from .segments import Body

MANIFEST = "manifest.json"


@dataclass
class Project:
    """Everything read and validated from the project, ready to render."""

    config: Config
    content: Content
    bodies: dict[str, Body]
    """Source path -> parsed body."""
    translations: dict[tuple[str, str], Translations] = field(default_factory=dict)
    """(source path, language) -> usable translations."""
    ui: dict[str, Any] = field(default_factory=dict)
    """Language -> gettext translations of the UI strings."""


def read_project(config: Config, report: Report) -> Project:
    """Stage 1: sources and their bodies (no catalogs)."""
    content = load_content(config, report)
    bodies = {doc.path: catalogs.parse_document_body(doc, report) for doc in content.documents}
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
    template = catalogs.ui_template(config)
    for lang in config.languages:
        try:
            project.ui[lang] = ui_translations(config, lang, template, report)
        except CatalogError as exc:
            report.add(exc.as_problem())


def ui_translations(config: Config, lang: str, template, report: Report):
    """Compiled UI translations of ``lang``; every UI string must be translated."""
    if lang == config.template_language:
        return GNUTranslations()
    path = catalogs.catalog_path(config, lang, catalogs.UI_DOMAIN)
    rel = config.rel(path)
    if not path.exists():
        report.error(rel, None, f"no UI catalog for {lang}: run `python build.py update` and translate it", "ui")
        return GNUTranslations()
    catalog = catalogs.read_catalog(path, rel, lang, catalogs.UI_DOMAIN)
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        where = ", ".join(f"{p}:{n}" for p, n in message.locations)
        if found is None or not found.string or found.fuzzy:
            state = "fuzzy" if found is not None and found.fuzzy else "missing"
            line = found.lineno if found is not None else None
            report.error(rel, line, f"{state} UI translation of {message.id!r} (used in {where})", "ui")
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return GNUTranslations(fp=buf)


def build(config: Config, strict: bool = False, log: Callable[[str], None] = print) -> tuple[dict, Report]:
    """Validate everything, then write site/ in one swap. Returns (manifest, report)."""
    report = Report(strict=strict)
    log("reading sources")
    project = read_project(config, report)
    log("reading catalogs")
    load_catalogs(project, report)
    report.raise_if_failed()
    log("rendering pages")
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=config.root))
    try:
        manifest = render_site(project, staging)
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        swap_into_place(staging, config.site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log(f"wrote {config.rel(config.site_dir)}/ ({len(manifest['articles'])} analyses, {len(config.languages)} languages)")
    return manifest, report


def render_site(project: Project, out: Path) -> dict:
    """Stage 3: every page into ``out``; returns the manifest."""
    config, content = project.config, project.content
    environment = make_environment(config.templates_dir)
    static = config.templates_dir / "static"
    if static.is_dir():
        shutil.copytree(static, out / "static")
    entries: dict[str, dict] = {
        doc.slug: {"slug": doc.slug, "source_lang": doc.lang, "source": doc.path, "languages": {}}
        for doc in content.analyses
    }
    newest_first = sorted(content.analyses, key=lambda d: (d.meta["date"], d.slug), reverse=True)
    for lang in config.languages:
        ui = project.ui[lang]
        listed = []
        for doc in newest_first:
            author = content.authors[doc.meta["author"]]
            tr = project.translations[doc.path, lang]
            page = Page(article_url(lang, doc.slug))
            rendered = render_body(
                project.bodies[doc.path], tr.strings, source_lang=doc.lang if lang != doc.lang else None
            )
            context = article_context(
                config, doc, author, lang, tr.strings,
                project.translations[author.path, lang].strings, rendered, tr.complete, page,
            )
            html = render_page(
                environment, "article.html", ui, **_common(config, page, lang, lambda x, s=doc.slug: article_url(x, s)),
                article=context,
            )
            write_page(out, page, html)
            listed.append(context)
            entries[doc.slug]["languages"][lang] = {
                "html": page.file,
                "pdf": None,
                "footnotes": len(rendered.notes),
                "translated": round(tr.ratio, 4),
                "title": context["title"],
                "incomplete": not tr.complete,
            }
        index = Page(index_url(lang))
        items = [
            {**item, "href": href(config, index, article_url(lang, item["slug"])),
             "author": author_ref(config, index, content.authors[_author_of(content, item["slug"])], lang,
                                  project.translations[content.authors[_author_of(content, item["slug"])].path, lang].strings)}
            for item in listed
        ]
        write_page(out, index, render_page(environment, "index.html", ui, **_common(config, index, lang, index_url), articles=items))
        for author in content.authors.values():
            write_author(project, environment, out, author, lang, items)
    root = Page("")
    write_page(
        out,
        root,
        environment.get_template("root.html").render(
            site_name=config.site_name,
            default={"lang": config.default_language},
            alternates=alternates(config, root, config.default_language, index_url),
        ),
    )
    return {"articles": list(entries.values())}


def write_author(project: Project, environment, out: Path, author: Document, lang: str, items: list) -> None:
    config = project.config
    page = Page(author_url(lang, author.slug))
    tr = project.translations[author.path, lang]
    rendered = render_body(project.bodies[author.path], tr.strings, source_lang=author.lang if lang != author.lang else None)
    ref = author_ref(config, page, author, lang, tr.strings)
    articles = [
        {**item, "href": href(config, page, article_url(lang, item["slug"]))}
        for item in items
        if _author_of(project.content, item["slug"]) == author.slug
    ]
    html = render_page(
        environment, "author.html", project.ui[lang],
        **_common(config, page, lang, lambda x: author_url(x, author.slug)),
        author={"name": ref["name"], "role": ref["role"], "bio": _markup(rendered.html), "incomplete": not tr.complete},
        articles=articles,
    )
    write_page(out, page, html)


def _author_of(content: Content, slug: str) -> str:
    return next(d.meta["author"] for d in content.analyses if d.slug == slug)


def _markup(html: str):
    from markupsafe import Markup

    return Markup(html)


def _common(config: Config, page: Page, lang: str, url_for) -> dict[str, Any]:
    return {
        "lang": lang,
        "site_name": config.site_name,
        "root": page.root,
        "alternates": alternates(config, page, lang, url_for),
    }


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` with two renames; the old tree goes last."""
    old = None
    if target.exists():
        old = target.with_name(f".site-old-{os.getpid()}")
        os.rename(target, old)
    os.rename(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


__all__ = ["build", "read_project", "load_catalogs", "Project", "PressroomError", "long_date"]
