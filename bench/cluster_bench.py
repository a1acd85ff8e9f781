"""The cluster path's overhead: a clean build with ``--jobs 2`` against the same build
on a two-worker Dask ``LocalCluster`` on this machine.

    .venv/bin/python bench/cluster_bench.py [--articles N] [--no-pdf-rounds]

Makes a generated project (``make_corpus``: N analyses with complete Turkish and
Russian catalogs), then times, as subprocesses of ``build.py`` and in this order:
a clean HTML build locally and on the cluster, then a clean PDF build locally and on
the cluster (N × 3 PDFs). The cluster (two worker processes of one thread each, as
many as ``--jobs 2`` has) is started before the timed runs and is cold, as the local
pool's processes are; both builds' sites are compared byte for byte. Its workers run
without Dask's statistical profiler (``distributed.worker.profile.enabled: false``,
as the README tells to start render workers): sampling the rendering thread every
10 ms cost a PDF build about a quarter of its time here. ``--worker-profiler`` keeps
it, to measure that. The cluster
path's overhead is what the same two cores spend on moving inputs and outputs over
TCP and on the scheduler; on a real cluster the workers are other machines. Not part
of the test suite.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from benchutil import LOGS, discard, empty_trash, timed_run
from make_corpus import make_corpus


def _same_tree(a: Path, b: Path) -> bool:
    compared = filecmp.dircmp(a, b)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, compared.common_files, shallow=False)
    return not mismatch and not errors and all(_same_tree(a / d, b / d) for d in compared.common_dirs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60, help="generated analyses (default 60)")
    parser.add_argument("--dest", type=Path, default=BENCH / ".corpus-cluster", help="where to make the project")
    parser.add_argument("--worker-profiler", action="store_true", help="keep Dask's profiler on in the workers")
    args = parser.parse_args()

    import dask
    from distributed import LocalCluster

    dask.config.set({"distributed.worker.profile.enabled": args.worker_profiler})  # the workers inherit it

    project = make_corpus(args.dest, args.articles)
    build = [sys.executable, str(project / "build.py"), "build"]
    rows = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster:
        dask = ["--executor", "dask", "--scheduler", cluster.scheduler_address]
        for pdf in (False, True):
            kind = "with PDFs" if pdf else "HTML only"
            flags = [] if pdf else ["--no-pdf"]
            sites = {}
            times = {}
            for name, extra in (("local --jobs 2", ["--jobs", "2"]), ("2-worker LocalCluster", dask)):
                discard(project / "site")
                discard(project / ".pressroom-cache")
                log = LOGS / f"cluster-{'pdf' if pdf else 'html'}-{'local' if 'local' in name else 'dask'}.log"
                run = timed_run([*build, *flags, *extra], log, cwd=project)
                if not run.ok:
                    print(f"{name} ({kind}) failed:\n{run.tail()}", file=sys.stderr)
                    return 1
                times[name] = run
                kept = project.parent / f".site-{name.split()[0]}-{'pdf' if pdf else 'html'}"
                discard(kept)
                os.rename(project / "site", kept)
                sites[name] = kept
            local, remote = times["local --jobs 2"], times["2-worker LocalCluster"]
            same = _same_tree(*sites.values())
            rows.append((kind, local, remote, same))
            for kept in sites.values():
                discard(kept)
    empty_trash()

    pages = args.articles * 3
    print(f"{args.articles} analyses × 3 languages ({pages} pages; PDFs: {pages})")
    print("| build | local `--jobs 2` | 2-worker LocalCluster | cluster / local | same bytes |")
    print("|---|---|---|---|---|")
    for kind, local, remote, same in rows:
        print(f"| clean, {kind} | {local.seconds:.1f} s | {remote.seconds:.1f} s | "
              f"{remote.seconds / local.seconds:.2f}× | {'yes' if same else 'NO'} |")
    return 0 if all(same for *_, same in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
