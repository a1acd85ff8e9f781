"""The toolkit's PDFs against raw WeasyPrint's, as two build workers would make them:
each side in its own long-lived process, each PDF rendered once, in turn.

    .venv/bin/python bench/pdf_pair.py CORPUS [--warm K] [--repeat R] [--raw-pdf-ua] [--json OUT.json]

Two worker processes (``spawn``: nothing inherited) each make the print HTML of every
PDF of ``CORPUS`` (a ``make_corpus.py`` project; ``pdf_bench.print_jobs``) and then
render, on request, PDF number *i*:

- toolkit: ``render_pdf`` as a build worker runs it (footnote fix and check, PDF/UA,
  footnote reuse, one ``PrintSession`` for the process);
- raw: ``weasyprint.HTML(string=same_html).write_pdf(stylesheets=[print.css])``,
  WeasyPrint's own code (fix, reuse and the array change removed), nothing reused;
  with ``--raw-pdf-ua``, tagged as the toolkit's (``pdf_variant``): the same PDF;
  with ``--raw-stack-room``, called with the room on CPython's data stack that the
  toolkit gives WeasyPrint (``pdf.stack_room``).

The coordinator asks for PDF 1 from one side, then from the other, then PDF 2 from
the other first, and so on: each PDF's two renders are seconds apart, so a drift of
the machine's speed (frequent on shared machines) falls on both. ``--batch B``: a side
renders B PDFs back to back, then the other side the same B (a build worker renders
back to back; with B = 1 each side starts every PDF with processor caches the other
side has just used). Each side reports the
CPU seconds of its render (``time.process_time``). The first ``K`` PDFs are rendered
untimed (``--warm``): the steady state of a worker deep into an archive build.
``--repeat R`` renders each PDF R times per side and keeps the median (what a process
pays for a document it has rendered before; a build never does that).

Prints the ratio toolkit / raw of the sums over the timed PDFs, the median of the
per-PDF ratios, and the ratio of each block of 20 PDFs (its spread). Not part of the
test suite.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BLOCK = 20


def side(name: str, corpus: str, raw_variant: str | None, pipe, raw_room: bool = False) -> None:
    """A worker: renders PDF ``i`` for each ``i`` received (``repeat`` times), sends
    back the CPU seconds of each render; stops on ``None``."""
    sys.path.insert(0, str(BENCH))
    import pdf_bench

    renders = pdf_bench.side_renders(Path(corpus), name, raw_variant, raw_room)
    pipe.send(len(renders))
    while (request := pipe.recv()) is not None:
        indices, repeat = request
        spent = []
        for index in indices:
            times = []
            for _ in range(repeat):
                start = time.process_time()
                renders[index]()
                times.append(time.process_time() - start)
            spent.append(statistics.median(times))
        pipe.send(spent)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--warm", type=int, default=10, help="PDFs rendered untimed first (default 10)")
    parser.add_argument("--repeat", type=int, default=1, help="renders of each timed PDF per side (default 1)")
    parser.add_argument("--limit", type=int, help="only the first N PDFs")
    parser.add_argument("--batch", type=int, default=1,
                        help="PDFs a side renders back to back before the other side renders them (default 1)")
    parser.add_argument("--raw-pdf-ua", action="store_true", help="raw WeasyPrint tags its PDFs as the toolkit does")
    parser.add_argument("--raw-stack-room", action="store_true",
                        help="raw WeasyPrint is called with the toolkit's room on CPython's data stack (pdf.stack_room)")
    parser.add_argument("--json", type=Path, help="write the per-PDF seconds here")
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH.parent))
    from pressroom.site.jobs import PDF_VARIANT

    raw_variant = PDF_VARIANT if args.raw_pdf_ua else None
    context = multiprocessing.get_context("spawn")
    pipes, workers = {}, []
    for name in ("toolkit", "raw"):
        ours, theirs = context.Pipe()
        worker = context.Process(target=side, args=(name, str(args.corpus.resolve()), raw_variant, theirs, args.raw_stack_room),
                                 daemon=True)
        worker.start()
        pipes[name] = ours
        workers.append(worker)
    counts = {pipe.recv() for pipe in pipes.values()}
    assert len(counts) == 1, counts
    total = min(counts.pop(), args.limit or sys.maxsize)
    seconds: dict[str, list[float]] = {"toolkit": [], "raw": []}
    started = time.monotonic()
    for number, first in enumerate(range(0, total, args.batch)):
        batch = range(first, min(first + args.batch, total))
        order = ("toolkit", "raw") if number % 2 == 0 else ("raw", "toolkit")
        for name in order:
            pipes[name].send((list(batch), args.repeat))
            spent = pipes[name].recv()
            seconds[name].extend(s for index, s in zip(batch, spent, strict=True) if index >= args.warm)
    for pipe in pipes.values():
        pipe.send(None)
    for worker in workers:
        worker.join()
    ours, raw = seconds["toolkit"], seconds["raw"]
    ratios = [o / r for o, r in zip(ours, raw, strict=True)]
    blocks = [sum(ours[i:i + BLOCK]) / sum(raw[i:i + BLOCK]) for i in range(0, len(ours) - BLOCK + 1, BLOCK)]
    print(f"raw {'PDF/UA' if raw_variant else 'untagged'}{', with stack room' if args.raw_stack_room else ''}, batches of {args.batch}: "
          f"{len(ours)} PDFs timed after {args.warm} untimed, {args.repeat} render(s) each per side, "
          f"{time.monotonic() - started:.0f} s: toolkit {statistics.median(ours):.3f}, raw {statistics.median(raw):.3f} "
          f"median CPU s/PDF; toolkit/raw of sums {sum(ours) / sum(raw):.3f}, per-PDF median "
          f"{statistics.median(ratios):.3f}; blocks of {BLOCK}: " + " ".join(f"{b:.3f}" for b in blocks))
    if args.json:
        args.json.write_text(json.dumps({"warm": args.warm, "repeat": args.repeat, "raw_variant": raw_variant,
                                         "toolkit": ours, "raw": raw}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
