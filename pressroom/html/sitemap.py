"""The site's pages -> ``sitemap.xml`` (every page with its versions in the other
languages and its x-default, as ``xhtml:link`` hreflang alternates) and
``robots.txt``; the configuration -> what a production build is missing.

The sitemaps protocol takes absolute addresses only, so a sitemap is written
only when ``base_url`` is set (``build --production`` warns when it is not). One
sitemap holds at most 50,000 addresses and 50 MB; a longer site gets
``sitemap-1.xml``, ``sitemap-2.xml``… and ``sitemap.xml`` becomes their index.
An analysis' entry has a ``<lastmod>``: its front matter's ``updated`` date, or its
``date``. Everything is written in a fixed order, and no date is the build's: two
builds of the same project give the same bytes.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..config import CONFIG_FILE, Config, option_line
from ..errors import Problem
from ..sources.documents import Content, Document
from .head import x_default
from .pages import (
    article_url,
    author_url,
    index_url,
    search_url,
    status_url,
    topic_slug,
    topic_url,
    topics_url,
)
from .pagination import archive_url, page_url

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000
MAX_BYTES = 50_000_000
"""The protocol's limits per file: 50,000 addresses and 50 MB (52,428,800 bytes), kept with a margin."""


@dataclass(frozen=True)
class Cluster:
    """One page in every language: the versions that name each other as alternates."""

    versions: tuple[tuple[str, str], ...]
    """(language, site-relative URL), in the site's language order."""
    x_default: str
    """The page for readers of other languages (site-relative; "" is the root page)."""
    lastmod: str = ""
    """When the page last changed (``YYYY-MM-DD``), where the sources say: "" but for analyses."""

    def urls(self) -> list[str]:
        """The pages of the cluster: every version, and the x-default page when it
        is none of them (the root page, which is the indexes' x-default)."""
        own = [url for _, url in self.versions]
        return own if self.x_default in own else [*own, self.x_default]


