"""Documents + translations -> page contexts (TypedDicts) -> HTML files.

Site layout (every path relative to site/)::

    index.html                        leads to the default language
    <lang>/index.html                 analyses, newest first
    <lang>/analyses/<slug>/index.html an analysis
    <lang>/authors/<slug>/index.html  an author page with bio
    <lang>/status/index.html          translation status of the documents in <lang>
    <lang>/topics/index.html          the topics (tags) of the analyses in <lang>
    <lang>/topics/<topic>/index.html  the analyses of one topic
    <lang>/search/index.html          search in the analyses of <lang>
    <lang>/pagefind/<k>/              their search index, in shards (``search``)

Contexts hold site-relative URLs (``tr/analyses/x/``); templates turn them into links
with ``link(url)``, which knows the page it is called from.
"""

from __future__ import annotations

import datetime as dt
import gettext
import re
import traceback
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypedDict

import jinja2
from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.units import format_unit
from markupsafe import Markup

from ..config import Config
from ..errors import PressroomError, TemplateError
from ..sources.documents import Document
from ..sources.frontmatter import MonthDate
from .citation import CitationFile, citation_files
from .fragments import RenderedBody, RenderedNote, install_translations
from .head import ShareLink, head_meta, share_links


class Alternate(TypedDict):
    lang: str
    name: str
    """The language's own name for itself ("Türkçe", "Русский")."""
    url: str
    current: bool


class AuthorContext(TypedDict):
    slug: str
    name: str
    role: str
    url: str
    bio: Markup
    incomplete: bool
    publisher: bool
    """The name is the publisher's, not the author's (``publisher: true``): bylines
    read "Published by …"."""


class PdfLink(TypedDict):
    url: str
    size: str
    """File size in the page's locale ("41 kB", "41 кБ")."""


class TopicLink(TypedDict):
    """A tag of an analysis as a link to its topic page."""

    tag: str
    """The tag as the source has it (it names the topic in every language)."""
    slug: str
    name: str
    """The tag in the page's language."""
    url: str


class ArticleContext(TypedDict):
    """What article.html, print.html and the index know about an analysis in one language."""

    slug: str
    url: str
    title: str
    summary: str
    tags: list[str]
    topics: list[TopicLink]
    date: str
    date_iso: str
    author: AuthorContext
    body: Markup
    print_body: Markup
    notes: list[RenderedNote]
    notes_footer: str
    """The front matter's line under the notes (who added them), translated; or empty."""
    incomplete: bool
    translated_from: str | None
    pdf: PdfLink | None
    web_url: str
    """The page's absolute address, or "" without ``base_url``."""
    share: list[ShareLink]
    """Share links (none without ``base_url``: they carry the page's address)."""
    citation_files: list[CitationFile]
    """The BibTeX and RIS files beside the page."""


@dataclass(frozen=True)
class Page:
    """A page of the site, by its directory URL relative to site/."""

    url: str
    """``en/analyses/<slug>/`` (``""`` for the root)."""

    @property
    def file(self) -> str:
        return f"{self.url}index.html"

    @property
    def root(self) -> str:
        """Relative prefix from this page back to site/."""
        return "../" * self.url.count("/")


def article_url(lang: str, slug: str) -> str:
    return f"{lang}/analyses/{slug}/"


def author_url(lang: str, slug: str) -> str:
    return f"{lang}/authors/{slug}/"


def index_url(lang: str) -> str:
    return f"{lang}/"


def status_url(lang: str) -> str:
    return f"{lang}/status/"


def topics_url(lang: str) -> str:
    return f"{lang}/topics/"


def topic_url(lang: str, slug: str) -> str:
    return f"{lang}/topics/{slug}/"


def topic_slug(tag: str) -> str:
    """A tag's topic in URLs: its words, lower-cased, joined by hyphens; letters of
    any script are kept ("North Korea" -> ``north-korea``, "Türkiye" -> ``türkiye``)."""
    return "-".join(re.findall(r"\w+", unicodedata.normalize("NFC", tag).casefold().replace("_", " ")))


def search_url(lang: str) -> str:
    return f"{lang}/search/"


