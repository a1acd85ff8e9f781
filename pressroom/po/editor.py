"""PO text + one entry's new translation -> the same text with only that entry changed.

Every command that fills or edits entries in a catalog goes through here: the
editor's save, ``translate``'s machine drafts. Re-serializing the whole catalog would
rewrap every string in the writer's style and rewrite comments, so a save into a file
that Poedit, msgmerge, pybabel or Weblate wrote would show as a diff of the whole
file. Here only the edited entry's ``msgstr``, its ``#,`` flags line and its ``# ``
translator comment lines are replaced, at the places the reader found them; every
other byte stays as it was. The new ``msgstr`` is wrapped as the entry's own
``msgid`` is (or, for a short msgid, as the file's strings are): at 76 columns like
the project's writer, or not at all, as Poedit's "don't wrap".

Clearing ``fuzzy`` also drops the ``#|`` previous msgid, as ``update`` does (it only
means something on a fuzzy entry).
"""

from __future__ import annotations

import re

from .model import Entry, PoFile
from .reader import comment_lines, parse
from .review import PREFIX, is_mark, review_mark, without_marks
from .strings import WIDTH, normalize

_LONG = WIDTH + len("msgid_plural ")
"""A string line longer than this means the file is not wrapped: the writer keeps a
string that fits in ``WIDTH`` columns on its keyword's line, so its lines reach
``WIDTH`` plus the longest keyword (a one-line msgstr of 76 columns is 83)."""
_STRING_LINE = re.compile(r'^\s*(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?".*"\s*$')
_CONTINUATION = re.compile(r'^\s*".*"\s*$')

Block = Entry
"""An entry as the one-entry editor sees it (the reader's ``Entry``, with its ``span``)."""


