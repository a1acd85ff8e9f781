"""Where a PDF's CPU time goes: the toolkit's PDF stage split into WeasyPrint's steps.

    .venv/bin/python bench/pdf_profile.py [--corpus DIR] [--generated N] [--cold]

Renders every PDF of the project (or of a ``make_corpus.py`` corpus) once, after one
warm-up render, with the same code as ``build.py build`` (``pdf.render.PrintSession``,
one per process, as a worker has), and times each step in CPU seconds of this process
(``time.process_time``), each step's own time without the steps it calls:

- print HTML (Jinja), HTML parse (``HTML()``), font configuration (``FontConfiguration()``),
  ``@font-face`` loading, stylesheets (fetch, parse, rule matching set-up), cascade (the
  rest of ``get_all_computed_styles``), boxes (``build_formatting_structure``), layout
  (``layout_document``), our footnote check (``read_layout`` + ``check_footnotes``),
  drawing (``Page.paint``), font subsetting (``build_fonts_dictionary``), PDF/UA tags
  (``add_tags``), serialisation (``pydyf.PDF.write``: compression), other.

Computed style values are computed lazily, so much of "the cascade" is paid inside
boxes and layout. ``--cold`` renders with a new session per PDF (no reuse across
documents: what raw WeasyPrint pays). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import pdf_bench

STEPS: dict[str, float] = {}
_stack: list[list[float]] = []


def timed(step: str, function):
    """``function`` counting its own CPU time (callees' timed steps excluded) to ``step``."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        _stack.append([0.0])
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent = time.process_time() - start
            inner = _stack.pop()[0]
            STEPS[step] = STEPS.get(step, 0.0) + spent - inner
            if _stack:
                _stack[-1][0] += spent

    return wrapper


def instrument() -> None:
    import pydyf
    import weasyprint
    from weasyprint import css, document, pdf
    from weasyprint.text import fonts

    from pressroom.pdf import render

    patches = [
        (weasyprint.HTML, "__init__", "HTML parse"),
        (weasyprint.CSS, "__init__", "stylesheets"),
        (fonts.FontConfiguration, "__init__", "font configuration"),
        (fonts.FontConfiguration, "add_font_face", "@font-face loading"),
        (document, "get_all_computed_styles", "cascade"),
        (document, "build_formatting_structure", "boxes"),
        (document, "layout_document", "layout"),
        (render, "read_layout", "footnote check"),
        (render, "check_footnotes", "footnote check"),
        (document.Page, "paint", "drawing"),
        (pdf, "build_fonts_dictionary", "font subsetting"),
        (pdf, "add_tags", "PDF/UA tags"),
        (pydyf.PDF, "write", "serialisation"),
        (document.Document, "write_pdf", "other (PDF writing)"),
        (render, "_render_document", "other (render)"),
    ]
    for owner, name, step in patches:
        setattr(owner, name, timed(step, getattr(owner, name)))
    # layout_document is a generator: time its consumption
    original = document.layout_document
    document.layout_document = timed("layout", lambda *a, **k: list(original(*a, **k)))
    css.find_stylesheets  # noqa: B018 - CSS() above covers the linked stylesheets


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="a make_corpus.py project (default: this repository)")
    parser.add_argument("--generated", type=int, default=0, help="generated articles to add (repository only)")
    parser.add_argument("--cold", action="store_true", help="a new PrintSession per PDF (nothing reused)")
    args = parser.parse_args()
    if args.corpus:
        pdf_bench.ROOT = args.corpus.resolve()
    from pressroom.pdf.render import PrintSession, render_pdf

    config, jobs = pdf_bench.print_jobs(args.generated)
    allowed = [config.templates_dir, config.content_dir]
    base = config.content_dir.as_uri() + "/"
    sheets = pdf_bench.print_sheets(config)
    session = PrintSession()
    render_pdf(jobs[0][1], base, allowed, jobs[0][2], variant=pdf_bench.PDF_VARIANT, stylesheets=sheets,
               session=session)  # warm-up
    instrument()
    per_pdf = []
    for _, html_for, notes in jobs:
        if args.cold:
            session = PrintSession()
        html_for = timed("print HTML", html_for)
        start = time.process_time()
        render_pdf(html_for, base, allowed, notes, variant=pdf_bench.PDF_VARIANT, source_date=0,
                   stylesheets=sheets, session=session)
        per_pdf.append(time.process_time() - start)
    total = sum(per_pdf)
    print(f"{len(per_pdf)} PDFs, {'cold' if args.cold else 'warm'} session: {total:.2f} CPU s, "
          f"median {statistics.median(per_pdf):.3f} s/PDF")
    print("| step | CPU s per PDF | share |\n|---|---|---|")
    for step, seconds in sorted(STEPS.items(), key=lambda kv: -kv[1]):
        print(f"| {step} | {seconds / len(per_pdf):.3f} | {seconds / total:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