@cache
def native_name(lang: str) -> str:
    """A language's name in itself, capitalized as in a language menu ("Русский")."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


@cache
def language_name(lang: str, in_lang: str) -> str:
    """The name of ``lang`` in ``in_lang`` ("İngilizce"), as CLDR writes it."""
    return Locale.parse(in_lang).languages.get(lang, lang)


def long_date(date: dt.date, locale: str) -> str:
    """``date`` as the locale writes it in full ("23 Kasım 2026"); a ``MonthDate``
    names its month alone ("November 2024", "Kasım 2024", "ноябрь 2024 г.")."""
    return _long_date(date, locale, isinstance(date, MonthDate))


@lru_cache(maxsize=8192)
def _long_date(date: dt.date, locale: str, month_only: bool) -> str:
    # month_only is part of the key: MonthDate(2024, 11) == date(2024, 11, 1)
    if month_only:
        return format_skeleton("yMMMM", date, locale=locale)
    return format_date(date, "long", locale=locale)


def alternates(config: Config, lang: str, url_for) -> list[Alternate]:
    """The same page in every language, the current one included."""
    return [
        Alternate(lang=other, name=native_name(other), url=url_for(other), current=other == lang)
        for other in config.languages
    ]


def author_context(
    author: Document, lang: str, strings: dict[str, str], rendered: RenderedBody | None, complete: bool
) -> AuthorContext:
    meta = author.meta
    return AuthorContext(
        slug=author.slug,
        name=strings.get(meta["name"], meta["name"]),
        role=strings.get(meta.get("role", ""), meta.get("role", "")),
        url=author_url(lang, author.slug),
        bio=Markup(rendered.html) if rendered else Markup(""),
        incomplete=not complete,
        publisher=meta.get("publisher", False),
    )


def article_context(
    config: Config,
    doc: Document,
    lang: str,
    strings: dict[str, str],
    author: AuthorContext,
    rendered: RenderedBody,
    complete: bool,
) -> ArticleContext:
    meta = doc.meta
    summary = " ".join(meta["summary"].split())
    notes_footer = " ".join(meta.get("notes_footer", "").split())
    title = strings.get(meta["title"], meta["title"])
    web_url = f"{config.base_url}/{article_url(lang, doc.slug)}" if config.base_url else ""
    return ArticleContext(
        slug=doc.slug,
        url=article_url(lang, doc.slug),
        title=title,
        summary=strings.get(summary, summary),
        tags=[strings.get(t, t) for t in meta.get("tags", [])],
        topics=[TopicLink(tag=t, slug=topic_slug(t), name=strings.get(t, t), url=topic_url(lang, topic_slug(t)))
                for t in meta.get("tags", [])],
        date=long_date(meta["date"], config.date_locale(lang)),
        date_iso=meta["date"].isoformat(),
        author=author,
        body=Markup(rendered.html),
        print_body=Markup(rendered.print_html),
        notes=[RenderedNote(n.number, n.id, Markup(n.html), n.backrefs) for n in rendered.notes],
        notes_footer=strings.get(notes_footer, notes_footer),
        incomplete=not complete,
        translated_from=language_name(doc.lang, lang) if lang != doc.lang else None,
        pdf=None,
        web_url=web_url,
        share=share_links(web_url, title),
        citation_files=citation_files(article_url(lang, doc.slug), doc.slug, lang),
    )


def pdf_link(config: Config, url: str, size: int, lang: str) -> PdfLink:
    """A download link with the file's size in kB (MB from 1,000 kB), localized."""
    locale = config.date_locale(lang)
    if size < 1_000_000:
        text = format_unit(max(1, round(size / 1000)), "digital-kilobyte", length="short", locale=locale)
    else:
        text = format_unit(size / 1_000_000, "digital-megabyte", length="short", locale=locale, format="#,##0.#")
    return PdfLink(url=url, size=text)


def template_error(config: Config, exc: Exception) -> TemplateError | None:
    """Jinja's error, or a Python error raised by a template's own code (a value it
    unpacks or indexes wrongly: a template written for another version of the
    toolkit), as the toolkit's, at the template file and line it comes from (for an
    error while rendering, the innermost template frame of the traceback). None for
    an error that no template line raised."""
    path, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if path is None:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if Path(frame.filename).is_relative_to(config.templates_dir):
                path, line = frame.filename, frame.lineno
                break
    if not isinstance(exc, jinja2.TemplateError):
        if path is None:
            return None
        return TemplateError(f"template error: {type(exc).__name__}: {exc}", config.rel(Path(path)), line)
    kind = "syntax error" if isinstance(exc, jinja2.TemplateSyntaxError) else "error"
    where = config.rel(Path(path)) if path else config.rel(config.templates_dir)
    return TemplateError(f"template {kind}: {exc.message or exc}", where, line)


class PageWriter:
    """Renders templates into a site directory, one page at a time."""

    def __init__(self, config: Config, environment: jinja2.Environment, out: Path):
        self.config = config
        self.environment = environment
        self.out = out

    def link(self, page: Page, url: str) -> str:
        """Link from ``page`` to the site-relative ``url``."""
        if self.config.base_url:
            return f"{self.config.base_url}/{url}"
        return page.root + url or "./"

    def render(
        self, template: str, lang: str, translations: gettext.NullTranslations | None, **context: Any
    ) -> str:
        if translations is not None:
            install_translations(self.environment, translations)
        try:
            return self.environment.get_template(template).render(
                lang=lang, site_name=self.config.site_name, **context
            )
        except PressroomError:
            raise  # the toolkit's own, raised by what the template called
        except Exception as exc:
            error = template_error(self.config, exc)
            if error is None:
                raise
            raise error from None

    def html(
        self,
        page: Page,
        template: str,
        lang: str,
        translations: gettext.NullTranslations | None,
        url_for,
        **context: Any,
    ) -> str:
        """``page`` rendered with ``template``: ``context`` and the links, alternates,
        head and root every page has. ``url_for`` gives the page's versions in each
        language; ``None`` for a page not to index (a 404 page: its language menu
        leads to each language's index)."""
        return self.render(
            template,
            lang,
            translations,
            root=page.root,
            link=lambda url: self.link(page, url),
            alternates=alternates(self.config, lang, url_for or index_url),
            head=head_meta(self.config, lang, page.url, url_for),
            **context,
        )

    def save(self, page: Page, html: str) -> None:
        path = self.out / page.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(html.encode())

    def write(
        self,
        page: Page,
        template: str,
        lang: str,
        translations: gettext.NullTranslations | None,
        url_for,
        **context: Any,
    ) -> None:
        self.save(page, self.html(page, template, lang, translations, url_for, **context))
