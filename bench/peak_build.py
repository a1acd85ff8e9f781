"""Run one ``build.py`` command of a project in this process and print, as one JSON
line, its wall and CPU seconds and peak memory: this process's own (the build's
coordinator) apart from the largest of its children (worker processes, Pagefind).

    .venv/bin/python bench/peak_build.py PROJECT build --no-pdf [...]
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
import time
from pathlib import Path


def main() -> int:
    project, argv = Path(sys.argv[1]), sys.argv[2:]
    start = time.perf_counter()
    from pressroom.cli import main as pressroom

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = pressroom(argv, project=project)
    wall = time.perf_counter() - start
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
        "said": err.getvalue().strip().splitlines()[-1:],
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
