"""Documents + translations -> page contexts (TypedDicts) -> HTML files.

Site layout (every path relative to site/)::

    index.html                        leads to the default language
    <lang>/index.html                 analyses, newest first
    <lang>/analyses/<slug>/index.html an analysis
    <lang>/authors/<slug>/index.html  an author page with bio
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from babel import Locale
from babel.dates import format_date
from markupsafe import Markup

from .config import Config
from .content import Document
from .html import RenderedBody, RenderedNote


class Alternate(TypedDict):
    lang: str
    name: str
    """The language's own name for itself ("Türkçe", "Русский")."""
    href: str
    current: bool


class AuthorRef(TypedDict):
    name: str
    role: str
    href: str
    link: Markup


class ArticleContext(TypedDict):
    slug: str
    title: str
    summary: str
    tags: list[str]
    date: str
    date_iso: str
    author: AuthorRef
    body: Markup
    notes: list[RenderedNote]
    incomplete: bool
    translated_from: str | None
    href: str


class AuthorContext(TypedDict):
    name: str
    role: str
    bio: Markup
    incomplete: bool


@dataclass(frozen=True)
class Page:
    """Where a page goes, relative to site/, as a directory URL."""

    url: str
    """``en/analyses/<slug>/`` (or ``""`` for the root)."""

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


def native_name(lang: str) -> str:
    """A language's name in itself, capitalized as in a language menu ("Русский")."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


def language_name(lang: str, in_lang: str) -> str:
    """The name of ``lang`` in ``in_lang`` ("İngilizce"), as CLDR writes it."""
    return Locale.parse(in_lang).languages.get(lang, lang)


def long_date(date, lang: str, config: Config) -> str:
    return format_date(date, "long", locale=config.date_locale(lang))


def href(config: Config, page: Page, target_url: str) -> str:
    """Link from ``page`` to ``target_url``: absolute with base_url, else relative."""
    if config.base_url:
        return f"{config.base_url}/{target_url}"
    return page.root + target_url


def alternates(config: Config, page: Page, lang: str, url_for) -> list[Alternate]:
    return [
        Alternate(lang=other, name=native_name(other), href=href(config, page, url_for(other)), current=other == lang)
        for other in config.languages
    ]


def author_ref(config: Config, page: Page, author: Document, lang: str, strings: dict[str, str]) -> AuthorRef:
    name = strings.get(author.meta["name"], author.meta["name"])
    role = strings.get(author.meta.get("role", ""), author.meta.get("role", ""))
    url = href(config, page, author_url(lang, author.slug))
    return AuthorRef(name=name, role=role, href=url, link=Markup('<a href="{}" rel="author">{}</a>').format(url, name))


def article_context(
    config: Config,
    doc: Document,
    author: Document,
    lang: str,
    strings: dict[str, str],
    author_strings: dict[str, str],
    rendered: RenderedBody,
    complete: bool,
    page: Page,
) -> ArticleContext:
    meta = doc.meta
    return ArticleContext(
        slug=doc.slug,
        title=strings.get(meta["title"], meta["title"]),
        summary=strings.get(" ".join(meta["summary"].split()), meta["summary"]),
        tags=[strings.get(t, t) for t in meta.get("tags", [])],
        date=long_date(meta["date"], lang, config),
        date_iso=meta["date"].isoformat(),
        author=author_ref(config, page, author, lang, author_strings),
        body=Markup(rendered.html),
        notes=[RenderedNote(n.number, n.id, Markup(n.html), n.backrefs) for n in rendered.notes],
        incomplete=not complete,
        translated_from=language_name(doc.lang, lang) if lang != doc.lang else None,
        href=href(config, page, article_url(lang, doc.slug)),
    )


def render_page(environment, template: str, translations: gettext.NullTranslations, **context) -> str:
    environment.install_gettext_translations(translations, newstyle=True)
    return environment.get_template(template).render(**context)


def write_page(out: Path, page: Page, html: str) -> None:
    path = out / page.file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
