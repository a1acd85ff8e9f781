"""Catalog on disk -> the page it publishes, in memory, annotated for the editor.

The analysis (or author page) is rendered by the build's own renderer
(``Renderer.analysis`` and ``article_page``, ``Renderer.author`` and
``author_page``), without its PDF and without writing anything: a few
milliseconds. Each block of an entry carries ``data-entry`` (the entry's key) and
``pr-<state>`` classes, so the editor can highlight the entry being edited and mark
fuzzy and untranslated passages. The page gets a ``<base>`` at its published
URL (stylesheet and links resolve in the served site/) and the preview stylesheet.

Each preview is a build of one page, with a renderer of its own
(``Renderer.new_build``): the compiled templates and UI catalogs are kept while
their digests stay the same; everything else — the document, its catalog, its
author's page and catalog — is read for each preview (the workspace re-reads a file
when it changes), so an author's new name or bio shows on the next preview.
"""

from __future__ import annotations

import threading

from markupsafe import escape

from ..config import Config
from ..errors import Report
from ..html.pages import ArticleContext, Page, PageWriter, pdf_link
from ..site.fingerprints import digest, file_digest, tree_digest
from ..site.jobs import Renderer, listed_article, newest_first
from ..sources.documents import Document
from .errors import NotFound
from .store import CatalogRef, Workspace

PREVIEW_CSS = "/edit/static/preview.css"


class Previewer:
    """Renders the pages of a workspace's catalogs (one at a time: the Jinja
    environment holds the UI translations of the page being rendered)."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self.config: Config = workspace.config
        self._lock = threading.Lock()
        self._renderer: Renderer | None = None
        self._key = ""

    def _new_renderer(self) -> Renderer:
        """A renderer for one preview, with the templates and UI catalogs as they are
        now (compiled again only when the digest of templates/ and of the UI
        catalogs changes)."""
        config = self.config
        ui_catalogs = sorted(config.locales_dir.glob("*/LC_MESSAGES/messages.po"))
        key = digest(tree_digest(config.templates_dir), *(f"{p}={file_digest(p)}" for p in ui_catalogs))
        if self._renderer is None or key != self._key:
            self._renderer = Renderer(config, pdf=False)
            self._key = key
        return self._renderer.new_build()

    def page(self, ref: CatalogRef) -> str:
        """The HTML of the page ``ref`` translates, in its language, as published."""
        if ref.doc is None:
            raise NotFound("interface strings have no page of their own: they show on every page of the site")
        annotate = self._annotations(ref)
        with self._lock:
            renderer = self._new_renderer()
            if ref.kind == "analysis":
                page, html = self._article(renderer, ref, annotate)
            else:
                page, html = self._author(renderer, ref, annotate)
        head = f'<head>\n<base href="/{escape(page.url)}">\n<link rel="stylesheet" href="{PREVIEW_CSS}">'
        return html.replace("<head>", head, 1)

    def _annotations(self, ref: CatalogRef) -> dict[str, dict[str, str]]:
        """msgid -> attributes of its block: key and state classes."""
        out = {}
        for row in self.workspace.rows(ref):
            classes = ["pr-entry", f"pr-{row.state}"] + (["pr-findings"] if row.findings else [])
            out[row.msgid] = {"data-entry": row.key, "class": " ".join(classes)}
        return out

    def _article(self, renderer: Renderer, ref: CatalogRef, annotate: dict) -> tuple[Page, str]:
        doc, lang = ref.doc, ref.lang
        assert doc is not None
        author = self.workspace.project().content.authors.get(doc.meta["author"])
        if author is None:
            raise NotFound(f"{doc.path}: its author {doc.meta['author']!r} has no page")
        article, _, tr = renderer.analysis(doc, self.workspace.body(ref), author, lang, Report(), annotate)
        self._published_pdf(article, doc, lang)
        page, html = renderer.article_page(self._writer(renderer), lang, article)
        fields = [("h1", "", doc.meta["title"]), ("p", "summary", " ".join(doc.meta["summary"].split()))]
        fields += [("span", "tag", tag) for tag in doc.meta.get("tags", [])]
        fields.append(("p", "notes-footer", " ".join(doc.meta.get("notes_footer", "").split())))
        return page, _mark_fields(html, fields, tr.strings, annotate)

    def _author(self, renderer: Renderer, ref: CatalogRef, annotate: dict) -> tuple[Page, str]:
        author, lang = ref.doc, ref.lang
        assert author is not None
        project = self.workspace.project()
        context, tr = renderer.author(author, lang, Report(), annotate)
        listed = []
        for doc in project.content.analyses:
            if doc.meta["author"] == author.slug:
                article, _, tr = renderer.analysis(doc, project.bodies[doc.path], author, lang, Report())
                self._published_pdf(article, doc, lang)
                listed.append(listed_article(article, tr.lines))
        listed = newest_first(listed)
        page, html = renderer.author_page(self._writer(renderer), lang, context, listed)
        fields = [("h1", "", author.meta["name"]), ("p", "role", author.meta.get("role", ""))]
        return page, _mark_fields(html, fields, tr.strings, annotate)

    def _published_pdf(self, article: ArticleContext, doc: Document, lang: str) -> None:
        """Link the analysis' PDF as the last build published it, if it did."""
        pdf = self.config.site_dir / f"{article['url']}{doc.slug}.{lang}.pdf"
        if pdf.is_file():
            article["pdf"] = pdf_link(self.config, f"{article['url']}{pdf.name}", pdf.stat().st_size, lang)

    def _writer(self, renderer: Renderer) -> PageWriter:
        """Links as in site/; nothing is written."""
        return PageWriter(self.config, renderer.environment, self.config.site_dir)


def _mark_fields(html: str, fields: list[tuple[str, str, str]], strings: dict[str, str], annotate: dict) -> str:
    """Annotate the elements that show front-matter entries (title, summary, tags, an
    author's name and role) as ``render_body`` annotates body blocks: each is found
    as the template writes it (``<h1>title</h1>``, ``<span class="tag">…``); one the
    template writes differently is simply not marked."""
    for tag, css, msgid in fields:
        attrs = annotate.get(msgid)
        if not msgid or attrs is None:
            continue
        shown = escape(strings.get(msgid, msgid))
        opening = f'<{tag} class="{css}">' if css else f"<{tag}>"
        classes = f"{css} {attrs['class']}".strip()
        marked = f'<{tag} class="{classes}" data-entry="{attrs["data-entry"]}">'
        html = html.replace(f"{opening}{shown}</{tag}>", f"{marked}{shown}</{tag}>", 1)
    return html
