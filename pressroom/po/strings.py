"""Quoted PO strings <-> text: C escapes undone as gettext undoes them, and text
written as the quoted strings that follow a keyword (wrapped at 76 columns as Babel
has always wrapped the project's catalogs, so that nothing in them changes).
"""

from __future__ import annotations

import re

WIDTH = 76
_WORD_SEP = re.compile(
    r"(\s+|"  # white space
    r"[^\s\w]*\w+[a-zA-Z]-(?=\w+[a-zA-Z])|"  # hyphenated words
    r"(?<=[\w\!\"\'\&\.\,\?])-{2,}(?=\w))"  # em-dash
)
"""Where a string may be broken (Babel's ``WORD_SEP``, so that wrapping stays as it was)."""
_STRING_BODY = re.compile(r'"((?:[^"\\\n]|\\[^\n])*)"')
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9a-fA-F]+)|(.))")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v",
                   "\\": "\\", '"': '"'}


class BadString(ValueError):
    """A string whose escapes gettext would refuse; ``offset`` is where it starts."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


def decode(strings: str, charset: str) -> str:
    """The text of consecutive quoted strings as they are in a file (white space
    between them), C escapes undone; ``BadString`` for an invalid escape."""
    if "\\" not in strings:
        return "".join(strings.split('"')[1::2])
    try:
        return unescape("".join(_STRING_BODY.findall(strings)), charset)
    except ValueError as exc:
        for m in _STRING_BODY.finditer(strings):  # which string is at fault
            try:
                unescape(m.group(1), charset)
            except ValueError:
                raise BadString(str(exc), m.start()) from None
        raise BadString(str(exc), 0) from None


def decode_lines(lines: str) -> str | None:
    """The text of string lines (``"…"\\n`` each) if each holds one string without
    escapes, else None."""
    if "\\" in lines:
        return None
    text = lines[1:-2].replace('"\n"', "")
    return None if '"' in text else text


def unescape(raw: str, charset: str) -> str:
    """Undo C escapes as gettext does: ``\\n \\t \\r \\a \\b \\f \\v \\\\ \\"``, octal
    and hex (bytes in ``charset``)."""
    if not any(m.group(1) or m.group(2) for m in _ESCAPE.finditer(raw)):
        def simple(m: re.Match) -> str:
            char = m.group(3)
            if char not in _SIMPLE_ESCAPES:
                raise ValueError(f"invalid escape sequence \\{char} in a string")
            return _SIMPLE_ESCAPES[char]

        return _ESCAPE.sub(simple, raw)
    out = bytearray()
    pos = 0
    for m in _ESCAPE.finditer(raw):
        out += raw[pos:m.start()].encode(charset)
        octal, hexa, char = m.groups()
        if octal:
            out.append(int(octal, 8) & 0xFF)
        elif hexa:
            out.append(int(hexa, 16) & 0xFF)
        elif char in _SIMPLE_ESCAPES:
            out += _SIMPLE_ESCAPES[char].encode(charset)
        else:
            raise ValueError(f"invalid escape sequence \\{char} in a string")
        pos = m.end()
    out += raw[pos:].encode(charset)
    try:
        return out.decode(charset)
    except UnicodeDecodeError:
        raise ValueError(f"octal or hex escapes that are not {charset} text") from None


def escape(text: str) -> str:
    """``text`` as one quoted PO string."""
    return '"{}"'.format(
        text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n").replace('"', '\\"')
    )


def normalize(text: str, prefix: str = "", width: int = WIDTH) -> str:
    """``text`` as the quoted strings that follow a keyword: one string when it fits,
    else ``""`` and one line (each starting with ``prefix``) per piece, the pieces
    broken after each newline and between words to keep lines under ``width``
    columns, ``prefix`` included (``width`` 0: after each newline only)."""
    lines: list[str] = []
    for line in text.splitlines(True):
        if width <= 0:  # no wrapping: a piece per line of the text
            lines.append(line)
        elif len(escape(line)) + len(prefix) > width:
            chunks = _WORD_SEP.split(line)
            chunks.reverse()
            while chunks:
                buf: list[str] = []
                size = 2 + len(prefix)
                while chunks:
                    length = len(escape(chunks[-1])) - 2
                    if size + length < width:
                        buf.append(chunks.pop())
                        size += length
                    else:
                        if not buf:  # a piece longer than a line goes on a line of its own
                            buf.append(chunks.pop())
                        break
                lines.append("".join(buf))
        else:
            lines.append(line)
    if len(lines) <= 1:
        return escape(text)
    if not lines[-1]:
        del lines[-1]
        lines[-1] += "\n"
    return '""\n' + "\n".join(prefix + escape(line) for line in lines)
