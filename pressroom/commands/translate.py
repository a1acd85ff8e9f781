"""``build.py translate``: untranslated entries of one language's catalogs -> fuzzy
machine drafts (masking, engines and retries are ``pressroom.machine``).

Every catalog is read and checked before anything is sent; any valid PO file will do,
whoever wrote it. Each draft goes into the file through the one-entry editor
(``pressroom.po.editor``): that entry's msgstr, fuzzy flag and machine-translation
comment change, every other byte stays. Each draft is written as soon as it arrives
(atomically, after checking that nobody else changed the file meanwhile), so an
interruption or a network failure loses nothing already fetched, and running the
command again goes on where it stopped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from ..catalogs.files import catalog_path
from ..catalogs.merge import MACHINE_STAMP as STAMP
from ..config import Config
from ..errors import CatalogError, Report, UsageError
from ..machine import (
    ENGINES,
    RETRIES,
    TIMEOUT,
    EngineSpec,
    Machine,
    MaskError,
    Rejected,
    TranslateError,
    mask,
    unmask,
)
from ..po import (
    Entry,
    PoText,
    decode_po,
    read_bytes,
    read_po,
    remove_stale_temporaries,
    write_atomic,
)
from ..project import read_project
from ..segments.body import Body
from ..sources.documents import Document
from ._common import known_languages, log


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = "engines (default endpoint; keys read from the environment):\n" + "\n".join(
        f"  {s.name:9} {s.url}\n            keys: {s.keys}" for s in ENGINES.values()
    ) + (
        "\n\nOnly entries with an empty msgstr are filled; drafts are marked fuzzy with the"
        "\ncomment '# machine translation: <engine>, <date>' and are not published until a"
        "\ntranslator clears the flag."
    )
    parser.add_argument("--lang", required=True, help="language whose catalogs are filled (e.g. tr)")
    parser.add_argument("--engine", choices=list(ENGINES), default="google", help="default: google")
    parser.add_argument("--url", help="endpoint of the engine (libre: your LibreTranslate server)")
    parser.add_argument("--timeout", type=_positive, default=TIMEOUT, metavar="SECONDS",
                        help=f"give up on a request after this long without an answer (default: {TIMEOUT:g})")
    parser.add_argument("--retries", type=_count, default=RETRIES,
                        help=f"retries after a rate limit or a server error (default: {RETRIES})")
    parser.add_argument("--dry-run", action="store_true", help="list what would be sent; send and write nothing")
    parser.add_argument("slugs", nargs="*", metavar="slug", help="only these documents (default: all)")


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text}")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {text}")
    return value


@dataclass
class _Work:
    """One catalog to fill, and what happened to its entries."""

    doc: Document
    body: Body
    lang: str
    path: Path
    rel: str
    text: str
    """The file's text as read or as last written."""
    charset: str
    disk: bytes
    """The file's bytes as read or as last written: anything else means someone else wrote it."""
    todo: list[Entry]
    translated: int = 0
    problems: list[tuple[Entry, str, str]] = field(default_factory=list)
    """(entry, "skipped" or "discarded", why)."""

    def count(self, outcome: str) -> int:
        return sum(1 for _, kind, _ in self.problems if kind == outcome)

    @property
    def done(self) -> int:
        return self.translated + len(self.problems)


