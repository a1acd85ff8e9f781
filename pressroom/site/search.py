"""The analysis pages of a staging site -> one search index per language
(Pagefind's bundle, ``<lang>/pagefind/``).

Pagefind (https://pagefind.app) reads the HTML the build wrote and makes the index of
one language's analyses, stemming their words with that language's Snowball stemmer
(``wasm.tr.pagefind`` for Turkish, ``wasm.ru.pagefind`` for Russian: it reads each
page's ``<html lang>``), so "yaptırım" finds "yaptırımlar" and "санкция" finds
"санкции". The index is cut in chunks that a browser fetches as a search needs them.
Each language has its own bundle, made by its own run: a change to the Turkish pages
alone makes the Turkish index again, not the others (Pagefind cannot update an index:
each run reads every page of its language).

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

The binary comes in the ``pagefind-bin`` wheel: nothing is downloaded, and it needs
no network. It runs on the staging directory, before the swap, so an index that
cannot be made fails the build and leaves the previous site in place. The site's
search page (``templates/search.html``) drives Pagefind's JavaScript API
(``pagefind.js``) with its own script, ``static/search.js``; the ready-made
interfaces Pagefind also writes, and the stemmers no language of the bundle uses,
are deleted. ``pagefind-entry.json`` is rewritten with its languages sorted: with
several languages in one run, Pagefind lists them in an order that changes from run
to run (one language per run, as here, leaves one order; the sort keeps that true
whatever the pages say).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from ..config import Config
from ..errors import SearchError
from ..html.pages import Page, article_url

BUNDLE = "pagefind"
"""A language's bundle: ``<lang>/pagefind/``, relative to site/."""
EXCLUDE = "sup.footnote-ref"
"""Left out of the index: the note calls, which would read as numbers in the text."""
ENTRY = "pagefind-entry.json"
UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
"""Pagefind's ready-made interfaces (400 kB), which the site does not load."""
TIMEOUT = 600
"""Seconds one Pagefind run may take (500 pages of about 1,000 words took 3 s here)."""


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


def bundle_dir(lang: str) -> str:
    """The directory of ``lang``'s index, relative to site/."""
    return f"{lang}/{BUNDLE}"


def write_index(config: Config, out: Path, lang: str) -> list[str]:
    """Index ``lang``'s analysis pages of the site directory ``out`` into
    ``out/<lang>/pagefind/``; returns the bundle's files, relative to ``out``, sorted.
    A language without analyses gets no bundle (Pagefind refuses to make an empty one)."""
    pages = Page(article_url(lang, "*")).file  # tr/analyses/*/index.html
    if not any(out.glob(pages)):
        return []
    bundle = out / bundle_dir(lang)
    where = f"{config.rel(config.site_dir)}/{bundle_dir(lang)}"
    command = [str(executable()), "--site", ".", "--glob", pages, "--output-subdir", bundle_dir(lang),
               "--exclude-selectors", EXCLUDE, "--silent"]
    # Run in the site directory with no PAGEFIND_* variables: a pagefind.yml or
    # PAGEFIND_ setting of the caller's would change the index.
    env = {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")}
    try:
        done = subprocess.run(command, cwd=out, env=env, capture_output=True, text=True, timeout=TIMEOUT,
                              check=False)
    except OSError as exc:
        raise SearchError(f"cannot run Pagefind: {exc.strerror or exc}", where) from None
    except subprocess.TimeoutExpired:
        raise SearchError(f"Pagefind did not finish in {TIMEOUT} s", where) from None
    if done.returncode != 0:
        said = " ".join(line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip())
        raise SearchError(f"Pagefind failed (exit status {done.returncode}): {said or 'no message'}", where)
    used = _sort_entry(bundle / ENTRY, where)
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    for stemmer in bundle.glob("wasm.*.pagefind"):
        if stemmer.name not in used:
            stemmer.unlink()
    return sorted(p.relative_to(out).as_posix() for p in bundle.rglob("*") if p.is_file())


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
