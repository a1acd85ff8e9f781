"""Each footnote laid out once per place in its area (a pinned speed-up of WeasyPrint 70).

WeasyPrint lays out a page's whole footnote area again each time a note joins it
(``LayoutContext._update_footnote_area`` deep-copies the area and lays it out from the
top, to learn its new height) and once more when the page is finished: a page with k
notes lays out 1 + 2 + … + k notes, then k again. That was a quarter to a third of a
PDF's time on analyses with a few notes per page (docs/benchmarks.md).

Both layouts of an area pass ``bottom_space = -inf``: nothing in the area can overflow
the page, so where a note's lines break and how tall it is depend only on its own
boxes and on where it is put. ``install()`` wraps ``block_level_layout`` of
``weasyprint.layout.block`` (the name ``_in_flow_layout`` calls for each child of a
block) so that, while ``reusing()`` is on, a direct child of a ``FootnoteAreaBox``
laid out again at the same place is not laid out again: a copy of the boxes laid out
the first time is returned. The key is everything the layout reads there: the note's
boxes (type, computed style, text of each), its position and resolved box model, the
area's size, the page number, the margins adjoining it, whether the page is empty.
Only notes made of blocks, lines, inline boxes and text, not floated or positioned,
are kept, and only when laying them out changed nothing else in the layout context
(no out-of-flow box, float, footnote or running element). Results live on the
document's own layout context: nothing is shared between documents.

Installed only on the audited WeasyPrint (its version and the source of the two
functions involved); on any other WeasyPrint nothing is wrapped and PDFs are laid
out as WeasyPrint does it, slower, with the same bytes. Outside ``reusing()`` the
wrapper calls WeasyPrint's own function (raw WeasyPrint in benchmarks, SVG, …).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from . import audit

AUDITED_VERSION = "70.0"
AUDITED_SHA256 = {
    "block_level_layout": "c1301dde9284e24519ee0432b508d6cd79768018d2564d4066f0fdf103982dd6",
    "_in_flow_layout": "c2537262836dd9812b584633bee887846dba6de921b3b31bff299c5ba29e6dca",
}

_CACHE = "_pressroom_footnote_layouts"
"""Attribute of WeasyPrint's ``LayoutContext`` (one per document) holding the layouts."""

BOX_MODEL = (
    "position_x", "position_y", "width", "height", "min_width", "max_width", "min_height", "max_height",
    "margin_top", "margin_right", "margin_bottom", "margin_left",
    "padding_top", "padding_right", "padding_bottom", "padding_left",
    "border_top_width", "border_right_width", "border_bottom_width", "border_left_width",
)


@dataclass
class Counts:
    laid_out: int = 0
    """Notes laid out by WeasyPrint (first time at a place, or not reusable)."""
    reused: int = 0
    """Notes given as a copy of an earlier layout at the same place."""


_active: ContextVar[Counts | None] = ContextVar("pressroom_footnote_reuse", default=None)


def audited() -> bool:
    """Is the installed WeasyPrint the one this module was checked against?"""
    from weasyprint.layout import block

    functions = {"block_level_layout": _WRAPPING.current(), "_in_flow_layout": block._in_flow_layout}
    return audit.audited(AUDITED_VERSION, ((function, AUDITED_SHA256[name]) for name, function in functions.items()))


def install() -> bool:
    """Wrap WeasyPrint's ``block_level_layout`` (idempotent); False on another WeasyPrint."""
    return _WRAPPING.install()


def restore() -> None:
    """Put WeasyPrint's own function back (benchmarks of raw WeasyPrint, tests)."""
    _WRAPPING.restore()


@contextmanager
def reusing(enabled: bool = True) -> Iterator[Counts]:
    """Reuse footnote layouts in the documents laid out meanwhile (in this thread or
    task); yields what was laid out and reused. ``enabled=False``: counts only zero,
    WeasyPrint as it is."""
    counts = Counts()
    token = _active.set(counts if enabled and install() else None)
    try:
        yield counts
    finally:
        _active.reset(token)


