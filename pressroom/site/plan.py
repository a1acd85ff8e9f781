"""Sources, inputs and the last build's cache -> the plan: which analysis pages and
listing groups a build renders, by their keys (``fingerprints``).

An analysis page's key digests everything it is made from (``Inputs.article``) and the
images its last rendering showed (``with_images``); it is rendered again when the key
differs from the cached one or one of its files is gone from site/. A listing group's
key digests what it shows of the analyses (their cached ``listing`` and ``progress``
digests), so an edit that changes no title, summary or count renders no listing; the
search index's shards are keyed by their pages' keys.
"""

from __future__ import annotations

import os
from typing import Any

from ..config import Config
from ..sources.documents import Content, analysis_files
from .fingerprints import ImageDigests, Inputs, Present, digest, with_images
from .results import ArticleResult, ListingKey, PageKey
from .search import shards
from .state import State
from .toolchain import search_toolchain


def every_analysis(config: Config) -> list[tuple[str, tuple[str, ...]]]:
    """Jobs for every analysis in every language, as ``Plan.make`` lists them."""
    root = os.fspath(config.root)
    return [(os.path.relpath(path, root).replace(os.sep, "/"), tuple(config.languages))
            for path in analysis_files(config)]


class Plan:
    """Which analysis pages must be rendered, by comparing keys with the cache."""

    def __init__(
        self, keys: dict[PageKey, str], jobs: list[tuple[str, tuple[str, ...]]], state: State,
        listings: dict[ListingKey, str], parts: dict[int, tuple[str, ...]],
    ):
        self.keys = keys
        """Every analysis page the site has -> its key."""
        self.jobs = jobs
        """(source path, languages) to render: one job per document."""
        self.state = state
        self.listings = listings
        """Every listing group the site has -> its key."""
        self.parts = parts
        """The search index's shards: their analyses' slugs, by shard number (``search.shards``)."""
        self._inputs: tuple[Config, Content, Inputs, bool] | None = None
        self._sources: dict[str, Any] = {}

    @classmethod
    def make(cls, config: Config, content: Content, inputs: Inputs, state: State, pdf: bool) -> Plan:
        keys: dict[PageKey, str] = {}
        jobs = []
        images = ImageDigests(config.root)
        with Present(config.site_dir) as present:
            for doc in content.analyses:
                author = content.authors[doc.meta["author"]]
                dirty = []
                for lang in config.languages:
                    name = PageKey(doc.slug, lang)
                    cached = state.articles.get(name)
                    keys[name] = with_images(inputs.article(doc, author, lang, pdf), cached.images if cached else (),
                                             images)
                    if cached is None or cached.key != keys[name] or not present(cached.files):
                        dirty.append(lang)
                if dirty:
                    jobs.append((doc.path, tuple(dirty)))
        # With nothing to render, the listings show what the cache holds; else their
        # keys wait for the rendered pages and rows (``_build``).
        parts = shards((d.slug for d in content.analyses), config.search_shard_size)
        listings = search_keys(config, inputs, keys, parts, pdf)
        listings.update(listing_keys(config, content, inputs, None if jobs else state, pdf))
        plan = cls(keys, jobs, state, listings, parts)
        plan._inputs = (config, content, inputs, pdf)
        plan._sources = {doc.slug: doc for doc in content.analyses}
        return plan

    def rendered(self, result: ArticleResult) -> str:
        """The key of a page just rendered (kept in ``keys``): its inputs' and its
        images' as its job read them."""
        assert self._inputs is not None, "a plan made by Plan.make"
        _, content, inputs, pdf = self._inputs
        doc = self._sources[result.page.slug]
        base = inputs.article(doc, content.authors[doc.meta["author"]], result.page.lang, pdf)
        used = dict(result.images)
        self.keys[result.page] = key = with_images(base, result.images, used.__getitem__)
        return key

    def nothing_to_do(self, config: Config) -> bool:
        if self.jobs or set(self.keys) != set(self.state.articles) or set(self.listings) != set(self.state.pages):
            return False
        with Present(config.site_dir) as present:
            return all(self.state.pages[name].key == key and present(self.state.pages[name].files)
                       for name, key in self.listings.items())


def search_keys(
    config: Config, inputs: Inputs, keys: dict[PageKey, str], parts: dict[int, tuple[str, ...]], pdf: bool,
) -> dict[ListingKey, str]:
    """The key of each language's search page (it lists the shards ``parts``) and of
    each index shard: a shard reads its analysis pages, so its key is theirs (``keys``),
    and the first one also holds Pagefind's JavaScript."""
    groups = {}
    versions = [f"{name}={version}" for name, version in sorted(search_toolchain().items())]
    for lang in config.languages:
        groups[ListingKey("search", lang)] = digest(inputs.base(lang, pdf), *map(str, parts))
        for number, (shard, slugs) in enumerate(parts.items()):
            groups[ListingKey("search-index", lang, shard=shard)] = digest(
                *versions, f"primary={number == 0}", *(keys[PageKey(slug, lang)] for slug in slugs))
    return groups


def listing_keys(
    config: Config, content: Content, inputs: Inputs, state: State | None, pdf: bool,
) -> dict[ListingKey, str]:
    """The key of each listing group but the search's (``search_keys``): its language's
    base and what it shows of the analyses (their cached ``listing`` digests: a change
    to an analysis' body alone renders no listing again), plus the author's or
    catalogs' digests it shows. Without ``state`` (analyses are still to be rendered),
    only the group that lists no analysis (the root page and static files)."""
    groups = {ListingKey("shared"): digest(inputs.toolkit, inputs.config, inputs.templates)}
    if state is None:
        return groups
    by_author: dict[str, list[int]] = {}  # an author's analyses, by their place in the list
    for number, doc in enumerate(content.analyses):
        by_author.setdefault(doc.meta["author"], []).append(number)
    entries = {lang: [state.articles[PageKey(d.slug, lang)] for d in content.analyses] for lang in config.languages}
    for lang, cached in entries.items():
        shown = [entry.listing for entry in cached]
        base = inputs.base(lang, pdf)
        listed = digest(base, *shown)
        groups[ListingKey("index", lang)] = listed
        groups[ListingKey("topics", lang)] = digest(listed, "topics")
        for author in content.authors.values():
            groups[ListingKey("author", lang, author.slug)] = digest(
                base, inputs.documents[author.path], inputs.catalogs[author.domain, lang],
                *(shown[number] for number in by_author.get(author.slug, ())))
        groups[ListingKey("status", lang)] = digest(
            listed, *(entry.progress for entry in cached),
            *(inputs.documents[a.path] + inputs.catalogs[a.domain, lang]
              for a in content.authors.values() if lang in a.targets(config)))
    # The manifest: every page's entry (their ``progress`` digests), in source order.
    groups[ListingKey("manifest")] = digest(
        *config.languages, *(f"{d.slug} {d.lang} {d.path}" for d in content.analyses),
        *(entries[lang][number].progress for number in range(len(content.analyses)) for lang in config.languages))
    return groups