def run(args: argparse.Namespace, config: Config) -> int:
    started = time.time()
    known_languages(config, [args.lang])
    report = Report()
    project = read_project(config, report)
    report.raise_if_failed()
    report.print()
    spec = ENGINES[args.engine]
    url = args.url or spec.url
    work = _load(config, project.content.documents, project.bodies, args.lang, args.slugs)
    if args.dry_run:
        _list(work, spec, url)
        return 0

    remove_stale_temporaries(config.locales_dir / args.lang, started)
    if not any(w.todo for w in work):
        print(f"nothing to translate: every entry of {len(work)} {args.lang} catalog(s) has a translation")
        return 0
    machines = {
        source: Machine(spec.open(spec, url, source, args.lang, args.timeout), retries=args.retries)
        for source in sorted({w.doc.lang for w in work})
    }
    stamp = f"{STAMP} {spec.name}, {dt.date.today().isoformat()}"
    total = sum(len(w.todo) for w in work)
    endpoint = next(iter(machines.values())).engine.url
    log(f"translating {total} entries of {len(work)} catalog(s) into {args.lang} with {spec.name} ({endpoint})")
    try:
        with tqdm(total=total, unit="entry", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
            for w in (w for w in work if w.todo):
                bar.set_description(w.doc.domain)
                for entry in w.todo:
                    _translate(w, entry, machines[w.doc.lang], spec, stamp)
                    bar.update()
    except KeyboardInterrupt:
        _summary(work, spec)
        log(f"interrupted: {_saved(work)}; run the same command again to go on")
        return 130
    except TranslateError:
        _summary(work, spec)
        log(f"stopped: {_saved(work)}; run the same command again to go on")
        raise
    _summary(work, spec)
    return 0


def _load(config: Config, documents: list[Document], bodies: dict[str, Body], lang: str,
          slugs: list[str]) -> list[_Work]:
    """Every catalog to fill, read and checked; nothing is sent if one is unusable."""
    if slugs:
        known = {d.slug for d in documents} | {d.domain for d in documents}
        unknown = [s for s in slugs if s not in known]
        if unknown:
            raise UsageError("no such document: " + ", ".join(unknown))
        documents = [d for d in documents if d.slug in slugs or d.domain in slugs]
        for doc in documents:
            if lang not in doc.targets(config):
                raise UsageError(f"{doc.path} is written in {lang}: it has no {lang} catalog")
    report = Report()
    work = []
    for doc in documents:
        if lang not in doc.targets(config):
            continue
        path = catalog_path(config, lang, doc.domain)
        rel = config.rel(path)
        if not path.exists():
            report.warning(rel, None, f"no catalog for {doc.path}: run `python build.py update` first", "machine")
            continue
        try:
            disk = read_bytes(path, rel)
            po = decode_po(disk, rel)
        except CatalogError as exc:
            report.add(exc.as_problem())
            continue
        todo = [e for e in po.messages if e.msgid and not e.plural and not e.msgstr]
        work.append(_Work(doc, bodies[doc.path], lang, path, rel, po.text, po.charset, disk, todo))
    report.print()
    if report.failed:
        raise TranslateError("nothing was sent: the catalogs above cannot be filled safely")
    return work


def _translate(w: _Work, entry: Entry, machine: Machine, spec: EngineSpec, stamp: str) -> None:
    """Fill one entry and save the catalog, or record why not."""
    try:
        masked = mask(entry.msgid, w.body)
    except MaskError as exc:
        w.problems.append((entry, "skipped", f"not sent: its Markdown could not be masked ({exc})"))
        return
    if not masked.has_text:
        w.problems.append((entry, "skipped", "not sent: nothing to translate besides markup"))
        return
    text = masked.render(spec.style)
    too_long = spec.too_long(text)
    if too_long:
        w.problems.append((entry, "skipped", f"not sent: {too_long}"))
        return
    try:
        result = unmask(masked, machine.translate(text), spec.style, w.body)
    except Rejected as exc:
        w.problems.append((entry, "discarded", f"machine translation discarded: {exc}"))
        return
    po = PoText(w.text, w.rel, w.charset)
    now = po.find(entry.msgid, entry.context)
    try:
        new_text = po.replace_entry(now, msgstr=result, fuzzy=True, comment=stamp, drop_comments=(STAMP,))
    except ValueError as exc:  # the edit would not read back as made: a bug; the file is left alone
        raise TranslateError(str(exc), w.rel) from None
    try:
        data = new_text.encode(w.charset)
    except UnicodeEncodeError:
        why = f"machine translation discarded: the catalog's charset {w.charset} cannot hold it"
        w.problems.append((entry, "discarded", why))
        return
    if w.path.read_bytes() != w.disk:
        raise TranslateError("changed on disk during the run: stopped without overwriting it", w.rel)
    write_atomic(w.path, data, w.rel)
    w.text, w.disk = new_text, data
    w.translated += 1


def _list(work: list[_Work], spec: EngineSpec, url: str) -> None:
    """--dry-run: per catalog, what would be sent."""
    entries = chars = 0
    for w in (w for w in work if w.todo):
        sent, size, skipped = 0, 0, 0
        for entry in w.todo:
            try:
                masked = mask(entry.msgid, w.body)
            except MaskError:
                skipped += 1
                continue
            text = masked.render(spec.style)
            if not masked.has_text or spec.too_long(text):
                skipped += 1
                continue
            sent, size = sent + 1, size + len(text)
        note = f"; {skipped} would be skipped (too long or only markup)" if skipped else ""
        print(f"{w.rel}: {sent} entries, {size:,} characters ({w.doc.lang} -> {w.lang}){note}")
        entries, chars = entries + sent, chars + size
    print(f"dry run: {entries} entries, {chars:,} characters for {spec.name} at {url}; nothing sent, nothing written")


def _summary(work: list[_Work], spec: EngineSpec) -> None:
    """Problems with the entries' current lines, then what happened per catalog."""
    report = Report()
    for w in work:
        if not w.problems:
            continue
        lines = {e.ident: e.line for e in read_po(w.path, w.rel).messages}
        for entry, _, why in w.problems:
            report.warning(w.rel, lines.get(entry.ident), why, "machine")
    report.print()
    print(f"machine translation with {spec.name}:")
    for w in work:
        if not w.todo:
            continue
        left = len(w.todo) - w.done
        rest = f", {left} not reached" if left else ""
        print(f"  {w.rel}: {w.translated} translated, {w.count('skipped')} skipped, "
              f"{w.count('discarded')} discarded{rest}")
    complete = sum(1 for w in work if not w.todo)
    if complete:
        print(f"  ({complete} other catalog(s) had nothing to translate)")
    if any(w.translated for w in work):
        print("The drafts are fuzzy: review them in a PO editor and clear the flag to publish them.")


def _saved(work: list[_Work]) -> str:
    saved = sum(w.translated for w in work)
    return f"{saved} machine draft(s) saved"