def _block_level_layout(context, box, bottom_space, skip_stack, containing_block, page_is_empty=True,
                        absolute_boxes=None, fixed_boxes=None, adjoining_margins=None, first_letter_style=None,
                        first_line_style=None, discard=False, max_lines=None):
    args = (context, box, bottom_space, skip_stack, containing_block, page_is_empty, absolute_boxes, fixed_boxes,
            adjoining_margins, first_letter_style, first_line_style, discard, max_lines)
    counts = _active.get()
    if counts is None or not _reusable_call(*args):
        return _WRAPPING.original(*args)
    boxes_key = _boxes_key(box)
    if boxes_key is None:
        counts.laid_out += 1
        return _WRAPPING.original(*args)
    styles, fingerprint = boxes_key
    key = (
        fingerprint,
        tuple(getattr(box, name, None) for name in BOX_MODEL),
        containing_block.width, containing_block.height, page_is_empty, tuple(adjoining_margins or ()),
        context.current_page, context.forced_break, context.in_column, discard, max_lines,
    )
    cache = context.__dict__.setdefault(_CACHE, {})
    if (kept := cache.get(key)) is not None:
        counts.reused += 1
        _, (new_box, resume_at, next_page, margins, collapsing_through, lines) = kept
        return _copy(new_box), resume_at, dict(next_page), list(margins), collapsing_through, lines
    counts.laid_out += 1
    before = _context_state(context, absolute_boxes, fixed_boxes)
    result = _WRAPPING.original(*args)
    new_box, resume_at, next_page, margins, collapsing_through, lines = result
    if new_box is not None and resume_at is None and _context_state(context, absolute_boxes, fixed_boxes) == before:
        # ``styles`` keeps the computed styles alive, so that their ids in the key stay theirs
        cache[key] = (styles, (_copy(new_box), resume_at, dict(next_page), list(margins), collapsing_through, lines))
    return result


def _reusable_call(context, box, bottom_space, skip_stack, containing_block, page_is_empty, absolute_boxes,
                   fixed_boxes, adjoining_margins, first_letter_style, first_line_style, discard, max_lines) -> bool:
    """A whole note laid out in a footnote area that cannot overflow the page."""
    from weasyprint.formatting_structure import boxes

    return (
        isinstance(containing_block, boxes.FootnoteAreaBox)
        and bottom_space == -math.inf
        and skip_stack is None
        and first_letter_style is None
        and first_line_style is None
        and not context.excluded_shapes
    )


def _boxes_key(box) -> tuple[tuple, tuple] | None:
    """``(styles, fingerprint)`` of a note's boxes, or None if one is not plain flow
    (a replaced box, table, float, positioned or running box, a footnote call…)."""
    from weasyprint.formatting_structure import boxes

    plain = (boxes.BlockBox, boxes.LineBox, boxes.InlineBox, boxes.TextBox)
    styles = []
    fingerprint = []
    stack = [box]
    while stack:
        item = stack.pop()
        style = item.style
        if (
            type(item) not in plain
            or style["float"] != "none"
            or style["position"] not in ("static", "relative")
            or getattr(item, "footnote", None) is not None
            or getattr(item, "is_leader", False)
        ):
            return None
        styles.append(style)
        fingerprint.append((type(item), id(style), item.element_tag, getattr(item, "text", None)))
        if isinstance(item, boxes.ParentBox):
            fingerprint.append(len(item.children))
            stack.extend(reversed(item.children))
    return tuple(styles), tuple(fingerprint)


def _context_state(context, absolute_boxes, fixed_boxes) -> tuple:
    """What laying out a note could have changed in the layout context besides its boxes."""
    running = sum(len(page) for pages in context.running_elements.values() for page in pages.values())
    return (
        len(absolute_boxes or ()), len(fixed_boxes or ()), len(context.broken_out_of_flow), len(context.excluded_shapes),
        len(context.footnotes), len(context.current_page_footnotes), len(context.reported_footnotes), running,
    )


def _copy(box):
    """A copy of laid-out boxes: every box and text layout its own (drawing changes them)."""
    from weasyprint.formatting_structure import boxes

    new = box.copy()
    if isinstance(box, boxes.ParentBox):
        new.children = type(box.children)(_copy(child) for child in box.children)
    if (layout := getattr(box, "pango_layout", None)) is not None:
        new.pango_layout = copy.copy(layout)
    return new


_WRAPPING = audit.Wrapping("weasyprint.layout.block", "block_level_layout", _block_level_layout, audited)
