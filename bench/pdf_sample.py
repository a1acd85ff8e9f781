"""``pdf_bench.py``'s measurement on a corpus project (``make_corpus.py``) instead of the
repository: every analysis of ``CORPUS`` in every language.

    .venv/bin/python bench/pdf_sample.py CORPUS [--repeat 2] [--json OUT.json]

The print HTML of each PDF comes from ``pdf_bench.print_jobs`` (pointed at ``CORPUS``,
no extra generated articles); then, as in ``pdf_bench.py``, alternately the toolkit's
``render_pdf`` (footnote fix, layout check, corrections, PDF/UA; one ``PrintSession``
for the run, as a build worker) and raw
``weasyprint.HTML(string=same_html).write_pdf(stylesheets=[print.css])`` without the
fix, nothing reused. Medians of CPU seconds per PDF, overhead over all PDFs and over
those whose first layout needed no correction. ``--toolkit`` must name a toolkit with
``render_pdf(..., stylesheets=, session=)``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
if "--toolkit" in sys.argv:  # import pressroom from there before pdf_bench puts the checkout first
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--toolkit") + 1]).resolve()))
    import pressroom  # noqa: F401

import pdf_bench


def measure(corpus: Path, repeat: int, raw_variant: str | None = None) -> dict:
    from weasyprint import HTML, __version__

    from pressroom.pdf.render import PrintSession, render_pdf

    pdf_bench.ROOT = corpus  # print_jobs reads the project at ROOT
    config, jobs = pdf_bench.print_jobs(0)
    allowed = [config.templates_dir, config.content_dir]
    base = config.content_dir.as_uri() + "/"
    variant = pdf_bench.PDF_VARIANT
    sheets = pdf_bench.print_sheets(config)
    session = PrintSession()  # one for the run, as a build worker has
    render_pdf(jobs[0][1], base, allowed, jobs[0][2], variant=variant, stylesheets=sheets, session=session)  # warm-up
    HTML(string=jobs[0][1]("line", frozenset()), base_url=base).write_pdf(stylesheets=sheets)
    rows = []
    for name, html_for, notes in jobs:
        ours, raw, result = pdf_bench.time_pdf(html_for, base, allowed, notes, repeat, variant, sheets, session,
                                               raw_variant)
        rows.append({"name": name, "toolkit": ours, "raw": raw,
                     "attempts": list(result.attempts), "problems": len(result.problems)})
        print(f"{name:40} toolkit {rows[-1]['toolkit']:.3f}s  raw {rows[-1]['raw']:.3f}s  "
              f"attempts {'/'.join(result.attempts)}", file=sys.stderr)
    clean = [r for r in rows if len(r["attempts"]) == 1]
    corrected = [r for r in rows if len(r["attempts"]) > 1]
    total = lambda rs, k: sum(r[k] for r in rs)
    ratios = [r["toolkit"] / r["raw"] for r in rows]  # per PDF, each of medians of alternating renders
    return {
        "weasyprint": __version__,
        "pdfs": len(rows),
        "raw_variant": raw_variant,
        "repeat": repeat,
        "median_toolkit": statistics.median(r["toolkit"] for r in rows),
        "median_raw": statistics.median(r["raw"] for r in rows),
        "overhead_all": total(rows, "toolkit") / total(rows, "raw"),
        "ratio_median": statistics.median(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "overhead_clean": total(clean, "toolkit") / total(clean, "raw") if clean else None,
        "clean": len(clean),
        "corrected": len(corrected),
        "corrected_cost": total(corrected, "toolkit") / total(corrected, "raw") if corrected else None,
        "left_with_problems": sum(1 for r in rows if r["problems"]),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rows": rows,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=2, help="renders of each PDF per side (default 2)")
    parser.add_argument("--json", type=Path, help="write the result here as JSON")
    parser.add_argument("--raw-pdf-ua", action="store_true",
                        help="give raw WeasyPrint the toolkit's pdf_variant (PDF/UA) too: the same work")
    parser.add_argument("--toolkit", type=Path, help="directory holding the pressroom/ to measure (default: the checkout)")
    args = parser.parse_args()
    import pressroom

    print(f"toolkit: {Path(pressroom.__file__).parent}", file=sys.stderr)
    result = measure(args.corpus.resolve(), args.repeat, pdf_bench.PDF_VARIANT if args.raw_pdf_ua else None)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    print(f"{result['pdfs']} PDFs × {result['repeat']}: median CPU s/PDF toolkit {result['median_toolkit']:.3f}, "
          f"raw {result['median_raw']:.3f}; overhead all {result['overhead_all']:.3f}×, "
          f"no correction {result['overhead_clean'] or float('nan'):.3f}× ({result['clean']} PDFs); "
          f"corrected {result['corrected']}; per-PDF ratio median {result['ratio_median']:.3f} "
          f"({result['ratio_min']:.3f}–{result['ratio_max']:.3f}); peak {result['peak_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
