"""PDF benchmark: the toolkit's PDF stage against raw WeasyPrint on the same HTML.

    .venv/bin/python bench/pdf_bench.py [--generated N] [--repeat K]

For each PDF (the project's analyses in every language, plus N generated articles of
~1,000 words with ~10 notes), the print HTML is made once (as the build makes it: the
print stylesheet is not linked from it but given to WeasyPrint); then, alternately:

- toolkit: ``pressroom.pdf.render_pdf`` (footnote fix, each note laid out once per
  place, layout check, corrections, PDF/UA writing) with one ``PrintSession`` for the whole run, as a build worker has
  one for all its PDFs — what ``build.py build`` runs;
- raw: ``weasyprint.HTML(string=same_html).write_pdf(stylesheets=[print.css])`` with
  WeasyPrint's own code (fix, footnote reuse and one array type removed) and default options: a fresh document each time,
  nothing reused (its own font configuration, the stylesheet fetched and parsed).

Reports median seconds per PDF for each, the overhead ratio (toolkit / raw) over all
PDFs and over those that needed no correction, the share that needed a correction
and what it cost, and the process's peak memory. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import gettext
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JOBS = None
"""``side_renders``' print jobs, kept on both sides."""
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import make_article

from pressroom.config import load_config
from pressroom.errors import Report
from pressroom.html.fragments import make_environment, render_body
from pressroom.html.pages import PageWriter, article_context, author_context
from pressroom.pdf import footnote_fix, footnote_reuse, shared_styles, stack_room, subset_arrays
from pressroom.pdf.render import PrintSession, render_pdf
from pressroom.project import load_catalogs, read_project
from pressroom.segments.body import parse_body
from pressroom.site.jobs import PDF_VARIANT
from pressroom.sources.documents import parse_document


def print_jobs(generated: int):
    """(name, html_for, notes) for every PDF to measure."""
    config = load_config(ROOT)
    report = Report()
    project = read_project(config, report)
    load_catalogs(project, report)
    writer = PageWriter(config, make_environment(config.templates_dir), Path(tempfile.mkdtemp()))
    jobs = []

    def html_maker(article, lang, ui):
        def html_for(policy, breaks):
            return writer.render("print.html", lang, ui, article=article, stylesheets=[],
                                 footnote_policy=policy, breaks=sorted(breaks))
        return html_for

    for doc in project.content.analyses:
        author_doc = project.content.authors[doc.meta["author"]]
        for lang in config.languages:
            atr = project.translations[author_doc.path, lang]
            author = author_context(author_doc, lang, atr.strings, None, atr.complete)
            tr = project.translations[doc.path, lang]
            rendered = render_body(project.bodies[doc.path], tr.strings, source_lang=doc.lang if lang != doc.lang else None)
            article = article_context(config, doc, lang, tr.strings, author, rendered, tr.complete)
            jobs.append((f"{doc.slug}.{lang}", html_maker(article, lang, project.ui[lang]), len(rendered.notes)))
    editors = parse_document("---\nname: The Editors\nlang: en\n---\n\nBio.\n", "content/authors/editors.md",
                             "author", config.languages, report)
    for seed in range(generated):
        doc = parse_document(make_article(100 + seed), f"content/analyses/generated-{seed}.md", "analysis",
                             config.languages, report)
        rendered = render_body(parse_body(doc, report), {})
        author = author_context(editors, "en", {}, None, True)
        article = article_context(config, doc, "en", {}, author, rendered, True)
        jobs.append((f"generated-{seed}.en", html_maker(article, "en", gettext.NullTranslations()), len(rendered.notes)))
    return config, jobs


def print_sheets(config) -> list[str]:
    """The print stylesheets, as the build gives them to WeasyPrint."""
    return [(config.templates_dir / "print" / "print.css").as_uri()]


def weasyprint_as_released() -> None:
    """WeasyPrint's own code back: the footnote fix, the footnote reuse, the shared
    styles and the one array type removed (``render_pdf`` puts them back on its next
    call)."""
    footnote_fix.restore()
    footnote_reuse.restore()
    shared_styles.restore()
    subset_arrays.restore()


