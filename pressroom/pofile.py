"""PO files <-> Babel catalogs: a stricter reader and a writer that loses nothing.

Babel's parser and writer, with what a translator's file must keep:

- ``#|`` previous msgids are read (Babel drops them) and written as msgmerge writes
  them (Babel wraps them like prose, which breaks their quoting);
- header fields Babel does not know (``X-Generator``, ``X-Poedit-…``) are kept, in
  their order, after the known ones;
- flags of obsolete entries are written (Babel drops them);
- a malformed file is an error naming its line: unterminated strings, an orphan
  ``msgstr`` and duplicate entries too, which Babel lets through.

Files are written atomically (temporary file, fsync, rename) and only when their
bytes change.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from email import message_from_string
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from babel.messages.catalog import Catalog
from babel.messages.pofile import (
    PoFileError,
    PoFileParser,
    _NormalizedString,
    generate_po,
    normalize,
    unescape,
)

from .errors import CatalogError

UI_DOMAIN = "messages"
# Babel guesses these from "4% of" / "{x}" in prose; wrong for content (msgfmt -c then
# rejects a correct Turkish "%4'ü").
FORMAT_FLAGS = {"python-format", "python-brace-format"}
_QUOTED = re.compile(r'^"(?:[^"\\]|\\.)*"$')
_KNOWN_HEADERS = {
    "project-id-version", "report-msgid-bugs-to", "pot-creation-date", "po-revision-date",
    "last-translator", "language", "language-team", "plural-forms", "mime-version",
    "content-type", "content-transfer-encoding", "generated-by",
}


def _quoted(text: str) -> bool:
    """Is ``text`` one complete C string literal? (The regex only runs when a quote or
    backslash inside makes the quick test unsure.)"""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        return False
    inner = text[1:-1]
    return ('"' not in inner and "\\" not in inner) or bool(_QUOTED.match(text))


class PoCatalog(Catalog):
    """A Babel ``Catalog`` that keeps the header fields Babel does not know."""

    extra_headers: list[tuple[str, str]]

    def _set_extra(self, headers) -> None:
        headers = list(headers)
        self.extra_headers = [(n, v) for n, v in headers if n.lower() not in _KNOWN_HEADERS]
        Catalog._set_mime_headers(self, headers)

    def _get_extra(self) -> list[tuple[str, str]]:
        headers = Catalog._get_mime_headers(self)
        extra = getattr(self, "extra_headers", [])
        if extra and headers[-1][0] == "Generated-By":  # Babel ends that value with "\n"
            last = headers.pop()
            return headers + [(name, value) for name, value in extra] + [last]
        return headers + extra

    mime_headers = property(_get_extra, _set_extra)


def strip_format_flags(catalog: Catalog) -> Catalog:
    for message in [*catalog, *catalog.obsolete.values()]:
        message.flags -= FORMAT_FLAGS
    return catalog


class _Parser(PoFileParser):
    """Babel's PO parser, stricter, keeping ``#|`` previous msgids and entry lines."""

    def _reset_message_state(self) -> None:
        super()._reset_message_state()
        self.previous: list[_NormalizedString] = []

    def _process_comment(self, line: str) -> None:
        if line.startswith("#|"):
            keyword, _, arg = line[2:].strip().partition(" ")
            if keyword == "msgid":
                self._finish_current_message()
                self.previous = [_NormalizedString(arg)]
            elif keyword.startswith('"') and self.previous:
                self.previous[-1].append(keyword + (" " + arg if arg else ""))
            return
        super()._process_comment(line)

    def _process_keyword_line(self, lineno, line, obsolete=False) -> None:
        keyword, _, arg = line.partition(" ")
        if keyword.startswith("msgstr") and (not self.messages or (keyword == "msgstr" and self.translations)):
            self._invalid_pofile(line, lineno, "msgstr without a msgid")
        if (keyword in ("msgid", "msgid_plural", "msgctxt") or keyword.startswith("msgstr")) and not _quoted(arg.strip()):
            self._invalid_pofile(line, lineno, "string is not a complete quoted \"...\" string")
        if keyword in ("msgid", "msgctxt") and self.messages:
            self._finish_current_message()  # an entry without comments: close the one before
        super()._process_keyword_line(lineno, line, obsolete)

    def _process_string_continuation_line(self, line, lineno) -> None:
        if not _quoted(line.strip()):
            self._invalid_pofile(line, lineno, "string is not a complete quoted \"...\" string")
        super()._process_string_continuation_line(line, lineno)

    def _add_message(self) -> None:
        msgid = self.messages[0].denormalize()
        context = self.context.denormalize() if self.context else None
        if not self.obsolete and msgid and self.catalog.get(msgid, context) is not None:
            first = self.catalog.get(msgid, context).lineno
            self._invalid_pofile("", self.offset, f"duplicate entry (first on line {first})")
        previous = [p.denormalize() for p in self.previous]
        obsolete = self.obsolete
        super()._add_message()
        message = (
            self.catalog.obsolete.get(self.catalog._key_for(msgid, context))
            if obsolete
            else self.catalog.get(msgid, context)
        )
        if message is not None and previous:
            message.previous_id = previous


