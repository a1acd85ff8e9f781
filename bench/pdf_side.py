"""One side of the PDF comparison as a whole process, for an outside timer's pairs.

    .venv/bin/python bench/pdf_side.py CORPUS --side toolkit|raw [--limit N] [--warm K]

Makes the print HTML of every PDF of ``CORPUS`` (a ``make_corpus.py`` project;
``pdf_bench.print_jobs``), then renders each once:

- ``toolkit``: ``render_pdf`` as a build worker runs it (footnote fix and check,
  PDF/UA, one ``PrintSession`` for the process);
- ``raw``: ``weasyprint.HTML(string=same_html).write_pdf(stylesheets=[print.css])``
  per PDF, WeasyPrint's own code (no fix, no footnote reuse, its own array types), nothing reused.

``--warm K`` renders the first K PDFs untimed and times the rest: the steady state
of a worker deep into an archive build (by then raw WeasyPrint has made nearly every
length of glyph array it will meet: 64 new lengths in its first 30 PDFs of a
generated corpus, 2 in PDFs 91–120, none after).

Both sides import the same modules and make the same HTML, so the difference of two
runs' CPU time is the PDFs' (``/usr/bin/time -v`` each side, alternating, and take
the ratio of medians, or of the CPU seconds this prints: the PDFs alone).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import pdf_bench


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--side", choices=("toolkit", "raw"), required=True)
    parser.add_argument("--limit", type=int, help="only the first N PDFs")
    parser.add_argument("--warm", type=int, default=0, help="render the first K PDFs untimed")
    args = parser.parse_args()
    renders = pdf_bench.side_renders(args.corpus.resolve(), args.side)[: args.limit]
    untimed, timed = renders[: args.warm], renders[args.warm :]
    for render in untimed:
        render()
    start = time.process_time()
    for render in timed:
        render()
    spent = time.process_time() - start
    print(f"{args.side}: {len(timed)} PDFs timed after {len(untimed)} untimed, {spent:.2f} CPU s, "
          f"{spent / max(len(timed), 1):.3f} CPU s/PDF")
    return 0


if __name__ == "__main__":
    sys.exit(main())
