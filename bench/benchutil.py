"""Shared by the benchmark scripts: timed subprocesses with logs and peak memory."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LOGS = BENCH / ".logs"
GNU_TIME = "/usr/bin/time"


@dataclass
class Run:
    """One timed subprocess."""

    seconds: float
    returncode: int
    log: Path
    max_rss_mb: float | None = None
    """Peak resident memory of the largest process of the run (GNU time's
    ``Maximum resident set size``: children included, not summed)."""

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def tail(self, lines: int = 12) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(text[-lines:])


def _has_gnu_time() -> bool:
    if not os.access(GNU_TIME, os.X_OK):
        return False
    try:
        out = subprocess.run([GNU_TIME, "-v", "true"], check=False, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    return "Maximum resident set size" in out.stderr


HAS_GNU_TIME = _has_gnu_time()

DROP_CACHES = Path("/proc/sys/vm/drop_caches")
settle_caches = True
"""Before each timed run: write dirty data out and, where this process may (root on
Linux), let the kernel drop its dentry and inode caches, which the benchmark's own
copies of corpora fill and which slow file creation on this VM (figures in
``run.FAIRNESS``). It does not remove all of the slowdown from round to round."""


settles = drops = 0
"""Timed runs so far, and how many of them started after a drop."""


def settle() -> None:
    global settles, drops
    settles += 1
    os.sync()
    if settle_caches:
        try:
            DROP_CACHES.write_text("2\n")
            drops += 1
        except OSError:
            pass  # not root, or not Linux: the runs start from whatever state there is


def timed_run(cmd: list[str], log: Path, cwd: Path | None = None, env: dict | None = None,
              timeout: float | None = None, append: bool = False) -> Run:
    """Run ``cmd`` with stdout and stderr to ``log``; wall time by ``time.perf_counter``
    around the subprocess (GNU time, when present, adds one exec of a tiny program)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    rss_file = None
    full = list(map(str, cmd))
    if HAS_GNU_TIME:
        fd, rss_file = tempfile.mkstemp(prefix="bench-time-", suffix=".txt")
        os.close(fd)
        full = [GNU_TIME, "-v", "-o", rss_file, *full]
    with open(log, "a" if append else "w", encoding="utf-8") as out:
        out.write(f"$ {' '.join(map(str, cmd))}\n")
        out.flush()
        settle()
        start = time.perf_counter()
        try:
            proc = subprocess.run(full, cwd=cwd, env=env, check=False, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, timeout=timeout)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = -9
            out.write(f"\n[bench] timed out after {timeout} s\n")
        except OSError as exc:
            code = -1
            out.write(f"\n[bench] cannot run: {exc}\n")
        seconds = time.perf_counter() - start
        out.write(f"\n[bench] exit {code} in {seconds:.3f} s\n")
    rss = None
    if rss_file:
        text = Path(rss_file).read_text(errors="replace")
        Path(rss_file).unlink(missing_ok=True)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        if m:
            rss = int(m.group(1)) / 1024
    return Run(seconds, code, log, rss)


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def count_html(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html")) if out.exists() else 0
