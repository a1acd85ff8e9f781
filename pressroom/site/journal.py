"""A staging directory of changed files + the files to delete -> site/, file by file,
journaled: a commit that costs what changed, and that a killed build's successor ends.

The contract, for ``publish.publish``:

- ``commit`` writes the new cache as ``state.next.json`` and then the journal,
  ``.pressroom-cache/publish.journal`` (each a temporary file, synced, renamed into
  place): the staging directory's name and the files to delete. From the moment the
  journal exists the commit is decided, and it is carried out (``roll_forward``):
  every file of the staging directory is moved into site/ with ``os.replace`` (each
  reader gets the old file or the new one, whole), deepest first (the analysis pages
  and the search index's chunks before the listings and entry files that lead to
  them, the manifest last), directories made as needed with the umask's modes; then
  the deleted files go, with the directories they leave empty; then the pending
  cache becomes the cache, and the journal goes.
- A build killed during a commit leaves the journal. The next build (the editor's
  builds too) rolls it forward before anything else (``recover``): the files not yet
  moved are still in the staging directory, and deleting a file twice is deleting it
  once, so site/ ends complete, as the build that wrote the journal made it.
- Ctrl-C during a commit waits for the commit's end (``deferred_interrupts``): it is
  short, and ended it needs no one after it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from ..config import Config
from .fingerprints import CACHE_DIR, STATE_FILE, write_atomically
from .state import State, save_state

JOURNAL = "publish.journal"
"""In ``CACHE_DIR``: the commit in progress (JSON: the staging directory, the files to delete)."""
PENDING_STATE = "state.next.txt"
"""In ``CACHE_DIR``: the cache of the site a journaled commit makes, until it has made it."""
JOURNAL_VERSION = 1


def commit(config: Config, staging: Path, deleted: list[str], state: State) -> None:
    """Publish ``staging`` (the files this build wrote, relative to it as to site/)
    into site/ and delete ``deleted`` there; ``state`` becomes the cache."""
    save_state(config, state, PENDING_STATE)
    journal = {"version": JOURNAL_VERSION, "staging": staging.name, "delete": deleted}
    write_atomically(config.root / CACHE_DIR / JOURNAL, json.dumps(journal, ensure_ascii=False), durable=True)
    with deferred_interrupts():
        _carry_out(config, staging, deleted)


def pending_commit(config: Config) -> bool:
    """Whether a commit's journal is written and the commit not yet ended."""
    return (config.root / CACHE_DIR / JOURNAL).exists()


def recover(config: Config, log: Callable[[str], None]) -> None:
    """End the commit a build was stopped in, if there is one (``roll_forward``).
    Lock holder only, before anything else."""
    path = config.root / CACHE_DIR / JOURNAL
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        staging, deleted = config.root / journal["staging"], [str(f) for f in journal["delete"]]
        if journal["version"] != JOURNAL_VERSION or Path(journal["staging"]).name != journal["staging"]:
            raise ValueError(journal["version"])
    except FileNotFoundError:
        (config.root / CACHE_DIR / PENDING_STATE).unlink(missing_ok=True)  # of a build stopped before its journal
        return
    except (OSError, ValueError, KeyError, TypeError) as exc:
        # Written atomically, a journal is whole or absent: this one is not ours to
        # read. Forgetting the cache makes the next build render everything and
        # publish it in one swap, whatever site/ holds.
        log(f"warning: {config.rel(path)}: unreadable ({exc}): site/ will be rebuilt in full")
        (config.root / CACHE_DIR / STATE_FILE).unlink(missing_ok=True)
        (config.root / CACHE_DIR / PENDING_STATE).unlink(missing_ok=True)
        path.unlink()
        return
    log("ending the publication that an interrupted build began")
    with deferred_interrupts():
        _carry_out(config, staging, deleted)


def _carry_out(config: Config, staging: Path, deleted: list[str]) -> None:
    """The journal's commit, from wherever it stopped (each step may already be done)."""
    site, cache = str(config.site_dir), config.root / CACHE_DIR
    for rel in _staged(staging):
        _move(os.path.join(staging, rel), os.path.join(site, rel), site)
    for rel in deleted:
        with contextlib.suppress(FileNotFoundError, NotADirectoryError):
            os.unlink(os.path.join(site, rel))
    _remove_emptied(site, deleted)
    with contextlib.suppress(FileNotFoundError):  # already done
        os.replace(cache / PENDING_STATE, cache / STATE_FILE)
    (cache / JOURNAL).unlink()
    shutil.rmtree(staging, ignore_errors=True)  # its directories, now empty


def _staged(staging: Path) -> list[str]:
    """The files under ``staging``, relative to it, deepest first, then by name."""
    files = []
    for directory, _, names in os.walk(staging):
        rel = os.path.relpath(directory, staging)
        files += [name if rel == "." else f"{rel}/{name}" for name in names]
    return sorted(files, key=lambda rel: (-rel.count("/"), rel))


def _move(source: str, target: str, site: str) -> None:
    """``os.replace(source, target)``, making ``target``'s directories first if need
    be, and taking out of the way what stands where they or ``target`` go (the old
    site's file where a directory is now, or the reverse)."""
    try:
        os.replace(source, target)
        return
    except FileNotFoundError:  # its directory is new
        pass
    except IsADirectoryError:  # a directory where the file goes now
        shutil.rmtree(target)
    except NotADirectoryError:  # a file where one of its directories goes now
        pass
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        parent = os.path.dirname(target)
        while parent != site and not os.path.isdir(parent):
            if os.path.lexists(parent):
                os.unlink(parent)
                break
            parent = os.path.dirname(parent)
        os.makedirs(os.path.dirname(target), exist_ok=True)
    os.replace(source, target)


def _remove_emptied(site: str, deleted: list[str]) -> None:
    """The directories the deletion of ``deleted`` left empty (a clean build makes no
    empty directory), deepest first, up to site/ itself, which stays."""
    directories = {os.path.dirname(rel) for rel in deleted} - {""}
    for rel in sorted(directories, key=lambda d: (-d.count("/"), d)):
        while rel:
            try:
                os.rmdir(os.path.join(site, rel))
            except OSError:  # not empty (or already gone with a deeper one's parents: then so are they)
                break
            rel = os.path.dirname(rel)


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Hold back SIGINT (Ctrl-C) until the block ends, then act on it as it would have
    (``KeyboardInterrupt``, as a rule). In the main thread only, which is where Python
    acts on signals: a build in another thread (the editor's) is not interrupted by them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught:
            if callable(previous):
                previous(signal.SIGINT, None)
            elif previous == signal.SIG_DFL:
                signal.raise_signal(signal.SIGINT)
