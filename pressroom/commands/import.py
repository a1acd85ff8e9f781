"""``build.py import FILE``: an XLIFF file from a CAT tool -> the catalogs it names.

Only entries whose translation or fuzzy state changed are written, each through the
one-entry PO editor, so no other byte of a catalog changes; a unit with a changed
inline code, or whose translation fails an error-level check of ``build.py check``
(a footnote call dropped…), is reported at its line in the XLIFF file and its entry
is left as it was (``pressroom.exchange.apply``). Exit status 1 if anything was
refused, after the good units are written.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..config import Config
from ..errors import ExchangeError, Report
from ..exchange import catalogs_of, import_units, read_xliff
from ..project import read_project
from ._common import log


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="an XLIFF 1.2 (or 1.1) file written by `build.py export`")


def run(args: argparse.Namespace, config: Config) -> int:
    path = Path(args.file)
    rel = args.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExchangeError(f"cannot be read: {exc.strerror or exc}", rel) from None
    files = read_xliff(data, rel)
    report = Report()
    project = read_project(config, report)
    report.raise_if_failed()
    report.print()
    catalogs = catalogs_of(config, project.content.documents, project.bodies, list(config.languages))
    report = Report()
    written = import_units(files, catalogs, rel, report)
    for catalog, count in written:
        log(f"wrote {catalog}: {count} entr{'y' if count == 1 else 'ies'}")
    units = sum(len(f.units) for f in files)
    if not written:
        log(f"nothing changed ({units} unit(s) read)")
    report.raise_if_failed()
    report.print()
    return 0
