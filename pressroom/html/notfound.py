"""UI catalogs -> the 404 pages: ``site/<lang>/404.html`` in each language, and
``site/404.html``, which says it in every language (a missing address names none).

A web server shows a 404 page at whatever address was asked for, so its links
cannot be relative to where it lies: they are absolute with ``base_url``, else
from the server's root (``/en/``: the site is then taken to be served at the root
of its host). 404 pages are not to be indexed: they have no canonical address or
hreflang alternates, and say ``noindex``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from markupsafe import Markup

from ..config import Config
from .pages import Page, PageWriter

if TYPE_CHECKING:
    from ..site.jobs import Renderer

NOT_FOUND = "404.html"


@dataclass(frozen=True)
class ErrorPage(Page):
    """A 404 page: ``<url>404.html``, its links from ``prefix`` (the site's path on
    its host), not from where the file lies."""

    prefix: str = "/"

    @property
    def file(self) -> str:
        return f"{self.url}{NOT_FOUND}"

    @property
    def root(self) -> str:
        return self.prefix


def site_path(config: Config) -> str:
    """The site's path on its host, with a final slash ("/" without ``base_url``)."""
    return urlsplit(config.base_url).path.rstrip("/") + "/" if config.base_url else "/"


def write_not_found(config: Config, renderer: Renderer, out: Path) -> list[str]:
    """Write every 404 page into the site directory ``out``; returns them."""
    writer = PageWriter(config, renderer.environment, out)
    prefix = site_path(config)
    notices: dict[str, Markup] = {}
    files = []
    for lang in config.languages:
        page = ErrorPage(f"{lang}/", prefix)
        notice = writer.render("404-notice.html", lang, renderer.ui[lang], link=lambda url, page=page: writer.link(page, url))
        notices[lang] = Markup(notice)  # the template's output: already escaped
        writer.save(page, writer.html(page, "404.html", lang, renderer.ui[lang], None, notices=[notices[lang]]))
        files.append(page.file)
    root = ErrorPage("", prefix)
    default = config.default_language
    ordered = [notices[default], *(notices[lang] for lang in config.languages if lang != default)]
    writer.save(root, writer.html(root, "404.html", default, renderer.ui[default], None, notices=ordered))
    files.append(root.file)
    return files
