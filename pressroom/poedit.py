"""PO text + one entry's new translation -> the same text with only that entry changed.

The editor saves one entry at a time. Re-serializing the whole catalog would rewrap
every string in the writer's style and rewrite comments, so a save from a file that
Poedit or msgcat wrote would show as a diff of the whole file. Here the file's text
is split into entry blocks (``parse``) and only the edited block's ``msgstr`` lines,
its ``#,`` flags line and its ``# `` translator comment lines are replaced
(``replace_entry``); every other byte stays as it was. The new ``msgstr`` is wrapped
as the entry's own ``msgid`` is (or, for a short msgid, as the file's strings are):
at 76 columns like the project's writer, or not at all, as Poedit's "don't wrap".

Clearing ``fuzzy`` also drops the ``#|`` previous msgid, as ``update`` does (it only
means something on a fuzzy entry).

``write_atomic`` writes a temporary file beside the target, fsyncs it, keeps the
target's permissions and renames it over the target, then fsyncs the directory.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from babel.messages.pofile import normalize, unescape

from .pofile import write_atomic  # noqa: F401 - the editor saves through it

WRAP = 76
"""Width of wrapped strings (the project's writer, ``pofile.WIDTH``)."""
_LONG = 80
"""A string line longer than this means the file is not wrapped."""
_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")\s*$')
_STRING = re.compile(r'^\s*(".*")\s*$')
_PREFIX = re.compile(r"^#~\s?")


def entry_key(msgid: str, context: str | None = None) -> str:
    """A short stable identifier of an entry (URLs, ``data-entry`` in the preview)."""
    text = msgid if context is None else f"{context}\x04{msgid}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=6).hexdigest()


@dataclass
class Block:
    """One entry of a PO file, by line indexes (0-based) into the file's lines."""

    start: int
    end: int
    """``lines[start:end]`` is the entry, without the blank lines around it."""
    obsolete: bool = False
    context: str | None = None
    msgid: str = ""
    msgid_line: int = -1
    msgstr: str = ""
    plural: bool = False
    msgstr_lines: tuple[int, int] = (-1, -1)
    """``[first, end)`` of the ``msgstr`` keyword line and its continuation lines."""
    comment_lines: list[int] = field(default_factory=list)
    """Translator comments (``# …``)."""
    flag_lines: list[int] = field(default_factory=list)
    previous_lines: list[int] = field(default_factory=list)
    """``#|`` previous msgid lines."""
    comments: list[str] = field(default_factory=list)
    auto_comments: list[str] = field(default_factory=list)
    """``#.`` comments: here, the entry's kind (``paragraph``, ``footnote 3``)."""
    references: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    previous: str | None = None

    @property
    def key(self) -> str:
        return entry_key(self.msgid, self.context)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def comment(self) -> str:
        """The translator comments as one text, one line per ``#`` line."""
        return "\n".join(self.comments)


class PoText:
    """The lines of a PO file and its entry blocks."""

    def __init__(self, text: str):
        self.lines = text.splitlines(keepends=True)
        self.newline = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"
        self.blocks = _parse(self.lines)

    def find(self, msgid: str, context: str | None = None) -> Block | None:
        """The non-obsolete entry with this msgid and context (None: not there)."""
        return next(
            (b for b in self.blocks if not b.obsolete and b.msgid == msgid and b.context == context),
            None,
        )

    @property
    def entries(self) -> list[Block]:
        """The non-obsolete entries, header excluded, in file order."""
        return [b for b in self.blocks if not b.obsolete and b.msgid]

    def wrap_width(self, block: Block) -> int:
        """How to wrap a new msgstr of ``block``: as its msgid is, else as the file is."""
        first = self.lines[block.msgid_line].rstrip("\r\n")
        following = block.msgid_line + 1
        if first.endswith('""') and following < len(self.lines) and _STRING.match(self.lines[following]):
            return WRAP
        if len(first) > _LONG:
            return 0
        for line in self.lines:
            if len(line.rstrip("\r\n")) > _LONG and (_KEYWORD.match(line) or _STRING.match(line)):
                return 0
        return WRAP

    def replace_entry(
        self, block: Block, *, msgstr: str, fuzzy: bool, comment: str | None = None
    ) -> str:
        """The file's text with ``block`` changed: its msgstr, its fuzzy flag and, when
        ``comment`` is not None, its translator comments. Nothing else changes."""
        if block.obsolete or block.plural or not block.msgid:
            raise ValueError("only a singular, current entry can be replaced")
        nl = self.newline
        new: dict[int, list[str]] = {}
        """Line index -> what replaces it ([] deletes it)."""
        inserts: dict[int, list[str]] = {}
        """Line index -> lines inserted before it."""

        first, end = block.msgstr_lines
        if msgstr != block.msgstr:
            text = "msgstr " + normalize(msgstr, prefix="", width=self.wrap_width(block))
            new[first] = [line + nl for line in text.split("\n")]
            for i in range(first + 1, end):
                new[i] = []

        if fuzzy != block.fuzzy:
            self._set_fuzzy(block, fuzzy, new, inserts)

        if comment is not None and comment.split("\n") != block.comments and (comment or block.comments):
            lines = [("# " + c if c else "#") + nl for c in comment.split("\n")] if comment else []
            at = block.comment_lines[0] if block.comment_lines else block.start
            for i in block.comment_lines:
                new[i] = []
            inserts.setdefault(at, [])[:0] = lines

        out: list[str] = []
        for i, line in enumerate(self.lines):
            out += inserts.get(i, [])
            out += new.get(i, [line])
        return "".join(out)

    def _set_fuzzy(self, block: Block, fuzzy: bool, new: dict, inserts: dict) -> None:
        nl = self.newline
        if fuzzy:
            if block.flag_lines:
                i = block.flag_lines[0]
                flags = _flags(self.lines[i])
                new[i] = [_flag_line(["fuzzy", *flags], nl)]
            else:
                # gettext's order: comments, #. #: then #, then #| and the msgid.
                at = next(
                    (i for i in range(block.start, block.msgid_line + 1)
                     if self.lines[i].startswith("#|") or not self.lines[i].startswith("#")),
                    block.msgid_line,
                )
                inserts.setdefault(at, []).append(_flag_line(["fuzzy"], nl))
            return
        for i in block.flag_lines:
            flags = [f for f in _flags(self.lines[i]) if f != "fuzzy"]
            new[i] = [_flag_line(flags, nl)] if flags else []
        for i in block.previous_lines:
            new[i] = []


def _flags(line: str) -> list[str]:
    return [f.strip() for f in line[2:].split(",") if f.strip()]


def _flag_line(flags: list[str], nl: str) -> str:
    return "#, " + ", ".join(flags) + nl


def _strings(lines: list[str], start: int, end: int, obsolete: bool) -> str:
    out = []
    for line in lines[start:end]:
        if obsolete:
            line = _PREFIX.sub("", line, count=1)
        match = _KEYWORD.match(line.rstrip("\r\n")) or _STRING.match(line.rstrip("\r\n"))
        if match:
            out.append(unescape(match.groups()[-1]))
    return "".join(out)


def _parse(lines: list[str]) -> list[Block]:
    """Split a PO file's lines into entry blocks (the file is assumed valid: the strict
    reader ``pofile.read_catalog`` has accepted it)."""
    blocks: list[Block] = []
    current: Block | None = None
    keyword: str | None = None
    """The keyword whose strings the following continuation lines extend."""
    spans: dict[str, list[int]] = {}

    def close(at: int) -> None:
        nonlocal current, keyword
        if current is not None:
            current.end = at
            _finish(current, lines, spans)
            blocks.append(current)
        current, keyword = None, None
        spans.clear()

    for i, raw in enumerate(lines):
        line = raw.rstrip("\r\n")
        if not line.strip():
            close(i)
            continue
        obsolete = line.startswith("#~")
        body = _PREFIX.sub("", line, count=1) if obsolete else line
        match = _KEYWORD.match(body)
        if match:
            word = match.group(1)
            if current is not None and (
                (word == "msgctxt" and ("msgctxt" in spans or "msgid" in spans))
                or (word == "msgid" and "msgid" in spans)
            ):
                close(i)
            if current is None:
                current = Block(i, i)
            current.obsolete = current.obsolete or obsolete
            keyword = "msgstr" if word.startswith("msgstr") else word
            if word.startswith("msgstr["):
                current.plural = True
            spans.setdefault(keyword, [i, i + 1])[1] = i + 1
            continue
        if _STRING.match(body) and keyword is not None:
            spans[keyword][1] = i + 1
            continue
        if line.startswith("#"):
            if current is not None and "msgid" in spans:
                close(i)
            if current is None:
                current = Block(i, i)
            _comment(current, i, line)
            continue
        close(i)  # not PO syntax; the strict reader would have refused it
    close(len(lines))
    return blocks


def _comment(block: Block, i: int, line: str) -> None:
    mark = line[1:2]
    if mark == ".":
        block.auto_comments.append(line[2:].strip())
    elif mark == ":":
        block.references += line[2:].split()
    elif mark == ",":
        block.flag_lines.append(i)
        block.flags += _flags(line)
    elif mark == "|":
        block.previous_lines.append(i)
    elif mark != "~":
        block.comment_lines.append(i)
        block.comments.append(line[2:] if line.startswith("# ") else line[1:])


def _finish(block: Block, lines: list[str], spans: dict[str, list[int]]) -> None:
    if "msgctxt" in spans:
        block.context = _strings(lines, *spans["msgctxt"], block.obsolete)
    if "msgid" in spans:
        block.msgid = _strings(lines, *spans["msgid"], block.obsolete)
        block.msgid_line = spans["msgid"][0]
    if "msgstr" in spans:
        block.msgstr_lines = (spans["msgstr"][0], spans["msgstr"][1])
        if not block.plural:
            block.msgstr = _strings(lines, *spans["msgstr"], block.obsolete)
    if block.previous_lines:
        previous = []
        for i in block.previous_lines:
            text = lines[i].rstrip("\r\n")[2:].strip()
            word, _, rest = text.partition(" ")
            if word == "msgid":
                previous.append(unescape(rest.strip()))
            elif word.startswith('"') and previous:
                previous.append(unescape(text))
        block.previous = "".join(previous) if previous else None
