"""One analysis in one language -> its page and PDF in a staging directory.

``Renderer`` holds what every job of a project shares (configuration, templates, UI
translations, a warm WeasyPrint) and reads each job's own inputs itself, so a worker
process never holds the whole site: a job is a source path and a language, its
result a small JSON-able summary (what the index, author and status pages, the
manifest and the cache need).
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import jinja2

from .catalogs import Translations, load_translations, parse_document_body
from .config import Config
from .content import Document, read_document
from .errors import PressroomError, Report
from .html import make_environment, render_body
from .pages import (
    ArticleContext,
    AuthorContext,
    Page,
    PageWriter,
    PdfLink,
    article_context,
    article_url,
    author_context,
    long_date,
    native_name,
    pdf_link,
)
from .pdf import render_pdf
from .project import load_ui
from .segments import Body

PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF for accessibility; footnote layout is unaffected (tags are written after layout)."""
LISTED = ("slug", "url", "title", "summary", "tags", "date", "date_iso", "incomplete", "translated_from", "pdf")
"""The fields of an article that listing pages use."""


@dataclass
class ArticleResult:
    """What a job made, in plain data."""

    slug: str
    lang: str
    files: list[str]
    """Outputs, relative to site/."""
    meta: dict[str, Any]
    """The article's listing fields and its author (``LISTED`` + ``author``)."""
    manifest: dict[str, Any]
    problems: list[dict[str, Any]] = field(default_factory=list)


class Renderer:
    """Renders the articles of one project (one instance per worker process)."""

    def __init__(self, config: Config, pdf: bool = True, ui: dict[str, Any] | None = None):
        self.config = config
        self.pdf = pdf
        self.environment = make_environment(config.templates_dir)
        self.ui = ui if ui is not None else load_ui(config, Report(), check=False)  # the build checks it
        self._authors: dict[str, Document | None] = {}
        """Author pages read in this build (a renderer lives for one build)."""
        self._author_contexts: dict[tuple[str, str], tuple] = {}

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

    def author(self, author: Document, lang: str, report: Report) -> tuple[AuthorContext, Translations]:
        """An author page's context in ``lang`` (computed once per build and language)."""
        key = (author.path, lang)
        if key not in self._author_contexts:
            problems = Report()
            body = parse_document_body(author, problems)
            tr = load_translations(self.config, author, body, lang, problems)
            rendered = render_body(body, tr.strings, source_lang=author.lang if lang != author.lang else None)
            self._author_contexts[key] = (author_context(author, lang, tr.strings, rendered, tr.complete), tr, problems)
        context, tr, problems = self._author_contexts[key]
        report.extend(problems.problems)
        return context, tr

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
            return [ArticleResult(slug, lang, [], {}, {}, _plain(report)) for lang in langs]
        results = []
        for lang in langs:
            lang_report = Report()
            lang_report.extend(report.problems)
            try:
                results.append(self._article(doc, body, author, lang, out, lang_report))
            except PressroomError as exc:
                lang_report.add(exc.as_problem())
                results.append(ArticleResult(slug, lang, [], {}, {}, _plain(lang_report)))
        return results

    def article(self, source: str, lang: str, out: Path) -> ArticleResult:
        """One language of ``document``."""
        return self.document(source, (lang,), out)[0]

    def _author_doc(self, slug: str, report: Report) -> Document | None:
        if slug not in self._authors:
            self._authors[slug] = read_document(self.config.content_dir / "authors" / f"{slug}.md", "author", self.config, report)
        return self._authors[slug]

    def _article(self, doc: Document, body, author_doc: Document, lang: str, out: Path, report: Report) -> ArticleResult:
        config = self.config
        tr = load_translations(config, doc, body, lang, report)
        author, _ = self.author(author_doc, lang, report)
        rendered = render_body(body, tr.strings, source_lang=doc.lang if lang != doc.lang else None, print_=self.pdf)
        article = article_context(config, doc, lang, tr.strings, author, rendered, tr.complete)
        writer = PageWriter(config, self.environment, out)
        page = Page(article_url(lang, doc.slug))
        files = [page.file]
        if self.pdf and not report.failed:
            article["pdf"] = self._pdf(writer, doc, body, lang, article, len(rendered.notes), report)
            files.append(article["pdf"]["url"])
        writer.write(page, "article.html", lang, self.ui[lang], lambda x: article_url(x, doc.slug), article=article)
        meta = {k: article[k] for k in LISTED}
        meta["author"] = {k: author[k] for k in ("slug", "name", "role", "url")}
        manifest = {
            "html": page.file,
            "pdf": article["pdf"]["url"] if article["pdf"] else None,
            "footnotes": len(rendered.notes),
            "translated": round(tr.ratio, 4),
            "title": article["title"],
            "incomplete": article["incomplete"],
            **tr.progress.as_dict(),
        }
        return ArticleResult(doc.slug, lang, files, meta, manifest, _plain(report))

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
                "print.html", lang, self.ui[lang], article=article, stylesheets=[stylesheet],
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
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_job(job: tuple[str, tuple[str, ...], str]) -> list[ArticleResult]:
    source, langs, out = job
    assert _worker is not None, "init_worker was not called"
    return _worker.document(source, langs, Path(out))


def _plain(report: Report) -> list[dict[str, Any]]:
    """Problems as plain dicts (they cross process boundaries and go to the cache)."""
    return [p.__dict__ for p in report.problems]
