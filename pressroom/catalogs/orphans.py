"""locales/ + content/ -> warnings about catalog files that no source uses.

A source renamed or deleted by hand leaves its catalogs and template behind: the
translations sit unused and the new slug is published untranslated, without a word.
``build``, ``update`` and ``check`` report, as warnings (``--strict`` makes them fatal):

- a catalog or template whose source does not exist, with the command that carries
  it to the new name (``build.py rename``; the new name is guessed when exactly one
  source of that kind has no translation yet);
- a catalog in the language its source is written in (no one reads it);
- an empty catalog (no bytes, or only blank lines): its document is published
  untranslated, and ``update`` fills it.

Only the places the toolkit writes are looked at: ``locales/<lang>/LC_MESSAGES/`` and
``locales/templates/``, each with its ``authors/`` folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..errors import CatalogError, Report
from ..sources.documents import Content, analysis_files
from .files import TEMPLATES, UI_DOMAIN, read_catalog
from .memory import MEMORY_STAMP

CHECK = "orphans"


@dataclass(frozen=True)
class CatalogFile:
    """A catalog or template file, by what it belongs to."""

    location: str
    """Its path, as a string (an archive has 15,000: most never need a ``Path``)."""
    lang: str | None
    """``None`` for a template."""
    domain: str
    """``<slug>``, ``authors/<slug>`` or ``messages``."""
    size: int

    @property
    def path(self) -> Path:
        return Path(self.location)


def catalog_files(config: Config, signatures: Mapping[str, list[int]] | None = None) -> list[CatalogFile]:
    """Every catalog and template where the toolkit keeps them, sorted. (Listed with
    ``os.scandir``: every build lists a thousand of them for 500 analyses.) Sizes
    come from ``signatures`` (a build's snapshot: path -> [mtime, size, inode]) where
    it has them, else from the file system."""
    signatures = signatures or {}
    found = []
    for folder in _entries(config.locales_dir):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        if folder.name == TEMPLATES:
            base, lang, suffix = Path(folder.path), None, ".pot"
        else:
            base, lang, suffix = Path(folder.path, "LC_MESSAGES"), folder.name, ".po"
        for sub in ("", "authors/"):
            for entry in _entries(base / sub):
                if entry.name.endswith(suffix) and entry.is_file():
                    domain = sub + entry.name[: -len(suffix)]
                    known = signatures.get(entry.path)
                    size = known[1] if known is not None else entry.stat().st_size
                    found.append(CatalogFile(entry.path, lang, domain, size))
    return found


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return []


def source_of(domain: str) -> str:
    """The source a domain's catalogs belong to (``authors/x`` -> ``content/authors/x.md``)."""
    if domain.startswith("authors/"):
        return f"content/{domain}.md"
    return f"content/analyses/{domain}.md"


def source_domains(config: Config) -> set[str]:
    """The domains of the source files there are, valid or not (a source with an error
    is reported as such, not as a missing one)."""
    analyses = {os.path.basename(path)[:-3] for path in analysis_files(config)}  # x.md -> x
    authors = {f"authors/{p.stem}" for p in (config.content_dir / "authors").glob("*.md")}
    return analyses | authors


def report_orphans(
    config: Config, content: Content, report: Report, signatures: Mapping[str, list[int]] | None = None,
) -> None:
    """Warnings for catalog files no source uses and for empty catalogs (see above);
    ``signatures`` as ``catalog_files`` takes them."""
    files = catalog_files(config, signatures)
    domains = source_domains(config)
    orphaned = sorted({f.domain for f in files if f.domain != UI_DOMAIN and f.domain not in domains})
    languages = {doc.domain: doc.lang for doc in content.documents}
    guesses = {domain: _renamed_to(config, domain, orphaned, domains, files) for domain in orphaned}
    for f in files:
        why = _why_unused(config, f, guesses, languages)
        if why is not None:
            report.warning(config.rel(f.path), None, why, CHECK)


def _why_unused(config: Config, f: CatalogFile, guesses: dict[str, str], languages: dict[str, str]) -> str | None:
    if f.domain in guesses:
        return f"no source {source_of(f.domain)}; renamed? `python build.py rename {f.domain} {guesses[f.domain]}`"
    if f.lang is None:
        return None
    if f.lang == languages.get(f.domain):
        return f"not used: {source_of(f.domain)} is written in {f.lang}"
    if f.domain == UI_DOMAIN and f.lang == config.template_language:
        return f"not used: the UI strings of templates/ are written in {f.lang}"
    if _empty(f):
        what = "the UI strings are" if f.domain == UI_DOMAIN else f"{source_of(f.domain)} is"
        return f"empty catalog: {what} published untranslated in {f.lang}; `python build.py update` fills it"
    return None


def _renamed_to(config: Config, domain: str, orphaned: list[str], domains: set[str],
                files: list[CatalogFile]) -> str:
    """The one source of the same kind with no translation yet (no catalog, or only
    the empty ones ``update`` made for it), when ``domain`` is the only orphaned
    domain of its kind; else ``NEW``."""
    kind = domain.startswith("authors/")
    if sum(1 for d in orphaned if d.startswith("authors/") == kind) != 1:
        return "NEW"
    candidates = [
        d for d in sorted(domains)
        if d.startswith("authors/") == kind
        and not any(translated(config, f) for f in files if f.domain == d and f.lang is not None)
    ]
    return candidates[0] if len(candidates) == 1 else "NEW"


def translated(config: Config, f: CatalogFile) -> bool:
    """Does the catalog hold any translation, fuzzy or obsolete ones included? (An
    unreadable one counts as holding some: it is never replaced.) What ``update``
    pre-filled from the translation memory, untouched since, is nobody's work: it
    does not count."""
    try:
        catalog = read_catalog(f.path, config.rel(f.path), f.lang, f.domain)
    except CatalogError:
        return True
    for message in [*catalog, *catalog.obsolete.values()]:
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        prefilled = message.fuzzy and any(c.startswith(MEMORY_STAMP) for c in message.user_comments)
        if message.id and any(strings) and not prefilled:
            return True
    return False


def _empty(f: CatalogFile) -> bool:
    """No bytes, or nothing but whitespace (read only when the file is small)."""
    return f.size == 0 or (f.size < 64 and not f.path.read_bytes().strip())
