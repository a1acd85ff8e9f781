"""What a build makes, as typed data: page and listing keys, listing rows, page
manifests, article results -> their JSON form in the build cache, and back.

A worker returns ``ArticleResult``s (pickled across the process boundary as they
are); the build keeps them in the cache (``fingerprints.State``) and gives their
``ListedArticle`` rows to the listing pages and their ``PageManifest`` to
site/manifest.json and the status pages. Each type reads and writes its own JSON
(``to_json`` / ``from_json``): the cache holds nothing these types do not declare,
and a cache they cannot read is no cache at all (a full build).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..errors import Problem
from ..html.pages import PdfLink
from ..progress import Counts

Kind = Literal["shared", "index", "author", "status", "topics", "search", "search-index", "manifest"]


@dataclass(frozen=True)
class PageKey:
    """An analysis page: one source in one language."""

    slug: str
    lang: str


@dataclass(frozen=True)
class ListingKey:
    """A listing group the build renders and caches as one: the root page and
    static files (``shared``), a language's index and feed, an author's page in a
    language, a language's translation-status page, a language's topic pages, a
    language's search page (``search``) and each shard of its search index
    (``search-index``), and site/manifest.json (``manifest``)."""

    kind: Kind
    lang: str | None = None
    """``None`` for ``shared`` and ``manifest`` only."""
    author: str | None = None
    """The author's slug (``author`` groups only)."""
    shard: int | None = None
    """The shard's number (``search-index`` groups only)."""


@dataclass(frozen=True)
class ListedAuthor:
    """An analysis' author as listings show them."""

    slug: str
    name: str
    role: str
    url: str


@dataclass(frozen=True)
class ListedTopic:
    """One tag of an analysis in one language, as topic pages list it."""

    tag: str
    """As the source has it."""
    slug: str
    name: str
    """In the listing's language."""
    line: int | None
    """Line of the tag's translation in the analysis' catalog (``None``: not
    translated, or the source language)."""


@dataclass(frozen=True)
class ListedArticle:
    """An analysis in one language as the index, feed and author pages list it."""

    slug: str
    url: str
    title: str
    summary: str
    tags: tuple[str, ...]
    date: str
    """In the language's long form ("23 Kasım 2026")."""
    date_iso: str
    incomplete: bool
    translated_from: str | None
    """The source language's name in this language, or ``None`` for the source itself."""
    pdf: PdfLink | None
    author: ListedAuthor
    topics: tuple[ListedTopic, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug, "url": self.url, "title": self.title, "summary": self.summary,
            "tags": list(self.tags), "date": self.date, "date_iso": self.date_iso, "incomplete": self.incomplete,
            "translated_from": self.translated_from, "pdf": self.pdf, "author": self.author.__dict__,
            "topics": [t.__dict__ for t in self.topics],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ListedArticle:
        pdf = data["pdf"]
        return cls(
            data["slug"], data["url"], data["title"], data["summary"], tuple(data["tags"]), data["date"],
            data["date_iso"], data["incomplete"], data["translated_from"],
            PdfLink(url=pdf["url"], size=pdf["size"]) if pdf is not None else None,
            ListedAuthor(**data["author"]), tuple(ListedTopic(**t) for t in data["topics"]),
        )


@dataclass(frozen=True)
class PageManifest:
    """An analysis page's entry in site/manifest.json: its files, notes and
    translation progress (the fields in the order the manifest writes them)."""

    html: str
    pdf: str | None
    footnotes: int
    translated: float
    """Share of the entries translated, rounded to four places."""
    title: str
    incomplete: bool
    catalog: str | None
    """Catalog path, or ``None`` for the source language."""
    entries: Counts
    words: Counts
    """Source words of the entries."""

    def to_json(self) -> dict[str, Any]:
        return {
            "html": self.html, "pdf": self.pdf, "footnotes": self.footnotes, "translated": self.translated,
            "title": self.title, "incomplete": self.incomplete, "catalog": self.catalog,
            "entries": self.entries.as_dict(), "words": self.words.as_dict(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageManifest:
        return cls(
            data["html"], data["pdf"], data["footnotes"], data["translated"], data["title"], data["incomplete"],
            data["catalog"], Counts(**data["entries"]), Counts(**data["words"]),
        )


@dataclass(frozen=True)
class ArticleResult:
    """What a job made of one analysis in one language. ``listed`` and ``manifest``
    are ``None`` when it could not be rendered (``problems`` then say why)."""

    page: PageKey
    files: tuple[str, ...]
    """Outputs, relative to site/."""
    listed: ListedArticle | None
    manifest: PageManifest | None
    problems: tuple[Problem, ...] = ()
    images: tuple[tuple[str, str], ...] = ()
    """The image files the page shows: (path in the project, digest of the bytes
    used), sorted. Their current digests are part of the page's key
    (``fingerprints.with_images``)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.page.slug, "lang": self.page.lang, "files": list(self.files),
            "listed": self.listed.to_json() if self.listed is not None else None,
            "manifest": self.manifest.to_json() if self.manifest is not None else None,
            "problems": [problem.__dict__ for problem in self.problems],
            "images": [list(image) for image in self.images],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArticleResult:
        listed, manifest = data["listed"], data["manifest"]
        return cls(
            PageKey(data["slug"], data["lang"]),
            tuple(data["files"]),
            ListedArticle.from_json(listed) if listed is not None else None,
            PageManifest.from_json(manifest) if manifest is not None else None,
            tuple(Problem(**problem) for problem in data["problems"]),
            tuple((path, digest) for path, digest in data["images"]),
        )


@dataclass(frozen=True)
class StatusRow:
    """A document's line on a translation-status page."""

    title: str
    url: str
    source_lang: str
    catalog: str | None
    entries: Counts
    words: Counts
    percent: int
    """Source words published, in whole percent: translated or, with ``publish =
    "reviewed"``, reviewed."""
    by_review: bool = False
    """The project publishes reviewed entries only (``percent`` counts those)."""
