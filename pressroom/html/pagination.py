"""A listing's rows -> its pages: ``page_size`` rows each, the first at the listing's
own URL and the others at ``page/<n>/`` under it, each knowing the previous and the
next (``rel="prev"``/``"next"``), and an index's year archives.

    <lang>/                      page 1 of the index; <lang>/page/2/ …
    <lang>/archive/<year>/       the analyses of one year; …/page/2/ …
    <lang>/topics/<topic>/       page 1 of a topic; …/page/2/ …
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Row = TypeVar("Row")


@dataclass(frozen=True)
class Pager(Generic[Row]):
    """One page of a listing."""

    number: int
    count: int
    """How many pages the listing has."""
    url: str
    rows: Sequence[Row]
    prev: str | None
    next: str | None
    pages: tuple[tuple[int, str] | None, ...]
    """(number, url) of the pages linked from this one: the first, the last and
    those within ``WINDOW`` of this one, in order; ``None`` where pages are left
    out between them (a page of a 250-page archive links to at most 2 × WINDOW + 3)."""


WINDOW = 2
"""Pages linked on each side of the current one."""


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def paginate(base: str, rows: Sequence[Row], size: int) -> list[Pager[Row]]:
    """The pages of ``rows`` under the listing URL ``base`` (one, empty, when there
    are no rows)."""
    count = max(1, -(-len(rows) // size))
    urls = [page_url(base, n) for n in range(1, count + 1)]
    return [
        Pager(n, count, url, rows[(n - 1) * size:n * size], urls[n - 2] if n > 1 else None,
              urls[n] if n < count else None, _linked(n, urls))
        for n, url in enumerate(urls, 1)
    ]


def _linked(number: int, urls: list[str]) -> tuple[tuple[int, str] | None, ...]:
    """The page links of page ``number``: the first, the last, the window around it,
    and ``None`` for each run of pages left out (a run of one page is linked instead:
    a gap mark would take as much room)."""
    shown = sorted({1, len(urls), *range(max(1, number - WINDOW), min(len(urls), number + WINDOW) + 1)})
    links: list[tuple[int, str] | None] = []
    for n in shown:
        if links and links[-1] is not None and n - links[-1][0] == 2:
            links.append((n - 1, urls[n - 2]))
        elif links and links[-1] is not None and n - links[-1][0] > 2:
            links.append(None)
        links.append((n, urls[n - 1]))
    return tuple(links)


def archive_url(lang: str, year: str) -> str:
    return f"{lang}/archive/{year}/"


def by_year(rows: Sequence[Row], year_of: Callable[[Row], str]) -> dict[str, list[Row]]:
    """Rows grouped by year, newest year first (rows keep their order)."""
    years: dict[str, list[Row]] = {}
    for row in rows:
        years.setdefault(year_of(row), []).append(row)
    return dict(sorted(years.items(), reverse=True))
