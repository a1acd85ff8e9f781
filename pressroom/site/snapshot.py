"""Every input's file signature -> "nothing to do" without reading the project.

A no-op build of a large archive spent its time reading: every source parsed, every
catalog digested, a cache of tens of megabytes loaded, to find that nothing changed.
After a build, the snapshot (``.pressroom-cache/snapshot.json``) records the
signature (modification time, size, inode) of every file and directory the build
reads or lists (content/, locales/, templates/, pyproject.toml, the toolkit's own
code) and of the build cache it leaves, the versions of the libraries that shape its output, how it was run (PDFs,
``--production``, the umask), the problems it reported and the files of site/. The
next build takes the same picture first; when they are equal and every file of
site/ is still there, nothing has changed: it reports the same problems and stops.
Anything else (a file touched, added or removed anywhere under those directories)
is a full check (``build.Plan``), which then decides what to render.

As in ``fingerprints.DigestCache``, a snapshot is not written when an input was
modified less than ``fingerprints.RACY`` seconds before the build began: a file written twice
within the file system's timestamp granularity could keep its signature.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..config import CONFIG_FILE, Config
from ..errors import Problem
from . import fingerprints
from .fingerprints import CACHE_DIR, STATE_FILE, Present, file_signature, trusted, write_atomically
from .toolchain import page_toolchain, pdf_toolchain, search_toolchain

SNAPSHOT_FILE = "snapshot.json"
VERSION = 1
_PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Snapshot:
    """What a build starts from, as signatures; ``taken`` is when (nanoseconds)."""

    inputs: dict[str, list[int]]
    run: dict[str, object]
    taken: int

    @classmethod
    def take(cls, config: Config, pdf: bool, production: bool, umask: int) -> Snapshot:
        taken = time.time_ns()
        inputs: dict[str, list[int]] = {}
        for top in (config.content_dir, config.locales_dir, config.templates_dir, _PACKAGE):
            _walk(top, inputs)
        _stat(config.root / CONFIG_FILE, inputs)
        versions = {**page_toolchain(), **search_toolchain(), **(pdf_toolchain() if pdf else {})}
        run = {"toolkit": fingerprints.__version__,  # the version the cache's keys are made with
                "versions": versions, "pdf": pdf, "production": production, "umask": umask,
               "site": os.fspath(config.site_dir)}
        return cls(inputs, run, taken)

    def racy(self) -> bool:
        """Was an input written too shortly before the snapshot to trust its signature?"""
        return not all(trusted(signature, self.taken) for signature in self.inputs.values())


def _walk(top: Path, into: dict[str, list[int]]) -> None:
    """Signatures of ``top`` and everything under it (not through linked directories)."""
    if not _stat(top, into):
        return
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")  # Python's, not an input
        for name in [*dirs, *sorted(files)]:
            _stat(os.path.join(folder, name), into)


def _stat(path: Path | str, into: dict[str, list[int]]) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False
    into[os.fspath(path)] = [info.st_mtime_ns, info.st_size, info.st_ino]
    return True


def last_snapshot(config: Config) -> dict | None:
    """What the last build recorded (``record``), if it is this version's."""
    try:
        data = json.loads((config.root / CACHE_DIR / SNAPSHOT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == VERSION else None


def changed_files(config: Config, now: Snapshot, last: dict | None) -> list[str] | None:
    """The inputs whose signatures differ from those the last build recorded (added
    and removed ones included), when it was run as this one is and left the build
    cache there is; else None."""
    try:
        if not _follows(config, now, last):
            return None
        before = last["inputs"]
        return sorted({*(path for path, signature in now.inputs.items() if before.get(path) != signature),
                       *(path for path in before if path not in now.inputs)})
    except (KeyError, TypeError, AttributeError):
        return None


def _follows(config: Config, now: Snapshot, last: dict | None) -> bool:
    """Whether ``now`` may be compared with ``last``: the last build was run as this
    one is, and the build cache it left is still there (not replaced or removed since).
    Raises KeyError or TypeError for a recorded snapshot it cannot read."""
    return (last is not None and last["run"] == now.run
            and last["state"] == list(file_signature(config.root / CACHE_DIR / STATE_FILE) or ()))


def unchanged(config: Config, now: Snapshot, last: dict | None = None) -> list[Problem] | None:
    """The problems the last build reported, if ``now`` is the snapshot it left (read
    here unless given as ``last``) and its files are all in site/; else None
    (something changed: check it all)."""
    try:
        data = last if last is not None else last_snapshot(config)
        if not _follows(config, now, data) or data["inputs"] != now.inputs:
            return None
        with Present(config.site_dir) as present:
            if not present(data["files"]):
                return None
        return [Problem(**problem) for problem in data["problems"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record(config: Config, snapshot: Snapshot, problems: Iterable[Problem], files: Iterable[str]) -> None:
    """Keep ``snapshot`` for the next build, with what this one reported and the
    files site/ has; forget the last one if this one cannot be trusted."""
    path = config.root / CACHE_DIR / SNAPSHOT_FILE
    if snapshot.racy():
        path.unlink(missing_ok=True)
        return
    state = file_signature(config.root / CACHE_DIR / STATE_FILE)  # replaced whole, never rewritten in place
    data = {"version": VERSION, "run": snapshot.run, "inputs": snapshot.inputs, "state": list(state or ()),
            "problems": [problem.__dict__ for problem in problems], "files": sorted(files)}
    write_atomically(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def forget(config: Config) -> None:
    """No snapshot: the next build checks everything (a build that failed, or one
    whose site/ changed in a way the snapshot does not describe)."""
    (config.root / CACHE_DIR / SNAPSHOT_FILE).unlink(missing_ok=True)
