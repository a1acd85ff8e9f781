"""Listing pages -> HTML files: the root page and static files, each language's
index and feed, author pages, topic pages, translation-status pages and search pages.

A listing is described by a ``Listing``: typed data, the rows it lists being the
analyses' ``ListedArticle``s from the build cache (what the workers returned, or
what an earlier build kept), or ``StatusRow``s.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..errors import Report
from ..site.results import Kind, ListedArticle, PageKey, PageManifest, StatusRow
from ..sources.documents import Document
from .pages import (
    Page,
    PageWriter,
    author_url,
    index_url,
    search_url,
    status_url,
    topic_url,
    topics_url,
)
from .pagination import archive_url, by_year, page_url, paginate
from .topics import topics_of

if TYPE_CHECKING:
    from ..site.jobs import Renderer


@dataclass(frozen=True)
class Listing:
    """One listing group to render (a ``ListingKey``'s: the groups the build cache
    keys)."""

    kind: Kind
    lang: str
    rows: list[ListedArticle] | list[StatusRow] = field(default_factory=list)
    """Analyses (index, author page) or status rows, in the order shown."""
    author: Document | None = None
    bundles: list[str] = field(default_factory=list)
    """The search index's shards, relative to site/ (``search`` listings only)."""


def render_listing(renderer: Renderer, listing: Listing, out: Path) -> list[str]:
    """Write ``listing`` into the site directory ``out``; returns its files."""
    config, lang = renderer.config, listing.lang
    writer = PageWriter(config, renderer.environment, out)
    if listing.kind == "shared":
        return _shared(config, writer, out)
    if listing.kind == "index":
        return _index(config, writer, renderer, lang, listing.rows, out)
    if listing.kind == "author":
        assert listing.author is not None, "an author listing names its author"
        return _author(writer, renderer, lang, listing.author, listing.rows)
    if listing.kind == "search":
        page = Page(search_url(lang))
        writer.write(page, "search.html", lang, renderer.ui[lang], search_url, bundles=listing.bundles)
        return [page.file]
    if listing.kind == "topics":
        return _topics(writer, renderer, lang, listing.rows)
    # (languages translate different documents: the alternates are their first pages)
    return _paginated(writer, renderer, lang, "status.html", status_url, listing.rows, config.page_size,
                      name="rows", same_pages=False)


def _topics(writer: PageWriter, renderer: Renderer, lang: str, rows: list[ListedArticle]) -> list[str]:
    """The topics overview of a language and a page per topic."""
    topics = topics_of(lang, rows)
    page = Page(topics_url(lang))
    writer.write(page, "topics.html", lang, renderer.ui[lang], topics_url, topics=topics)
    files = [page.file]
    for topic in topics:
        files += _paginated(writer, renderer, lang, "topic.html", lambda x, slug=topic.slug: topic_url(x, slug),
                            list(topic.articles), renderer.config.page_size, topic=topic)
    return files


def _shared(config: Config, writer: PageWriter, out: Path) -> list[str]:
    writer.write(Page(""), "root.html", config.default_language, None, index_url)
    files = [Page("").file]
    static = config.templates_dir / "static"
    if static.is_dir():
        for source in sorted(p for p in static.rglob("*") if p.is_file()):
            target = out / "static" / source.relative_to(static)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)  # contents only: published modes follow the umask
            files.append(target.relative_to(out).as_posix())
    return files


def _index(
    config: Config, writer: PageWriter, renderer: Renderer, lang: str, articles: list[ListedArticle], out: Path,
) -> list[str]:
    """A language's index and year archives, paginated, and its feed (the newest)."""
    years = by_year(articles, lambda a: a.date_iso[:4])
    archive = [(year, archive_url(lang, year), len(rows)) for year, rows in years.items()]
    files = _paginated(writer, renderer, lang, "index.html", lambda x: index_url(x), articles, config.page_size,
                       archive=archive, year=None)
    for year, rows in years.items():
        files += _paginated(writer, renderer, lang, "index.html", lambda x, y=year: archive_url(x, y), rows,
                            config.page_size, archive=archive, year=year)
    feed = f"{lang}/feed.xml"
    xml = writer.render("feed.xml", lang, renderer.ui[lang], articles=articles[:config.feed_size],
                        base_url=config.base_url, updated=articles[0].date_iso if articles else "1970-01-01")
    (out / feed).write_text(xml, encoding="utf-8")
    return [*files, feed]


def _paginated(writer: PageWriter, renderer: Renderer, lang: str, template: str, url_for: Callable[[str], str],
               rows: list, size: int, name: str = "articles", same_pages: bool = True,
               **context: Any) -> list[str]:
    """A listing's pages, its rows given to the template as ``name``. The same page
    number in every language is its alternate when every language lists the same
    rows (``same_pages``: analyses); else the first page is."""
    files = []
    for pager in paginate(url_for(lang), rows, size):
        page = Page(pager.url)
        number = pager.number if same_pages else 1
        writer.write(page, template, lang, renderer.ui[lang],
                     lambda x, n=number, own=pager.url: own if x == lang else page_url(url_for(x), n),
                     pager=pager, **{name: pager.rows}, **context)
        files.append(page.file)
    return files


def _author(writer: PageWriter, renderer: Renderer, lang: str, author: Document, own: list[ListedArticle]) -> list[str]:
    """An author page with the first page of their analyses, and the next pages."""
    context, _ = renderer.author(author, lang, Report())
    files = []
    for pager in paginate(author_url(lang, author.slug), own, renderer.config.page_size):
        page, html = renderer.author_page(writer, lang, context, pager.rows, pager)
        writer.save(page, html)
        files.append(page.file)
    return files


def status_rows(
    lang: str, documents: list[Document], articles: list[ListedArticle], manifests: dict[PageKey, PageManifest],
    renderer: Renderer,
) -> list[StatusRow]:
    """One row per document translated into ``lang``: its title there and its
    progress (``manifests``: the build cache's manifest of each analysis page)."""
    listed = {article.slug: article for article in articles}
    rows = []
    for doc in documents:
        if doc.kind == "analysis":
            progress = manifests[PageKey(doc.slug, lang)]
            title, url = listed[doc.slug].title, listed[doc.slug].url
            catalog, entries, words = progress.catalog, progress.entries, progress.words
        else:
            context, tr = renderer.author(doc, lang, Report())
            title, url = context["name"], context["url"]
            catalog, entries, words = tr.progress.catalog, tr.progress.entries, tr.progress.words
        by_review = renderer.config.publish == "reviewed"
        published = words.reviewed if by_review else words.translated
        percent = round(100 * published / words.total) if words.total else 100
        rows.append(StatusRow(title, url, doc.lang, catalog, entries, words, percent, by_review))
    return rows
