"""Running the checks: pairs, catalogs, documents and whole projects -> findings.

Takes ``CHECKS`` (or a subset) and gives ``check_pair`` (one entry -> messages),
``check_catalog`` (the published entries of one catalog -> findings on their msgid
lines), ``check_source`` (one document -> findings, less those its front matter
silences) and ``check_project`` (documents and languages -> every finding, sorted).
Only what a build publishes is checked; unknown ``no-…-check`` flags are reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from babel.messages.catalog import Catalog

from ..catalogs.files import UI_DOMAIN, catalog_path, read_catalog
from ..catalogs.templates import entries, ui_template
from ..errors import CatalogError
from ..glossary import Glossary, glossary_path
from ..glossary import load_glossary as _load
from ..po.model import check_flags
from ..segments.body import Body
from ..sources.documents import Document
from .registry import CHECKS, FLAG, FRONT_MATTER_FLAGS, Check, Finding, Pair

if TYPE_CHECKING:
    from ..project import Project


def flag_warnings(flags: Iterable[str]) -> list[str]:
    """A message for every ``no-…-check`` flag that names no check (a typo silences
    nothing), or a check that cannot be silenced; in the order of the flags' names."""
    known = {c.name for c in CHECKS}
    fixed = {c.name for c in CHECKS if not c.silenceable}
    messages = []
    for f in sorted(flags):
        if not (m := FLAG.match(f)):
            continue
        if m.group(1) not in known:
            messages.append(f"unknown flag {f} (see `build.py check --help`)")
        elif m.group(1) in fixed:
            messages.append(f"flag {f} silences nothing: {m.group(1)} cannot be silenced "
                            "(the build never publishes such a translation)")
    return messages


def _unknown_flags(path: str, line: int | None, flags: Iterable[str], msgid: str | None = None):
    """``flag_warnings`` as findings at ``path:line``."""
    return [Finding(path, line, "warning", "flags", message, msgid) for message in flag_warnings(flags)]


def check_pair(pair: Pair, checks: Iterable[Check] | None = None) -> list[tuple[Check, str]]:
    """Run the translation checks on one entry; a check whose flag the entry has is
    skipped, unless it cannot be silenced."""
    return [
        (c, message)
        for c in (CHECKS if checks is None else checks)
        if c.scope == "translation" and (c.flag not in pair.flags or not c.silenceable)
        for message in c.func(pair)
    ]


def check_catalog(
    catalog: Catalog,
    rel: str,
    lang: str,
    source_lang: str,
    body: Body | None,
    wanted: set[str] | None = None,
    checks: Iterable[Check] | None = None,
    glossary: Glossary | None = None,
) -> list[Finding]:
    """Findings on the published entries of one catalog (``body`` None: UI strings;
    ``glossary``: the language's terms, for the ``glossary`` check)."""
    ui = body is None
    body = body if body is not None else Body(rel, [], {}, [])
    found = []
    for message in catalog:
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        if (
            not ids[0]
            or message.fuzzy
            or not any(strings)
            or (wanted is not None and ids[0] not in wanted)
        ):
            continue
        flags = check_flags(message.flags, message.user_comments)
        found += _unknown_flags(rel, message.lineno, flags, ids[0])
        for index, msgstr in enumerate(strings):
            if not msgstr:
                continue
            msgid = ids[min(index, 1)]
            pair = Pair(msgid, msgstr, source_lang, lang, body, ui, flags, glossary)
            for c, text in check_pair(pair, checks):
                found.append(Finding(rel, message.lineno, c.severity, c.name, text, ids[0]))
    return found


def check_source(doc: Document, body: Body, checks: Iterable[Check] | None = None) -> list[Finding]:
    """Findings of the source checks on one document, less those its front matter silences."""
    flags = doc.meta.get(FRONT_MATTER_FLAGS) or []
    flags = [flags] if isinstance(flags, str) else [str(f) for f in flags]
    found = _unknown_flags(doc.path, doc.lines.get(FRONT_MATTER_FLAGS), flags)
    for c in CHECKS if checks is None else checks:
        if c.scope == "source" and c.flag not in flags:
            found += [
                Finding(doc.path, line, c.severity, c.name, text, msgid)
                for line, text, msgid in c.func(doc, body)
            ]
    return found


def _read(project: Project, lang: str, domain: str) -> tuple[Catalog | None, str, list[Finding]]:
    path = catalog_path(project.config, lang, domain)
    rel = project.config.rel(path)
    if not path.exists():
        missing = f"no catalog for {lang}: run `python build.py update`"
        return None, rel, [Finding(rel, None, "warning", "catalog", missing)]
    try:
        return read_catalog(path, rel, lang, domain), rel, []
    except CatalogError as exc:
        return None, rel, [Finding(rel, exc.line, "error", "catalog", exc.message)]


def load_glossary(project: Project, lang: str) -> tuple[Glossary | None, list[Finding]]:
    """The glossary of ``lang`` (None: it has none) and a finding for each bad row."""
    config = project.config
    rel = config.rel(glossary_path(config.locales_dir, lang))
    glossary, problems = _load(config.locales_dir, lang, rel)
    return glossary, [Finding.from_problem(p) for p in problems]


def check_project(
    project: Project, documents: list[Document], langs: Iterable[str], ui: bool = True
) -> list[Finding]:
    """Source checks of ``documents``, then translation checks of their catalogs in
    ``langs`` (and of the UI catalogs when ``ui``)."""
    langs = list(langs)
    found: list[Finding] = []
    glossaries: dict[str, Glossary | None] = {}
    for lang in langs:
        glossaries[lang], problems = load_glossary(project, lang)
        found += problems
    for doc in documents:
        body = project.bodies[doc.path]
        found += check_source(doc, body)
        wanted = {e.msgid for e in entries(doc, body)}
        for lang in (x for x in doc.targets(project.config) if x in langs):
            catalog, rel, problems = _read(project, lang, doc.domain)
            found += problems
            if catalog is not None:
                found += check_catalog(catalog, rel, lang, doc.lang, body, wanted, glossary=glossaries[lang])
    if ui:
        template = {m.id for m in ui_template(project.config) if m.id}
        for lang in (x for x in project.config.ui_targets if x in langs):
            catalog, rel, problems = _read(project, lang, UI_DOMAIN)
            found += problems
            if catalog is not None:
                found += check_catalog(
                    catalog, rel, lang, project.config.template_language, None, template,
                    glossary=glossaries[lang],
                )
    return sorted(found, key=Finding.sort_key)
