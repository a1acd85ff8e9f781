"""Inline Markdown -> text with numbered placeholders for an engine, and back.

Takes a msgid and its document's ``Body``; ``mask`` gives a ``Masked`` whose
``render(style)`` is the text sent to an engine, placeholders written in the engine's
``Style`` (``BRACKETS`` or ``XML``). ``unmask`` takes the engine's answer and gives the
translation with the source's markup back, or raises ``Rejected`` when a placeholder
was lost, doubled or invented, or when the footnote references or markup differ from
the source's. ``MaskError``: markup that cannot be matched to the source (a bug).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape as xml_escape

from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image as _image_rule
from markdown_it.rules_inline.link import link as _link_rule
from markdown_it.token import Token

from ..segments.body import Body, parse_inline
from ..segments.dialect import MD
from ..translations import footnote_mismatch
from .errors import MaskError, Rejected

Role = Literal["open", "close", "note", "atom"]


@dataclass(frozen=True)
class Slot:
    """What one placeholder stands for."""

    markup: str
    """The source text it replaces, put back verbatim."""
    role: Role
    """``open``/``close``: emphasis and link delimiters (whitespace an engine adds inside
    the pair is dropped); ``note``: a footnote reference; ``atom``: anything else."""
    attached: bool = False
    """For a note: it follows a word without a space in the source, and stays so."""


@dataclass(frozen=True)
class Style:
    """How placeholders are written for one engine, and found in its answer."""

    name: str
    make: Callable[[int], str]
    find: re.Pattern[str]
    """Group 1 is the number; tolerant of the spaces engines insert."""
    escape: Callable[[str], str] = str
    unescape: Callable[[str], str] = str


BRACKETS = Style("brackets", lambda n: f"[X{n}X]", re.compile(r"\[\s*X\s*(\d+)\s*X\s*\]", re.IGNORECASE))
"""Weblate's form: plain text engines keep it."""
XML = Style(
    "xml",
    lambda n: f'<x id="{n}"></x>',
    re.compile(r'<x\s+id\s*=\s*"(\d+)"\s*(?:/>|>\s*</x>)', re.IGNORECASE),
    xml_escape,
    html.unescape,
)
"""For engines with XML tag handling (DeepL): tags are never translated."""

_LOOKALIKE = re.compile(r"\[\s*X\s*\d+\s*X\s*\]|\[\^[^\]\s]+\]", re.IGNORECASE)
_HARD_BREAK = re.compile(r"(?:\\| {2,})\n[ \t]*")
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")


@dataclass(frozen=True)
class Masked:
    """A msgid split into text to translate and placeholders."""

    source: str
    parts: tuple[str | int, ...]
    """Text, or the index of a slot."""
    slots: tuple[Slot, ...]

    def render(self, style: Style) -> str:
        """The text sent to an engine."""
        return "".join(style.escape(p) if isinstance(p, str) else style.make(p + 1) for p in self.parts)

    @property
    def has_text(self) -> bool:
        """Whether anything is left to translate."""
        return any(isinstance(p, str) and any(ch.isalpha() for ch in p) for p in self.parts)


def mask(text: str, body: Body) -> Masked:
    """Split ``text`` (inline Markdown of ``body``) for translation; raises ``MaskError``."""
    masker = _Masker(text, body)
    masker.walk(parse_inline(text, body, keep_escapes=True).children or [])
    if masker.pos != len(text):
        raise MaskError(f"unmatched source text at {masker.pos}: {text[masker.pos:][:40]!r}")
    return Masked(text, tuple(masker.parts), tuple(masker.slots))


