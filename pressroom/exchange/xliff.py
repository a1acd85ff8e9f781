"""Catalog entries <-> an XLIFF 1.2 document, through translate-toolkit.

``write_xliff`` takes ``ExportFile``\\ s (one catalog each: its entries, split into text
and inline codes by ``codes``) and gives the bytes of one XLIFF 1.2 document, a
``<file>`` per catalog (``original`` = the catalog's path in the project), a
``<trans-unit>`` per entry (``id`` = the entry's key). A translated entry's target is
``state="translated"`` in an ``approved="yes"`` unit (``signed-off`` when it is
reviewed, ``po.review``); a fuzzy one's is ``needs-review-translation``; an
untranslated entry has no target.

``read_xliff`` takes such a document's bytes, as a CAT tool gave it back, and gives
its files and units with the lines they are on; everything that is not XLIFF 1.x
(broken XML, XLIFF 2, no ``<xliff>`` root) is an ``ExchangeError`` at its line. Inline
elements of a target are read as codes (``<ph>``, ``<bpt>``, ``<ept>`` with the markup
they hold; ``<mrk>``, which CAT tools add around segments, is read through); any other
inline element is a problem of its unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree
from translate.storage import xliff as ttk
from translate.storage.placeables import StringElem
from translate.storage.placeables import xliff as placeables

from ..errors import ExchangeError
from .codes import Code, Segments

NAMESPACE = "urn:oasis:names:tc:xliff:document:1.2"
NEEDS = ("new", "needs-translation", "needs-adaptation", "needs-l10n", "needs-review-translation",
         "needs-review-adaptation", "needs-review-l10n")
"""Target states that mean "not approved": imported as fuzzy."""
SIGNED_OFF = ("signed-off", "final")
"""Target states that mean reviewed: imported with the review mark."""


class _Unit(ttk.xliffunit):
    namespace = NAMESPACE


class _File(ttk.xlifffile):
    """translate-toolkit's XLIFF store, writing version 1.2."""

    UnitClass = _Unit
    namespace = NAMESPACE
    XMLskeleton = f"""<?xml version="1.0" ?>
<xliff version='1.2' xmlns='{NAMESPACE}'>
<file original='NoName' source-language='en' datatype='plaintext'>
<body>
</body>
</file>
</xliff>"""


@dataclass(frozen=True)
class ExportUnit:
    key: str
    source: Segments
    target: Segments
    fuzzy: bool
    note: str
    context: str | None = None
    reviewed: bool = False


@dataclass(frozen=True)
class ExportFile:
    original: str
    """The catalog, relative to the project: ``locales/tr/LC_MESSAGES/<slug>.po``."""
    source_lang: str
    target_lang: str
    units: list[ExportUnit]


def _rich(segments: Segments) -> list[StringElem]:
    parts: list[StringElem | str] = []
    for seg in segments:
        if isinstance(seg, str):
            parts.append(StringElem(seg))
            continue
        klass = {"ph": placeables.Ph, "bpt": placeables.Bpt, "ept": placeables.Ept}[seg.kind]
        attrs = {"ctype": seg.ctype} if seg.kind != "ept" else {}
        parts.append(klass(id=seg.id, sub=[StringElem(seg.markup)], xml_attrib=attrs))
    return [StringElem(parts)]


def write_xliff(files: list[ExportFile]) -> bytes:
    """One XLIFF 1.2 document holding ``files``."""
    store = _File()
    root = store.document.getroot()
    for f in files:
        node = store.createfilenode(f.original, f.source_lang, f.target_lang, "x-pressroom-markdown")
        node.set("datatype", "x-pressroom-markdown")
        if node.getparent() is None:
            root.append(node)
        store.body = store.getbodynode(node)
        for u in f.units:
            unit = store.UnitClass("")
            unit.setid(u.key)
            if u.context:
                unit.xmlelement.set("resname", u.context)
            unit.rich_source = _rich(u.source)
            if u.target:
                unit.rich_target = _rich(u.target)
                target = unit.xmlelement.find(f"{{{NAMESPACE}}}target")
                state = "needs-review-translation" if u.fuzzy else "signed-off" if u.reviewed else "translated"
                target.set("state", state)
                unit.xmlelement.set("approved", "no" if u.fuzzy else "yes")
            if u.note:
                unit.addnote(u.note, origin="developer")
            store.body.append(unit.xmlelement)
            store.units.append(unit)
    if not files:
        root.remove(store.getfilenode("NoName"))
    return bytes(store)