class PoText:
    """A PO file's text and its entries, for one-entry edits."""

    def __init__(self, text: str, rel: str = "", charset: str = "utf-8"):
        self.po: PoFile = parse(text, rel, charset)
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.newline = self.po.newline

    @property
    def blocks(self) -> list[Entry]:
        """Every entry, header and obsolete ones included, in file order."""
        return self.po.entries

    @property
    def entries(self) -> list[Entry]:
        """The current entries, header excluded, in file order."""
        return self.po.messages

    def find(self, msgid: str, context: str | None = None) -> Entry | None:
        return self.po.find(msgid, context)

    def wrap_width(self, entry: Entry) -> int:
        """How to wrap a new msgstr of ``entry``: as its msgid is, else as the file is."""
        first = self.lines[entry.msgid_line].rstrip("\r\n")
        following = entry.msgid_line + 1
        if first.endswith('""') and following < len(self.lines) and _CONTINUATION.match(self.lines[following]):
            return WIDTH
        if len(first) > _LONG:
            return 0
        for line in self.lines:
            if len(line.rstrip("\r\n")) > _LONG and _STRING_LINE.match(line):
                return 0
        return WIDTH

    def replace_entry(self, entry: Entry, *, msgstr: str, fuzzy: bool, comment: str | None = None,
                      drop_comments: tuple[str, ...] = (), reviewed: bool | None = None) -> str:
        """The file's text with ``entry`` changed: its msgstr, its fuzzy flag and, when
        ``comment`` is not None, its translator comments (``drop_comments``: only
        remove the comment lines that start with one of these and add ``comment``
        after the others). Nothing else changes.

        ``reviewed`` sets or clears the review mark (``po.review``; a fuzzy or empty
        translation cannot be reviewed). None keeps the marks as they are when neither
        the translation nor the fuzzy flag changes, and removes them when either does:
        a changed translation is not reviewed any more."""
        if entry.obsolete or entry.plural or entry.is_header or entry.span is None:
            raise ValueError("only a singular, current entry can be replaced")
        comment, drop_comments = self._review_comments(entry, msgstr, fuzzy, comment, drop_comments, reviewed)
        span = entry.span
        nl = self.newline
        edits: list[tuple[int, int, int, str]] = []
        """(start, end, rank, new text) on the file's text, not overlapping; of two
        insertions at one place, the one of lower rank comes first."""

        if msgstr != entry.msgstr:
            start, end = span.msgstr
            width = self.wrap_width(entry)
            indent = self.text[start:self.text.find("m", start)] if start < len(self.text) else ""
            new = indent + "msgstr " + normalize(msgstr, width=width).replace("\n", nl)
            edits.append((start, end, 0, new))

        if fuzzy != entry.fuzzy:
            edits += self._fuzzy_edits(entry, fuzzy)

        if comment is not None:
            edits += self._comment_edits(entry, comment, drop_comments)

        text = self.text
        for start, end, _, new in sorted(edits, key=lambda e: e[:3], reverse=True):
            text = text[:start] + new + text[end:]
        if text != self.text:
            self._check(text, entry, msgstr, fuzzy, comment, drop_comments)
        return text

    @staticmethod
    def _review_comments(entry: Entry, msgstr: str, fuzzy: bool, comment: str | None, drop: tuple[str, ...],
                         reviewed: bool | None) -> tuple[str | None, tuple[str, ...]]:
        """``comment`` and ``drop_comments`` that also put the review mark right."""
        marks = [c for c in entry.comments if is_mark(c)]
        if reviewed is None:  # kept, current or stale, while the translation stays; else dropped
            keep = marks if (msgstr, fuzzy) == (entry.msgstr, entry.fuzzy) else []
        else:
            keep = [review_mark(entry.msgid, entry.context, msgstr)] if reviewed and msgstr and not fuzzy else []
        if marks == keep and (comment is None or drop):
            return comment, drop  # the mark lines are not touched
        lines = (without_marks(comment.split("\n")) if comment else []) + keep
        if comment is not None and not drop:
            return "\n".join(lines), ()  # all comment lines replaced
        return "\n".join(lines), (*drop, PREFIX)

    def _check(self, text: str, entry: Entry, msgstr: str, fuzzy: bool, comment: str | None,
               drop: tuple[str, ...]) -> None:
        """Refuse an edit after which the entry does not read back as asked, or any other
        entry differs (a bug, never the translator's fault): nothing is written then."""
        after = parse(text, charset=self.po.charset)
        edited = after.find(entry.msgid, entry.context)
        kept = [c for c in entry.comments if drop and not c.startswith(drop)] if comment is not None else entry.comments
        wanted = kept + (comment.split("\n") if comment else []) if comment is not None else entry.comments

        def same(a: Entry, b: Entry) -> bool:
            return (a.msgid, a.context, a.msgstr, a.plural_strings, a.flags, a.comments, a.obsolete) == (
                b.msgid, b.context, b.msgstr, b.plural_strings, b.flags, b.comments, b.obsolete)

        ok = (
            edited is not None and (edited.msgstr, edited.fuzzy, edited.comments) == (msgstr, fuzzy, wanted)
            and len(after.entries) == len(self.po.entries)
            and all(same(a, b) for a, b in zip(self.po.entries, after.entries) if a is not entry)
        )
        if not ok:
            raise ValueError(f"internal error: the edit of {entry.msgid[:40]!r} would not read back as asked")

    def _fuzzy_edits(self, entry: Entry, fuzzy: bool) -> list[tuple[int, int, int, str]]:
        span, nl, text = entry.span, self.newline, self.text
        _, flag_lines, previous_lines = comment_lines(text, span)
        if fuzzy:
            if flag_lines:
                start, end = flag_lines[0]
                return [(start, end, 2, _flag_line(["fuzzy", *_flags(text[start:end])], nl))]
            # gettext's order: comments, #. #: then #, then #| and the msgid.
            at = span.previous if span.previous >= 0 else span.keywords
            return [(at, at, 2, _flag_line(["fuzzy"], nl))]
        edits = []
        for start, end in flag_lines:
            flags = [f for f in _flags(text[start:end]) if f != "fuzzy"]
            edits.append((start, end, 2, _flag_line(flags, nl) if flags else ""))
        edits += [(start, end, 3, "") for start, end in previous_lines]
        return edits

    def _comment_edits(self, entry: Entry, comment: str, drop: tuple[str, ...]) -> list[tuple[int, int, int, str]]:
        """Replace the translator comment lines (or, with ``drop``, those starting with
        one of ``drop``) by the lines of ``comment``."""
        span, nl = entry.span, self.newline
        lines_at = comment_lines(self.text, span)[0]
        if drop:
            removed = [(s, e) for (s, e), c in zip(lines_at, entry.comments) if c.startswith(drop)]
            kept = [c for c in entry.comments if not c.startswith(drop)]
        else:
            removed, kept = list(lines_at), []
        wanted = kept + (comment.split("\n") if comment else [])
        if wanted == entry.comments:
            return []
        lines = "".join(("# " + c if c else "#") + nl for c in (comment.split("\n") if comment else []))
        kept_spans = [se for se in lines_at if se not in removed]
        if kept_spans:
            at = kept_spans[-1][1]
        elif lines_at:
            at = lines_at[0][0]
        else:
            at = span.start
        edits = [(s, e, 1, lines if s == at else "") for s, e in removed]  # the new lines replace the first
        if not any(s == at for s, _ in removed):
            edits.append((at, at, 1, lines))
        return edits


def _flags(line: str) -> list[str]:
    return [f.strip() for f in line.strip()[2:].split(",") if f.strip()]


def _flag_line(flags: list[str], nl: str) -> str:
    return "#, " + ", ".join(flags) + nl
