"""PO files on disk: bytes -> ``PoFile`` (charset, byte order mark, header checks), and
atomic writes whose interrupted leftovers the next run removes.

A catalog is decoded with the charset its header names (UTF-8 when it names none; a
UTF-8 byte order mark is accepted and kept). Anything that keeps it from being read —
a directory, no permission, bytes that are not in its charset, an unknown charset, a
header field the project cannot take — is a ``CatalogError`` with the file and, where
there is one, the line.

Files are written atomically (temporary file ``.<name>.<random>.tmp`` beside the
target, fsync, rename, fsync of the directory) and only when their bytes change. A
run that is killed between the two leaves its temporary file behind;
``remove_stale_temporaries`` deletes those of our own pattern that are older than the
current run (a newer one may belong to a run writing right now).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..errors import CatalogError
from .header import DEFAULT_CHARSET, charset_problem, content_charset, field_problem
from .model import PoFile, check_flags, parse_header
from .reader import parse

_UTF8 = {"utf-8", "utf8", "ascii", "us-ascii"}
TEMPORARY = re.compile(r"\.(?P<name>.+\.pot?)\.[a-z0-9_]{8}\.tmp")
"""Our temporary files: ``tempfile.mkstemp(prefix=".<name>.", suffix=".tmp")``."""


def read_po(path: Path, rel: str) -> PoFile:
    """Read and check one PO/POT file (``rel`` names it in errors)."""
    return decode_po(read_bytes(path, rel), rel)


def read_bytes(path: Path, rel: str) -> bytes:
    """The bytes of a catalog file; ``CatalogError`` when it cannot be read."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise CatalogError("not a catalog: this path is a directory", rel) from None
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror or exc}", rel) from None


class CatalogMessage(NamedTuple):
    """One current entry of a catalog, as the build uses it."""

    string: str
    fuzzy: bool
    lineno: int
    """1-based line of its ``msgid``."""
    flags: frozenset[str] = frozenset()
    """Its ``#,`` flags and the ``no-<check>-check`` flags of its translator comments
    (``model.check_flags``: the build reads which checks are silenced from them)."""
    reviewed: bool = False
    """Marked reviewed for this very translation (``po.review``)."""


def read_messages(path: Path, rel: str, locale: str | None = None, domain: str = "") -> dict[str, CatalogMessage]:
    """msgid -> ``CatalogMessage`` for the current singular entries of a catalog (read
    and checked as ``read_po`` does; ``locale`` and ``domain`` are not needed)."""
    return {e.msgid: CatalogMessage(e.msgstr, e.fuzzy, e.line, check_flags(e.flags, e.comments), e.reviewed) for e in read_po(path, rel).messages
            if e.msgid and not e.plural}


def decode_po(data: bytes, rel: str) -> PoFile:
    """A PO file's bytes, decoded in the charset its header names, parsed and checked."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        po = parse(data.decode("latin-1"), rel)  # its header says which charset it is in
        charset = _checked_charset(po, rel)
        if charset.lower() in _UTF8:
            line = data.count(b"\n", 0, exc.start) + 1
            raise CatalogError(f"catalog is not UTF-8 ({exc.reason})", rel, line) from None
        return _reparse(data, charset, rel)
    po = parse(text, rel)
    charset = _checked_charset(po, rel)
    if charset.lower() not in _UTF8:
        return _reparse(data, charset, rel)
    check_header(po, rel)
    return po


def _reparse(data: bytes, charset: str, rel: str) -> PoFile:
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CatalogError(f"catalog is not {charset} as its header says ({exc.reason})", rel, line) from None
    po = parse(text, rel, charset)
    check_header(po, rel)
    return po


@lru_cache(maxsize=1024)  # catalogs of one language often share their header word for word
def _fields(header: str) -> tuple[tuple[str, str], ...]:
    return tuple(parse_header(header))


def _checked_charset(po: PoFile, rel: str) -> str:
    header = po.header
    value = next((v for n, v in _fields(header.msgstr) if n.lower() == "content-type"), None) if header else None
    charset = content_charset(value)
    problem = charset_problem(charset)
    if problem:
        raise CatalogError(f"invalid catalog header: Content-Type: {problem}", rel, _field_line(po, "Content-Type"))
    return charset


def check_header(po: PoFile, rel: str) -> None:
    """``CatalogError`` on the line of the first header field the project cannot take."""
    header = po.header
    if header is None:
        return
    for name, value in _fields(header.msgstr):
        problem = field_problem(name, value)
        if problem:
            raise CatalogError(
                f"invalid catalog header: {name} has the value {value!r}, which is not valid there ({problem})",
                rel, _field_line(po, name),
            )


def _field_line(po: PoFile, name: str) -> int | None:
    """1-based line of a header field in the text (of the header when not found)."""
    header = po.header
    if header is None or header.span is None:
        return None
    text = po.text
    start = max(header.span.msgstr[0], header.span.keywords)  # its strings, not its comments
    at = text.find(f"{name}:", start, header.span.end)
    if at < 0:
        at = text.lower().find(f"{name.lower()}:", start, header.span.end)
    return text.count("\n", 0, at) + 1 if at >= 0 else header.line


# -- writing ---------------------------------------------------------------------------


def encode_po(po: PoFile, text: str) -> bytes:
    """``text`` (a PO file's text) in the charset of ``po``, with its byte order mark."""
    data = text.encode(po.charset or DEFAULT_CHARSET)
    return b"\xef\xbb\xbf" + data if po.bom and not text.startswith("\ufeff") else data


def write_atomic(path: Path, data: bytes, rel: str | None = None) -> None:
    """Replace ``path`` by ``data``: temporary file in the same directory, fsync,
    rename, fsync of the directory. The file keeps its permissions (and owner, when
    root writes it). On any failure the original file is untouched."""
    if path.is_dir():
        raise CatalogError("not a catalog: this path is a directory", rel or str(path))
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


def write_if_changed(path: Path, data: bytes, rel: str | None = None) -> bool:
    """Atomically replace ``path`` with ``data`` unless it already holds exactly that."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data, rel)
    return True


def remove_stale_temporaries(directory: Path, before: float) -> list[Path]:
    """Delete our temporary files under ``directory`` last modified before ``before``
    (a time.time() value: the start of the current run); returns what was deleted.
    Only names of our pattern (``.<name>.po.<8 characters>.tmp``) are touched."""
    removed = []
    if not directory.is_dir():
        return removed
    for path in directory.rglob(".*.tmp"):
        if not TEMPORARY.fullmatch(path.name) or not path.is_file() or path.is_symlink():
            continue
        try:
            if path.stat().st_mtime < before:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue  # its own run renamed or removed it meanwhile
    return removed