class _Masker:
    """Walks the inline tokens of a text with a cursor in its source."""

    def __init__(self, src: str, body: Body):
        self.src = src
        self.pos = 0
        self.parts: list[str | int] = []
        self.slots: list[Slot] = []
        env = {
            "references": body.env.get("references", {}),
            "footnotes": {"refs": {":" + label: -1 for label in body.notes}, "list": {}},
        }
        self.state = StateInline(src, MD, env, [])
        self.links: list[tuple[int, int]] = []
        """(label end, link end) of each open link."""

    def walk(self, children: list[Token]) -> None:
        i = 0
        while i < len(children):
            tok = children[i]
            kind = tok.type
            if kind == "text":
                self._text(tok.content)
            elif kind == "softbreak":
                self._text(self._match(_SOFT_BREAK))
            elif kind == "hardbreak":
                self._slot(self._match(_HARD_BREAK), "atom")
            elif kind == "text_special":  # backslash escape or entity
                self._slot(tok.markup, "atom")
            elif kind in ("em_open", "strong_open", "s_open"):
                self._slot(tok.markup, "open")
            elif kind in ("em_close", "strong_close", "s_close"):
                self._slot(tok.markup, "close")
            elif kind == "code_inline":
                fence = re.escape(tok.markup)
                self._slot(self._match(re.compile(rf"{fence}(?!`).*?(?<!`){fence}(?!`)", re.DOTALL)), "atom")
            elif kind == "footnote_ref":
                attached = self.pos > 0 and not self.src[self.pos - 1].isspace()
                self._slot(f"[^{tok.meta['label']}]", "note", attached)
            elif kind == "image":
                self._slot(self.src[self.pos : self._rule_end(_image_rule)], "atom")
            elif kind == "link_open":
                i = self._link(children, i)
            elif kind == "link_close":
                label_end, end = self.links.pop()
                if self.pos != label_end:
                    raise MaskError(f"link text ends at {self.pos}, expected {label_end}")
                self._slot(self.src[label_end:end], "close")
            else:
                raise MaskError(f"no masking rule for {kind} tokens")
            i += 1

    def _link(self, children: list[Token], i: int) -> int:
        """Mask the link opened at ``children[i]``; returns the index to go on from."""
        tok = children[i]
        close = next((j for j in range(i + 1, len(children)) if children[j].type == "link_close"), None)
        if close is None:
            raise MaskError("a link without its end")
        if tok.markup == "linkify":  # a bare URL, as written
            self._slot("".join(c.content for c in children[i + 1 : close]), "atom")
            return close
        if tok.markup == "autolink":  # <https://…>
            self._slot(self._match(re.compile(r"<[^<>\s]*>")), "atom")
            return close
        end = self._rule_end(_link_rule)
        label_end = parseLinkLabel(self.state, self.pos, True)
        if end - label_end <= 1 or self.src[label_end + 1 : end] == "[]":
            # [text] / [text][]: the text is the reference label, translating it breaks the link
            self._slot(self.src[self.pos : end], "atom")
            return close
        self.links.append((label_end, end))
        self._slot("[", "open")
        return i

    def _rule_end(self, rule: Callable[[StateInline, bool], bool]) -> int:
        self.state.pos, self.state.posMax = self.pos, len(self.src)
        if not rule(self.state, True):
            raise MaskError(f"markdown-it does not parse {self.src[self.pos:][:40]!r} as before")
        return self.state.pos

    def _match(self, pattern: re.Pattern[str]) -> str:
        found = pattern.match(self.src, self.pos)
        if not found:
            raise MaskError(f"expected {pattern.pattern!r} at {self.pos}")
        return found.group(0)

    def _expect(self, text: str) -> None:
        if not self.src.startswith(text, self.pos):
            raise MaskError(f"expected {text!r} at {self.pos}, found {self.src[self.pos:][:40]!r}")

    def _slot(self, markup: str, role: Role, attached: bool = False) -> None:
        self._expect(markup)
        self.parts.append(len(self.slots))
        self.slots.append(Slot(markup, role, attached))
        self.pos += len(markup)

    def _text(self, text: str) -> None:
        """Plain text; URLs without a scheme, placeholder look-alikes and undefined
        footnote references in it are masked too."""
        self._expect(text)
        spans = [(m.start(), m.end()) for m in _LOOKALIKE.finditer(text)]
        spans += [(m.index, m.last_index) for m in MD.linkify.match_any(text)]
        done = 0
        for start, end in sorted(spans):
            if start < done:
                continue
            if start > done:
                self.parts.append(text[done:start])
            self.pos += start - done
            self._slot(text[start:end], "note" if text.startswith("[^", start) else "atom")
            done = end
        if done < len(text):
            self.parts.append(text[done:])
        self.pos += len(text) - done


