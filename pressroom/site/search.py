"""The analysis pages of a staging site -> each language's search index, in shards
(Pagefind bundles, ``<lang>/pagefind/<k>/``).

Pagefind (https://pagefind.app) reads the HTML the build wrote and makes the index of
one language's analyses, stemming their words with that language's Snowball stemmer
(``wasm.tr.pagefind`` for Turkish, ``wasm.ru.pagefind`` for Russian: it reads each
page's ``<html lang>``), so "yaptırım" finds "yaptırımlar" and "санкция" finds
"санкции". The index is cut in chunks that a browser fetches as a search needs them.

Pagefind cannot update an index: each run reads every page it is given (about 6 ms
of CPU a page). So a language's index is cut into shards, each made by its own run
over its own pages only: a changed page makes its shard again, not the language's
whole index. An analysis' shard is a stable hash of its slug (``shard_of``); the
number of shards (``shard_count``) is a power of two chosen from the number of
analyses and ``search_shard_size``, so it changes only when the archive doubles (or
halves), and a shard then splits in two (shard k of n holds exactly the analyses of
shards k and k + n of 2n). A shard with no analysis has no bundle. The search page
lists the shards (``templates/search.html``); its script loads the first one's
``pagefind.js`` and merges the others into it (Pagefind's ``mergeIndex``), so a
query is answered by every shard, its results ranked together by their scores. Only
the first shard (the primary) keeps Pagefind's JavaScript and stemmer: merged
indexes are searched with the primary's.

What is indexed is decided in the templates: only analysis pages are read
(``tr/analyses/*/index.html`` for Turkish), and of a page only its
``data-pagefind-body`` element (``templates/article.html``) without the parts marked
``data-pagefind-ignore`` (byline, notices, links) and Pagefind's own exclusions
(``<footer>``, ``<nav>``, ``<form>``…), and without note calls (``EXCLUDE``: a
call's number is no word of the text); the notes are weighted below the body
(``data-pagefind-weight``), and the date is kept with each page
(``data-pagefind-meta``) for the results, beside the title (Pagefind's own: the
first ``<h1>``; the editor's preview finds the title's ``<h1>`` by its plain form).
Results link to the pages by their path from the site's root (``/tr/analyses/x/``);
the search page's script tells Pagefind where that root is.

A shard's run reads a directory of hard links to its pages (same relative paths as
in the site, so the URLs are the site's), made under the staging directory and
removed after the run. The binary comes in the ``pagefind-bin`` wheel: nothing is
downloaded, and it needs no network. It runs on the staging directory, before the
swap, so an index that cannot be made fails the build and leaves the previous site
in place. The site's search page (``templates/search.html``) drives Pagefind's
JavaScript API (``pagefind.js``) with its own script, ``static/search.js``; the
ready-made interfaces Pagefind also writes, and the stemmers no language of the
bundle uses, are deleted. ``pagefind-entry.json`` is rewritten with its languages
sorted: with several languages in one run, Pagefind lists them in an order that
changes from run to run (one language per run, as here, leaves one order; the sort
keeps that true whatever the pages say).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from ..config import Config
from ..errors import SearchError
from ..html.pages import Page, article_url

BUNDLE = "pagefind"
"""A language's shards: ``<lang>/pagefind/<k>/``, relative to site/."""
EXCLUDE = "sup.footnote-ref"
"""Left out of the index: the note calls, which would read as numbers in the text."""
ENTRY = "pagefind-entry.json"
UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
"""Pagefind's ready-made interfaces (400 kB), which the site does not load."""
SCRIPTS = ("pagefind.js", "pagefind-worker.js")
"""Pagefind's JavaScript API: loaded from the primary shard only (with its stemmer)."""
TIMEOUT = 600
"""Seconds one Pagefind run may take (500 pages of about 1,000 words took 3 s here)."""
PAGES = ".search-pages-"
"""Prefix of the directories of hard links a shard's run reads, in the staging
directory (removed after the run: never published)."""


def executable() -> Path:
    """The Pagefind binary of the installed ``pagefind-bin`` wheel."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchError("Pagefind is not installed: `pip install pagefind-bin` (`make site` installs it)") from None
    try:
        return get_executable()
    except FileNotFoundError as exc:
        raise SearchError(f"the pagefind-bin package has no binary for this system: {exc}") from None


def shard_count(analyses: int, size: int) -> int:
    """How many shards a language's index has for ``analyses`` analyses: the largest
    power of two that leaves ``size`` analyses or more to a shard (so a shard holds
    ``size`` to ``2 * size`` of them on average), 1 for fewer than ``2 * size``."""
    count = 1
    while count * 2 * size <= analyses:
        count *= 2
    return count


def shard_of(slug: str, count: int) -> int:
    """The shard of the analysis ``slug`` among ``count``: a stable hash of the slug
    (SHA-1, the same on every machine and run), so an analysis stays in its shard
    while the number of shards does not change."""
    return int.from_bytes(hashlib.sha1(slug.encode("utf-8")).digest()[:8], "big") % count


def shards(slugs: Iterable[str], size: int) -> dict[int, tuple[str, ...]]:
    """The analyses of each shard that has any, by shard number (ascending), each
    shard's slugs sorted."""
    slugs = sorted(slugs)
    count = shard_count(len(slugs), size)
    made: dict[int, list[str]] = {}
    for slug in slugs:
        made.setdefault(shard_of(slug, count), []).append(slug)
    return {shard: tuple(made[shard]) for shard in sorted(made)}


