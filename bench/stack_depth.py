"""What a PDF costs at each depth of its caller's stack, with and without the room
``pdf.stack_room`` gives WeasyPrint: a sweep of CPython's 16 KiB stack chunk.

    .venv/bin/python bench/stack_depth.py CORPUS [--pdfs N] [--steps S]

One process, one print session, after one warm-up pass over the first N PDFs of
``CORPUS`` (a ``make_corpus.py`` project). Then, for each of S depths (padding
frames of 50 slots each: S = 41 covers a chunk), renders the same N PDFs with
``render_pdf`` as a worker does, and the same N with WeasyPrint entered directly,
without the room (``stack_room.call`` replaced by a plain call), and prints per
depth the CPU seconds (``time.process_time``) and minor page faults of each: a depth
at which a hot call of WeasyPrint's crosses a chunk's edge maps and unmaps a chunk on
every such call. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import pdf_bench

from pressroom.pdf import stack_room


def _pad(depth: int, function):
    """``function()`` called ``depth`` frames of 50 slots deeper."""
    _0 = _1 = _2 = _3 = _4 = _5 = _6 = _7 = _8 = _9 = _10 = _11 = _12 = _13 = _14 = _15 = _16 = _17 = _18 = _19 = None
    _20 = _21 = _22 = _23 = _24 = _25 = _26 = _27 = _28 = _29 = _30 = _31 = _32 = _33 = _34 = _35 = _36 = None
    return _pad(depth - 1, function) if depth else function()


def _measure(renders: list) -> tuple[float, int]:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    start = time.process_time()
    for render in renders:
        render()
    return time.process_time() - start, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--pdfs", type=int, default=6)
    parser.add_argument("--steps", type=int, default=41)
    args = parser.parse_args()
    renders = pdf_bench.side_renders(args.corpus, "toolkit")[:args.pdfs]
    _measure(renders)
    with_room = stack_room.call
    rows = []
    for depth in range(args.steps):
        row = [depth]
        for room in (True, False):
            stack_room.call = with_room if room else stack_room._direct
            try:
                row.extend(_pad(depth, lambda: _measure(renders)))
            finally:
                stack_room.call = with_room
        rows.append(row)
        print(f"depth {depth:3}: with room {row[1]:6.2f} s {row[2]:7} faults; without {row[3]:6.2f} s {row[4]:7} faults;"
              f" without / with {row[3] / row[1]:.3f}", flush=True)
    ratios = [row[3] / row[1] for row in rows]
    print(f"{args.pdfs} PDFs at {args.steps} depths: without / with, median {statistics.median(ratios):.3f}, "
          f"max {max(ratios):.3f}, min {min(ratios):.3f}; faults with room {min(r[2] for r in rows)}–"
          f"{max(r[2] for r in rows)}, without {min(r[4] for r in rows)}–{max(r[4] for r in rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
