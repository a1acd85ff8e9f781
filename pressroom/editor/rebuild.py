"""File changes under content/, locales/, templates/ -> an incremental build of site/.

``Rebuilder`` runs ``site.build`` in one background thread, so builds never overlap;
changes that arrive during a build start one more build after it, never more. The
file watcher (``watchfiles``) only asks for a build. A failed build leaves the
previous site/ in place (``site.build`` swaps a finished build in) and its problems
are kept for the editor's status line.
"""

from __future__ import annotations

import datetime as dt
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import watchfiles

from ..config import Config
from ..errors import BuildFailed, PressroomError, Problem
from ..site.build import build

WATCHED = ("content", "locales", "templates")
STOP_WAIT = 10.0
"""Seconds a stop waits for a build under way."""


class _Filter(watchfiles.DefaultFilter):
    """watchfiles' defaults, and neither hidden files (temporary files of atomic
    writes, ``.#`` locks) nor compiled catalogs."""

    ignore_entity_patterns = (*watchfiles.DefaultFilter.ignore_entity_patterns, r"^\.", r"\.mo$")


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Rebuilder:
    """Keeps site/ up to date with the project while the editor runs."""

    def __init__(self, config: Config, *, pdf: bool = True, jobs: int = 1, log: Callable[[str], None] = _log):
        self.config = config
        self.pdf = pdf
        self.jobs = jobs
        self.log = log
        self._wanted = threading.Event()
        self._stop = threading.Event()
        self._idle = threading.Condition()
        self._building = False
        self._threads: list[threading.Thread] = []
        self.status: dict[str, Any] = {
            "state": "pending", "builds": 0, "finished": None, "seconds": None, "problems": [], "pdf": pdf,
        }

    def start(self, watch: bool = True) -> None:
        """Build now, then after every change (when ``watch``)."""
        self.request()
        self._threads.append(threading.Thread(target=self._build_loop, name="pressroom-build", daemon=True))
        if watch:
            self._threads.append(threading.Thread(target=self._watch_loop, name="pressroom-watch", daemon=True))
        for thread in self._threads:
            thread.start()

    def stop(self, wait: float = STOP_WAIT) -> None:
        """Stop watching; let a build under way finish if it does within ``wait``
        seconds. One that does not is left unfinished (a daemon thread, gone with the
        process): a build swaps site/ only when complete, so site/ stays as it was."""
        self._stop.set()
        self._wanted.set()
        for thread in self._threads:
            thread.join(timeout=wait)
            if thread.is_alive():
                self.log(f"{thread.name}: still running after {wait:g} s, left unfinished (site/ is unchanged)")

    def request(self) -> None:
        """Ask for a build (one more after the current one, if a build is running)."""
        with self._idle:
            self._wanted.set()
            if self.status["state"] != "building":
                self.status["state"] = "pending"

    def wait_idle(self, timeout: float = 30) -> bool:
        """Wait until no build runs or is asked for (tests, shutdown)."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._building and not self._wanted.is_set(), timeout)

    def _watch_loop(self) -> None:
        paths = [self.config.root / name for name in WATCHED if (self.config.root / name).is_dir()]
        for changes in watchfiles.watch(
            *paths, watch_filter=_Filter(), debounce=400, step=50, stop_event=self._stop,
            rust_timeout=500, raise_interrupt=False,
        ):
            names = sorted({self.config.rel(Path(p)) for _, p in changes})
            self.log(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}")
            self.request()

    def _build_loop(self) -> None:
        while True:
            self._wanted.wait()
            if self._stop.is_set():
                break
            with self._idle:
                self._wanted.clear()
                self._building = True
                self.status["state"] = "building"
            start = time.monotonic()
            state, problems = "failed", ["internal error: the build stopped (see the console)"]
            try:
                state, problems = self._build()
            finally:  # whatever happened, the status leaves "building"
                with self._idle:
                    self._building = False
                    self._finished(state, problems, start)
                    self._idle.notify_all()

    def _build(self) -> tuple[str, list[str]]:
        """One build: ``("ok" | "failed", problems as printed)``; never raises."""
        try:
            report = build(self.config, log=lambda m: self.log(f"site: {m}"), pdf=self.pdf, jobs=self.jobs)
            return "ok", _printed(report.problems)
        except BuildFailed as exc:
            self.log(f"site: {exc}; the previous site/ is still served")
            return "failed", _printed(exc.problems)
        except PressroomError as exc:
            self.log(f"site: error: {exc}; the previous site/ is still served")
            return "failed", [str(exc)]
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the editor; it is shown, not hidden
            self.log("site: build crashed:\n" + traceback.format_exc())
            return "failed", [f"internal error: {exc!r}"]

    def _finished(self, state: str, problems: list[str], start: float) -> None:
        self.status.update(
            state="pending" if self._wanted.is_set() else state,
            result=state,
            builds=self.status["builds"] + 1,
            finished=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            seconds=round(time.monotonic() - start, 2),
            problems=problems[:50],
            errors=sum(": error: " in p for p in problems),
            warnings=sum(": warning: " in p for p in problems),
        )


def _printed(problems: list[Problem]) -> list[str]:
    """Problems as ``build`` prints them: by file and line (``Problem`` has no order)."""
    return [str(p) for p in sorted(problems, key=Problem.sort_key)]
