"""Source checks: a document and its parsed body -> ``(line, message, msgid)``.

Takes a ``Document`` and its ``Body``; registers ``repeated-paragraph`` (a paragraph
repeating an earlier one, alone or glued to another) and the source side of
``turkish-letters`` (Turkish-only letters in a non-Turkish source). Findings are placed
in the source file and silenced in its front matter.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from ..catalogs.templates import entries
from ..segments.body import Body
from ..sources.documents import Document
from .registry import register
from .scripts import _TURKISH_LANGS, _turkish_message, _turkish_words
from .text import _children, _plain

_PROSE = {"paragraph", "list item", "blockquote", "bio"}
_MIN_REPEAT = 60
"""Characters a paragraph needs before its appearance inside another one counts."""
_SPACE = re.compile(r"\s")


def _word_starts(text: str) -> list[int]:
    """Where a paragraph may begin inside ``text``: its start and after each whitespace."""
    return [0, *(m.end() for m in _SPACE.finditer(text))]


def _occurs_at(outer: str, inner: str, at: int) -> bool:
    """``inner`` is in ``outer`` at ``at``, whitespace (or an end) on both sides."""
    end = at + len(inner)
    return (
        outer.startswith(inner, at)
        and (at == 0 or outer[at - 1].isspace())
        and (end == len(outer) or outer[end].isspace())
    )


class _Earlier:
    """The paragraphs seen so far, indexed so that a new one is compared with all of
    them in time linear in its length (comparing each pair was quadratic): equal
    texts by a dict; containment through the first ``_MIN_REPEAT`` characters of the
    contained paragraph, which must be found at a word start of the other one."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, int]] = []
        self.equal: dict[str, int] = {}
        self.prefixes: defaultdict[int, list[int]] = defaultdict(list)
        """Hash of a long paragraph's first characters -> its indexes."""
        self.windows: defaultdict[int, list[tuple[int, int]]] = defaultdict(list)
        """Hash of the characters at a word start -> (paragraph index, offset)."""

    def first_match(self, text: str) -> tuple[int, str] | None:
        """The first paragraph that ``text`` equals, is inside (when ``text`` is long)
        or contains (when that one is long): its index and which of the three, or None."""
        found: list[tuple[int, int, str]] = []  # (index, rank of the test, test)
        if (j := self.equal.get(text)) is not None:
            found.append((j, 0, "equal"))
        if len(text) >= _MIN_REPEAT:
            candidates = self.windows.get(hash(text[:_MIN_REPEAT]), ())
            inside = (j for j, at in candidates if _occurs_at(self.texts[j][0], text, at))
            if (j := next(inside, None)) is not None:
                found.append((j, 1, "inside"))
            for at in _word_starts(text):
                if at + _MIN_REPEAT > len(text):
                    break
                prefixed = self.prefixes.get(hash(text[at : at + _MIN_REPEAT]), ())
                contained = (j for j in prefixed if _occurs_at(text, self.texts[j][0], at))
                if (j := next(contained, None)) is not None:
                    found.append((j, 2, "contains"))
        if not found:
            return None
        j, _, test = min(found)
        return j, test

    def add(self, text: str, line: int) -> None:
        index = len(self.texts)
        self.texts.append((text, line))
        self.equal.setdefault(text, index)
        if len(text) >= _MIN_REPEAT:
            self.prefixes[hash(text[:_MIN_REPEAT])].append(index)
        for at in _word_starts(text):
            if at + _MIN_REPEAT > len(text):
                break
            self.windows[hash(text[at : at + _MIN_REPEAT])].append((index, at))


@register("repeated-paragraph", "warning", scope="source")
def repeated_paragraph(doc: Document, body: Body) -> Iterator[tuple[int, str, str]]:
    """no paragraph repeats an earlier one of the document, alone or glued to another"""
    earlier = _Earlier()
    for unit in body.units:
        if unit.kind not in _PROSE:
            continue
        text = unit.msgid
        match = earlier.first_match(text)
        if match is not None:
            _other, line = earlier.texts[match[0]]
            message = {
                "equal": f"paragraph repeats the paragraph on line {line}",
                "inside": f"paragraph repeats text of the paragraph on line {line} (printed twice?)",
                "contains": f"paragraph contains the whole paragraph on line {line} (printed twice?)",
            }[match[1]]
            yield unit.line, message, text
        earlier.add(text, unit.line)


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
