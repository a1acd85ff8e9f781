"""Print HTML -> PDF (WeasyPrint), with every footnote checked against its call.

Takes the print HTML of one article in one language (a callable, so a correction can
ask for a variant) and gives PDF bytes. After layout, and before writing, the
rendered ``Document``'s page boxes are read: every note must be on the page of its
first call, exactly once, and the notes of a page in the order of their calls. If
not, the layout is corrected and rendered again:

1. ``footnote-policy: line`` (the default here: a call whose note does not fit goes
   to the next page with its line), with WeasyPrint's note-moving branch disabled
   (``footnote_fix``);
2. ``footnote-policy: auto``;
3. ``line`` with a page break before each block whose note is misplaced, cumulatively.

(``footnote-policy: block`` is not tried: WeasyPrint 70 fails an internal assertion
on it with this markup.) An attempt that crashes inside WeasyPrint counts as a failed
attempt. What is still wrong after the last one is reported (``PdfResult.problems``)
with the note's number and pages. WeasyPrint may only read files under the allowed
folders; any other URL is refused and reported.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PdfError
from .session import PrintSession, project_fetcher

__all__ = ["Layout", "PdfResult", "PrintSession", "check_footnotes", "project_fetcher", "read_layout", "render_pdf"]

POLICIES = ("line", "auto")
MAX_BREAK_ROUNDS = 3


@dataclass(frozen=True)
class Layout:
    """Where each note and each first call ended up (1-based pages)."""

    calls: dict[int, int]
    """note number -> page of its first call."""
    notes: dict[int, list[int]]
    """note number -> pages it appears on (one, if all is well)."""
    order: dict[int, list[int]]
    """page -> note numbers in the footnote area, top to bottom."""
    call_order: dict[int, list[int]]
    """page -> note numbers of the first calls on it, in reading order."""
    pages: int


@dataclass
class PdfResult:
    data: bytes
    pages: int
    attempts: list[str] = field(default_factory=list)
    """Layouts tried, in order (``line``, ``block``, ``block+breaks 3,7``)."""
    problems: list[str] = field(default_factory=list)
    """Footnote problems left after every correction."""
    warnings: list[str] = field(default_factory=list)
    """WeasyPrint's own warnings (refused URLs, missing images…), each once: WeasyPrint
    repeats some for every lookup of a value (an invalid ``calc()`` as often as the
    recursion it starts goes deep, which depends on the caller's stack)."""
    notes_reused: int = 0
    """Footnote layouts reused instead of laid out again (``footnote_reuse``)."""

    @property
    def corrected(self) -> bool:
        return len(self.attempts) > 1


def read_layout(document) -> Layout:
    """Read notes and calls off a rendered WeasyPrint ``Document``."""
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox

    calls: dict[int, int] = {}
    notes: dict[int, list[int]] = {}
    order: dict[int, list[int]] = {}
    call_order: dict[int, list[int]] = {}
    for number, page in enumerate(document.pages, 1):
        # the page's children: its root box, then its footnote area if it has notes,
        # then its note area and margin boxes if they have content
        root = page._page_box.children[0]
        areas = [box for box in page._page_box.children if isinstance(box, FootnoteAreaBox)]
        for box in root.descendants():
            ident = _id(box)
            if ident and ident.startswith("fnref-") and ident.count("-") == 1:
                note = int(ident[6:])
                if note not in calls:
                    calls[note] = number
                    call_order.setdefault(number, []).append(note)
        seen = []
        for box in (box for area in areas for box in area.descendants()):
            ident = _id(box)
            if ident and ident.startswith("fn-"):
                note = int(ident[3:])
                if note not in seen:
                    seen.append(note)
                    notes.setdefault(note, []).append(number)
        order[number] = seen
    return Layout(calls, notes, order, call_order, len(document.pages))


def _id(box) -> str | None:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "pseudo_type", None):
        return None
    return element.get("id")


def check_footnotes(layout: Layout, expected: int) -> list[tuple[int, str]]:
    """Problems as ``(note number, message)``; empty when every note is where it must be."""
    problems = []
    for number in range(1, expected + 1):
        call = layout.calls.get(number)
        pages = layout.notes.get(number, [])
        if call is None:
            problems.append((number, f"note {number}: its call is missing from the PDF"))
        elif not pages:
            problems.append((number, f"note {number}: lost (called on page {call}, printed nowhere)"))
        elif len(pages) > 1:
            problems.append((number, f"note {number}: printed on pages {', '.join(map(str, pages))}"))
        elif pages[0] != call:
            problems.append((number, f"note {number}: printed on page {pages[0]}, called on page {call}"))
    for page, notes in layout.order.items():
        called_here = [n for n in layout.call_order.get(page, []) if n in notes]
        if [n for n in notes if n in called_here] != called_here:
            problems.append((notes[0], f"page {page}: notes out of order ({', '.join(map(str, notes))})"))
    return problems


