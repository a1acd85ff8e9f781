"""PO text -> ``PoFile``: the one reader of the project's catalogs.

It reads what GNU gettext reads (``tests/test_po_gnu.py`` compares it with ``msgcat``
and ``msgfmt`` on every catalog and on thousands of mutated ones) and keeps what the
other readers drop: the line of every entry, previous msgids (``#|``, also on obsolete
entries), flags of obsolete entries and every header field. It is as strict as
GNU's: an unterminated string, a ``msgstr`` without a ``msgid``, an unknown keyword,
an invalid escape, an entry defined twice or a ``#~`` used for part of an entry only
is a ``CatalogError`` naming the line. One leniency: an obsolete entry may repeat a
current one, as ``pybabel update`` writes. ``files.decode_po`` adds the file's
charset and the header fields the project cannot take (``header.py``).

The lexer is one regular expression. Its tokens are a comment line, a keyword with
all its strings (they may span lines), a run of strings, and — the same tokens in
the one order they take in most entries — a whole entry: comment lines, ``msgctxt``,
``msgid`` and ``msgstr``. ``#~`` (obsolete) and ``#|`` (previous) comments hold PO
tokens themselves: their text is lexed again. Flags are those of every ``#,`` line
(GNU keeps only the last line's ``fuzzy``; Babel and Poedit take them all).
"""

from __future__ import annotations

import re

from ..errors import CatalogError
from .model import Entry, PoFile, Span
from .strings import BadString, decode, decode_lines

_SPACE = r"(?:[ \t\r\n\f\v]++|#(?:~\|?|\|)[ \t\r\f\v]*+(?=\n|\Z))*+"
"""White space, and ``#~``/``#|`` marks with nothing after them (they hold no token)."""
_STRING = r'"[^"\\\n]*+(?:\\[^\n][^"\\\n]*+)*+"'
_STRINGS = rf"(?:{_SPACE}{_STRING})++"
_FINE_TOKENS = (
    r"(?P<comment>#[^\n]*+)"
    r"|(?P<kw>(?P<word>msgctxt|msgid_plural|msgid|msgstr)(?!\w)"
    r"(?:[ \t\r\f\v]*+\[[ \t\r\f\v]*+(?P<index>\d++)[ \t\r\f\v]*+\])?"
    rf"(?P<strings>{_STRINGS})?)"
    rf"|(?P<run>{_STRING}(?:{_SPACE}{_STRING})*+)"
    r"|(?P<bad>[^ \t\r\n\f\v][^\n]*+)"
)
_LINES = r'(?:"[^\n]*"\n)++'
"""String lines in the usual layout. ``"[^\n]*"`` is what the regex engine scans
fastest; ``decode_lines`` then checks that each line holds exactly one string."""
_ENTRY = (
    r"(?P<entry>(?P<tc>(?:#(?:[ \t][^\n]*+)?\n)*+)(?P<auto>(?:#\.[^\n]*+\n)*+)"
    r"(?P<refs>(?:#:[^\n]*+\n)*+)(?P<flags>(?:#,[^\n]*+\n)*+)"
    rf"(?:msgctxt[ \t]*+(?P<context>{_LINES}))?msgid[ \t]*+(?P<msgid>{_LINES})"
    rf"(?P<kwstr>msgstr)[ \t]*+(?P<msgstr>{_LINES}))(?!{_SPACE}\")"
)
"""A whole entry in the usual layout: translator, extracted, location and flag
comments in that order, then each keyword at the start of a line with its strings
on the lines that follow it (and no more strings after them)."""
_TOKEN = re.compile(rf"{_SPACE}(?:{_ENTRY}|{_FINE_TOKENS})")
_FINE = re.compile(rf"{_SPACE}(?:{_FINE_TOKENS})")
"""The same tokens but a whole entry: for an entry that earlier tokens began, or
whose strings ``decode_lines`` cannot vouch for."""
_EXACT_LINES = re.compile(rf'(?:[ \t]*+{_STRING}[ \t\r]*+\n)++')
_WORD = re.compile(r'[^ \t\r\f\v"\[#]*')
_INCOMPLETE = 'string is not a complete quoted "..." string'

# Parser stages of the entry being read.
_COMMENTS, _CONTEXT, _MSGID, _PLURAL, _DONE = range(5)


def parse(text: str, rel: str = "", charset: str = "utf-8", whole_entries: bool = True) -> PoFile:
    """The entries of a PO file's text; ``CatalogError`` (with ``rel`` and the line)
    when it is not a valid PO file. ``charset`` only matters for octal and hex
    escapes, which give bytes in the file's encoding. ``whole_entries`` False: read
    token by token only (the same result, slower; for the tests)."""
    po = _Parser(text, rel, charset).run(whole_entries)
    po.bom = text.startswith("\ufeff")
    po.newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1] else "\n"
    po.charset = charset
    po.text = text
    return po