def bundle_dir(lang: str, shard: int) -> str:
    """The directory of ``lang``'s index shard ``shard``, relative to site/."""
    return f"{lang}/{BUNDLE}/{shard}"


def write_index(config: Config, out: Path, lang: str, shard: int, slugs: Iterable[str], primary: bool) -> list[str]:
    """Index ``lang``'s analysis pages ``slugs`` of the site directory ``out`` into
    ``out/<lang>/pagefind/<shard>/``; returns the bundle's files, relative to ``out``,
    sorted. The ``primary`` shard keeps Pagefind's JavaScript and stemmer, the others
    their index only. No pages, no bundle (Pagefind refuses to make an empty one)."""
    return IndexRun(config, out, lang, shard, slugs, primary).result()


class IndexRun:
    """``write_index`` in two steps: the pages are linked and Pagefind started when it
    is made; ``result`` waits for it and returns the bundle's files (or raises its
    failure). A build starts its first runs itself and leaves the waiting to threads:
    started from a thread, each of the hundreds of small steps of linking the pages
    waited for the interpreter's lock while the build's own thread worked (a third of a
    second before Pagefind began, in an archive's one-entry build)."""

    def __init__(self, config: Config, out: Path, lang: str, shard: int, slugs: Iterable[str], primary: bool):
        self.out, self.primary = out, primary
        self.members = tuple(slugs)
        """The analyses it indexes, by slug."""
        self.pages = [Page(article_url(lang, slug)).file for slug in self.members]  # tr/analyses/x/index.html
        self.bundle = out / bundle_dir(lang, shard)
        self.where = f"{config.rel(config.site_dir)}/{bundle_dir(lang, shard)}"
        self.read = out / f"{PAGES}{lang}-{shard}"
        self.process: subprocess.Popen[str] | None = None
        self.failure: SearchError | None = None
        if not self.pages:
            return
        command = [str(executable()), "--site", ".", "--output-path", str(self.bundle),
                   "--exclude-selectors", EXCLUDE, "--silent"]
        # Run in the pages' directory with no PAGEFIND_* variables: a pagefind.yml or
        # PAGEFIND_ setting of the caller's would change the index.
        env = {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")}
        try:
            _link_pages(out, self.read, self.pages)
            self.process = subprocess.Popen(command, cwd=self.read, env=env, stdin=subprocess.DEVNULL,
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except OSError as exc:
            self.failure = SearchError(f"cannot run Pagefind: {exc.strerror or exc}", self.where)
            shutil.rmtree(self.read, ignore_errors=True)

    def stop(self) -> None:
        """End the run without its result (Pagefind killed, its bundle removed)."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.read, ignore_errors=True)
        shutil.rmtree(self.bundle, ignore_errors=True)

    def result(self) -> list[str]:
        if self.failure is not None:
            raise self.failure
        if self.process is None:
            return []
        try:
            try:
                stdout, stderr = self.process.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.communicate()
                raise SearchError(f"Pagefind did not finish in {TIMEOUT} s", self.where) from None
            except BaseException:
                self.process.kill()  # interrupted: no Pagefind reads the pages after this
                self.process.communicate()
                raise
        finally:
            shutil.rmtree(self.read, ignore_errors=True)
        if self.process.returncode != 0:
            said = " ".join(line.strip() for line in (stderr or stdout).splitlines() if line.strip())
            raise SearchError(f"Pagefind failed (exit status {self.process.returncode}): {said or 'no message'}",
                              self.where)
        used = _sort_entry(self.bundle / ENTRY, self.where)
        for name in UNUSED + (() if self.primary else SCRIPTS):
            (self.bundle / name).unlink(missing_ok=True)
        for stemmer in self.bundle.glob("wasm.*.pagefind"):
            if stemmer.name not in used or not self.primary:
                stemmer.unlink()
        return sorted(p.relative_to(self.out).as_posix() for p in self.bundle.rglob("*") if p.is_file())


def _link_pages(out: Path, read: Path, pages: list[str]) -> None:
    """Hard links in ``read`` to ``pages`` of ``out``, at the same relative paths
    (copies where the file system has no hard links)."""
    shutil.rmtree(read, ignore_errors=True)  # left by an interrupted run
    for rel in pages:
        target = read / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(out / rel, target)
        except OSError:
            shutil.copyfile(out / rel, target)


def _sort_entry(path: Path, where: str) -> set[str]:
    """Rewrite Pagefind's entry file with its languages in sorted order, as compact as
    Pagefind writes it (JSON objects have no order: pagefind.js reads the languages by
    name); returns the file names of the stemmers it names."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        entry["languages"] = dict(sorted(entry["languages"].items()))
        used = {f"wasm.{index['wasm']}.pagefind" for index in entry["languages"].values()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SearchError(f"Pagefind wrote no readable {ENTRY}: {exc}", where) from None
    path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return used