def unmask(masked: Masked, translated: str, style: Style, body: Body) -> str:
    """The engine's answer with the source's markup back; raises ``Rejected`` if any
    placeholder is missing, doubled or unknown, or if the result's footnote
    references or Markdown markup differ from the source's."""
    pieces: list[str | int] = []
    seen: Counter[int] = Counter()
    done = 0
    for found in style.find.finditer(translated):
        number = int(found.group(1))
        if not 1 <= number <= len(masked.slots):
            raise Rejected(f"the engine returned an unknown placeholder {found.group(0)!r}")
        seen[number - 1] += 1
        pieces += [style.unescape(translated[done : found.start()]), number - 1]
        done = found.end()
    pieces.append(style.unescape(translated[done:]))
    missing = [masked.slots[i].markup for i in range(len(masked.slots)) if not seen[i]]
    if missing:
        raise Rejected("the engine lost the placeholder(s) of " + ", ".join(map(repr, missing)))
    doubled = [masked.slots[i].markup for i, count in sorted(seen.items()) if count > 1]
    if doubled:
        raise Rejected("the engine doubled the placeholder(s) of " + ", ".join(map(repr, doubled)))

    for k, piece in enumerate(pieces):
        if isinstance(piece, str):
            continue
        slot = masked.slots[piece]
        if slot.role == "open":
            pieces[k + 1] = str(pieces[k + 1]).lstrip()
        if slot.role == "close" or (slot.role == "note" and slot.attached):
            pieces[k - 1] = str(pieces[k - 1]).rstrip()
    text = "".join(masked.slots[p].markup if isinstance(p, int) else p for p in pieces).strip()

    problem = footnote_mismatch(masked.source, text, body)
    if problem:
        raise Rejected(problem)
    source, result = _markup(masked.source, body), _markup(text, body)
    if source != result:
        lost = ", ".join(_describe(m) for m in (source - result) + (result - source))
        raise Rejected(f"the Markdown markup does not survive the translation ({lost})")
    return text


def _markup(text: str, body: Body) -> Counter[tuple[str, ...]]:
    """The markup of an inline text, as a multiset (translations may reorder it)."""
    shapes: Counter[tuple[str, ...]] = Counter()
    for tok in parse_inline(text, body, keep_escapes=True).children or []:
        if tok.type in ("text", "softbreak"):
            continue
        if tok.type == "footnote_ref":
            shapes[tok.type, tok.meta["label"]] += 1
        elif tok.type == "link_open":
            shapes[tok.type, str(tok.attrs.get("href", "")), tok.markup] += 1
        elif tok.type == "image":
            shapes[tok.type, str(tok.attrs.get("src", "")), tok.content] += 1
        elif tok.type == "code_inline":
            shapes[tok.type, tok.content] += 1
        else:
            shapes[tok.type, tok.markup] += 1
    return shapes


_NAMES = {"code_inline": "code", "footnote_ref": "footnote reference", "link_open": "link",
          "text_special": "escape", "em_open": "emphasis", "strong_open": "strong emphasis",
          "s_open": "strikethrough"}


def _describe(shape: tuple[str, ...]) -> str:
    """``("link_open", "https://…", "")`` -> ``link 'https://…'``."""
    kind, *detail = shape
    name = _NAMES.get(kind) or _NAMES.get(kind.replace("_close", "_open"), kind)
    if kind.endswith("_close"):
        name += " end"
    return f"{name} {detail[0]!r}" if detail and detail[0] else name