def clusters(config: Config, content: Content) -> list[Cluster]:
    """Every page of the site but the 404 pages, grouped by page: indexes (with the
    root page), analyses, author pages, translation-status pages, search pages, topic
    pages (one per tag of the sources: the same in every language), and the further
    pages of the paginated listings (index, year archives, topics, authors; the
    status pages' further pages are not for search engines)."""

    def cluster(url_for: Callable[[str], str]) -> Cluster:
        return Cluster(tuple((lang, url_for(lang)) for lang in config.languages), x_default(config, url_for))

    found = [cluster(index_url)]
    found += [dataclasses.replace(cluster(lambda lang, slug=doc.slug: article_url(lang, slug)),
                                  lastmod=last_modified(doc))
              for doc in content.analyses]
    found += [cluster(lambda lang, slug=slug: author_url(lang, slug)) for slug in sorted(content.authors)]
    found.append(cluster(status_url))
    found.append(cluster(search_url))
    found.append(cluster(topics_url))
    size = config.page_size
    years = Counter(doc.meta["date"].isoformat()[:4] for doc in content.analyses)
    tags = Counter(topic_slug(tag) for doc in content.analyses for tag in dict.fromkeys(doc.meta.get("tags", [])))
    authors = Counter(doc.meta["author"] for doc in content.analyses)
    # (listing, its rows, its first page not listed above): every page of the paginated listings
    listings: list[tuple[Callable[[str], str], int, int]] = [(index_url, len(content.analyses), 2)]
    listings += [(lambda lang, y=year: archive_url(lang, y), n, 1) for year, n in sorted(years.items(), reverse=True)]
    listings += [(lambda lang, t=slug: topic_url(lang, t), n, 1) for slug, n in sorted(tags.items())]
    listings += [(lambda lang, a=slug: author_url(lang, a), n, 2) for slug, n in sorted(authors.items())]
    for url_for, rows, first in listings:
        found += [cluster(lambda lang, f=url_for, k=k: page_url(f(lang), k))
                  for k in range(first, max(1, -(-rows // size)) + 1)]
    return found


def last_modified(doc: Document) -> str:
    """An analysis' last change as the sources say it: ``updated``, else ``date``
    (a month is its first day)."""
    return (doc.meta.get("updated") or doc.meta["date"]).isoformat()


def _entries(base: str, found: list[Cluster]) -> Iterator[str]:
    for group in found:
        links = "".join(
            f"\n    <xhtml:link rel=\"alternate\" hreflang={quoteattr(lang)} href={quoteattr(base + url)}/>"
            for lang, url in (*group.versions, ("x-default", group.x_default))
        )
        own = {url for _, url in group.versions}
        for url in group.urls():
            lastmod = f"\n    <lastmod>{group.lastmod}</lastmod>" if group.lastmod and url in own else ""
            yield f"  <url>\n    <loc>{escape(base + url)}</loc>{lastmod}{links}\n  </url>\n"


_URLSET_HEAD = (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" '
                f'xmlns:xhtml="{XHTML_NS}">\n')
_URLSET_TAIL = "</urlset>\n"


def sitemap_files(base_url: str, found: list[Cluster], max_urls: int = MAX_URLS,
                  max_bytes: int = MAX_BYTES) -> dict[str, str]:
    """File name -> text: ``sitemap.xml``, or an index of ``sitemap-N.xml`` files
    when the pages exceed one file's limits."""
    base = base_url + "/"
    parts: list[list[str]] = [[]]
    size = len(_URLSET_HEAD) + len(_URLSET_TAIL)
    for entry in _entries(base, found):
        length = len(entry.encode())
        if parts[-1] and (len(parts[-1]) >= max_urls or size + length > max_bytes):
            parts.append([])
            size = len(_URLSET_HEAD) + len(_URLSET_TAIL)
        parts[-1].append(entry)
        size += length
    if len(parts) == 1:
        return {SITEMAP: _URLSET_HEAD + "".join(parts[0]) + _URLSET_TAIL}
    files = {f"sitemap-{n}.xml": _URLSET_HEAD + "".join(part) + _URLSET_TAIL for n, part in enumerate(parts, 1)}
    index = "".join(f"  <sitemap>\n    <loc>{escape(base + name)}</loc>\n  </sitemap>\n" for name in files)
    files[SITEMAP] = (f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
                      f"{index}</sitemapindex>\n")
    return files


def robots_txt(config: Config) -> str:
    """Every crawler may read everything; the sitemap's address when it has one."""
    lines = ["# Every page of this site may be crawled.", "User-agent: *", "Disallow:"]
    if config.base_url:
        lines += ["", f"Sitemap: {config.base_url}/{SITEMAP}"]
    return "\n".join(lines) + "\n"


def write_sitemap(config: Config, content: Content, out: Path) -> list[str]:
    """Write robots.txt and, with ``base_url``, the sitemap files into the site
    directory ``out``; returns them."""
    files = {ROBOTS: robots_txt(config)}
    if config.base_url:
        files.update(sitemap_files(config.base_url, clusters(config, content)))
    for name, text in files.items():
        (out / name).write_bytes(text.encode("utf-8"))
    return sorted(files)


def production_problems(config: Config) -> list[Problem]:
    """What a site to publish lacks: a warning when ``base_url`` is empty (no
    sitemap, no share links, relative canonical and hreflang addresses)."""
    if config.base_url:
        return []
    try:
        line = option_line((config.root / CONFIG_FILE).read_text(encoding="utf-8"), "base_url")
    except (OSError, UnicodeDecodeError):
        line = None
    return [Problem(
        CONFIG_FILE, line, "warning",
        "base_url is empty on a production build: canonical and hreflang addresses are relative, and the site "
        "has no sitemap.xml, no share links and no addresses in citations; set it to the site's address in "
        "[tool.pressroom]",
        "production",
    )]
