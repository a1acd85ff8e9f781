"""The analysis pages of a staging site -> its search index (Pagefind's bundle, ``pagefind/``).

Pagefind (https://pagefind.app) reads the HTML the build wrote and makes one index
per language: it reads each page's ``<html lang>`` and stems that language's words
with its Snowball stemmer (``wasm.tr.pagefind`` for Turkish, ``wasm.ru.pagefind``
for Russian), so "yaptırım" finds "yaptırımlar" and "санкция" finds "санкции". The
index is cut in chunks that a browser fetches as a search needs them.

What is indexed is decided in the templates: only analysis pages are read
(``GLOB``), and of a page only its ``data-pagefind-body`` element
(``templates/article.html``) without the parts marked ``data-pagefind-ignore``
(byline, notices, links) and Pagefind's own exclusions (``<footer>``, ``<nav>``,
``<form>``…), and without note calls (``EXCLUDE``: a call's number is no word of
the text); the notes are weighted below the body
(``data-pagefind-weight``), and the title and the date are kept with each page
(``data-pagefind-meta``) for the results.

The binary comes in the ``pagefind-bin`` wheel: nothing is downloaded, and it needs
no network. It runs on the staging directory, before the swap, so an index that
cannot be made fails the build and leaves the previous site in place. Its output is
the same bytes for the same pages but for one file: ``pagefind-entry.json`` names
the languages in an order that changes from run to run, and is rewritten here in
sorted order. The user-interface bundles Pagefind also writes are deleted: the
site's search page (``templates/search.html``) drives Pagefind's JavaScript API
(``pagefind/pagefind.js``) with its own script, ``static/search.js``.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from .config import Config
from .errors import SearchError

BUNDLE = "pagefind"
"""The bundle's directory, relative to site/."""
GLOB = "*/analyses/*/index.html"
"""The pages Pagefind reads, relative to site/: the analyses in every language."""
EXCLUDE = "sup.footnote-ref"
"""Left out of the index: the note calls, which would read as numbers in the text."""
ENTRY = "pagefind-entry.json"
UNUSED = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
)
"""Pagefind's ready-made interfaces (400 kB), which the site does not load."""
TIMEOUT = 600
"""Seconds Pagefind may take (it indexes 1,500 pages in about a second)."""


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


def write_index(config: Config, out: Path) -> list[str]:
    """Index the analysis pages of the site directory ``out`` into ``out/pagefind/``;
    returns the bundle's files, relative to ``out``, sorted. A site without analyses
    gets no bundle (Pagefind refuses to make an empty one)."""
    if not any(out.glob(GLOB)):
        return []
    bundle = out / BUNDLE
    where = f"{config.rel(config.site_dir)}/{BUNDLE}"
    command = [str(executable()), "--site", ".", "--glob", GLOB, "--output-subdir", BUNDLE,
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
    _sort_entry(bundle / ENTRY, where)
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    return sorted(p.relative_to(out).as_posix() for p in bundle.rglob("*") if p.is_file())


def _sort_entry(path: Path, where: str) -> None:
    """Rewrite Pagefind's entry file with its languages in sorted order (Pagefind
    writes them in hash-map order, which changes between runs), as compact as Pagefind
    writes it. JSON objects have no order: pagefind.js reads the languages by name."""
    try:
        entry = json.loads(path.read_text(encoding="utf-8"))
        entry["languages"] = dict(sorted(entry["languages"].items()))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise SearchError(f"Pagefind wrote no readable {ENTRY}: {exc}", where) from None
    path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
