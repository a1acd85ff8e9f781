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
from .errors import CatalogError, Report
from .html import RenderedBody, make_environment, render_body
from .pages import (
    ArticleContext,
    AuthorContext,
    Page,
    PageWriter,
    PdfLink,
    article_context,
    article_url,
    author_context,
    author_url,
    index_url,
    pdf_link,
)
from .pdf import render_pdf
from .segments import Body

MANIFEST = "manifest.json"
PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF for accessibility; footnote layout is unaffected (tags are written after layout)."""


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


def build(
    config: Config, strict: bool = False, log: Callable[[str], None] = print, pdf: bool = True
) -> tuple[dict, Report]:
    """Validate everything, then write site/ in one swap. Returns (manifest, report).

    Problems found while rendering (PDF layout, resources) are warnings; with
    ``strict`` they fail the build and site/ is left as it was."""
    report = Report(strict=strict)
    log("reading sources")
    project = read_project(config, report)
    log("reading catalogs")
    load_catalogs(project, report)
    report.raise_if_failed()
    log("rendering pages")
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=config.root))
    try:
        manifest = render_site(project, staging, report, pdf=pdf)
        report.raise_if_failed()
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        swap_into_place(staging, config.site_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log(f"wrote {config.rel(config.site_dir)}/ ({len(manifest['articles'])} analyses, {len(config.languages)} languages)")
    return manifest, report


def render_site(project: Project, out: Path, report: Report, pdf: bool = True) -> dict:
    """Stage 3: every page (and PDF edition) into ``out``; returns the manifest."""
    config, content = project.config, project.content
    writer = PageWriter(config, make_environment(config.templates_dir), out)
    static = config.templates_dir / "static"
    if static.is_dir():
        shutil.copytree(static, out / "static")
    manifest = {
        doc.slug: {"slug": doc.slug, "source_lang": doc.lang, "source": doc.path, "languages": {}}
        for doc in content.analyses
    }
    newest_first = sorted(content.analyses, key=lambda d: (d.meta["date"], d.slug), reverse=True)
    for lang in config.languages:
        ui = project.ui[lang]
        authors = {slug: render_author(project, author, lang) for slug, author in content.authors.items()}
        articles = []
        for doc in newest_first:
            article, rendered = render_article(project, doc, lang, authors[doc.meta["author"]])
            page = Page(article_url(lang, doc.slug))
            if pdf:
                article["pdf"] = write_pdf(project, writer, doc, lang, article, len(rendered.notes), report)
            writer.write(page, "article.html", lang, ui, lambda x, s=doc.slug: article_url(x, s), article=article)
            articles.append(article)
            manifest[doc.slug]["languages"][lang] = {
                "html": page.file,
                "pdf": article["pdf"]["url"] if article["pdf"] else None,
                "footnotes": len(rendered.notes),
                "translated": round(project.translations[doc.path, lang].ratio, 4),
                "title": article["title"],
                "incomplete": article["incomplete"],
            }
        writer.write(Page(index_url(lang)), "index.html", lang, ui, index_url, articles=articles)
        for slug, author in authors.items():
            own = [a for a in articles if a["author"]["slug"] == slug]
            writer.write(
                Page(author_url(lang, slug)), "author.html", lang, ui,
                lambda x, s=slug: author_url(x, s), author=author, articles=own,
            )
    writer.write(Page(""), "root.html", config.default_language, None, index_url)
    return {"articles": list(manifest.values())}


def render_article(project: Project, doc: Document, lang: str, author: AuthorContext) -> tuple[ArticleContext, RenderedBody]:
    """One analysis in one language: its body rendered and its page context."""
    tr = project.translations[doc.path, lang]
    rendered = render_body(project.bodies[doc.path], tr.strings, source_lang=doc.lang if lang != doc.lang else None)
    return article_context(project.config, doc, lang, tr.strings, author, rendered, tr.complete), rendered


def write_pdf(
    project: Project, writer: PageWriter, doc: Document, lang: str, article: ArticleContext, notes: int, report: Report
) -> PdfLink:
    """The PDF edition of one analysis in one language, from its page context.

    Footnote problems left after correction, refused URLs and missing resources are
    reported against the analysis (warnings: ``--strict`` makes them fatal)."""
    config = project.config
    url = f"{article_url(lang, doc.slug)}{doc.slug}.{lang}.pdf"
    stylesheet = (config.templates_dir / "print" / "print.css").as_uri()

    def html_for(policy: str, breaks: frozenset[int]) -> str:
        return writer.render(
            "print.html", lang, project.ui[lang], article=article, stylesheets=[stylesheet],
            footnote_policy=policy, breaks=sorted(breaks),
        )

    result = render_pdf(
        html_for,
        base_url=(config.root / doc.path).parent.as_uri() + "/",
        allowed=[config.templates_dir, config.content_dir],
        notes=notes,
        variant=PDF_VARIANT,
    )
    (writer.out / url).parent.mkdir(parents=True, exist_ok=True)
    (writer.out / url).write_bytes(result.data)
    for problem in result.problems:
        report.warning(doc.path, None, f"{url}: {problem}", "pdf-footnotes")
    for warning in result.warnings:
        report.warning(doc.path, None, f"{url}: {warning}", "pdf")
    return pdf_link(config, url, len(result.data), lang)


def render_author(project: Project, author: Document, lang: str) -> AuthorContext:
    tr = project.translations[author.path, lang]
    rendered = render_body(project.bodies[author.path], tr.strings, source_lang=author.lang if lang != author.lang else None)
    return author_context(author, lang, tr.strings, rendered, tr.complete)


def swap_into_place(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` with two renames; the old tree goes last."""
    old = None
    if target.exists():
        old = target.with_name(f".site-old-{os.getpid()}")
        os.rename(target, old)
    os.rename(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

