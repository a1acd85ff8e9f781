"""``build.py rename OLD NEW``: a source and the files keyed by its name -> the new
name, every translation kept.

OLD and NEW are slugs (``us-role``), ``authors/<slug>`` for author pages, or source
paths (``content/analyses/us-role.md``). Moved: the source, its template and every
language's catalog; in the catalogs and the template the ``#:`` references and the
header comment name the new path. Renaming an author page also rewrites the
``author:`` line of the analyses that name it.

The source may already have been moved by hand (``git mv``): then its catalogs
follow it, replacing any that ``update`` has made for the new name meanwhile if they
hold no translation. Run ``update`` afterwards when the source changed too.

Nothing is half-moved. Names, targets and catalogs are all checked, and every new
file's bytes computed, before the first file moves; SIGINT waits until the moves
are done; a failure while moving puts back what was moved. A running build (which
holds the project's build lock) makes it refuse, and a build started meanwhile waits.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
from dataclasses import dataclass
from pathlib import Path

from ..catalogs.files import serialize
from ..catalogs.orphans import CatalogFile, catalog_files, source_of, translated
from ..config import Config
from ..errors import PressroomError, Report, UsageError
from ..po import read_po, write_if_changed
from ..site.publish import build_lock
from ..sources.documents import SLUG, load_content
from ._common import log

_NAME = re.compile(r"^(?:content/)?(?:(?P<authors>authors)/|analyses/)?(?P<slug>[^/]+?)(?:\.md)?$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Rename an analysis or author page: its source, its template and every language's "
        "catalog move to the new name, translations kept. Also carries the catalogs of a "
        "source already moved by hand."
    )
    parser.add_argument("old", metavar="OLD", help="slug, authors/<slug>, or content/…/<slug>.md")
    parser.add_argument("new", metavar="NEW", help="the new name, in the same form")


@dataclass(frozen=True)
class Name:
    domain: str
    """``<slug>`` or ``authors/<slug>``: the catalogs' domain."""
    slug: str

    @property
    def source(self) -> str:
        return source_of(self.domain)

    @property
    def author(self) -> bool:
        return self.domain.startswith("authors/")


@dataclass
class Move:
    """One file to move, with the bytes it must hold at its new place."""

    old: Path
    new: Path
    data: bytes
    original: bytes
    replaced: bytes | None = None
    """What was at ``new`` before (a catalog ``update`` made for the new name)."""


def run(args: argparse.Namespace, config: Config) -> int:
    old, new = _name(args.old, "OLD"), _name(args.new, "NEW")
    if not SLUG.match(new.slug):
        raise UsageError(f"NEW: {new.slug!r} is not a slug (a-z, 0-9, hyphens)")
    if old.author != new.author:
        raise UsageError("OLD and NEW must both be analyses or both author pages (authors/<slug>)")
    if old == new:
        raise UsageError(f"OLD and NEW are the same name: {old.domain}")
    _exists(config, old, new)  # before the lock: a wrong name touches nothing at all
    with build_lock(config, log, busy="nothing renamed; try again when it has finished"):
        moves, edits = _plan(config, old, new)
        _commit(config, moves, edits)
    for move in moves:
        log(f"moved {config.rel(move.old)} -> {config.rel(move.new)}")
    for path in edits:
        log(f"wrote {config.rel(path)} (author: {new.slug})")
    moved_source = any(config.rel(m.new) == new.source for m in moves)
    log(f"renamed {old.domain} to {new.domain}; the next build publishes it under its new name"
        + ("" if moved_source else "; run `python build.py update` if the source changed"))
    return 0


def _name(text: str, which: str) -> Name:
    match = _NAME.match(text.strip().removeprefix("./"))
    if match is None:
        raise UsageError(f"{which}: {text!r} is not a slug, authors/<slug> or content/…/<slug>.md")
    slug = match["slug"]
    return Name(f"authors/{slug}" if match["authors"] else slug, slug)


def _plan(config: Config, old: Name, new: Name) -> tuple[list[Move], dict[Path, bytes]]:
    """Every file to move and every analysis to rewrite, checked; raises before
    anything is written."""
    source, target = config.root / old.source, config.root / new.source
    files = {(f.lang, f.domain): f for f in catalog_files(config)}
    carried = _exists(config, old, new)
    problems = Report()
    moves: list[Move] = []
    if source.exists():
        if target.exists() or target.is_symlink():
            problems.error(new.source, None, f"already exists: renaming {old.source} would replace it", "rename")
        elif not source.is_file():
            problems.error(old.source, None, "is not a file", "rename")
        else:
            data = source.read_bytes()
            moves.append(Move(source, target, data, data))
    for f in carried:
        moves.extend(_carry(config, f, old, new, files.get((f.lang, new.domain)), problems))
    edits = _author_lines(config, old, new, problems) if old.author else {}
    problems.raise_if_failed()
    return moves, edits


