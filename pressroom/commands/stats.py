"""``build.py stats``: catalogs -> translation progress table (entries and words)."""

from __future__ import annotations

import argparse
import json

from ..config import Config
from ..errors import Report
from ..progress import table
from ..project import load_catalogs, read_project
from ._common import known_languages, log


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", action="append", metavar="LANG", help="only this language (repeatable)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def run(args: argparse.Namespace, config: Config) -> int:
    known_languages(config, args.lang or [])
    log("reading sources")
    report = Report()
    project = read_project(config, report)
    report.raise_if_failed()
    found = Report()
    load_catalogs(project, found)  # stats shows what is there; `check` judges it
    unreadable = [p for p in found.problems if p.severity == "error" and not p.check]  # CatalogError
    langs = args.lang or [lang for lang in config.languages]
    rows = [
        tr.progress
        for (path, lang), tr in project.translations.items()
        if lang in langs and tr.progress is not None and tr.progress.catalog is not None
    ]
    if args.format == "json":
        print(json.dumps([{"lang": r.lang, "document": r.document, **r.as_dict()} for r in rows], indent=2))
    else:
        print(table(rows))
    Report(problems=unreadable).print()
    return 1 if unreadable else 0