def render_pdf(
    html_for: Callable[[str, frozenset[int]], str],
    base_url: str,
    allowed: list[Path],
    notes: int,
    *,
    variant: str | None = None,
    source_date: int | None = None,
    fix: bool = True,
    policies: tuple[str, ...] = POLICIES,
    stylesheets: Sequence[str] = (),
    session: PrintSession | None = None,
    reuse_notes: bool = True,
    share_styles: bool = True,
) -> PdfResult:
    """Render, check, correct; ``html_for(policy, breaks)`` gives the print HTML.

    ``source_date`` (seconds since 1970) is the time written into the embedded font
    subsets, so that the same input gives the same bytes (see ``_source_date``).
    ``stylesheets``: ``file:`` URLs of stylesheets the HTML does not link, applied
    after WeasyPrint's own (as user stylesheets). ``session``: what the PDFs of this
    process share (font configuration, parsed stylesheets, files read); without one,
    nothing is reused, as with plain WeasyPrint. ``reuse_notes``: each footnote laid
    out once per place in its area (``footnote_reuse``; the same bytes either way).
    ``share_styles``: computed styles shared with the session's earlier documents
    (``shared_styles``; the same bytes either way). ``fix=False``,
    ``reuse_notes=False``, ``share_styles=False`` and other ``policies`` are for
    measuring raw WeasyPrint. Layout and writing are entered with room on CPython's
    data stack (``stack_room``)."""
    from weasyprint import HTML

    from . import (
        footnote_fix,
        footnote_reuse,
        hyphenation,
        shared_styles,
        stack_room,
        subset_arrays,
    )

    if fix:
        footnote_fix.apply()
    hyphenation.register()
    subset_arrays.install()
    session = (session or PrintSession()).current()
    fetcher = project_fetcher(allowed)
    sheets, sheet_warnings = session.stylesheets(list(stylesheets), allowed)
    attempts: list[tuple[str, frozenset[int]]] = [(policy, frozenset()) for policy in policies]
    tried: list[str] = []
    best = None
    crashes: list[str] = []
    with (
        _captured_warnings() as warnings,
        _source_date(source_date),
        footnote_reuse.reusing(reuse_notes) as reuse,
        shared_styles.sharing(session.styles if share_styles else None),
    ):
        warnings.extend(sheet_warnings)
        while attempts:
            policy, breaks = attempts.pop(0)
            tried.append(policy + (f"+breaks {','.join(map(str, sorted(breaks)))}" if breaks else ""))
            try:
                html = HTML(string=html_for(policy, breaks), base_url=base_url, url_fetcher=fetcher)
                document = stack_room.call(_render_document, html, sheets, session)
            except (AssertionError, IndexError, KeyError, TypeError, ValueError) as exc:
                crashes.append(f"{tried[-1]}: WeasyPrint failed ({type(exc).__name__}: {exc})")
                problems = None
            else:
                problems = check_footnotes(read_layout(document), notes)
                if best is None or len(problems) < len(best[1]):
                    best = (document, problems)
                if not problems:
                    break
            if not attempts and len(tried) < len(policies) + MAX_BREAK_ROUNDS:
                base = best[1] if best else []
                bad = breaks | {number for number, _ in base}
                if bad != breaks:
                    attempts.append(("line", frozenset(bad)))
        if best is None:
            raise PdfError("; ".join(crashes))
        document, problems = best
        buffer = io.BytesIO()
        stack_room.call(document.write_pdf, buffer, pdf_variant=variant)
    return PdfResult(
        buffer.getvalue(), len(document.pages), tried, [m for _, m in problems], list(dict.fromkeys(warnings)),
        reuse.reused,
    )


def _render_document(html, sheets: list, session: PrintSession):
    """``html`` laid out with the session's font configuration and stylesheets."""
    return html.render(font_config=session.font_config, stylesheets=sheets)


@contextlib.contextmanager
def _source_date(epoch: int | None) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set to ``epoch`` meanwhile (None: left as it is).

    Without the HarfBuzz-Subset library, WeasyPrint subsets fonts with fontTools,
    which stamps every subset's ``head.modified`` with the current time unless this
    variable (the reproducible-builds convention) gives one: two builds of the same
    analysis would differ. (HarfBuzz keeps the font's own stamp.)"""
    if epoch is None:
        yield
        return
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


NOT_PROJECT_WARNINGS = ("Using fontTools instead of HarfBuzz-Subset",)
"""WeasyPrint warnings about the machine, not the project: nothing a user can fix in
the analysis. (Without HarfBuzz-Subset the PDFs are as correct, only made slower;
`make site` installs it where apt can.)"""


class _captured_warnings:
    """Collect WeasyPrint's log warnings (missing images, refused URLs…) as text."""

    def __enter__(self) -> list[str]:
        self.records: list[str] = []
        self.handler = logging.Handler(logging.WARNING)
        self.handler.emit = self._keep
        self.logger = logging.getLogger("weasyprint")
        self.logger.addHandler(self.handler)
        self.propagate = self.logger.propagate
        self.logger.propagate = False
        return self.records

    def _keep(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(NOT_PROJECT_WARNINGS):
            self.records.append(message)

    def __exit__(self, *exc) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.propagate