def read_catalog(path: Path, rel: str, locale: str | None, domain: str) -> Catalog:
    """Read a PO/POT file; any malformation raises ``CatalogError`` naming its line."""
    catalog = PoCatalog(locale=locale, domain=domain, charset="utf-8")
    parser = _Parser(catalog, abort_invalid=True)
    try:
        with path.open("rb") as f:
            parser.parse(f)
    except PoFileError as exc:
        message = re.sub(r" on \d+$", "", str(exc))  # Babel appends the line; we put it in front
        raise CatalogError(f"cannot parse catalog: {message}", rel, exc.lineno + 1) from None
    except UnicodeDecodeError as exc:
        raise CatalogError(f"catalog is not UTF-8 ({exc.reason})", rel) from None
    except (ValueError, KeyError, AttributeError, TypeError, IndexError):  # Babel's header parsing
        header = parser.translations[0][1].denormalize() if parser.translations else ""
        bad = _bad_header_field(header)
        why = f"{bad[0]} has the value {bad[1]!r}, which is not valid there" if bad else "it cannot be read"
        raise CatalogError(f"invalid catalog header: {why}", rel, parser.offset + 1) from None
    return strip_format_flags(catalog) if domain != UI_DOMAIN else catalog


@lru_cache(maxsize=1024)
def _bad_header_field(header: str) -> tuple[str, str] | None:
    """The first field (name, value) of a header that Babel cannot take, or None.
    (Catalogs of one language often share their header word for word.)"""
    for name, value in message_from_string(header).items():
        if not _header_field_ok(name, value):
            return name, value
    return None


@lru_cache(maxsize=4096)
def _header_field_ok(name: str, value: str) -> bool:
    """Does Babel take this header field? (Its parsing of a field depends on nothing
    else, and the same dates and languages recur in every catalog.)"""
    try:
        PoCatalog()._set_mime_headers([(name, value)])
    except (ValueError, KeyError, AttributeError, TypeError, IndexError):
        return False
    return True


class Translation(NamedTuple):
    """One current entry of a catalog, as the build uses it."""

    string: str
    fuzzy: bool
    lineno: int
    """1-based line of its ``msgid``."""
    flags: frozenset[str] = frozenset()
    """Its ``#,`` flags but the format flags (the build reads ``no-<check>-check``)."""


def read_translations(path: Path, rel: str, locale: str | None, domain: str) -> dict[str, Translation]:
    """msgid -> ``Translation`` for the current (not obsolete) entries of a catalog.

    The same answer as ``read_catalog`` (its errors included), faster: a file in the
    form our writer, msgmerge and Poedit write is read by ``_read_plain``; anything
    else (obsolete entries, contexts, plurals, odd spacing, any error) goes to
    ``read_catalog``. ``tests/test_po_reader.py`` compares both on every catalog of
    the project and on mutated ones.
    """
    found = _read_plain(path.read_bytes())
    if found is not None:
        return found
    catalog = read_catalog(path, rel, locale, domain)
    return {
        m.id: Translation(m.string, m.fuzzy, m.lineno, frozenset(m.flags - FORMAT_FLAGS))
        for m in catalog
        if m.id and isinstance(m.id, str)
    }