def side_renders(corpus: Path, side: str, raw_variant: str | None = None, raw_room: bool = False) -> list:
    """One function per PDF of ``corpus`` (a ``make_corpus.py`` project) that renders
    it for one side of the comparison, for benchmarks that time each side in its own
    process: ``toolkit``, ``render_pdf`` as a build worker runs it (one
    ``PrintSession`` for them all); ``raw``, WeasyPrint's own code (fix, footnote reuse
    and one array type removed) on the same HTML, ``raw_variant`` as its
    ``pdf_variant``. The print HTML of every PDF is made first, on both sides alike,
    and both sides keep the print jobs (``JOBS``): the same objects in each process
    for Python's garbage collector to walk (a full collection walks every object;
    with the jobs on one side only, that side's collections cost more). ``raw_room``:
    raw WeasyPrint is called with the room on CPython's data stack that the toolkit
    gives it (``pdf.stack_room``): without, it may pay for CPython's stack chunks as
    the process's depth has it."""
    from weasyprint import HTML

    global ROOT, JOBS
    ROOT = corpus
    config, jobs = JOBS = print_jobs(0)
    allowed = [config.templates_dir, config.content_dir]
    base = config.content_dir.as_uri() + "/"
    sheets = print_sheets(config)
    pages = [html_for("line", frozenset()) for _, html_for, _ in jobs]
    if side == "toolkit":
        session = PrintSession()
        return [
            lambda html_for=html_for, notes=notes: render_pdf(
                html_for, base, allowed, notes, variant=PDF_VARIANT, stylesheets=sheets, session=session)
            for _, html_for, notes in jobs
        ]
    weasyprint_as_released()
    renders = [
        lambda html=html: HTML(string=html, base_url=base).write_pdf(stylesheets=sheets, pdf_variant=raw_variant)
        for html in pages
    ]
    return [lambda render=render: stack_room.call(render) for render in renders] if raw_room else renders


def time_pdf(html_for, base: str, allowed: list[Path], notes: int, repeat: int, variant: str | None,
             sheets: list[str], session: PrintSession, raw_variant: str | None = None):
    """Median CPU seconds (``time.process_time``) of the toolkit's PDF stage (with
    ``session``, as a worker) and of raw WeasyPrint (its own code, the fix removed, a
    fresh document) on the same HTML and stylesheets, renders alternating; and the
    toolkit's last result. ``raw_variant``: the raw side's ``pdf_variant`` (default
    none, WeasyPrint's default). Leaves the fix applied."""
    from weasyprint import HTML

    html = html_for("line", frozenset())
    ours, raw = [], []
    result = None
    for _ in range(repeat):
        footnote_fix.apply()
        start = time.process_time()
        result = render_pdf(html_for, base, allowed, notes, variant=variant, stylesheets=sheets, session=session)
        ours.append(time.process_time() - start)
        weasyprint_as_released()
        start = time.process_time()
        HTML(string=html, base_url=base).write_pdf(stylesheets=sheets, pdf_variant=raw_variant)
        raw.append(time.process_time() - start)
    footnote_fix.apply()
    return statistics.median(ours), statistics.median(raw), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=10, help="generated articles to add (default 10)")
    parser.add_argument("--repeat", type=int, default=3, help="renders of each PDF per side (default 3)")
    args = parser.parse_args()
    from weasyprint import __version__

    config, jobs = print_jobs(args.generated)
    allowed = [config.templates_dir, config.content_dir]
    base = config.content_dir.as_uri() + "/"
    sheets = print_sheets(config)
    session = PrintSession()
    rows = []
    # warm up both paths (imports, fonts)
    render_pdf(jobs[0][1], base, allowed, jobs[0][2], variant=PDF_VARIANT, stylesheets=sheets, session=session)
    for name, html_for, notes in jobs:
        ours, raw, result = time_pdf(html_for, base, allowed, notes, args.repeat, PDF_VARIANT, sheets, session)
        rows.append((name, ours, raw, result.attempts, result.problems))
        print(f"{name:60} toolkit {rows[-1][1]:.3f}s  raw {rows[-1][2]:.3f}s  attempts {'/'.join(result.attempts)}",
              file=sys.stderr)
    footnote_fix.apply()

    clean = [r for r in rows if len(r[3]) == 1]
    corrected = [r for r in rows if len(r[3]) > 1]
    med = statistics.median
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPDF benchmark — {time.strftime('%Y-%m-%d')}, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, WeasyPrint {__version__}, {len(rows)} PDFs × {args.repeat} renders")
    print(f"median CPU s/PDF    toolkit {med(r[1] for r in rows):.3f}   raw WeasyPrint {med(r[2] for r in rows):.3f}")
    print(f"overhead (all)      {sum(r[1] for r in rows) / sum(r[2] for r in rows):.3f}×")
    if clean:
        print(f"overhead (no fix)   {sum(r[1] for r in clean) / sum(r[2] for r in clean):.3f}×  "
              f"({len(clean)} PDFs whose first layout was right)")
    share = len(corrected) / len(rows)
    cost = (sum(r[1] for r in corrected) / sum(r[2] for r in corrected)) if corrected else 0
    print(f"needed a correction {len(corrected)}/{len(rows)} ({share:.0%})" + (f", costing {cost:.2f}× raw" if corrected else ""))
    print(f"left with problems  {sum(1 for r in rows if r[4])}")
    print(f"peak memory         {peak_mb:.0f} MB (process max RSS)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