# -- reading -----------------------------------------------------------------------------


@dataclass
class ImportUnit:
    id: str | None
    line: int
    """The line of its ``<target>`` (of the unit, when it has none)."""
    target: list[str | Code] | None
    """None: no target, or an empty one."""
    state: str | None
    approved: str | None
    problem: str | None = None
    """Why its target cannot be read (an inline element that is not a code)."""

    @property
    def fuzzy(self) -> bool:
        if self.state is not None:
            return self.state in NEEDS
        return self.approved == "no"

    @property
    def signed_off(self) -> bool:
        return self.state in SIGNED_OFF


@dataclass
class ImportFile:
    original: str | None
    target_lang: str | None
    line: int
    units: list[ImportUnit] = field(default_factory=list)


def read_xliff(data: bytes, rel: str) -> list[ImportFile]:
    """The files and units of an XLIFF 1.x document; ``ExchangeError`` when it is none."""
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except etree.XMLSyntaxError as exc:
        raise ExchangeError(f"not well-formed XML: {exc.msg}", rel, exc.lineno or None) from None
    if etree.QName(root).localname != "xliff":
        raise ExchangeError(f"not an XLIFF file: its root element is <{etree.QName(root).localname}>", rel,
                            root.sourceline)
    version = root.get("version", "")
    namespace = etree.QName(root).namespace or ""
    if version.startswith("2") or ":2." in namespace:
        raise ExchangeError(f"XLIFF {version or '2'} is not read here: export XLIFF 1.2 from your CAT tool", rel,
                            root.sourceline)
    try:
        store = _File.parsestring(data)
    except ValueError as exc:
        raise ExchangeError(f"not an XLIFF 1.x file: {exc}", rel, root.sourceline) from None
    ns = store.namespace
    files = []
    for node in store.document.getroot().iterchildren(f"{{{ns}}}file"):
        found = ImportFile(node.get("original"), node.get("target-language"), node.sourceline or 0)
        for unit in node.iter(f"{{{ns}}}trans-unit"):
            found.units.append(_unit(unit, ns))
        files.append(found)
    return files


def _unit(unit, ns: str) -> ImportUnit:
    target = unit.find(f"{{{ns}}}target")
    line = (target if target is not None else unit).sourceline or 0
    result = ImportUnit(unit.get("id"), line, None, target.get("state") if target is not None else None,
                        unit.get("approved"))
    if target is None:
        return result
    parts: list[str | Code] = []
    try:
        _inline(target, ns, parts)
    except _Bad as exc:
        result.problem, result.line = exc.message, exc.line or result.line
        return result
    if any(isinstance(p, Code) or p for p in parts):
        result.target = parts
    return result


class _Bad(Exception):
    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message, self.line = message, line


def _inline(node, ns: str, parts: list[str | Code]) -> None:
    """The text and codes of ``node``'s content, in order."""
    if node.text:
        parts.append(node.text)
    for child in node:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            pass
        else:
            name = etree.QName(child)
            if name.namespace != ns:
                raise _Bad(f"unknown inline element <{name.localname}>", child.sourceline)
            if name.localname == "mrk":
                _inline(child, ns, parts)
            elif name.localname in ("ph", "bpt", "ept"):
                if len(child):
                    raise _Bad(f"<{name.localname}> holds elements, not its markup", child.sourceline)
                parts.append(Code(child.get("id", ""), name.localname, child.text or "", child.get("ctype", "")))
            else:
                raise _Bad(f"<{name.localname}> is not one of the inline codes this file was exported with "
                           "(<ph>, <bpt>, <ept>)", child.sourceline)
        if child.tail:
            parts.append(child.tail)
