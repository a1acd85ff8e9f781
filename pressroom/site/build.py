"""The build: sources + catalogs + templates -> site/ (pages, PDFs, feeds, manifest).

``build()`` holds the project's build lock (``publish.build_lock``: one build at a
time, the editor's included) and reads as its stages:

0. when the snapshot says only one analysis' catalogs changed, render its pages and
   start Pagefind on their search shards at once (``ahead``: taken if step 3 would
   render exactly them, else dropped);
1. read every source's front matter and the UI catalogs (always checked);
2. digest every input and key every output (``fingerprints``, ``plan``);
3. render only the analyses whose key changed — in a process pool with ``jobs`` > 1
   (``jobs.Renderer``) — into a staging directory (``publish.Staging``), which gets
   what the build writes and nothing else;
4. index each language's analysis pages for search (``search``: Pagefind), shard by
   shard, each shard only if one of its pages changed, in the background;
5. meanwhile report the catalogs no source uses (``catalogs.orphans``) and render the
   listing pages (index, feed, authors, status, search) whose inputs changed;
6. publish (``publish.publish``): a small change file by file, journaled
   (``journal.commit``), a large one by a swap of the whole tree; the cache is saved
   with it.

Nothing is written into site/ before step 6: a build that fails or is interrupted
before it leaves the previous site as it was; one killed during it leaves a journal
that the next build ends first. A build with nothing to do renders nothing.
Everything published gets the modes the umask gives new files and directories (0644
and 0755 by default).
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalogs.orphans import report_orphans
from ..config import Config
from ..errors import Problem, Report, SiteChanged
from ..html.listings import Listing, render_listing, status_rows
from ..html.notfound import write_not_found
from ..html.pages import Page, article_url
from ..html.sitemap import production_problems, write_sitemap
from ..html.topics import report_conflicts
from ..project import load_ui
from ..sources.documents import Content, load_content
from .ahead import Ahead, guess
from .ahead import start as start_ahead
from .fingerprints import DigestCache, Present, current_umask, fingerprint
from .jobs import Renderer, init_worker, newest_first, run_job
from .journal import pending_commit
from .parsed import KnownSources
from .plan import Plan, every_analysis, listing_keys, search_keys
from .publish import Staging, build_lock, publish, recover
from .results import ArticleResult, ListingKey, PageKey
from .search import IndexRun, bundle_dir
from .snapshot import Snapshot, changed_files, last_snapshot, record, unchanged
from .state import CachedArticle, CachedListing, State, load_state

if TYPE_CHECKING:
    from .cluster.executor import ClusterRendering

MANIFEST = "manifest.json"


def build(
    config: Config,
    strict: bool = False,
    log: Callable[[str], None] = print,
    pdf: bool = True,
    jobs: int | None = None,
    scheduler: str | None = None,
    production: bool = False,
) -> Report:
    """Bring site/ up to date with the project; returns what it found.

    Problems of every analysis are reported on every build, rendered or reused;
    with ``strict`` warnings fail the build and site/ stays as it was. Waits for a
    build of the same project in progress to end first. With ``scheduler`` (a Dask
    scheduler's address) the analyses are rendered on that cluster
    (``cluster.executor``); everything else is as in a local build. ``production``:
    the site is to be published, so what it lacks for that (``base_url``) is a warning."""
    with build_lock(config, log), _collections_spaced():
        recover(config, log)
        return _build(config, strict, log, pdf, jobs, scheduler, production)


COLLECT_EVERY = 50_000
"""Objects allocated (net) between two collections of the cyclic garbage collector
during a build (Python's default: 700). A build holds a large, long-lived set of
objects (an archive's cache, sources and digests: over a million), and by default
the collector ran some 450 times and went through all of them 4 times in a one-entry
build of 5,000 analyses: half a second of 3. Fewer, larger collections find the
same garbage (reference counting frees most of it anyway) for a few megabytes more."""


@contextlib.contextmanager
def _collections_spaced() -> Iterator[None]:
    """The garbage collector runs every ``COLLECT_EVERY`` allocations (its older
    generations as often relative to that) for as long as the build; then as before.
    Forked workers inherit it."""
    before = gc.get_threshold()
    gc.set_threshold(COLLECT_EVERY, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build(
    config: Config, strict: bool, log: Callable[[str], None], pdf: bool, jobs: int | None, scheduler: str | None,
    production: bool = False,
) -> Report:
    report = Report(strict=strict)
    umask = current_umask()
    snapshot = Snapshot.take(config, pdf, production, umask)
    last = last_snapshot(config)
    problems = unchanged(config, snapshot, last)
    if problems is not None:  # not a file touched since the last build
        report.extend(problems)
        report.raise_if_failed()
        log("nothing to do: site/ is up to date")
        return report
    if production:
        report.extend(production_problems(config))
    workers = jobs or os.cpu_count() or 1
    job = guess(config, snapshot, changed_files(config, snapshot, last)) if scheduler is None else None
    staging = Staging(config, link=True)  # (until the cache says which umask site/ was made under)
    rendering: Rendering | ClusterRendering | Ahead | None = None
    ahead: Ahead | None = None
    ui, renderer = None, None
    try:
        if job is not None:  # what the snapshot says changed, started now; the plan decides later
            ui = load_ui(config, report)
            renderer = Renderer(config, pdf, ui)
            ahead = _ahead(config, staging, renderer, job) if not report.failed else None
        state = load_state(config)
        staging.link = state.umask == umask  # else files are copied: their modes follow the umask
        if ahead is not None and (not staging.link or not state.articles):  # not the snapshot's build's cache
            ahead.drop(staging)
            ahead = None
        everything = every_analysis(config) if not state.articles else []
        if workers > 1 and len(everything) > 1 and scheduler is None:
            # Nothing to reuse: every analysis is rendered, so the pool starts on them
            # now, while this process reads and checks the project (and is stopped if
            # that fails, or finds other work to do).
            rendering = Rendering(config, everything, staging.path, pdf, workers)
        log("reading sources")
        known = KnownSources(config, snapshot.inputs)
        content = load_content(config, report, known)
        ui = ui if ui is not None else load_ui(config, report)
        report.raise_if_failed()
        digests = DigestCache(config, snapshot.inputs)
        inputs = fingerprint(config, content, pdf, digests)
        plan = Plan.make(config, content, inputs, state, pdf)
        if ahead is not None and ahead.jobs != plan.jobs:  # not what the plan renders: undone
            ahead.drop(staging)
            ahead = None
        if plan.nothing_to_do(config) and state.umask == umask:
            report_orphans(config, content, report, snapshot.inputs)
            replay(state, report)
            report_topics(config, plan.listings, state, state, report)
            report.raise_if_failed()
            log("nothing to do: site/ is up to date")
            if rendering is not None:
                rendering.close()
            staging.discard()
            digests.save()
            known.save()
            record(config, snapshot, report.problems, site_files(state))
            return report
        renderer = renderer if renderer is not None else Renderer(config, pdf, ui)  # also renders the listing pages
        if rendering is not None:
            renderer.warm()  # for the listing pages, while the workers render
        if rendering is not None and rendering.jobs != plan.jobs:  # the sources changed meanwhile
            rendering.close()
            staging.clear()
            rendering = None
        pages = sum(len(langs) for _, langs in plan.jobs)
        on = f" on the Dask cluster at {scheduler}" if scheduler and plan.jobs else ""
        early = " (rendered ahead of the plan)" if ahead is not None else ""
        log(f"rendering {pages} page(s) of {len(plan.keys)} ({'with' if pdf else 'without'} PDFs){on}{early}")
        if ahead is not None:
            rendering = ahead
        if rendering is None and on:
            from .cluster.executor import ClusterRendering  # Dask is imported by builds that use it

            rendering = ClusterRendering(scheduler, config, content, plan.jobs, staging.path, pdf, _progress)
        if rendering is None:
            rendering = Rendering(config, plan.jobs, staging.path, pdf, workers, renderer)
        new_state = State(umask=umask)
        for result in rendering.results():
            new_state.articles[result.page] = CachedArticle.of(plan.rendered(result), result)
        for key in plan.keys:  # reused analyses keep their cached entry
            if key not in new_state.articles:
                new_state.articles[key] = state.articles[key]
        replay(new_state, report)
        if report.has_errors:  # a page that could not be rendered is not indexed (``--strict``: all warnings first)
            report.raise_if_failed()
        # The search index first (its keys are the rendered pages'), then, while
        # Pagefind reads the pages, what only reports or is written beside them.
        plan.listings = search_keys(config, inputs, plan.keys, plan.parts, pdf)
        indexed = index_for_search(config, plan, state, new_state, staging, log, workers, ahead)
        try:
            report_orphans(config, content, report, snapshot.inputs)
            report.raise_if_failed()
            plan.listings.update(listing_keys(config, content, inputs, new_state, pdf))
            topics = report_topics(config, plan.listings, state, new_state, report)
            report.raise_if_failed()
            render_listings(config, content, plan, state, new_state, staging.path, renderer, topics)
            write_sitemap(config, content, staging.path)  # by every build that renders
            write_not_found(config, renderer, staging.path)
            write_manifest(config, content, plan, state, new_state, staging.path)
        except BaseException:
            indexed(ended_only=True)  # no Pagefind run reads the staging directory once it is discarded
            raise
        indexed()
    except BaseException:
        if rendering is not None:
            rendering.close()  # no worker writes into staging after this
        if ahead is not None:
            ahead.stop()
        staging.discard()
        raise
    try:
        publish(config, staging, state, new_state, log)
    except BaseException:
        if not pending_commit(config):  # else the staging directory is the journal's, for the next build
            staging.discard()
        raise
    digests.save()
    known.save()
    record(config, snapshot, report.problems, site_files(new_state))
    log(f"wrote {config.rel(config.site_dir)}/ ({len(content.analyses)} analyses, {len(config.languages)} languages)")
    return report


def _ahead(config: Config, staging: Staging, renderer: Renderer, job: tuple[str, tuple[str, ...]]) -> Ahead | None:
    """``ahead.start``, or None (and nothing in ``staging``) where a page of the shard
    it would lend is not in site/ (the plan will say why)."""
    try:
        return start_ahead(config, staging, renderer, job)
    except (OSError, SiteChanged):
        staging.clear()
        return None


def site_files(state: State) -> list[str]:
    """The files of site/ a build's cache knows (analysis pages, listings, indexes)."""
    files = []
    for entry in state.articles.values():
        files += entry.files
    for listing in state.pages.values():
        files += listing.files
    return files


class Rendering:
    """Analysis jobs under way. With ``workers`` > 1 (and more than one job) they run
    in a process pool, all submitted at once; otherwise in this process with
    ``renderer``, as ``results`` is read. Results come in job order whatever
    ``workers`` is."""

    def __init__(
        self, config: Config, jobs: list[tuple[str, tuple[str, ...]]], out: Path, pdf: bool, workers: int,
        renderer: Renderer | None = None,
    ):
        self.jobs = jobs
        self.tasks = [(source, langs, str(out)) for source, langs in jobs]
        self.renderer = renderer
        self.pool: ProcessPoolExecutor | None = None
        if workers > 1 and len(self.tasks) > 1:
            gc.freeze()  # what exists now stays out of forked workers' garbage collection
            # The workers are forked (here, at the first task) with SIGINT blocked, and
            # init_worker ignores it before unblocking it: a Ctrl-C while they start is
            # this process's to report, not theirs (it waits, pending, until the finally).
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                self.pool = ProcessPoolExecutor(
                    max_workers=min(workers, len(self.tasks)),
                    initializer=init_worker, initargs=(config, pdf, os.getpid()),
                )
                self._pooled = self.pool.map(run_job, self.tasks, chunksize=_chunk_size(len(self.tasks), workers))
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                gc.unfreeze()
        else:
            assert renderer is not None, "rendering in this process needs a renderer"

    def results(self) -> Iterator[ArticleResult]:
        if self.pool is not None:
            batches: Iterator[list[ArticleResult]] = self._pooled
        else:
            renderer = self.renderer
            batches = (renderer.document(source, langs, Path(out)) for source, langs, out in self.tasks)
        bar = _progress(sum(len(langs) for _, langs in self.jobs))
        try:
            for batch in batches:
                yield from batch
                bar.update(len(batch))
        finally:
            bar.close()
            self.close()

    def close(self) -> None:
        """Stop: jobs not started are cancelled, running ones are waited for."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


_CHUNK = 4
"""Documents a worker is handed at a time on long builds. One at a time, the build's
own process spent about a quarter of a second more per 500 analyses passing tasks
and results (and the workers waited on it); a chunk of four leaves the workers at
most a few documents apart at the end."""


def _chunk_size(tasks: int, workers: int) -> int:
    return max(1, min(_CHUNK, tasks // (4 * workers)))


def _progress(total: int):
    """A progress bar on a terminal for long builds; silent otherwise."""
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - tqdm is a dependency
        tqdm = None
    if tqdm is None or not sys.stderr.isatty() or total < 20:
        class _Silent:
            def update(self, n: int) -> None: ...
            def close(self) -> None: ...
        return _Silent()
    return tqdm(total=total, unit="page", file=sys.stderr)


def replay(state: State, report: Report) -> None:
    """Report the problems of every analysis, whether rendered now or reused."""
    for entry in state.articles.values():
        report.extend(entry.problems)


def report_topics(
    config: Config, listings: dict[ListingKey, str], old: State, new: State, report: Report,
) -> dict[str, tuple[Problem, ...]]:
    """A tag translated otherwise than its topic, in each language (``topics``): what
    the topic pages' cached group found while its key is the same, else found again
    from the analyses' rows. Returns them by language, for the cache."""
    found: dict[str, tuple[Problem, ...]] = {}
    for lang in config.languages:
        name = ListingKey("topics", lang)
        cached = old.pages.get(name)
        if cached is not None and cached.key == listings.get(name):
            found[lang] = cached.problems
        else:
            entries = [entry for page, entry in new.articles.items() if page.lang == lang]
            here = Report()
            report_conflicts(lang, newest_first(entry.listed for entry in entries),
                             {entry.page.slug: entry.manifest.catalog for entry in entries}.get, here)
            found[lang] = tuple(here.problems)
        report.extend(list(found[lang]))
    return found


def render_listings(
    config: Config, content: Content, plan: Plan, old: State, new: State, out: Path, renderer: Renderer,
    topics: dict[str, tuple[Problem, ...]],
) -> None:
    """Index, feed, author and status pages, the root page and static files: each
    group rendered if its key changed, else kept as the current site has it. (Rendered
    here: in the worker pool they measured no faster.) The analyses' rows are read
    from the cache for the languages whose listings are rendered only. ``topics``:
    the topic pages' problems by language, kept with their group."""
    todo = []
    with Present(config.site_dir) as present:
        for name, key in plan.listings.items():
            if name.kind in ("search-index", "manifest"):
                continue  # made by index_for_search, once the pages are all in place, and write_manifest
            cached = old.pages.get(name)
            if cached is not None and cached.key == key and present(cached.files):
                new.pages[name] = replace(cached, problems=topics[name.lang]) if name.kind == "topics" else cached
            else:
                todo.append(name)
    listings = {ListingKey("shared"): Listing("shared", config.default_language)}
    for lang in config.languages:
        if not any(name.lang == lang for name in todo):
            continue
        entries = [new.articles[PageKey(d.slug, lang)] for d in content.analyses]
        articles = newest_first(entry.listed for entry in entries)
        listings[ListingKey("index", lang)] = Listing("index", lang, articles)
        listings[ListingKey("topics", lang)] = Listing("topics", lang, articles)
        for author in content.authors.values():
            own = [a for a in articles if a.author.slug == author.slug]
            listings[ListingKey("author", lang, author.slug)] = Listing("author", lang, own, author)
        listings[ListingKey("search", lang)] = Listing(
            "search", lang, bundles=[bundle_dir(lang, shard) for shard in plan.parts])
        if ListingKey("status", lang) in todo:  # its rows render author bios: only when needed
            documents = [d for d in content.documents if lang in d.targets(config)]
            manifests = {entry.page: entry.manifest for entry in entries}
            rows = status_rows(lang, documents, articles, manifests, renderer)
            listings[ListingKey("status", lang)] = Listing("status", lang, rows)
    for name in todo:
        files = render_listing(renderer, listings[name], out)
        problems = topics[name.lang] if name.kind == "topics" else ()
        new.pages[name] = CachedListing(plan.listings[name], tuple(files), problems)


def index_for_search(
    config: Config, plan: Plan, old: State, new: State, staging: Staging,
    log: Callable[[str], None], workers: int = 1, ahead: Ahead | None = None,
) -> Callable[..., None]:
    """The search index of each language of the site in ``staging``, shard by shard
    (``search.IndexRun``): a shard made again only when one of its analysis pages
    changed (its key is theirs), else kept. The pages of a shard indexed that this
    build did not render are lent to the staging directory (Pagefind reads them all).
    Up to ``workers`` shards are indexed at once (one Pagefind process each), in the
    background: returns what waits for them to end, then records their files in
    ``new`` and raises the first failure, in language and shard order (with
    ``ended_only``: cancels the shards not started and waits for the others only)."""
    parts = plan.parts
    primary = next(iter(parts), None)
    todo = []
    with Present(config.site_dir) as present:
        for name, key in plan.listings.items():
            if name.kind != "search-index":
                continue
            cached = old.pages.get(name)
            if cached is not None and cached.key == key and present(cached.files):
                new.pages[name] = cached
            else:
                todo.append(name)
    taken = {name: run for name in todo if (run := ahead.take_run(name)) is not None} if ahead else {}
    if ahead is not None:
        ahead.stop()  # a shard the plan does not index again
    if not todo:
        return lambda ended_only=False: None
    langs = sorted({name.lang for name in todo}, key=config.languages.index)
    count = len(todo)
    log(f"indexing the analyses for search ({', '.join(langs)}: {count} shard{'s' if count > 1 else ''})")
    staging.lend(Page(article_url(str(name.lang), slug)).file for name in todo for slug in parts[name.shard or 0])
    at_once = max(1, min(workers, len(todo)))

    def start(name: ListingKey) -> IndexRun:
        shard = name.shard or 0
        if name in taken:
            run = taken.pop(name)
            if run.members == parts[shard]:
                return run
            run.stop()  # (the analyses were listed otherwise ahead)
        return IndexRun(config, staging.path, str(name.lang), shard, parts[shard], shard == primary)

    def index(number: int, name: ListingKey) -> list[str]:
        return (first[number] if number < at_once else start(name)).result()

    first = [start(name) for name in todo[:at_once]]  # the others by the threads, as they are free
    pool = ThreadPoolExecutor(max_workers=at_once)
    made = [pool.submit(index, number, name) for number, name in enumerate(todo)]
    pool.shutdown(wait=False)

    def finish(ended_only: bool = False) -> None:
        if ended_only:
            for future in made:
                future.cancel()  # the shards not started yet (the build failed)
        wait(made)
        if ended_only:
            return
        for name, future in zip(todo, made):
            new.pages[name] = CachedListing(plan.listings[name], tuple(future.result()))

    return finish


def write_manifest(config: Config, content: Content, plan: Plan, old: State, new: State, out: Path) -> None:
    """site/manifest.json, in source and language order whatever was rendered: one
    analysis per line, each page's entry as the cache keeps its text (an archive's
    manifest is long: encoding it again took half a second at 5,000 analyses).
    Written when one of its entries changed (its group's key), else kept."""
    name = ListingKey("manifest")
    cached = old.pages.get(name)
    with Present(config.site_dir) as present:
        if cached is not None and cached.key == plan.listings[name] and present(cached.files):
            new.pages[name] = cached
            return
    new.pages[name] = CachedListing(plan.listings[name], (MANIFEST,))
    lines = []
    for doc in content.analyses:
        languages = b", ".join(json.dumps(lang).encode() + b": " + new.articles[PageKey(doc.slug, lang)].manifest_json
                               for lang in config.languages)
        head = json.dumps({"slug": doc.slug, "source_lang": doc.lang, "source": doc.path}, ensure_ascii=False)
        lines.append(head[:-1].encode() + b', "languages": {' + languages + b"}}")
    (out / MANIFEST).write_bytes(b'{"articles": [\n' + b",\n".join(lines) + b"\n]}\n")