_PLAIN_ENTRY = re.compile(r'((?:#[^\n]*\n|\n)*)msgid ((?:"[^\n]*"\n)+)msgstr ((?:"[^\n]*"\n)+)')
_PLAIN_TAIL = re.compile(r"(?:#[^\n]*\n|\n)*")
_QUOTED_LINES = re.compile(r'(?:"[^"\\\n]*(?:\\.[^"\\\n]*)*"\n)+')
_LEFT_TO_BABEL = ("#~", "\u2068", "\u2069")
"""What makes ``_read_plain`` leave a file to Babel's parser: obsolete entries, and
the isolating marks its location parser checks."""


def _strings(block: str) -> str | None:
    """The text of consecutive lines that start and end with a quote, unescaped as
    Babel does it; None unless each line is one complete quoted string."""
    if "\\" not in block:
        text = block[1:-2].replace('"\n"', "")
        return None if '"' in text else text
    if not _QUOTED_LINES.fullmatch(block):
        return None
    return "".join(unescape(line) for line in block.split("\n")[:-1])


def _read_plain(data: bytes) -> dict[str, Translation] | None:
    """The entries of a catalog with nothing but comments, ``msgid`` and ``msgstr``
    lines, each string line one complete quoted string; None when the file is not
    such a file or is not valid UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.endswith("\n"):
        text += "\n"
    if any(mark in text for mark in _LEFT_TO_BABEL):
        return None
    found: dict[str, Translation] = {}
    header = False
    pos = lines = 0  # lines before pos
    while True:
        m = _PLAIN_ENTRY.match(text, pos)
        if m is None:
            break
        comments = m.group(1)
        line = lines + comments.count("\n") + 1
        msgid, msgstr = _strings(m.group(2)), _strings(m.group(3))
        if msgid is None or msgstr is None:
            return None
        flags = _flags(comments) if "#," in comments else ()
        if not msgid:
            if header or found:
                return None  # a second header, or a header after entries: Babel's case
            header = True
            if _bad_header_field(msgstr) is not None:
                return None  # read_catalog says which field
        elif msgid in found:
            return None  # duplicate: read_catalog names both lines
        else:
            found[msgid] = Translation(msgstr, "fuzzy" in flags, line, frozenset(flags) - FORMAT_FLAGS)
        pos = m.end()
        lines = line - 1 + m.group(2).count("\n") + m.group(3).count("\n")
    return found if _PLAIN_TAIL.match(text, pos).end() == len(text) else None


def _flags(comments: str) -> set[str]:
    """The flags of ``#,`` lines, as Babel reads them."""
    return {f.strip() for c in comments.split("\n") if c.startswith("#,") for f in c[2:].lstrip().split(",")}


WIDTH = 76


def serialize(catalog: Catalog) -> bytes:
    """The PO text of ``catalog``, wrapped at 76 columns.

    Babel wraps ``#|`` previous msgids like prose, which breaks their quoting; they
    are written here as msgmerge writes them, before each entry's ``msgid`` line.
    """
    messages = iter(catalog)
    obsolete = iter(catalog.obsolete.values())
    out: list[str] = []
    for line in generate_po(catalog, width=WIDTH, include_previous=False):
        if line.startswith("msgid "):
            message = next(messages)
            for keyword, text in zip(("msgid", "msgid_plural"), message.previous_id or ()):
                out.append(f"#| {keyword} {normalize(text, prefix='#| ', width=WIDTH)}\n")
        elif line.startswith("#~ msgctxt ") or (line.startswith("#~ msgid ") and not out[-1].startswith("#~ msgctxt")):
            flags = next(obsolete).flags  # Babel writes none for obsolete entries
            if flags:
                out.append(f"#, {', '.join(sorted(flags))}\n")
        out.append(line)
    return "".join(out).encode(catalog.charset or "utf-8")


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data``: temporary file in the same directory, fsync,
    rename, fsync of the directory. The file keeps its permissions (and owner, when
    root writes it). On any failure the original file is untouched."""
    try:
        info: os.stat_result | None = path.stat()
    except FileNotFoundError:
        info = None
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if info is not None:
            os.chmod(tmp, stat.S_IMODE(info.st_mode))
            if os.geteuid() == 0 and (info.st_uid, info.st_gid) != (0, 0):
                os.chown(tmp, info.st_uid, info.st_gid)
        else:  # mkstemp makes 0600; a new catalog gets what the umask gives a new file
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically replace ``path`` with ``data`` unless it already holds exactly that."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    return True
