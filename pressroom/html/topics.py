"""Listed analyses -> the topics of a language: one per tag of the sources.

A topic is named by its tag as the sources have it (its URL is the same in every
language: ``topic_slug``) and shown by the tag's translation. One tag has one
translation per language: when two analyses' catalogs translate it differently, the
one most analyses use names the topic (then the newest analysis') and every other is
reported at its catalog line, as a warning.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import Report
from ..site.results import ListedArticle
from .pages import topic_url


@dataclass(frozen=True)
class Topic:
    slug: str
    tag: str
    name: str
    url: str
    articles: tuple[ListedArticle, ...]
    """Newest first, as the listing they come from."""


def topics_of(lang: str, articles: Sequence[ListedArticle]) -> list[Topic]:
    """The topics of ``articles`` (newest first), by name in the language's order."""
    found: dict[str, list[tuple[ListedArticle, str, str]]] = {}
    for article in articles:
        for topic in article.topics:
            found.setdefault(topic.slug, []).append((article, topic.tag, topic.name))
    topics = []
    for slug, rows in found.items():
        name = _name(rows)
        own = tuple({article.slug: article for article, _, _ in rows}.values())
        topics.append(Topic(slug, rows[0][1], name, topic_url(lang, slug), own))
    return sorted(topics, key=lambda t: (t.name.casefold(), t.slug))


def _name(rows: list[tuple[ListedArticle, str, str]]) -> str:
    votes = Counter(name for _, _, name in rows)
    best = max(votes.values())
    return next(name for _, _, name in rows if votes[name] == best)


def report_conflicts(
    lang: str, articles: Sequence[ListedArticle], catalog_of: Callable[[str], str | None], report: Report,
) -> None:
    """Warn at each catalog line that translates a tag otherwise than its topic's name
    (``catalog_of``: an analysis' slug -> the path of its catalog in ``lang``)."""
    for topic in topics_of(lang, articles):
        for article in topic.articles:
            listed = next(t for t in article.topics if t.slug == topic.slug)
            if listed.name == topic.name or listed.line is None:
                continue  # (no line: not translated, which the catalog's progress says)
            path = catalog_of(article.slug) or article.url
            report.warning(
                path, listed.line,
                f"tag {listed.tag!r} is {listed.name!r} here but {topic.name!r} in the other analyses "
                f"(one tag, one translation per language: its topic page says {topic.name!r})",
                "topics",
            )
