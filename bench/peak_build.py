"""Run one ``build.py`` command of a project in this process and print, as one JSON
line, its wall and CPU seconds and peak memory: this process's own (the build's
coordinator) apart from its children's (worker processes, Pagefind).

    .venv/bin/python bench/peak_build.py PROJECT build --no-pdf [...]

A child's resident set (``RUSAGE_CHILDREN``'s ``ru_maxrss``) is no measure of a forked
worker: until it execs, it counts the pages it shares with its parent. So the
children are also sampled while the build runs (every 0.2 s, with psutil): each
one's unique set (USS: the pages only it holds, what it costs the machine), the
largest of the worker processes (Python) and of Pagefind's, and how much a worker's
grew from its first sample to its last (a worker that stays flat keeps no state
from one job to the next).
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
import threading
import time
from pathlib import Path

import psutil


class ChildSampler(threading.Thread):
    """The unique memory of every child process, sampled until ``stop``."""

    def __init__(self, every: float = 0.2):
        super().__init__(daemon=True)
        self.every = every
        self.samples: dict[int, tuple[str, list[int]]] = {}
        self.halt = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        while not self.halt.wait(self.every):
            for child in me.children(recursive=True):
                try:
                    uss = child.memory_full_info().uss
                    name = "pagefind" if "pagefind" in child.name() else "worker"
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
                self.samples.setdefault(child.pid, (name, []))[1].append(uss)

    def stop(self) -> dict:
        self.halt.set()
        self.join()
        mb = 1024 * 1024

        def peak(kind: str) -> float:
            return round(max((max(s) for n, s in self.samples.values() if n == kind), default=0) / mb, 1)

        workers = [s for n, s in self.samples.values() if n == "worker" and len(s) > 1]
        return {
            "worker_uss_peak_mb": peak("worker"),
            "worker_uss_growth_mb": round(max((s[-1] - s[0] for s in workers), default=0) / mb, 1),
            "pagefind_uss_peak_mb": peak("pagefind"),
        }


def main() -> int:
    project, argv = Path(sys.argv[1]), sys.argv[2:]
    start = time.perf_counter()
    from pressroom.cli import main as pressroom

    sampler = ChildSampler()
    sampler.start()
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = pressroom(argv, project=project)
    wall = time.perf_counter() - start
    children_sampled = sampler.stop()
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    if code != 0:
        sys.stderr.write(err.getvalue())
        return code
    print(json.dumps({
        "wall": round(wall, 3),
        "cpu": round(own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime, 3),
        "peak_self_mb": round(own.ru_maxrss / 1024, 1),
        "peak_children_mb": round(children.ru_maxrss / 1024, 1),
        **children_sampled,
        "said": err.getvalue().strip().splitlines()[-1:],
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
