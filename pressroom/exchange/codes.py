"""An entry's inline Markdown -> text and protected inline codes, and back.

Takes a msgid (or a msgstr) and its document's ``Body``; gives ``Segments``: runs of
text a translator edits, and ``Code``\\ s that stand for markup a CAT tool must carry
over untouched (XLIFF 1.2's ``<ph>`` for a footnote call, a bare URL, a code span, an
image or an escape; ``<bpt>``/``<ept>`` for the two ends of emphasis or of a link).
Each code stores its original markup, so ``join`` gives back the very text that was
split: ``join(split(text)) == text`` for every text.

The split is the masking of machine drafts (``pressroom.machine.masking``): the same
rules find the same markup. Codes of a translation take the ids of the source's codes
with the same markup (a footnote call moved keeps its id); markup the translation has
and the source has not gets ids of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ..machine import MaskError, mask
from ..segments.body import Body

Kind = Literal["ph", "bpt", "ept"]


@dataclass(frozen=True)
class Code:
    """One protected inline code."""

    id: str
    kind: Kind
    markup: str
    """The Markdown it stands for, put back verbatim."""
    ctype: str
    """What it is, for the CAT tool: ``x-footnote``, ``link``, ``bold``, ``x-code``…"""


Segments = tuple["str | Code", ...]


def _ctype(markup: str, role: str) -> str:
    if role == "note":
        return "x-footnote"
    if role in ("open", "close"):
        if markup == "[" or markup.startswith("]"):
            return "link"
        if markup in ("**", "__"):
            return "bold"
        if markup in ("*", "_"):
            return "italic"
        return "x-strikethrough" if markup.startswith("~") else "x-markup"
    if markup.startswith("`"):
        return "x-code"
    if markup.startswith("!["):
        return "image"
    if markup.startswith(("http://", "https://", "www.", "<")) or "@" in markup:
        return "x-url"
    if markup.startswith("["):
        return "link"
    return "x-markup"


def split(text: str, body: Body, numbering: Iterable[int] | None = None) -> Segments:
    """``text`` as text runs and codes, numbered 1, 2… (or by ``numbering``)."""
    try:
        masked = mask(text, body)
    except MaskError:
        return (text,) if text else ()  # markup the masking cannot place stays text: nothing is lost
    numbers = iter(numbering) if numbering is not None else iter(range(1, 10**9))
    ids: dict[int, str] = {}
    open_slots: list[int] = []
    for index, slot in enumerate(masked.slots):
        if slot.role == "close" and open_slots:
            ids[index] = ids[open_slots.pop()]
            continue
        ids[index] = str(next(numbers))
        if slot.role == "open":
            open_slots.append(index)
    out: list[str | Code] = []
    for part in masked.parts:
        if isinstance(part, str):
            if out and isinstance(out[-1], str):
                out[-1] += part
            elif part:
                out.append(part)
            continue
        slot = masked.slots[part]
        kind: Kind = "bpt" if slot.role == "open" else "ept" if slot.role == "close" else "ph"
        out.append(Code(ids[part], kind, slot.markup, _ctype(slot.markup, slot.role)))
    return tuple(out)


def codes(segments: Segments) -> dict[tuple[str, Kind], Code]:
    return {(c.id, c.kind): c for c in segments if isinstance(c, Code)}


def join(segments: Iterable[str | Code]) -> str:
    return "".join(s if isinstance(s, str) else s.markup for s in segments)


def align(source: Segments, target: Segments) -> Segments:
    """``target``'s codes renumbered after ``source``'s: a code of the same kind and
    markup as one of the source's takes its id (pairs by both ends), in order; the
    others get ids after the source's."""
    free: dict[tuple[str, str, str], list[str]] = {}
    pairs = _pairs(source)
    for code in source:
        if isinstance(code, Code) and code.kind == "ph":
            free.setdefault(("ph", code.markup, ""), []).append(code.id)
    for start, end in pairs.values():
        free.setdefault(("pair", start.markup, end.markup), []).append(start.id)
    used = [int(c.id) for c in source if isinstance(c, Code) and c.id.isdigit()]
    fresh = iter(range(max(used, default=0) + 1, 10**9))
    renumber: dict[str, str] = {}
    for old, (start, end) in _pairs(target).items():
        ids = free.get(("pair", start.markup, end.markup))
        renumber[old] = ids.pop(0) if ids else str(next(fresh))
    out: list[str | Code] = []
    for seg in target:
        if isinstance(seg, str):
            out.append(seg)
        elif seg.kind == "ph":
            ids = free.get(("ph", seg.markup, ""))
            out.append(Code(ids.pop(0) if ids else str(next(fresh)), "ph", seg.markup, seg.ctype))
        else:
            out.append(Code(renumber.get(seg.id) or str(next(fresh)), seg.kind, seg.markup, seg.ctype))
    return tuple(out)


def _pairs(segments: Segments) -> dict[str, tuple[Code, Code]]:
    starts = {c.id: c for c in segments if isinstance(c, Code) and c.kind == "bpt"}
    return {c.id: (starts[c.id], c) for c in segments if isinstance(c, Code) and c.kind == "ept" and c.id in starts}
