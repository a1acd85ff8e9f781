"""``build.py update``: templates -> every target catalog, merged (msgmerge semantics)."""

from __future__ import annotations

import argparse

from .. import catalogs
from ..config import Config
from ..errors import Report
from ..site import read_project
from ._common import log_changed

HELP = "create or merge every target catalog from the sources"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-fuzzy", action="store_true", help="do not match changed entries to old ones")


def run(args: argparse.Namespace, config: Config) -> int:
    report = Report()
    project = read_project(config, report)
    report.raise_if_failed()
    report.print()
    log_changed(config, catalogs.update(config, project.content, project.bodies, fuzzy=not args.no_fuzzy))
    return 0
