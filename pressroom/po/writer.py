"""``PoFile`` -> PO text in the project's format (the writer of ``update``/``extract``).

The format is the one the project's catalogs have always had (Babel's, so that
nothing in them changes), written here so that no library version changes a byte:

- header comment lines, then the header entry; each entry's translator comments
  (``# ``), extracted comments (``#.``) and locations (``#:``, sorted, without
  repeats) wrapped at 76 columns between words; flags (``#,``) sorted on one line;
- strings on one line when they fit in 76 columns, otherwise ``""`` and then one
  line per piece, broken between words and after each ``\\n``;
- previous msgids (``#|``), then ``msgctxt``, ``msgid``, ``msgid_plural``,
  ``msgstr``/``msgstr[n]``; a blank line after each entry;
- obsolete entries last, each with its translator comments, flags, previous msgid
  (``#~|``) and ``#~`` lines.

``#|``, ``#~`` and ``#~|`` lines are wrapped at 76 columns with their prefix
counted once (Babel counts it once per word, which wraps them at about 40).
Header fields are written as the file has them: ``Generated-By`` and every other
field keep their value and order.
"""

from __future__ import annotations

import re

from .model import Entry, PoFile
from .strings import WIDTH, normalize

_COMMENT_SEP = re.compile(r"(\s+|(?<=[\w\!\"\'\&\.\,\?])-{2,}(?=\w))")
_ENCLOSED = re.compile(r"(\u2068[^\u2068]+?\u2069(?::-?\d+)?)")
_WHITESPACE = str.maketrans({c: " " for c in "\t\n\x0b\x0c\r"})


def serialize(po: PoFile) -> str:
    """The text of ``po`` in the project's format."""
    out: list[str] = []
    header = po.header
    if header is not None:
        lines = [f"# {c.strip()}".rstrip() for c in header.comments]
        out += [line + "\n" for text in lines for line in wrap(text, WIDTH, "# ")] or ["\n"]
        if header.fuzzy:
            out.append("#, fuzzy\n")
        out += _strings("msgid", "", "")
        out += _strings("msgstr", header.msgstr, "")
        out.append("\n")
    for entry in po.entries:
        if not entry.obsolete and entry is not header:
            out += _entry(entry)
    for entry in po.entries:
        if entry.obsolete:
            out += _entry(entry)
    text = "".join(out)
    if po.newline != "\n":
        text = text.replace("\n", po.newline)
    return text


def _entry(entry: Entry) -> list[str]:
    out = []
    for comment in entry.comments:
        text = comment.strip()
        out += [f"# {line.strip()}\n" for line in wrap(text)] if text else ["#\n"]
    if not entry.obsolete:
        for comment in entry.auto_comments:
            out += [f"#. {line.strip()}\n" for line in wrap(comment)]
        if entry.references:
            out += [f"#: {line.strip()}\n" for line in wrap(" ".join(_sorted_references(entry.references)))]
    if entry.flags:
        out.append(f"#, {', '.join(sorted(entry.flags))}\n")
    marks = "#~| " if entry.obsolete else "#| "
    for keyword, text in (("msgctxt", entry.previous_context), ("msgid", entry.previous),
                          ("msgid_plural", entry.previous_plural)):
        if text is not None:
            out += _strings(keyword, text, marks)
    prefix = "#~ " if entry.obsolete else ""
    if entry.context is not None:
        out += _strings("msgctxt", entry.context, prefix)
    out += _strings("msgid", entry.msgid, prefix)
    if entry.msgid_plural is not None:
        out += _strings("msgid_plural", entry.msgid_plural, prefix)
        for n, string in enumerate(entry.plural_strings):
            out += _strings(f"msgstr[{n}]", string, prefix)
    else:
        out += _strings("msgstr", entry.msgstr, prefix)
    out.append("\n")
    return out


def _strings(keyword: str, text: str, prefix: str) -> list[str]:
    return [f"{prefix}{keyword} {normalize(text, prefix)}\n"]


def _sorted_references(references: list[str]) -> list[str]:
    """Locations sorted by file and line, each once."""

    def key(reference: str) -> tuple[str, int]:
        name, colon, line = reference.rpartition(":")
        if colon and line.isdigit():
            return name.strip("\u2068\u2069"), int(line)
        return reference.strip("\u2068\u2069"), -1

    return sorted(dict.fromkeys(references), key=key)


def wrap(text: str, width: int = WIDTH, indent: str = "") -> list[str]:
    """The lines of a comment wrapped at ``width`` columns between words (a word
    longer than a line gets a line of its own); lines after the first start with
    ``indent``. The same lines as Python's ``textwrap`` with Babel's separators give."""
    text = text.expandtabs(8).translate(_WHITESPACE)
    if "\u2068" in text:  # file names with spaces, enclosed as gettext writes them
        chunks = [c for part in _ENCLOSED.split(text)
                  for c in ([part] if part.startswith("\u2068") else _COMMENT_SEP.split(part)) if c]
    else:
        chunks = [c for c in _COMMENT_SEP.split(text) if c]
    chunks.reverse()
    lines: list[str] = []
    while chunks:
        prefix = indent if lines else ""
        room = width - len(prefix)
        if lines and not chunks[-1].strip():
            del chunks[-1]
        line: list[str] = []
        size = 0
        while chunks and size + len(chunks[-1]) <= room:
            size += len(chunks[-1])
            line.append(chunks.pop())
        if chunks and len(chunks[-1]) > room and not line:
            line.append(chunks.pop())
        if line and not line[-1].strip():
            del line[-1]
        if line:
            lines.append(prefix + "".join(line))
    return lines