def comment_lines(text: str, span: Span) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """``[start, end)`` offsets (newline included) of an entry's translator comment
    lines, ``#,`` lines and ``#|`` lines in ``text``."""
    comments, flags, previous = [], [], []
    region_end = span.keywords
    at = span.start
    while at < region_end:
        newline = text.find("\n", at, region_end)
        end = region_end if newline < 0 else newline + 1
        begin = text.rfind("\n", 0, at) + 1
        start = begin if not text[begin:at].strip() else at  # the whole line when nothing precedes
        line = text[at:end].lstrip(" \t\r\f\v")
        if line.startswith("#|"):
            previous.append((start, end))
        elif line.startswith("#,"):
            flags.append((start, end))
        elif line.startswith("#") and not line.startswith(("#.", "#:", "#~")):
            comments.append((start, end))
        at = end
    return comments, flags, previous


class _Parser:
    """The state of one parse: the entry being read and the entries done."""

    def __init__(self, text: str, rel: str, charset: str):
        self.text = text
        self.rel = rel
        self.charset = charset
        self.entries: list[Entry] = []
        self.seen: dict[tuple[bool, str | None, str], int] = {}
        """(obsolete, context, msgid) -> line of the entry, for duplicates."""
        self._new()

    def _new(self) -> None:
        self.entry = Entry("")
        self.stage = _COMMENTS
        self.span: Span | None = None
        """Where the entry is, from its first comment or keyword on."""
        self.obsolete: bool | None = None
        """Whether the entry's keywords are ``#~`` ones (None: no keyword yet)."""
        self.previous: list[str] = []
        """Keywords of the ``#|`` lines read so far."""
        self.target: tuple[str, int] | None = None
        """The field that a following run of strings continues (``#~``/``#|`` lines)."""
        self.awaiting: tuple[int, str] | None = None
        """(line, keyword) of a ``#~``/``#|`` keyword whose strings are on the next lines."""

    def fail(self, line: int, message: str) -> CatalogError:
        return CatalogError(f"cannot parse catalog: {message}", self.rel, line + 1)

    # -- the token loop ----------------------------------------------------------------

    def run(self, whole_entries: bool = True) -> PoFile:
        text = self.text
        pos = 1 if text.startswith("\ufeff") else 0
        line = 0
        last = pos
        while True:
            # A whole-entry token only where an entry can start afresh.
            fresh = whole_entries and self.awaiting is None and (
                self.stage == _DONE or (self.stage == _COMMENTS and self.span is None))
            m = (_TOKEN if fresh else _FINE).match(text, pos)
            if m is None:
                break  # only white space is left
            kind = m.lastgroup
            at = m.start(kind)
            line += text.count("\n", last, at)
            last = at
            if kind == "entry":
                after = self._entry(m, at, line)
                if after is not None:
                    pos = last = m.end()
                    line = after
                    continue
                m = _FINE.match(text, pos)  # the same place, token by token
                kind = m.lastgroup
            pos = m.end()
            if kind == "comment":
                self._comment(m.group("comment"), at, line)
            elif kind == "kw":
                self._expect_string()
                if m.group("strings") is None:
                    self._no_string(m.group("word"), text[pos:self._line_end(pos)], line)
                end_line = line + text.count("\n", at, pos)
                self._keyword(m.group("word"), m.group("index"), m.group("strings"), (at, pos), line, end_line, "")
            elif kind == "run":
                self._run(m.group("run"), line, "")
            else:
                self._bad(m.group("bad"), line)
        self._finish(line)
        return PoFile(self.entries)

    def _entry(self, m: re.Match, at: int, line: int) -> int | None:
        """A whole entry: what its comment and keyword tokens would give; returns the
        line where it ends. None (and nothing done) when its strings are not plainly
        one per line: they go token by token."""
        context, msgid, msgstr = strings = m.group("context", "msgid", "msgstr")
        text_id, text_str = decode_lines(msgid), decode_lines(msgstr)
        text_context = None if context is None else decode_lines(context)
        if text_id is not None and text_str is not None and (context is None or text_context is not None):
            # "…"\n per line, and one '"\n"' (3 characters) dropped between two lines
            id_lines = (len(msgid) - len(text_id)) // 3
            str_lines = (len(msgstr) - len(text_str)) // 3
        elif all(g is None or _EXACT_LINES.fullmatch(g) for g in strings):
            text_context = None if context is None else self._decode(context, line + self.text.count(
                "\n", at, m.start("context")))
            msgid_line = line + self.text.count("\n", at, m.start("msgid"))
            id_lines, str_lines = msgid.count("\n"), msgstr.count("\n")
            text_id, text_str = self._decode(msgid, msgid_line), self._decode(msgstr, msgid_line + id_lines)
        else:
            return None
        if self.stage == _DONE:
            self._finish(line)
        entry = self.entry
        tc, auto, refs, flags = m.group("tc", "auto", "refs", "flags")
        if tc:
            entry.comments = [c[2:] if c[1:2] == " " else c[1:] for c in _lines(tc)]
        if auto:  # "#. a\n#. b\n" -> ["a", "b"], empty ones left out
            entry.auto_comments = [c for c in (c.strip() for c in auto[2:-1].split("\n#.")) if c]
        if refs:
            if "\u2068" in refs:
                entry.references = [r for c in _lines(refs) for r in _locations(c[2:])]
            else:
                entry.references = refs[2:-1].replace("\n#:", " ").split()
        if flags:
            entry.flags = list(dict.fromkeys(f for f in (f.strip() for f in flags[2:-1].replace("\n#,", ",").split(","))
                                             if f))
        entry.context = text_context
        entry.msgid = text_id
        entry.msgstr = text_str
        msgid_at = m.start("msgid")
        msgid_line = line + self.text.count("\n", at, msgid_at)
        entry.line = msgid_line + 1
        end = m.end("msgstr") - 1
        flags_end = m.end("flags")
        self.span = Span(at, end, line, msgid_line + id_lines + str_lines, msgid_line,
                         keywords=flags_end if flags_end > at else self._line_start(at),
                         msgstr=(m.start("kwstr"), end))
        self.obsolete = False
        self.stage, self.target = _DONE, ("msgstr", 0)
        return msgid_line + id_lines + str_lines

    def _bad(self, rest: str, line: int) -> None:
        """What is wrong with a line from where no token matches."""
        word = _WORD.match(rest).group(0)
        if word and rest[len(word):len(word) + 1] != '"':
            raise self.fail(line, f"unknown keyword {word!r}")
        raise self.fail(line, _INCOMPLETE)  # a quote that does not close, or text glued to a string

    def _no_string(self, word: str, after: str, line: int) -> None:
        if '"' in after:
            raise self.fail(line, _INCOMPLETE)
        raise self.fail(line, f"{word} is not followed by a quoted string")

    def _begin(self, offset: int, line: int) -> None:
        """The entry being read starts at ``offset`` unless it started before."""
        if self.span is None:
            self.span = Span(offset, offset, line, line + 1, line)

    def _line_start(self, offset: int) -> int:
        """``offset``, or the start of its line when only white space precedes it."""
        begin = self.text.rfind("\n", 0, offset) + 1
        return begin if not self.text[begin:offset].strip() else offset

    def _line_end(self, offset: int) -> int:
        """Just after the newline that ends the line of ``offset`` (or the text's end)."""
        newline = self.text.find("\n", offset)
        return len(self.text) if newline < 0 else newline + 1

    # -- comments ----------------------------------------------------------------------

    def _expect_string(self) -> None:
        """A ``#~``/``#|`` keyword without strings on its line needs them next."""
        if self.awaiting is not None:
            line, word = self.awaiting
            raise self.fail(line, f"{word} is not followed by a quoted string")

    def _comment(self, comment: str, start: int, line: int) -> None:
        """One ``#`` comment at offset ``start``."""
        comment = comment.removesuffix("\r")
        mark = comment[1:2]
        if mark == "~":
            rest = comment[2:]
            if rest.startswith("|"):
                self._tokens(rest[1:], line, "~|", start)
            else:
                self._tokens(rest, line, "~", start)
            return
        if mark == "|":
            self._tokens(comment[2:], line, "|", start)
            return
        self._expect_string()
        if self.stage == _DONE:
            self._finish(line)
        elif self.stage != _COMMENTS:
            self._missing_msgstr()
        if self.previous:
            raise self.fail(line, "a comment between the #| lines and their entry")
        self.target = None
        self._begin(start, line)
        self._classify(comment, line)

    def _classify(self, comment: str, line: int) -> None:
        """A comment other than ``#~`` and ``#|``, into the entry being read."""
        entry = self.entry
        mark = comment[1:2]
        if mark == ".":
            text = comment[2:].strip()
            if text:
                entry.auto_comments.append(text)
        elif mark == ":":
            entry.references += _locations(comment[2:])
        elif mark == ",":
            for flag in comment[2:].split(","):
                flag = flag.strip()
                if flag and flag not in entry.flags:
                    entry.flags.append(flag)
        else:
            entry.comments.append(comment[2:] if mark == " " else comment[1:])

    def _tokens(self, text: str, line: int, mode: str, start: int) -> None:
        """The PO tokens inside a ``#~`` (``mode`` "~"), ``#|`` ("|") or ``#~|`` ("~|")
        comment that starts at offset ``start``."""
        pos = 0
        end = start + len(text) + (3 if mode == "~|" else 2)
        while (m := _FINE.match(text, pos)) is not None:
            kind = m.lastgroup
            pos = m.end()
            if kind == "comment":
                if mode != "~":
                    raise self.fail(line, "a comment inside a #| line")
                self._comment(m.group("comment"), start, line)  # "#~ #, fuzzy"
            elif kind == "kw":
                strings = m.group("strings")
                if strings is None:  # its strings may follow on the next lines of the same kind
                    if '"' in text[pos:]:
                        raise self.fail(line, _INCOMPLETE)
                    strings = ""
                self._expect_string()
                if "|" in mode:
                    self._previous(m.group("word"), m.group("index"), strings, line, start, mode)
                else:
                    self._keyword(m.group("word"), m.group("index"), strings, (start, end), line, line, mode)
                if not m.group("strings"):
                    self.awaiting = (line, m.group("word"))
            elif kind == "run":
                self._run(m.group("run"), line, mode, end)
            else:
                self._bad(m.group("bad"), line)

    # -- entries -----------------------------------------------------------------------

    def _keyword(self, word: str, index: str | None, strings: str, where: tuple[int, int], line: int,
                 end_line: int, mode: str) -> None:
        """A keyword and its strings at offsets ``where``; ``mode`` is "~" on an
        obsolete (``#~``) line."""
        if self.stage == _DONE and (word in ("msgctxt", "msgid") or (word == "msgstr" and index is None)):
            if word == "msgstr":
                raise self.fail(line, "msgstr without a msgid")
            self._finish(line)
        stage = self.stage
        if self.previous and stage == _COMMENTS:
            if word not in ("msgctxt", "msgid"):
                raise self.fail(line, f"{word} after the #| lines of an entry")
            if "msgid" not in self.previous:
                raise self.fail(line, "#| msgctxt without a #| msgid")
        self._mode(mode == "~", line)
        if index is not None and word != "msgstr":
            raise self.fail(line, f"{word} cannot have an index")
        value = self._decode(strings, line)
        start, end = where
        self._begin(start, line)
        entry, span = self.entry, self.span
        if stage == _COMMENTS:
            span.keywords = self._line_start(start)
        if word == "msgctxt":
            if stage != _COMMENTS:
                self._out_of_place(word, line)
            entry.context = value
            self.stage, self.target = _CONTEXT, ("context", 0)
        elif word == "msgid":
            if stage not in (_COMMENTS, _CONTEXT):
                self._out_of_place(word, line)
            entry.msgid = value
            entry.line = line + 1
            span.msgid_line = line
            self.stage, self.target = _MSGID, ("msgid", 0)
        elif word == "msgid_plural":
            if stage != _MSGID:
                self._out_of_place(word, line)
            entry.msgid_plural = value
            self.stage, self.target = _PLURAL, ("msgid_plural", 0)
        elif index is None:  # msgstr
            if stage == _PLURAL:
                raise self.fail(line, "an entry with msgid_plural needs msgstr[0], msgstr[1]… instead of msgstr")
            if stage != _MSGID:
                raise self.fail(line, "msgstr without a msgid")
            entry.msgstr = value
            span.msgstr = (self._line_start(start), end)
            self.stage, self.target = _DONE, ("msgstr", 0)
        else:  # msgstr[n]
            n = int(index)
            if stage == _MSGID or (stage == _DONE and not entry.plural):
                raise self.fail(line, f"msgstr[{n}] in an entry without msgid_plural")
            if stage not in (_PLURAL, _DONE):
                raise self.fail(line, "msgstr without a msgid")
            if n != len(entry.plural_strings):
                raise self.fail(line, f"msgstr[{n}] where msgstr[{len(entry.plural_strings)}] is expected")
            entry.plural_strings.append(value)
            entry.msgstr = entry.plural_strings[0]
            self.stage, self.target = _DONE, ("plural_strings", n)
        span.end, span.end_line = end, end_line + 1

    def _mode(self, obsolete: bool, line: int) -> None:
        """Every keyword of an entry is on a ``#~`` line, or none is."""
        if self.obsolete is not None and self.obsolete != obsolete:
            raise self.fail(line, "inconsistent use of #~ (part of an entry is obsolete, part is not)")
        self.obsolete = obsolete

    def _out_of_place(self, word: str, line: int) -> None:
        if self.stage in (_MSGID, _PLURAL):
            self._missing_msgstr()
        raise self.fail(line, f"{word} out of place")

    def _missing_msgstr(self) -> None:
        if self.stage == _CONTEXT:
            raise self.fail(self.span.start_line, "msgctxt without a msgid after it")
        raise self.fail(self.entry.line - 1, f"missing msgstr for msgid {self.entry.msgid!r}")

    def _previous(self, word: str, index: str | None, strings: str, line: int, start: int, mode: str) -> None:
        """A ``#|`` keyword: the previous context, msgid or plural of the coming entry."""
        if self.stage == _DONE:
            self._finish(line)
        elif self.stage != _COMMENTS:
            self._missing_msgstr()
        order = ("msgctxt", "msgid", "msgid_plural")
        if word not in order or index is not None:
            raise self.fail(line, f"#| {word} is not a previous msgctxt, msgid or msgid_plural")
        if any(order.index(p) >= order.index(word) for p in self.previous) or (
            word == "msgid_plural" and "msgid" not in self.previous
        ):
            raise self.fail(line, f"#| {word} out of place")
        self._mode("~" in mode, line)
        self._begin(start, line)
        if self.span.previous < 0:
            self.span.previous = self._line_start(start)
        self.previous.append(word)
        field = {"msgctxt": "previous_context", "msgid": "previous", "msgid_plural": "previous_plural"}[word]
        setattr(self.entry, field, self._decode(strings, line))
        self.target = (field, 0)

    def _run(self, run: str, line: int, mode: str, end: int = -1) -> None:
        """Strings without a keyword: they continue the last keyword of a ``#~`` or
        ``#|`` line (a keyword's own strings are read with it)."""
        self.awaiting = None
        target = self.target
        if (not mode or target is None or ("|" in mode) != target[0].startswith("previous")
                or ("~" in mode) != bool(self.obsolete)):
            raise self.fail(line, "a string without a keyword before it")
        name, n = target
        value = self._decode(run, line)
        entry = self.entry
        if mode == "~":
            self.span.end, self.span.end_line = end, line + 1
        if name == "plural_strings":
            entry.plural_strings[n] += value
            entry.msgstr = entry.plural_strings[0]
        else:
            setattr(entry, name, getattr(entry, name) + value)

    def _finish(self, line: int) -> None:
        """Close the entry being read and start the next one (at the end of the text,
        comments after the last entry belong to none)."""
        self._expect_string()
        if self.stage == _COMMENTS:
            if self.previous:
                raise self.fail(line, "#| lines without an entry after them")
            return
        if self.stage != _DONE:
            self._missing_msgstr()
        entry = self.entry
        entry.obsolete = bool(self.obsolete)
        # An obsolete entry may repeat a current one (``pybabel update`` writes that when
        # a text comes back); msgfmt refuses it, but nothing is ambiguous.
        key = (entry.obsolete, entry.context, entry.msgid)
        first = self.seen.get(key)
        if first is not None:
            raise self.fail(entry.line - 1, f"duplicate entry (first on line {first})")
        self.seen[key] = entry.line
        entry.span = self.span
        self.entries.append(entry)
        self._new()

    # -- strings -----------------------------------------------------------------------

    def _decode(self, strings: str, line: int) -> str:
        """The text of consecutive quoted strings that start on ``line``."""
        try:
            return decode(strings, self.charset)
        except BadString as exc:
            raise self.fail(line + strings.count("\n", 0, exc.offset), str(exc)) from None


def _lines(block: str) -> list[str]:
    """The lines of a block of comment lines (each ends with a newline), without a
    carriage return at their end."""
    return [c.removesuffix("\r") for c in block.split("\n")[:-1]]


def _locations(text: str) -> list[str]:
    """The locations of a ``#:`` line. A file name with spaces is enclosed in U+2068
    and U+2069, as gettext writes it; one that is not closed on its line (GNU msgcat
    may break the line there) runs to the end of the line."""
    if "\u2068" not in text:
        return text.split()
    found, current, inside = [], "", False
    for char in text:
        if char == "\u2068":
            inside = True
        elif char == "\u2069":
            inside = False
        elif char.isspace() and not inside:
            if current:
                found.append(current)
            current = ""
            continue
        current += char
    if current.strip():
        found.append(current.rstrip())
    return found
