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
        os.sync()  # no run pays for the write-back of what ran before it
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


TRASH = BENCH / ".trash"
delete_at_once = False
"""``discard`` deletes at once instead of moving to ``TRASH`` (``--delete-at-once``)."""


discarded = 0
"""Paths ``discard`` took out of the way so far."""


def discard(path: Path) -> None:
    """Take ``path`` (a file or directory) out of the way of the next timed run without
    freeing its inodes: it is moved into ``TRASH``, which ``empty_trash`` deletes once the
    timed runs are over.

    On a filesystem without a journal, as this VM's ext4 is, the kernel does not hand out
    an inode freed in the last 60 s (360 s while its inode-table block is unwritten):
    each new file or directory first walks past every such inode of its block group
    (``recently_deleted()`` in ``fs/ext4/ialloc.c``). Deleting one build's output just
    before the next build made that build pay for every inode deleted, more in each
    round (figures in ``run.FAIRNESS``)."""
    global discarded
    if not path.exists():
        return
    discarded += 1
    if not delete_at_once:
        TRASH.mkdir(exist_ok=True)
        os.rename(path, Path(tempfile.mkdtemp(prefix=f"{path.name}-", dir=TRASH)) / path.name)
    elif path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink()


def empty_trash() -> None:
    shutil.rmtree(TRASH, ignore_errors=True)


def fresh_dir(path: Path) -> Path:
    discard(path)
    path.mkdir(parents=True)
    return path


def count_html(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html")) if out.exists() else 0
