"""Documents <-> gettext catalogs: templates, merged catalogs, translations.

Layout (one domain per document)::

    locales/templates/<slug>.pot               template of an analysis
    locales/templates/authors/<slug>.pot       template of an author page
    locales/templates/messages.pot             UI strings of templates/
    locales/<lang>/LC_MESSAGES/<domain>.po     one catalog per document and target

Reading, writing and editing PO files is ``pressroom.po``; merging is ``merge.py``.
Files are only rewritten when their content changes, so ``update`` run twice changes
nothing. A file this project creates says ``Generated-By: Pressroom``; a file that
exists keeps what its header says.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural

from .config import Config
from .content import Content, Document, kind_of, parse_document
from .errors import CatalogError, Report
from .merge import DEFAULT_CUTOFF, merge
from .po import Entry as PoEntry
from .po import (
    PoFile,
    Translation,  # noqa: F401 - the build's view of a catalog, used from here
    encode_po,
    format_header,
    from_catalog,
    read_po,
    read_translations,
    remove_stale_temporaries,
    to_catalog,
    to_pofile,
    write_if_changed,
)
from .po import serialize as po_text
from .segments import Body, footnote_labels, parse_body
from .stats import Progress, progress

TEMPLATES = "templates"
UI_DOMAIN = "messages"
GENERATED_BY = "Pressroom"
"""``Generated-By`` of the catalogs this project creates (no version: bytes stay the same)."""
_FIELD_KINDS = {"name": "author name", "role": "author role", "notes_footer": "notes footer"}
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "tr": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
}


def serialize(catalog: PoFile | Catalog) -> bytes:
    """The bytes of a catalog in the project's format; a Babel catalog that
    ``read_catalog`` gave is written with the header it was read with."""
    po = catalog if isinstance(catalog, PoFile) else to_pofile(catalog)
    return encode_po(po, po_text(po))


def read_catalog(path: Path, rel: str, locale: str | None, domain: str) -> Catalog:
    """A PO/POT file as a Babel ``Catalog`` (for the checks, the UI translations, the
    editor); any malformation raises ``CatalogError`` naming its line."""
    return to_catalog(read_po(path, rel), locale, domain, format_flags=domain == UI_DOMAIN)


@dataclass(frozen=True)
class Entry:
    """One translatable text of a document, as extracted."""

    msgid: str
    line: int
    kind: str


def parse_document_body(doc: Document, report: Report) -> Body:
    return parse_body(doc, report, unit_kind="bio" if doc.kind == "author" else None)


def entries(doc: Document, body: Body) -> list[Entry]:
    """Front-matter fields, then body units, in source order."""
    found = [Entry(f.value, f.line, _FIELD_KINDS.get(f.name, f.name)) for f in doc.fields]
    found += [Entry(u.msgid, u.line, u.kind) for u in body.units]
    return found


# -- paths -----------------------------------------------------------------------------


def template_path(config: Config, domain: str) -> Path:
    return config.locales_dir / TEMPLATES / f"{domain}.pot"


def catalog_path(config: Config, lang: str, domain: str) -> Path:
    return config.locales_dir / lang / "LC_MESSAGES" / f"{domain}.po"


# -- templates -------------------------------------------------------------------------


def document_template(config: Config, doc: Document, body: Body) -> PoFile:
    """The POT of one document: identical texts merge into one entry with all their
    locations and kinds."""
    po = PoFile([_header(config, None, [f"Translation template of {doc.path}.", _DO_NOT_EDIT])])
    found: dict[str, PoEntry] = {}
    for entry in entries(doc, body):
        location = f"{doc.path}:{entry.line}"
        same = found.get(entry.msgid)
        if same is None:
            found[entry.msgid] = PoEntry(entry.msgid, references=[location], auto_comments=[entry.kind])
            po.entries.append(found[entry.msgid])
        else:
            same.references += [location] if location not in same.references else []
            same.auto_comments += [entry.kind] if entry.kind not in same.auto_comments else []
    return po


def ui_template(config: Config) -> Catalog:
    """The UI strings in templates/, extracted with Jinja2's Babel extractor."""
    catalog = Catalog(domain=UI_DOMAIN, charset="utf-8")
    found = extract_from_dir(
        str(config.templates_dir),
        method_map=[("**.html", "jinja2"), ("**.xml", "jinja2")],
        options_map={"**.html": {"trimmed": "true"}, "**.xml": {"trimmed": "true"}},
        comment_tags=("Translators:",),
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message,
            locations=[(f"templates/{Path(filename).as_posix()}", lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


_DO_NOT_EDIT = "Generated by `python build.py extract`; do not edit."


def ui_template_po(config: Config) -> PoFile:
    """The POT of the UI strings."""
    header = _header(config, None, ["UI strings of templates/.", _DO_NOT_EDIT])
    return PoFile([header, *from_catalog(ui_template(config))])


def _header(config: Config, lang: str | None, comments: list[str], created: str | None = None) -> PoEntry:
    """The header entry of a template (``lang`` None) or of a new catalog."""
    created = created or datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")
    fields = [
        ("Project-Id-Version", f"{config.site_name} 1"),
        ("Report-Msgid-Bugs-To", "EMAIL@ADDRESS"),
        ("POT-Creation-Date", created),
        ("PO-Revision-Date", created if lang else "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
    ]
    if lang:
        fields += [("Language", lang), ("Language-Team", f"{lang} <{lang}@li.org>"),
                   ("Plural-Forms", plural_forms(lang))]
    else:
        fields.append(("Language-Team", "LANGUAGE <LL@li.org>"))
    fields += [("MIME-Version", "1.0"), ("Content-Type", "text/plain; charset=utf-8"),
               ("Content-Transfer-Encoding", "8bit"), ("Generated-By", GENERATED_BY)]
    return PoEntry("", format_header(fields), comments=comments)


def plural_forms(lang: str) -> str:
    """``Plural-Forms`` of a new catalog: ours for the site's languages, else CLDR's."""
    if lang in PLURAL_FORMS:
        return PLURAL_FORMS[lang]
    plural = get_plural(lang)
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def write_template(config: Config, domain: str, template: PoFile) -> bool:
    """Write a POT; an existing template keeps its creation date and Generated-By, so
    an unchanged one keeps its file."""
    path = template_path(config, domain)
    rel = config.rel(path)
    if path.is_file():
        try:
            old = read_po(path, rel)
        except CatalogError:
            old = None  # a broken template is regenerated from the sources
        for name in ("POT-Creation-Date", "Generated-By"):
            value = old.header_field(name) if old is not None else None
            if value is not None:
                template.set_header_field(name, value)
    return write_if_changed(path, serialize(template), rel)


def new_catalog(config: Config, lang: str, template: PoFile, header: str, domain: str) -> PoFile:
    """A catalog of ``template``'s entries, untranslated, for ``lang``."""
    created = template.header_field("POT-Creation-Date")
    catalog = PoFile([_header(config, lang, [header], created)])
    return merge(catalog, template, fuzzy=False, format_flags=domain == UI_DOMAIN)


# -- translations for a build ----------------------------------------------------------


@dataclass
class Translations:
    """The usable translations of one document in one language."""

    strings: dict[str, str] = field(default_factory=dict)
    """msgid -> msgstr, for entries that are translated, not fuzzy, and valid."""
    total: int = 0
    translated: int = 0
    fuzzy: int = 0
    path: str | None = None
    progress: Progress | None = None
    """The catalog's state as translators see it (``stats``)."""

    @property
    def ratio(self) -> float:
        return self.translated / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return self.translated == self.total


def load_translations(
    config: Config, doc: Document, body: Body, lang: str, report: Report
) -> Translations:
    """Translations of ``doc`` into ``lang``; a translation that ``check`` calls an
    error (``checks.gate``: footnote calls, links, markup…) is reported with its PO
    line and not used: the source text stands in its place."""
    # The checks read this module's documents and catalogs: imported when first used.
    from .checks.gate import publishable

    msgids = [e.msgid for e in entries(doc, body)]
    wanted = set(msgids)
    result = Translations(total=len(wanted))
    if lang == doc.lang:
        result.strings = {m: m for m in wanted}
        result.translated = result.total
        result.progress = progress(lang, doc.path, msgids, None, None)
        return result
    path = catalog_path(config, lang, doc.domain)
    rel = result.path = config.rel(path)
    if not path.exists():
        report.warning(rel, None, f"no catalog: {doc.path} is published untranslated in {lang}", "catalog")
        result.progress = progress(lang, doc.path, msgids, {}, rel)
        return result
    catalog = read_translations(path, rel, lang, doc.domain)
    result.progress = progress(lang, doc.path, msgids, catalog, rel)
    for msgid, message in catalog.items():
        if msgid not in wanted or not message.string:
            continue
        if message.fuzzy:
            result.fuzzy += 1
            continue
        if not publishable(
            msgid, message.string, source_lang=doc.lang, lang=lang, body=body,
            flags=message.flags, path=rel, line=message.lineno, report=report,
        ):
            continue
        result.strings[msgid] = message.string
    result.translated = len(result.strings)
    return result


def footnote_mismatch(msgid: str, msgstr: str, body: Body) -> str | None:
    """Why a translation's footnote references differ from its source's, or None."""
    if "[^" not in msgid and "[^" not in msgstr:
        return None  # no calls on either side
    source, _ = footnote_labels(msgid, body)
    target, undefined = footnote_labels(msgstr, body)
    if undefined:
        return "translation refers to undefined footnote " + ", ".join(f"[^{x}]" for x in undefined)
    if source == target:
        return None
    missing = source - target
    extra = target - source
    parts = []
    if missing:
        parts.append("drops " + ", ".join(f"[^{x}]" for x in sorted(missing.elements())))
    if extra:
        parts.append("adds " + ", ".join(f"[^{x}]" for x in sorted(extra.elements())))
    return "translation " + " and ".join(parts) + " (footnote references must match the source)"


# -- Babel extractor entry point -------------------------------------------------------


def extract_markdown(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extractor (``pybabel extract -F babel.cfg``): one message per entry.

    Yields ``(lineno, funcname, message, comments)`` as Babel expects; the comment is
    the entry's kind. Languages are checked against ``options['languages']`` (comma
    separated) when given.
    """
    name = getattr(fileobj, "name", "document.md")
    rel = options.get("path") or Path(name).as_posix()
    text = fileobj.read().decode("utf-8")
    languages = tuple(x.strip() for x in options.get("languages", "en,tr,ru").split(","))
    report = Report()
    doc = parse_document(text, rel, kind_of(rel), languages, report)
    if doc is None:
        raise CatalogError("; ".join(str(p) for p in report.problems), rel)
    body = parse_document_body(doc, report)
    for entry in entries(doc, body):
        yield entry.line, None, entry.msgid, [entry.kind]


# -- stage functions -------------------------------------------------------------------


def extract(config: Config, content: Content, bodies: dict[str, Body], started: float | None = None) -> list[Path]:
    """Write every template; returns the files that changed. Temporary files that an
    interrupted run left (older than ``started``, by default now) are removed first."""
    remove_stale_temporaries(config.locales_dir, time.time() if started is None else started)
    report = Report()
    changed = []
    templates = [(doc.domain, lambda doc=doc: document_template(config, doc, bodies[doc.path]))
                 for doc in content.documents] + [(UI_DOMAIN, lambda: ui_template_po(config))]
    for domain, make in templates:
        try:
            if write_template(config, domain, make()):
                changed.append(template_path(config, domain))
        except CatalogError as exc:  # a template path that is a directory
            report.add(exc.as_problem())
    _stop_if_failed(report, "the template(s) above cannot be written")
    return changed


def update(
    config: Config, content: Content, bodies: dict[str, Body], fuzzy: bool = True, cutoff: float = DEFAULT_CUTOFF,
    started: float | None = None,
) -> list[Path]:
    """Create or merge every target catalog from fresh templates; returns changed files.

    All catalogs are read (and so validated) before any is written; every one that
    cannot be read is reported, and then nothing is written."""
    extract(config, content, bodies, started)
    report = Report()
    jobs: list[tuple[Path, PoFile, str, str, str]] = []
    targets = [(doc.domain, doc.targets(config), f"of {doc.path}") for doc in content.documents]
    targets.append((UI_DOMAIN, config.ui_targets, "of the UI strings of templates/"))
    for domain, langs, what in targets:
        try:
            template = read_po(template_path(config, domain), config.rel(template_path(config, domain)))
        except CatalogError as exc:
            report.add(exc.as_problem())
            continue
        for lang in langs:
            jobs.append((catalog_path(config, lang, domain), template, lang, domain, f"{lang} translation {what}."))

    merged = []
    for path, template, lang, domain, header in jobs:
        rel = config.rel(path)
        if not path.exists():
            merged.append((path, rel, new_catalog(config, lang, template, header, domain)))
            continue
        try:
            catalog = read_po(path, rel)
        except CatalogError as exc:
            report.add(exc.as_problem())
            continue
        if catalog.header is None:
            catalog.entries.insert(0, _header(config, lang, [header], template.header_field("POT-Creation-Date")))
        merged.append((path, rel, merge(catalog, template, fuzzy, cutoff, format_flags=domain == UI_DOMAIN)))
    _stop_if_failed(report, "no catalog was written: the catalog(s) above cannot be read")
    return [path for path, rel, catalog in merged if write_if_changed(path, serialize(catalog), rel)]


def _stop_if_failed(report: Report, why: str) -> None:
    report.print()
    if report.failed:
        raise CatalogError(why)
