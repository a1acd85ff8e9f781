"""``build.py update``: templates -> every target catalog, merged (msgmerge semantics)."""

from __future__ import annotations

import argparse
import time

from ..catalogs.orphans import report_orphans
from ..catalogs.update import update
from ..config import Config
from ..errors import Report
from ..project import read_project
from ._common import fraction, log, log_changed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-fuzzy", action="store_true", help="do not match changed entries to old ones")
    parser.add_argument(
        "--fuzzy-cutoff", type=fraction, metavar="0-1",
        help="word-level similarity a fuzzy match needs (default: fuzzy_cutoff in pyproject.toml)",
    )


def run(args: argparse.Namespace, config: Config) -> int:
    started = time.time()  # temporary files older than this are an earlier run's leftovers
    log("reading sources")
    report = Report()
    project = read_project(config, report)
    report.raise_if_failed()
    report.print()
    cutoff = args.fuzzy_cutoff if args.fuzzy_cutoff is not None else config.fuzzy_cutoff
    changed = update(config, project.content, project.bodies, fuzzy=not args.no_fuzzy, cutoff=cutoff,
                              started=started)
    log_changed(config, changed)
    orphans = Report()  # after the update, which fills empty catalogs
    report_orphans(config, project.content, orphans)
    orphans.print()
    return 0
