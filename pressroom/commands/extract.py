"""``build.py extract``: sources and templates -> translation templates (.pot)."""

from __future__ import annotations

import argparse
import time

from ..catalogs.templates import extract
from ..config import Config
from ..errors import Report
from ..project import read_project
from ._common import log, log_changed


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace, config: Config) -> int:
    started = time.time()  # temporary files older than this are an earlier run's leftovers
    log("reading sources")
    report = Report()
    project = read_project(config, report)
    report.raise_if_failed()
    report.print()
    log_changed(config, extract(config, project.content, project.bodies, started=started))
    return 0



