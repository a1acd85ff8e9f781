"""``build.py export``: one language's catalogs -> an XLIFF 1.2 file for CAT tools,
or its translation memory -> a TMX 1.4 file.

XLIFF: footnote calls, links, emphasis, code spans and URLs travel as protected
inline codes holding their Markdown (``pressroom.exchange``); ``build.py import``
takes the file back. TMX: every translation the build would publish, one unit per
distinct text. The file goes to ``--output`` (default ``<lang>.xlf`` or
``<lang>.tmx`` in the current directory; ``-`` for standard output). Nothing in the
project is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..catalogs.files import catalog_path
from ..catalogs.memory import memories
from ..config import Config
from ..errors import Report, UsageError
from ..exchange import catalogs_of, export_files, write_xliff
from ..exchange.tmx import write_tmx
from ..po import read_po, write_atomic
from ..project import read_project
from ._common import known_languages, log


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", required=True, help="the language whose catalogs are exported (e.g. tr)")
    parser.add_argument("--format", choices=["xliff", "tmx"], default="xliff",
                        help="xliff: the catalogs as XLIFF 1.2 (the default); tmx: the translation memory as TMX 1.4")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="where to write it (default: <lang>.xlf or <lang>.tmx in the current directory; "
                             "- for stdout)")
    parser.add_argument("slugs", nargs="*", metavar="slug",
                        help="only these documents: analysis slugs or authors/<slug> (default: all)")


def run(args: argparse.Namespace, config: Config) -> int:
    known_languages(config, [args.lang])
    report = Report()
    project = read_project(config, report)
    report.raise_if_failed()
    report.print()
    documents = project.content.documents
    if args.slugs:
        known = {d.slug: d for d in project.content.analyses} | {d.domain: d for d in documents}
        unknown = [s for s in args.slugs if s not in known]
        if unknown:
            raise UsageError("no such document: " + ", ".join(unknown) + " (an analysis slug or authors/<slug>)")
        documents = list({known[s].path: known[s] for s in args.slugs}.values())
        for doc in documents:
            if args.lang not in doc.targets(config):
                raise UsageError(f"{doc.path} is written in {args.lang}: it has no {args.lang} catalog")
    if args.format == "tmx":
        data, units = write_tmx(_memories(config, documents, project.bodies, args.lang), args.lang)
        what, suffix = f"{units} unit(s), TMX 1.4", "tmx"
    else:
        catalogs = catalogs_of(config, documents, project.bodies, [args.lang])
        files = export_files(list(catalogs.values()))
        data = write_xliff(files)
        units = sum(len(f.units) for f in files)
        what, suffix = f"{len(files)} catalog(s), {units} unit(s), XLIFF 1.2", "xlf"
    if args.output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        out = Path(args.output or f"{args.lang}.{suffix}")
        write_atomic(out, data, str(out))
        log(f"wrote {out}: {what}")
    return 0


def _memories(config: Config, documents: list, bodies: dict, lang: str) -> dict:
    """The translation memory into ``lang`` of ``documents``' catalogs."""
    found = []
    for doc in documents:
        path = catalog_path(config, lang, doc.domain)
        if lang in doc.targets(config) and path.is_file():
            found.append((doc, lang, read_po(path, config.rel(path)), config.rel(path)))
    return memories(found, bodies)
