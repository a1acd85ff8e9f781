"""A large archive, measured: clean HTML build, no-op rebuild, one catalog entry
changed, and the build process's own peak memory, at several sizes.

    .venv/bin/python bench/archive_bench.py --articles 500 5000 [--repeat 5] [--json F]

For each N: a generated corpus of N analyses in three languages (``make_corpus.py``,
kept in ``bench/.corpus-pages-N``, remade when missing), then

1. a clean HTML build (site/ and the build cache removed first), ``--jobs 2``;
2. ``--repeat`` no-op rebuilds;
3. ``--repeat`` rebuilds after one msgstr of one Turkish catalog changed (``run.py``'s
   ``edit_one_msgstr``, a different analysis each time, to a text it never had: an
   edit that restored an earlier run's text would render nothing), each checked on
   the page it shows on and followed by a no-op rebuild that is not timed (so each
   edit is measured from an up-to-date site).

Every build runs in its own process through ``peak_build.py``, which reports the
coordinator's peak resident memory (``RUSAGE_SELF``) apart from its children's: the
largest resident set (``RUSAGE_CHILDREN``, which counts what a forked worker shares
with its parent) and, sampled while the build runs, the largest unique set (USS) of a
worker process and of Pagefind, and a worker's growth from its first sample to its
last. Times are wall and CPU seconds of the whole process (children included);
medians, with min and max.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from run import edit_one_msgstr

PYTHON = sys.executable


def corpus(articles: int, shard_size: int | None = None) -> Path:
    path = BENCH / f".corpus-pages-{articles}"
    if not (path / "build.py").is_file():
        subprocess.run([PYTHON, str(BENCH / "make_corpus.py"), str(path), "--articles", str(articles)], check=True)
    # the corpus builds with this checkout's templates and UI catalogs (a corpus made
    # before a template changed)
    shutil.rmtree(path / "templates")
    shutil.copytree(BENCH.parent / "templates", path / "templates")
    for ui in ("templates/messages.pot", "tr/LC_MESSAGES/messages.po", "ru/LC_MESSAGES/messages.po"):
        shutil.copyfile(BENCH.parent / "locales" / ui, path / "locales" / ui)
    settings = path / "pyproject.toml"
    text = re.sub(r"(?m)^search_shard_size = .*\n", "", settings.read_text(encoding="utf-8"))
    if shard_size is not None:
        text = text.replace("[tool.pressroom]\n", f"[tool.pressroom]\nsearch_shard_size = {shard_size}\n", 1)
    settings.write_text(text, encoding="utf-8")
    return path


ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
"""Builds run as Python runs by default, with the toolkit's compiled modules cached
(a shell that sets PYTHONDONTWRITEBYTECODE makes each build compile them again)."""


def build(project: Path) -> dict:
    """One build in its own process: wall and CPU seconds, peak memory (MB)."""
    done = subprocess.run([PYTHON, str(BENCH / "peak_build.py"), str(project), "build", "--no-pdf", "--jobs", "2"],
                          check=False, capture_output=True, text=True, stdin=subprocess.DEVNULL, env=ENV)
    if done.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(runs: list[dict], field: str) -> dict:
    values = [run[field] for run in runs]
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3)}


def measure(articles: int, repeat: int, shard_size: int | None = None) -> dict:
    project = corpus(articles, shard_size)
    shutil.rmtree(project / "site", ignore_errors=True)
    shutil.rmtree(project / ".pressroom-cache", ignore_errors=True)
    time.sleep(2.5)  # inputs older than the racy window, as in any real project
    clean = build(project)
    build(project)  # the first no-op writes the snapshot the next ones use
    noop = [build(project) for _ in range(repeat)]
    edits = []
    for r in range(repeat):
        slug = f"generated-{(r * 97) % articles:04d}"
        revision = time.time_ns() // 1_000_000 % 10**9  # a text the catalog has never had (not an earlier run's)
        where = edit_one_msgstr(project, slug, revision)
        time.sleep(2.5)  # as an editor's save before a build some seconds later
        loop = python_loop()  # how fast the machine is just now (it is shared)
        run = build(project)
        run["python_loop_s"] = loop
        page = project / "site" / "tr" / "analyses" / slug / "index.html"
        if f"Düzeltme {revision}." not in page.read_text(encoding="utf-8"):
            raise SystemExit(f"{where}: the edited translation is not on {page} after the rebuild")
        run["edited"] = where
        edits.append(run)
        build(project)
    return {
        "articles": articles,
        "search_shard_size": shard_size or "default",
        "clean": clean,
        "noop": {field: summary(noop, field) for field in ("wall", "cpu", "peak_self_mb")},
        "one_entry": {field: summary(edits, field)
                      for field in ("wall", "cpu", "peak_self_mb", "peak_children_mb", "pagefind_uss_peak_mb",
                                    "python_loop_s")},
        "runs": {"noop": noop, "one_entry": edits},
    }


def python_loop() -> float:
    """Seconds for ten million additions in Python, best of three: how fast this
    machine's cores are now (a shared machine's vary), to compare runs by."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return round(best, 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--search-shard-size", type=int, help="the corpus' search_shard_size (default: the toolkit's)")
    args = parser.parse_args()
    results = []
    print(json.dumps({"python_loop_s": python_loop()}), flush=True)
    for n in args.articles:
        result = measure(n, args.repeat, args.search_shard_size)
        results.append(result)
        print(json.dumps({k: v for k, v in result.items() if k != "runs"}), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
