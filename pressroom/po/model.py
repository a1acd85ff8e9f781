"""The PO data model: plain entries and files, as the reader finds them.

An ``Entry`` holds what gettext's PO format can say about one message (context,
msgid, plural, translations, the four kinds of comments, flags, previous msgid,
obsolete) and, when it was read from a file, where it was (``Span``) so that the
one-entry editor can change its bytes and nothing else. A ``PoFile`` is its entries
in file order, the header among them, and how the file was encoded.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .review import is_reviewed

FUZZY = "fuzzy"


_FLAGS_COMMENT = re.compile(r"^\s*no-[^\s,]+-check(?:\s*,\s*no-[^\s,]+-check)*\s*,?\s*$")
"""A translator comment that is only ``no-…-check`` flags (``# no-numbers-check``)."""


def check_flags(flags: Iterable[str], comments: Iterable[str] = ()) -> frozenset[str]:
    """An entry's flags, with the ``no-…-check`` flags its translator comments hold
    (``# no-numbers-check, no-links-check``: a comment of nothing but such flags).
    msgmerge, msgcat and Poedit drop ``#,`` flags they do not know and keep
    translator comments: a check silenced in a comment stays silenced through them."""
    found = set(flags)
    for comment in comments:
        if _FLAGS_COMMENT.match(comment):
            found.update(token.strip() for token in comment.split(",") if token.strip())
    return frozenset(found)


def entry_key(msgid: str, context: str | None = None) -> str:
    """A short stable identifier of an entry (URLs, ``data-entry`` in the preview)."""
    text = msgid if context is None else f"{context}\x04{msgid}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


@dataclass(slots=True)
class Span:
    """Where an entry is in the text it was read from (character offsets; lines are
    0-based). Only the reader makes these; the one-entry editor uses them (and
    ``reader.comment_lines`` for the lines of its comments)."""

    start: int
    """Offset of the entry's first comment or keyword."""
    end: int
    """Offset just after its last string."""
    start_line: int
    end_line: int
    """Lines ``[start_line, end_line)`` hold the entry."""
    msgid_line: int
    previous: int = -1
    """Offset of the start of its first ``#|`` line (-1: none)."""
    keywords: int = -1
    """Offset of the start of the line of its first ``msgctxt``/``msgid`` keyword."""
    msgstr: tuple[int, int] = (-1, -1)
    """``[start, end)`` offsets of the ``msgstr`` keyword (with the white space before
    it on its line) and its strings (singular entries)."""


@dataclass(slots=True, eq=False)
class Entry:
    """One message of a PO file (the header is the entry with an empty msgid and no
    context)."""

    msgid: str
    msgstr: str = ""
    """The translation; for a plural entry, ``plural_strings`` holds them and this is
    the first."""
    context: str | None = None
    msgid_plural: str | None = None
    plural_strings: list[str] = field(default_factory=list)
    """``msgstr[0]``, ``msgstr[1]``… of a plural entry."""
    comments: list[str] = field(default_factory=list)
    """Translator comments: the text after ``# `` of each ``#`` line."""
    auto_comments: list[str] = field(default_factory=list)
    """Extracted comments (``#.``): here, the entry's kind (``paragraph``, ``footnote 3``)."""
    references: list[str] = field(default_factory=list)
    """Locations (``#:``), as written: ``content/analyses/x.md:41``."""
    flags: list[str] = field(default_factory=list)
    """Flags (``#,``) in the order read, without repeats."""
    previous_context: str | None = None
    previous: str | None = None
    """The previous msgid (``#| msgid``) of a fuzzy entry: the text it was translated from."""
    previous_plural: str | None = None
    obsolete: bool = False
    line: int = 0
    """1-based line of its ``msgid`` keyword (0: not read from a file)."""
    span: Span | None = None

    @property
    def key(self) -> str:
        return entry_key(self.msgid, self.context)

    @property
    def ident(self) -> tuple[str | None, str]:
        """What makes an entry unique in a file: (context, msgid)."""
        return (self.context, self.msgid)

    @property
    def plural(self) -> bool:
        return self.msgid_plural is not None

    @property
    def fuzzy(self) -> bool:
        return FUZZY in self.flags

    @property
    def reviewed(self) -> bool:
        """Translated, not fuzzy, and marked reviewed for this very text (``po.review``)."""
        return is_reviewed(self.msgid, self.context, self.msgstr, self.fuzzy, self.comments)

    @property
    def is_header(self) -> bool:
        return not self.msgid and self.context is None

    @property
    def translated(self) -> bool:
        """Has a non-empty translation (every plural form for a plural entry)."""
        return all(self.plural_strings) if self.plural else bool(self.msgstr)

    @property
    def comment(self) -> str:
        """The translator comments as one text, one line per ``#`` line."""
        return "\n".join(self.comments)

    @property
    def msgid_line(self) -> int:
        """0-based line of the ``msgid`` keyword."""
        return self.line - 1

    @property
    def start(self) -> int:
        """0-based first line of the entry in the file it was read from."""
        return self.span.start_line if self.span else -1

    @property
    def end(self) -> int:
        """0-based line after its last line (``lines[start:end]`` is the entry)."""
        return self.span.end_line if self.span else -1

    def set_fuzzy(self, fuzzy: bool) -> None:
        if fuzzy and FUZZY not in self.flags:
            self.flags.insert(0, FUZZY)
        elif not fuzzy and FUZZY in self.flags:
            self.flags.remove(FUZZY)


@dataclass(eq=False)
class PoFile:
    """A PO file: its entries in file order (the header first when it has one)."""

    entries: list[Entry] = field(default_factory=list)
    charset: str = "utf-8"
    bom: bool = False
    """The file started with a UTF-8 byte order mark (written back as it was)."""
    newline: str = "\n"
    text: str = ""
    """The text it was read from (the editor's input); empty for a built file."""

    @property
    def header(self) -> Entry | None:
        return next((e for e in self.entries if e.is_header and not e.obsolete), None)

    @property
    def messages(self) -> list[Entry]:
        """The current (not obsolete) entries, header excluded, in file order."""
        return [e for e in self.entries if not e.obsolete and not e.is_header]

    @property
    def obsolete(self) -> list[Entry]:
        return [e for e in self.entries if e.obsolete]

    def find(self, msgid: str, context: str | None = None) -> Entry | None:
        """The current entry with this msgid and context (None: not there)."""
        return next(
            (e for e in self.entries if not e.obsolete and e.msgid == msgid and e.context == context and not e.is_header),
            None,
        )

    # -- header fields -----------------------------------------------------------------

    def header_fields(self) -> list[tuple[str, str]]:
        """The header's fields in their order (a folded value keeps its line breaks)."""
        header = self.header
        return parse_header(header.msgstr) if header is not None else []

    def header_field(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for n, v in self.header_fields() if n.lower() == wanted), None)

    def set_header_field(self, name: str, value: str, after: tuple[str, ...] = ()) -> None:
        """Set one header field: in place when the header has it (its folded lines
        replaced), otherwise after the last of the fields named in ``after`` that it
        has (else first). Every other line of the header stays as it is."""
        header = self.header
        if header is None:
            header = Entry("")
            self.entries.insert(0, header)
        lines = header.msgstr.split("\n")
        tail = lines.pop() if lines and not lines[-1] else None  # after the last "\n"
        starts = [i for i, line in enumerate(lines) if _field_name(line)]

        def extent(i: int) -> int:
            return next((s for s in starts if s > i), len(lines))

        wanted = name.lower()
        found = next((i for i in starts if _field_name(lines[i]).lower() == wanted), None)
        if found is not None:
            lines[found:extent(found)] = [f"{name}: {value}"]
        else:
            names = [a.lower() for a in after]
            before = [i for i in starts if _field_name(lines[i]).lower() in names]
            at = extent(max(before)) if before else 0
            lines.insert(at, f"{name}: {value}")
        header.msgstr = "\n".join(lines) + ("\n" if tail is not None else "")


def _field_name(line: str) -> str:
    """The field name a header line starts (empty for a continuation or other line)."""
    if line[:1] in (" ", "\t"):
        return ""
    name, colon, _ = line.partition(":")
    return name.strip() if colon and name.strip() and " " not in name.strip() else ""


def parse_header(text: str) -> list[tuple[str, str]]:
    """``Name: value`` lines of a header msgstr; a line that starts with white space
    continues the value before it (as in e-mail headers), other lines are ignored."""
    fields: list[tuple[str, str]] = []
    for line in text.split("\n"):
        if line[:1] in (" ", "\t") and fields:
            name, value = fields[-1]
            fields[-1] = (name, value + "\n" + line)
        elif name := _field_name(line):
            fields.append((name, line.partition(":")[2].strip()))
    return fields


def format_header(fields: list[tuple[str, str]]) -> str:
    """A header msgstr of ``fields``, one ``Name: value`` line each."""
    return "".join(f"{name}: {value}\n" for name, value in fields)
