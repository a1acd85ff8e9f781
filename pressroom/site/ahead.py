"""The pages a build can tell have changed before it plans: rendered, and their search
shards indexed, while it reads and checks the project.

A one-entry rebuild of a 5,000-analysis archive spent a second and a half reading and
checking the whole project (the cache, the sources, the digests, the plan) before it
rendered the one page, then most of another second waiting for Pagefind to index that
page's shard again (about 150 pages). The snapshot (``snapshot``) knows before any of
that which files changed since the last build. When they are the catalogs of one
analysis (``locales/<lang>/LC_MESSAGES/<slug>.po``, modified, their signatures old
enough to trust), and the last build was run as this one is, ``start`` renders that
analysis in those languages into the staging directory at once, and starts Pagefind on
the shards of its pages. The build then plans as always: when its plan is to render
exactly these pages, it takes them (``Ahead.results``, ``Ahead.runs``); otherwise it
drops them (``Ahead.drop``: Pagefind stopped, the staging directory emptied) and goes
on as if nothing had been done. What is published is always what the plan decided.

The pages are rendered by the renderer the build goes on with (its UI translations
loaded and checked once), after the snapshot was taken: a file changed since is seen
by the next build, as in any build.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..catalogs.files import UI_DOMAIN
from ..config import Config
from ..html.pages import Page, article_url
from ..sources.documents import analysis_files
from .fingerprints import trusted
from .jobs import Renderer
from .publish import Staging
from .results import ArticleResult, ListingKey
from .search import IndexRun, shards
from .snapshot import Snapshot

Job = tuple[str, tuple[str, ...]]


def guess(config: Config, now: Snapshot, changed: list[str] | None) -> Job | None:
    """The one job (source, languages) the ``changed`` files call for, if they are
    document catalogs of one existing analysis, modified and not racy; else None."""
    if not changed:
        return None
    locales = os.fspath(config.locales_dir)
    folders = {os.path.join(locales, lang, "LC_MESSAGES"): lang for lang in config.languages}
    slug, langs = None, set()
    for path in changed:
        if path in folders:  # a catalog replaced by a rename (an editor's save) changes its folder
            continue
        folder, name = os.path.split(path)
        lang = folders.get(folder)
        signature = now.inputs.get(path)
        if lang is None or not name.endswith(".po") or signature is None or not trusted(signature, now.taken):
            return None
        if slug not in (None, name[:-3]):
            return None
        slug = name[:-3]
        langs.add(lang)
    if slug in (None, UI_DOMAIN) or os.path.join(os.fspath(config.content_dir), "analyses", f"{slug}.md") not in now.inputs:
        return None
    return f"{config.rel(config.content_dir)}/analyses/{slug}.md", tuple(
        lang for lang in config.languages if lang in langs)


@dataclass
class Ahead:
    """One job done ahead of the plan: its results and its shards' Pagefind runs. The
    build reads its results as those of a ``build.Rendering``."""

    job: Job
    done: list[ArticleResult]
    runs: dict[ListingKey, IndexRun] = field(default_factory=dict)

    @property
    def jobs(self) -> list[Job]:
        return [self.job]

    def results(self) -> Iterator[ArticleResult]:
        yield from self.done

    def close(self) -> None:
        """(Nothing runs to be closed: the pages are rendered.)"""

    def take_run(self, name: ListingKey) -> IndexRun | None:
        """The run of shard ``name`` started ahead, for the build to wait for."""
        return self.runs.pop(name, None)

    def stop(self) -> None:
        """Stop the runs the build did not take (their bundles removed)."""
        for run in self.runs.values():
            run.stop()
        self.runs.clear()

    def drop(self, staging: Staging) -> None:
        """Undo it all: the runs stopped, the staging directory emptied."""
        self.stop()
        staging.clear()


def start(config: Config, staging: Staging, renderer: Renderer, job: Job) -> Ahead:
    """Render ``job`` into ``staging`` now, and start Pagefind on each of its pages'
    shards (their other pages lent from site/, as the build lends them)."""
    source, langs = job
    results = renderer.document(source, langs, staging.path)
    ahead = Ahead(job, results)
    if any(result.listed is None for result in results):
        return ahead  # a page that could not be rendered: the build reports it, and indexes nothing ahead
    slugs = [os.path.basename(path)[:-3] for path in analysis_files(config)]
    parts = shards(slugs, config.search_shard_size)
    slug = results[0].page.slug
    shard = next(number for number, members in parts.items() if slug in members)
    try:
        for lang in langs:
            staging.lend(Page(article_url(lang, member)).file for member in parts[shard])
            ahead.runs[ListingKey("search-index", lang, shard=shard)] = IndexRun(
                config, staging.path, lang, shard, parts[shard], shard == next(iter(parts)))
    except BaseException:
        ahead.stop()  # no Pagefind left reading a staging directory the caller discards
        raise
    return ahead
