"""One analysis in one language -> its page and PDF in a staging directory.

``Renderer`` holds what every job of a project shares (configuration, templates, UI
translations, a warm WeasyPrint) and reads each job's own inputs itself, so a worker
process never holds the whole site: a job is a source path and languages, its
result an ``ArticleResult`` per language (``results``: what the index, author and
status pages, the manifest and the cache need).

The editor's preview renders a page with the same methods (``analysis``,
``article_page``, ``author``), with a renderer of its own per preview
(``new_build``): what a renderer keeps is kept for one build only.
"""

from __future__ import annotations

import calendar
import ctypes
import datetime as dt
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2

from ..config import Config
from ..errors import PressroomError, Report
from ..html.citation import Citation, write_citation_files
from ..html.fragments import RenderedBody, make_environment, render_body
from ..html.pages import (
    ArticleContext,
    AuthorContext,
    Page,
    PageWriter,
    PdfLink,
    article_context,
    article_url,
    author_context,
    author_url,
    long_date,
    native_name,
    pdf_link,
)
from ..html.pagination import Pager, page_url
from ..pdf.render import PrintSession, render_pdf
from ..project import load_ui
from ..segments.body import Body, parse_document_body
from ..sources.documents import Document, read_document
from ..sources.images import Images, copy_images, document_images
from ..translations import DocumentTranslation, load_translations
from .results import ArticleResult, ListedArticle, ListedAuthor, ListedTopic, PageKey, PageManifest

PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF for accessibility; footnote layout is unaffected (tags are written after layout)."""
Annotations = Mapping[str, Mapping[str, str]]
"""msgid -> attributes of the block that shows it (``html.render_body``'s ``annotate``)."""


class Renderer:
    """Renders the articles of one project (one instance per worker process)."""

    def __init__(
        self, config: Config, pdf: bool = True, ui: dict[str, Any] | None = None,
        environment: jinja2.Environment | None = None, print_session: PrintSession | None = None,
    ):
        self.config = config
        self.pdf = pdf
        self.environment = environment if environment is not None else make_environment(config.templates_dir)
        self.ui = ui if ui is not None else load_ui(config, Report(), check=False)  # the build checks it
        self._authors: dict[str, Document | None] = {}
        """Author pages read in this build (a renderer lives for one build)."""
        self._author_contexts: dict[tuple[str, str], tuple[AuthorContext, DocumentTranslation, Report]] = {}
        self._images: dict[str, tuple[Images, Report]] = {}
        """Source path -> its images and their problems, read in this build."""
        self.print_session = print_session if print_session is not None else PrintSession() if pdf else None
        """What the PDFs of this process share (fonts, print stylesheet, files read);
        it checks itself for changed files before each PDF."""

    def new_build(self) -> Renderer:
        """A renderer for another build: these templates and UI translations (for as
        long as they are current: the caller knows), none of this build's authors."""
        return Renderer(self.config, self.pdf, self.ui, self.environment, self.print_session)

    def warm(self) -> None:
        """Compile every template and load the locale data of every language now
        (a template that does not compile is left to the page that uses it)."""
        for name in self.environment.list_templates(extensions=["html", "xml"]):
            try:
                self.environment.get_template(name)
            except jinja2.TemplateError:
                continue  # reported where the template is used, like any problem of a page
        for lang in self.config.languages:
            native_name(lang)
            long_date(dt.date(2000, 1, 1), self.config.date_locale(lang))

    def author(
        self, author: Document, lang: str, report: Report, annotate: Annotations | None = None,
    ) -> tuple[AuthorContext, DocumentTranslation]:
        """An author page's context in ``lang`` (computed once per build and language;
        with ``annotate``, for the editor's preview, every time)."""
        key = (author.path, lang)
        made = self._author_contexts.get(key) if annotate is None else None
        if made is None:
            problems = Report()
            body = parse_document_body(author, problems)
            self.images(author, body, problems)  # an author page shows none: each is an error
            tr = load_translations(self.config, author, body, lang, problems)
            rendered = render_body(body, tr.strings, source_lang=author.lang if lang != author.lang else None,
                                   annotate=annotate)
            made = (author_context(author, lang, tr.strings, rendered, tr.complete), tr, problems)
            if annotate is None:
                self._author_contexts[key] = made
        context, tr, problems = made
        report.extend(problems.problems)
        return context, tr

    def author_page(
        self, writer: PageWriter, lang: str, context: AuthorContext,
        articles: Sequence[ListedArticle], pager: Pager | None = None,
    ) -> tuple[Page, str]:
        """An author page's HTML: ``context`` and the analyses it lists, newest first
        (``newest_first``); with ``pager``, that page of the list (page 1 at the
        author's URL, the others at ``page/<n>/`` under it)."""
        number = pager.number if pager is not None else 1
        page = Page(page_url(author_url(lang, context["slug"]), number))
        html = writer.html(page, "author.html", lang, self.ui[lang],
                           lambda x: page_url(author_url(x, context["slug"]), number),
                           author=context, articles=articles, pager=pager)
        return page, html

    def analysis(
        self, doc: Document, body: Body, author: Document, lang: str, report: Report,
        annotate: Annotations | None = None,
    ) -> tuple[ArticleContext, RenderedBody, DocumentTranslation]:
        """An analysis in ``lang``, in memory: its page's context (no PDF link yet),
        its rendered body and its translations. ``annotate``: the blocks marked for
        the editor's preview."""
        tr = load_translations(self.config, doc, body, lang, report)
        author_box, _ = self.author(author, lang, report)
        images = self.images(doc, body, report)
        rendered = render_body(body, tr.strings, source_lang=doc.lang if lang != doc.lang else None,
                               print_=self.pdf, annotate=annotate, images=images,
                               root=Page(article_url(lang, doc.slug)).root)
        article = article_context(self.config, doc, lang, tr.strings, author_box, rendered, tr.complete)
        return article, rendered, tr

    def images(self, doc: Document, body: Body, report: Report) -> Images:
        """The image files ``body`` shows, read once per build (``sources.images``)."""
        if doc.path not in self._images:
            problems = Report()
            self._images[doc.path] = (document_images(self.config, doc, body.tokens, problems), problems)
        images, problems = self._images[doc.path]
        report.extend(problems.problems)
        return images

    def article_page(self, writer: PageWriter, lang: str, article: ArticleContext) -> tuple[Page, str]:
        """An analysis page's HTML, from its context."""
        page = Page(article_url(lang, article["slug"]))
        html = writer.html(page, "article.html", lang, self.ui[lang], lambda x: article_url(x, article["slug"]),
                           article=article)
        return page, html

    def document(self, source: str, langs: tuple[str, ...], out: Path) -> list[ArticleResult]:
        """Render ``source`` (a path relative to the project) in each of ``langs`` into
        ``out``, reading and parsing it once; invalid input comes back as problems,
        never as an exception."""
        config, report = self.config, Report()
        slug = Path(source).stem
        try:
            doc = read_document(config.root / source, "analysis", config, report)
            author = self._author_doc(doc.meta["author"], report) if doc else None
            body = parse_document_body(doc, report) if doc else None
        except PressroomError as exc:
            report.add(exc.as_problem())
            doc = None
        if doc is None or author is None or body is None:
            return [ArticleResult(PageKey(slug, lang), (), None, None, tuple(report.problems)) for lang in langs]
        results = []
        for lang in langs:
            lang_report = Report()
            lang_report.extend(report.problems)
            try:
                results.append(self._article(doc, body, author, lang, out, lang_report))
            except PressroomError as exc:
                lang_report.add(exc.as_problem())
                results.append(ArticleResult(PageKey(slug, lang), (), None, None, tuple(lang_report.problems)))
        return results

    def article(self, source: str, lang: str, out: Path) -> ArticleResult:
        """One language of ``document``."""
        return self.document(source, (lang,), out)[0]

    def _author_doc(self, slug: str, report: Report) -> Document | None:
        if slug not in self._authors:
            self._authors[slug] = read_document(self.config.content_dir / "authors" / f"{slug}.md", "author", self.config, report)
        return self._authors[slug]

    def _article(
        self, doc: Document, body: Body, author: Document, lang: str, out: Path, report: Report,
    ) -> ArticleResult:
        article, rendered, tr = self.analysis(doc, body, author, lang, report)
        writer = PageWriter(self.config, self.environment, out)
        if self.pdf and not report.failed:
            article["pdf"] = self._pdf(writer, doc, body, lang, article, len(rendered.notes), report)
        page, html = self.article_page(writer, lang, article)
        writer.save(page, html)
        cited = write_citation_files(writer.out, article["url"], citation(self.config, doc, lang, article))
        images = self.images(doc, body, Report())
        media = copy_images(self.config.root, images.values(), writer.out)
        pdf = article["pdf"]["url"] if article["pdf"] else None
        files = (page.file, pdf, *cited, *media) if pdf else (page.file, *cited, *media)
        listed = listed_article(article, tr.lines)
        progress = tr.progress
        manifest = PageManifest(
            page.file, pdf, len(rendered.notes), round(tr.ratio, 4), article["title"], article["incomplete"],
            progress.catalog, progress.entries, progress.words,
        )
        used = tuple(sorted({(image.path, image.digest) for image in images.values()}))
        return ArticleResult(PageKey(doc.slug, lang), files, listed, manifest, tuple(report.problems), used)

    def _pdf(
        self, writer: PageWriter, doc: Document, body: Body, lang: str, article: ArticleContext, notes: int,
        report: Report,
    ) -> PdfLink:
        """The PDF edition, from the page's own context. Footnote problems left after
        correction are warnings on the analysis; refused URLs and missing resources are
        warnings on the line of the source that names them."""
        config = self.config
        url = f"{article_url(lang, doc.slug)}{doc.slug}.{lang}.pdf"
        stylesheet = (config.templates_dir / "print" / "print.css").as_uri()

        def html_for(policy: str, breaks: frozenset[int]) -> str:
            return writer.render(
                "print.html", lang, self.ui[lang], article=article, stylesheets=[],
                footnote_policy=policy, breaks=sorted(breaks),
            )

        base_url = (config.root / doc.path).parent.as_uri() + "/"
        result = render_pdf(
            html_for,
            base_url=base_url,
            allowed=[config.templates_dir, config.content_dir],
            notes=notes,
            variant=PDF_VARIANT,
            source_date=calendar.timegm(doc.meta["date"].timetuple()),
            stylesheets=[stylesheet],  # parsed once per process (print_session), not linked
            session=self.print_session,
        )
        (writer.out / url).parent.mkdir(parents=True, exist_ok=True)
        (writer.out / url).write_bytes(result.data)
        for problem in result.problems:
            report.warning(doc.path, None, f"{url}: {problem}", "pdf-footnotes")
        lines = resource_lines(body, doc.body_line, base_url)
        for warning in result.warnings:
            line = next((n for target, n in lines.items() if f"'{target}'" in warning), None)
            report.warning(doc.path, line, f"{url}: {warning}", "pdf")
        return pdf_link(config, url, len(result.data), lang)


def citation(config: Config, doc: Document, lang: str, article: ArticleContext) -> Citation:
    """The citation of ``doc`` in ``lang``, from its page's context."""
    author = article["author"]
    return Citation(
        slug=doc.slug, lang=lang, title=article["title"], author=None if author["publisher"] else author["name"],
        institute=config.site_name, date=doc.meta["date"], url=article["web_url"], summary=article["summary"],
        tags=tuple(article["tags"]),
    )


def resource_lines(body: Body, first_line: int, base_url: str) -> dict[str, int]:
    """URL of each image of ``body``, resolved as WeasyPrint resolves it -> its line in
    the source (``first_line``: the body's first line in the file)."""
    found: dict[str, int] = {}
    for tok in body.tokens:
        if tok.type != "inline" or not tok.map:
            continue
        for child in tok.children or ():
            src = child.attrs.get("src") if child.type == "image" else None
            if isinstance(src, str):
                before = tok.content.find(src)
                found.setdefault(urljoin(base_url, src), first_line + tok.map[0] + tok.content.count("\n", 0, max(before, 0)))
    return found


# -- worker processes --------------------------------------------------------------------

_worker: Renderer | None = None
_WORKER_GC_THRESHOLD = 10_000
"""Objects allocated between two collections of the youngest generation in a worker
(Python's default, 700, collects hundreds of times per thousand pages for little:
a page's tokens and contexts hold no reference cycles worth collecting early)."""


def init_worker(config: Config, pdf: bool, build: int) -> None:
    """Start a worker process of the build process ``build``; it ends when its parent
    ends, however that ends (``end_with_parent``)."""
    global _worker
    end_with_parent(build)
    # Ctrl-C reaches the whole process group: the build's own process stops the pool
    # and reports it in one line; a worker finishes its job quietly (no traceback).
    # It was forked with SIGINT blocked (site.Rendering), so none came in before this.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _worker = Renderer(config, pdf)
    gc.set_threshold(_WORKER_GC_THRESHOLD)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def end_with_parent(build: int) -> None:
    """Make this process end when its parent process does, kill -9 included: a pool
    worker whose build is gone would otherwise render on, then wait for work forever
    (holding the build lock it inherited, and writing into a staging directory that
    the next build deletes). The parent is the build itself, or a forkserver that
    ends with it.

    Linux: the kernel kills the worker (``PR_SET_PDEATHSIG``; it fires when the
    thread that forked it ends, and a build's pool lives and dies in one thread).
    Elsewhere a thread checks the parent every second."""
    parent = os.getppid()
    linux = sys.platform.startswith("linux")
    if linux:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            code = ctypes.get_errno()
            raise OSError(code, f"prctl(PR_SET_PDEATHSIG): {os.strerror(code)}")
    if os.getppid() != parent or not _running(build):  # it ended before the request took effect
        os._exit(1)
    if not linux:
        threading.Thread(target=_exit_with, args=(parent,), name="pressroom-parent", daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _running(pid: int) -> bool:
    """Whether ``pid`` runs: a process killed but not yet reaped by its parent (a
    zombie) has ended. (A build killed just as its pool started is one: a worker that
    took it for alive rendered on, holding its caller's pipes open.)"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if not sys.platform.startswith("linux"):
        return True  # no /proc to tell a zombie by
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False  # it ended meanwhile


def run_job(job: tuple[str, tuple[str, ...], str]) -> list[ArticleResult]:
    source, langs, out = job
    assert _worker is not None, "init_worker was not called"
    return _worker.document(source, langs, Path(out))


def listed_article(article: ArticleContext, lines: Mapping[str, int]) -> ListedArticle:
    """An analysis' row in listings, from its page's context (``lines``: where its
    catalog has the translations it shows)."""
    box = article["author"]
    return ListedArticle(
        article["slug"], article["url"], article["title"], article["summary"], tuple(article["tags"]),
        article["date"], article["date_iso"], article["incomplete"], article["translated_from"], article["pdf"],
        ListedAuthor(box["slug"], box["name"], box["role"], box["url"]),
        tuple(ListedTopic(t["tag"], t["slug"], t["name"], lines.get(t["tag"])) for t in article["topics"]),
    )


def newest_first(articles: Iterable[ListedArticle]) -> list[ListedArticle]:
    """Listing order: newest first, then by slug (index, author pages, feed)."""
    return sorted(articles, key=lambda a: (a.date_iso, a.slug), reverse=True)
