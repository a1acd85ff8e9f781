"""Source checks: a document and its parsed body -> ``(line, message, msgid)``.

Takes a ``Document`` and its ``Body``; registers ``repeated-paragraph`` (a paragraph
repeating an earlier one, alone or glued to another) and the source side of
``turkish-letters`` (Turkish-only letters in a non-Turkish source). Findings are placed
in the source file and silenced in its front matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..catalogs import entries
from ..content import Document
from ..segments import Body
from .registry import register
from .scripts import _TURKISH_LANGS, _turkish_message, _turkish_words
from .text import _children, _plain

_PROSE = {"paragraph", "list item", "blockquote", "bio"}
_MIN_REPEAT = 60
"""Characters a paragraph needs before its appearance inside another one counts."""


def _contains(outer: str, inner: str) -> bool:
    return re.search(rf"(?:^|\s){re.escape(inner)}(?:\s|$)", outer) is not None


@register("repeated-paragraph", "warning", scope="source")
def repeated_paragraph(doc: Document, body: Body) -> Iterator[tuple[int, str, str]]:
    """no paragraph repeats an earlier one of the document, alone or glued to another"""
    earlier: list[tuple[str, int]] = []
    for unit in body.units:
        if unit.kind not in _PROSE:
            continue
        text = unit.msgid
        for other, line in earlier:
            if other == text:
                yield unit.line, f"paragraph repeats the paragraph on line {line}", text
            elif len(text) >= _MIN_REPEAT and _contains(other, text):
                yield (
                    unit.line,
                    f"paragraph repeats text of the paragraph on line {line} (printed twice?)",
                    text,
                )
            elif len(other) >= _MIN_REPEAT and _contains(text, other):
                yield (
                    unit.line,
                    f"paragraph contains the whole paragraph on line {line} (printed twice?)",
                    text,
                )
            else:
                continue
            break
        earlier.append((text, unit.line))


@register("turkish-letters", "warning", scope="source")
def turkish_letters_in_source(doc: Document, body: Body) -> Iterator[tuple[int, str, str]]:
    """no Turkish-only letters in a non-Turkish source (the seed once had “Ibıd.”)"""
    if doc.lang.split("_")[0] in _TURKISH_LANGS:
        return
    for entry in entries(doc, body):
        if entry.kind == "author name":  # spelled as its bearer spells it: "Şule Yılmaz"
            continue
        if words := _turkish_words(
            _plain(_children(entry.msgid, body), urls=False, code=False, ref=" ")
        ):
            yield entry.line, _turkish_message(words, doc.lang), entry.msgid
