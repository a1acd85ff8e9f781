"""``PoFile`` <-> Babel ``Catalog``: the view of a catalog that the checks, the UI
translations and the editor's progress use (Babel's public ``Catalog``/``Message``).

Entries cross over with their strings, lines, flags, comments and previous msgids.
Of the header only ``Plural-Forms`` is handed to Babel (compiled UI translations need
it), so what a catalog may say in its header does not depend on the installed Babel
(``header.py`` checks it); the header entry itself rides along unchanged on the
``PoCatalog`` and comes back from ``to_pofile`` as it was read.
"""

from __future__ import annotations

from babel.messages.catalog import Catalog, Message

from .model import Entry, PoFile, format_header


class PoCatalog(Catalog):
    """A Babel catalog read from a PO file, with that file (for its header entry and
    its encoding)."""

    source: PoFile | None = None


def to_catalog(po: PoFile, locale: str | None, domain: str, format_flags: bool = True) -> PoCatalog:
    """A Babel catalog of ``po``'s entries (obsolete ones in ``catalog.obsolete``,
    keyed as Babel keys them: the msgid, or (msgid, context)). ``format_flags``
    False: without the ``python-format`` flags Babel guesses from "4% of" in prose."""
    catalog = PoCatalog(locale=locale, domain=domain, charset="utf-8")
    catalog.source = po
    plural_forms = po.header_field("Plural-Forms")
    if plural_forms:
        catalog.mime_headers = [("Plural-Forms", plural_forms)]
    header = po.header
    if header is not None:
        catalog.fuzzy = header.fuzzy
    for entry in po.entries:
        if entry.is_header and not entry.obsolete:
            continue
        message = to_message(entry)
        if not format_flags:
            message.flags -= {"python-format", "python-brace-format"}
        if entry.obsolete:
            catalog.obsolete[entry.msgid if entry.context is None else (entry.msgid, entry.context)] = message
        else:
            catalog[message.id] = message
    return catalog


def to_message(entry: Entry) -> Message:
    msgid = (entry.msgid, entry.msgid_plural) if entry.plural else entry.msgid
    string = tuple(entry.plural_strings) if entry.plural else entry.msgstr
    previous = [p for p in (entry.previous, entry.previous_plural) if p is not None]
    return Message(
        msgid, string, locations=[_location(r) for r in entry.references], flags=entry.flags,
        auto_comments=entry.auto_comments, user_comments=[c.strip() for c in entry.comments],
        previous_id=previous, lineno=entry.line or None, context=entry.context,
    )


def _location(reference: str) -> tuple[str, int | None]:
    name, colon, line = reference.rpartition(":")
    if colon and line.isdigit():
        return name.strip("\u2068\u2069"), int(line)
    return reference.strip("\u2068\u2069"), None


def from_catalog(catalog: Catalog) -> list[Entry]:
    """The entries of a Babel catalog, current then obsolete (header excluded)."""
    entries = [from_message(m) for m in catalog if m.id]
    for message in catalog.obsolete.values():
        entries.append(from_message(message))
        entries[-1].obsolete = True
    return entries


def from_message(message: Message) -> Entry:
    plural = isinstance(message.id, (list, tuple))
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string or ""]
    previous = list(message.previous_id or [])
    return Entry(
        message.id[0] if plural else message.id,
        msgstr=strings[0] if strings else "",
        context=message.context,
        msgid_plural=message.id[1] if plural else None,
        plural_strings=list(strings) if plural else [],
        auto_comments=list(message.auto_comments),
        comments=list(message.user_comments),
        references=[_reference(path, line) for path, line in message.locations],
        flags=sorted(message.flags),
        previous=previous[0] if previous else None,
        previous_plural=previous[1] if len(previous) > 1 else None,
        line=message.lineno or 0,
    )


def to_pofile(catalog: Catalog) -> PoFile:
    """A Babel catalog as a ``PoFile``: the header as it was read (``PoCatalog``;
    Babel's header attributes are not looked at), else Babel's header fields without
    its ``Generated-By``."""
    source = catalog.source if isinstance(catalog, PoCatalog) else None
    if source is None:
        fields = [(n, v.strip()) for n, v in catalog.mime_headers if n.lower() != "generated-by"]
        header = Entry("", format_header(fields), flags=["fuzzy"] if catalog.fuzzy else [])
        return PoFile([header, *from_catalog(catalog)])
    entries = from_catalog(catalog)
    if source.header is not None:
        entries.insert(0, source.header)
    return PoFile(entries, charset=source.charset, bom=source.bom, newline=source.newline)


def _reference(path: str, line: int | None) -> str:
    """A location as gettext writes it (a file name with spaces enclosed in U+2068/U+2069)."""
    if " " in path or "\t" in path:
        path = f"\u2068{path}\u2069"
    return f"{path}:{line}" if line else path