def _exists(config: Config, old: Name, new: Name) -> list[CatalogFile]:
    """The catalog files of ``old``; ``UsageError`` when there is nothing to rename:
    neither its source nor (moved by hand to ``new``) its catalogs."""
    carried = [f for f in catalog_files(config) if f.domain == old.domain]
    if (config.root / old.source).exists():
        return carried
    if not (config.root / new.source).exists():
        raise UsageError(f"OLD: there is no {old.source}, and no {new.source} that it was moved to")
    if not carried:
        raise UsageError(f"OLD: {old.source} has no catalog or template to carry to {new.source}")
    return carried


def _carry(config: Config, f: CatalogFile, old: Name, new: Name, existing: CatalogFile | None,
           problems: Report) -> list[Move]:
    """The move of one catalog or template, its references rewritten (the one use of
    the PO layer's reader and writer here)."""
    rel = config.rel(f.path)
    destination = f.path.with_name(new.slug + f.path.suffix)
    if destination.exists() and not destination.is_file():
        problems.error(config.rel(destination), None, f"is in the way of {rel}: not a file", "rename")
        return []
    if existing is not None and f.lang is not None and translated(config, existing):
        problems.error(config.rel(existing.path), None,
                       f"already exists and holds translations: {rel} cannot replace it", "rename")
        return []
    try:
        po = read_po(f.path, rel)
    except PressroomError as exc:
        problems.add(exc.as_problem())
        return []
    path_in = re.compile(rf"(?<![\w/-]){re.escape(old.source)}(?![\w/-])")
    for entry in po.entries:
        entry.references = [path_in.sub(new.source, ref) for ref in entry.references]
        if entry.is_header:  # "# tr translation of content/analyses/<old>.md."
            entry.comments = [path_in.sub(new.source, line) for line in _unwrapped(entry.comments)]
    original = f.path.read_bytes()
    replaced = destination.read_bytes() if destination.exists() else None
    return [Move(f.path, destination, serialize(po), original, replaced)]


def _unwrapped(lines: list[str]) -> list[str]:
    """Header comment lines with the wrapping of older writers undone (a sentence
    continued on the next line), as the project writes them now: one per sentence."""
    out: list[str] = []
    for line in lines:
        if out and out[-1] and not out[-1].rstrip().endswith((".", ":", ";", ")")) and line.strip():
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        else:
            out.append(line)
    return out


_AUTHOR_LINE = r"^(?P<key>author[ \t]*:[ \t]*)(?P<quote>[\"']?){slug}(?P=quote)(?P<rest>[ \t]*(?:#.*)?)$"


def _author_lines(config: Config, old: Name, new: Name, problems: Report) -> dict[Path, bytes]:
    """The analyses naming the author page ``old``, with their ``author:`` line
    naming ``new``."""
    edits = {}
    pattern = re.compile(_AUTHOR_LINE.format(slug=re.escape(old.slug)))
    for doc in load_content(config, Report()).analyses:
        if doc.meta.get("author") != old.slug:
            continue
        path = config.root / doc.path
        lines = path.read_bytes().decode("utf-8").split("\n")
        number = doc.lines["author"]
        found = pattern.match(lines[number - 1].rstrip("\r"))
        if found is None:
            problems.error(doc.path, number, f"cannot rewrite this author line: make it `author: {new.slug}`",
                           "rename")
            continue
        ending = "\r" if lines[number - 1].endswith("\r") else ""
        lines[number - 1] = f"{found['key']}{found['quote']}{new.slug}{found['quote']}{found['rest']}{ending}"
        edits[path] = "\n".join(lines).encode("utf-8")
    return edits


def _commit(config: Config, moves: list[Move], edits: dict[Path, bytes]) -> None:
    """Move and write everything, or (on an error) nothing: what was done is undone.
    SIGINT is held back meanwhile and acts once this returns."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    done: list[Move] = []
    written: dict[Path, bytes] = {}
    try:
        for move in moves:
            move.new.parent.mkdir(parents=True, exist_ok=True)
            os.rename(move.old, move.new)  # keeps the file's mode and owner
            done.append(move)
            write_if_changed(move.new, move.data)
        for path, data in edits.items():
            original = path.read_bytes()
            write_if_changed(path, data)
            written[path] = original
    except OSError as exc:
        for path, original in written.items():
            write_if_changed(path, original)
        for move in reversed(done):
            os.rename(move.new, move.old)
            write_if_changed(move.old, move.original)
            if move.replaced is not None:
                write_if_changed(move.new, move.replaced)
        where = config.rel(Path(exc.filename)) if exc.filename else None
        raise PressroomError(f"nothing renamed: {exc.strerror or exc}", where) from None
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
