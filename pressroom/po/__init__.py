"""The PO layer: one reader, one writer, one one-entry editor for gettext catalogs.

- ``reader``: PO text -> ``PoFile`` (entries with their lines, previous msgids, flags
  of obsolete entries, every header field), as strict as GNU ``msgfmt``;
- ``files``: bytes on disk -> ``PoFile`` (charset, byte order mark, header checks),
  atomic writes, removal of temporary files an interrupted run left;
- ``writer``: ``PoFile`` -> text in the project's format (``update``, ``extract``);
  ``strings``: quoted strings <-> text, for the reader and the writer;
- ``editor``: one entry's new translation -> the same text with only that entry
  changed (the editor's saves, ``translate``);
- ``catalog``: ``PoFile`` <-> Babel ``Catalog`` for the code that reads catalogs
  through Babel's objects.
"""

from .catalog import PoCatalog, from_catalog, to_catalog, to_pofile
from .editor import Block, PoText
from .files import (
    CatalogMessage,
    decode_po,
    encode_po,
    read_bytes,
    read_messages,
    read_po,
    remove_stale_temporaries,
    write_atomic,
    write_if_changed,
)
from .header import nplurals
from .model import FUZZY, Entry, PoFile, Span, entry_key, format_header, parse_header
from .reader import parse
from .strings import WIDTH
from .writer import serialize

__all__ = [
    "FUZZY",
    "WIDTH",
    "Block",
    "CatalogMessage",
    "Entry",
    "PoCatalog",
    "PoFile",
    "PoText",
    "Span",
    "decode_po",
    "encode_po",
    "entry_key",
    "format_header",
    "from_catalog",
    "nplurals",
    "parse",
    "parse_header",
    "read_bytes",
    "read_messages",
    "read_po",
    "remove_stale_temporaries",
    "serialize",
    "to_catalog",
    "to_pofile",
    "write_atomic",
    "write_if_changed",
]
