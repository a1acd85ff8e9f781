"""Publishing a rebuild of a big archive: what the publish steps cost, apart from rendering.

    .venv/bin/python bench/publish_bench.py [--corpus DIR] [--work DIR] [--toolkit DIR] [--runs 3]

Copies a built corpus (default ``bench/.corpus-pages-5000``, made by
``page_size_bench.py``; the copy shares the files of site/, content/ and templates/ with
it through hard links, which no build modifies in place, and has its own catalogs and
cache), builds it once with the toolkit of ``--toolkit`` (default: this checkout; a
toolkit other than the one that built the corpus renders everything), then, ``--runs``
times, changes one msgstr of one Turkish catalog (``run.edit_one_msgstr``) and rebuilds
without PDFs; then a no-op rebuild. Each build runs in its own process
(``--probe``), which times the build and, within it, the toolkit's publish steps
(whichever of ``PUBLISH`` the toolkit has: the staging, linking of unchanged files,
swap, deletion of the replaced tree, commit, cache): wall and CPU seconds. Prints the
runs and their medians. ``--swap`` makes the one-entry rebuilds publish by swapping the
whole tree (the toolkit's way for large changes, and every build's before the
journaled commit). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

PUBLISH = ("make_staging", "reuse", "prune_empty_dirs", "swap_into_place", "keep_as_spare", "save_state",
           "recover", "restore_interrupted_swap", "remove_stale_staging", "publish")
"""Names in ``pressroom.site.build`` that publish (any toolkit version's): timed when present.
A call within another one of them counts once, in the outer one."""
STAGES = ("render_listings", "index_for_search", "write_manifest")
"""Other steps, timed for context (they may call publish steps: those count in both)."""


# -- one build, timed from inside (--probe) ---------------------------------------------------


def probe(project: Path) -> int:
    """Build ``project`` without PDFs with the publish steps timed; print JSON."""
    from pressroom.cli import main
    from pressroom.site import build as site_build

    spent: dict[str, list[float]] = {}
    depth = [0]

    def timed(name: str, function, outer: bool):
        def wrapper(*args, **kwargs):
            nested = outer and depth[0] > 0
            if outer:
                depth[0] += 1
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                if outer:
                    depth[0] -= 1
                if not nested:
                    entry = spent.setdefault(name, [0.0, 0.0, 0])
                    entry[0] += time.perf_counter() - wall
                    entry[1] += time.process_time() - cpu
                    entry[2] += 1
        return wrapper

    try:  # a whole language's index on a loaded machine may take longer than a build allows
        from pressroom.site import search

        search.TIMEOUT = 3600
    except ImportError:
        pass
    if os.environ.get("PUBLISH_BENCH_SWAP"):  # --swap: this toolkit's whole-tree swap, whatever changed
        from pressroom.site import publish

        publish.SWAP_SHARE = 0.0
    for name in PUBLISH + STAGES:
        if hasattr(site_build, name):
            setattr(site_build, name, timed(name, getattr(site_build, name), name in PUBLISH))
    wall, cpu = time.perf_counter(), time.process_time()
    code = main(["build", "--no-pdf"], project=project)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    publish = [spent[name] for name in PUBLISH if name in spent]
    print(json.dumps({
        "code": code, "wall": wall, "cpu": cpu, "children_cpu": children.ru_utime + children.ru_stime,
        "publish_wall": sum(e[0] for e in publish), "publish_cpu": sum(e[1] for e in publish),
        "steps": {name: {"wall": e[0], "cpu": e[1], "calls": e[2]} for name, e in spent.items()},
    }))
    return code


# -- the runs -----------------------------------------------------------------------------------


def copy_corpus(source: Path, work: Path, toolkit: Path) -> None:
    """``work``: site/ and content/ hard-linked to ``source``'s (a build replaces
    files, never writes into one); catalogs and the cache copied (an edit and the lock
    file write into theirs); templates/ the toolkit's own (a corpus keeps those of the
    toolkit that made it)."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for entry in source.iterdir():
        if entry.name == "templates":
            shutil.copytree(toolkit / "templates", work / entry.name)
        elif entry.name in ("locales", ".pressroom-cache") or entry.is_file():
            if entry.is_dir():
                shutil.copytree(entry, work / entry.name, symlinks=True)
            else:
                shutil.copy2(entry, work / entry.name)
        else:
            subprocess.run(["cp", "-al", str(entry), str(work / entry.name)], check=True)


def build(work: Path, toolkit: Path, swap: bool = False) -> dict:
    python = toolkit / ".venv" / "bin" / "python"
    env = dict(os.environ, PYTHONPATH=str(toolkit), PUBLISH_BENCH_SWAP="1" if swap else "")
    done = subprocess.run([str(python), str(Path(__file__).resolve()), "--probe", str(work)], env=env, cwd=work,
                          capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"build failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result = json.loads(lines[-1])
    result["said"] = [line for line in done.stderr.splitlines() if line.strip()][-3:]
    return result


def show(label: str, result: dict) -> None:
    steps = ", ".join(f"{name} {s['wall']:.2f}/{s['cpu']:.2f}" for name, s in sorted(result["steps"].items()))
    print(f"{label}: build {result['wall']:.2f} s wall / {result['cpu']:.2f} s CPU "
          f"(+{result['children_cpu']:.2f} s in subprocesses); publish {result['publish_wall']:.2f} s wall / "
          f"{result['publish_cpu']:.2f} s CPU; steps wall/CPU: {steps}")
    print(f"    {' | '.join(result['said'])}")


def median(results: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=BENCH / ".corpus-pages-5000")
    parser.add_argument("--work", type=Path, default=BENCH / ".work" / "publish")
    parser.add_argument("--toolkit", type=Path, default=ROOT, help="checkout whose .venv and code build")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="reuse --work as it is (already copied)")
    parser.add_argument("--swap", action="store_true",
                        help="the one-entry rebuilds publish by swapping the whole tree (this toolkit's other way)")
    parser.add_argument("--probe", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        return probe(args.probe)
    args.work = args.work.resolve()
    sys.path.insert(0, str(BENCH))
    from run import edit_one_msgstr

    if not args.keep:
        start = time.perf_counter()
        copy_corpus(args.corpus, args.work, args.toolkit.resolve())
        print(f"copied {args.corpus} to {args.work} in {time.perf_counter() - start:.1f} s")
    show("first build (this toolkit)", build(args.work, args.toolkit.resolve()))
    slug = sorted((args.work / "content" / "analyses").glob("*.md"))[0].stem
    edits = []
    for run in range(1, args.runs + 1):
        edit_one_msgstr(args.work, slug, int(time.time()) % 100000 + run)
        edits.append(build(args.work, args.toolkit.resolve(), args.swap))
        show(f"one msgstr changed{' (whole-tree swap)' if args.swap else ''}, run {run}", edits[-1])
    noop = build(args.work, args.toolkit.resolve())
    show("no-op rebuild", noop)
    print(f"medians of {len(edits)} one-entry rebuilds: build {median(edits, 'wall'):.2f} s wall / "
          f"{median(edits, 'cpu'):.2f} s CPU; publish {median(edits, 'publish_wall'):.2f} s wall / "
          f"{median(edits, 'publish_cpu'):.2f} s CPU")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
