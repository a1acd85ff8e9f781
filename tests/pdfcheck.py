"""Read a PDF edition back with pdfplumber, independently of the toolkit's own check.

Recognizes, by font and size (see templates/print/print.css): body text (Noto Serif
≥ 10 pt), note calls (Noto Serif 7 pt digits), note marks (Noto Serif Bold 8.5 pt
digits at the start of a note), running header and page label (Noto Sans 8.5 pt at
the top and bottom margins).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber


@dataclass
class PageFacts:
    number: int
    calls: list[tuple[int, float, float]] = field(default_factory=list)
    """(note number, top, x0) of each call, reading order."""
    notes: list[tuple[int, float]] = field(default_factory=list)
    """(note number, top) of each note mark, top to bottom."""
    body_bottom: float = 0.0
    header: str = ""
    footer: str = ""
    text: str = ""
    fonts: set[str] = field(default_factory=set)
    outside: int = 0
    """Characters outside the text block (22 mm side margins on A4)."""


def _is(word: dict, size: float) -> bool:
    return abs(word["size"] - size) < 0.3


def read_pdf(path: Path) -> list[PageFacts]:
    pages = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            facts = PageFacts(number, text=page.extract_text() or "")
            words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False)
            facts.fonts = {c["fontname"] for c in page.chars}
            left, right = 22 / 25.4 * 72, page.width - 22 / 25.4 * 72
            facts.outside = sum(1 for c in page.chars if c["x0"] < left - 0.5 or c["x1"] > right + 0.5)
            header, footer = [], []
            for w in words:
                serif = "Noto-Serif" in w["fontname"]
                if "Noto-Sans" in w["fontname"] and _is(w, 8.5):
                    (header if w["top"] < page.height / 2 else footer).append(w["text"])
                elif serif and _is(w, 7) and w["text"].replace(",", "").isdigit():
                    for k, part in enumerate(filter(None, w["text"].split(","))):  # "3,4": two calls
                        facts.calls.append((int(part), w["top"], w["x0"] + k / 10))
                elif serif and _is(w, 8.5) and "Bold" in w["fontname"] and w["text"].isdigit():
                    facts.notes.append((int(w["text"]), w["top"]))
                elif serif and w["size"] >= 10:
                    facts.body_bottom = max(facts.body_bottom, w["bottom"])
            facts.header, facts.footer = " ".join(header), " ".join(footer)
            facts.calls.sort(key=lambda c: (round(c[1]), c[2]))
            facts.notes.sort(key=lambda n: n[1])
            pages.append(facts)
    return pages


def footnote_problems(pages: list[PageFacts], expected: int) -> list[str]:
    """Every note once, on the page of its first call, below the body text, in the
    order of its calls; numbers 1…expected."""
    problems = []
    first_call: dict[int, int] = {}
    for page in pages:
        for number, _, _ in page.calls:
            first_call.setdefault(number, page.number)
    printed: dict[int, list[int]] = {}
    for page in pages:
        for number, top in page.notes:
            printed.setdefault(number, []).append(page.number)
            if top < page.body_bottom:
                problems.append(f"note {number} on page {page.number} is not below the text")
        firsts = [n for n, _, _ in page.calls if first_call.get(n) == page.number]
        here = [n for n, _ in page.notes]
        if [n for n in firsts if n in here] != [n for n in here if n in firsts]:
            problems.append(f"page {page.number}: notes {here} not in call order {firsts}")
    if sorted(printed) != list(range(1, expected + 1)):
        problems.append(f"notes printed: {sorted(printed)}, expected 1…{expected}")
    for number, where in printed.items():
        if len(where) != 1:
            problems.append(f"note {number} printed on pages {where}")
        elif first_call.get(number) != where[0]:
            problems.append(f"note {number} on page {where[0]}, first called on page {first_call.get(number)}")
    return problems
