"""``build.py check``: sources + catalogs -> findings, as text lines or JSON for tools.

Findings go to stdout (``path:line: severity: message [check]``, or a JSON list);
the summary goes to stderr. Exit status 1 when there is an error (or, with
``--strict``, any finding); the run itself never stops at the first problem.
"""

from __future__ import annotations

import argparse
import json
import sys

from .. import checks
from ..catalogs.files import UI_DOMAIN
from ..catalogs.orphans import report_orphans
from ..config import Config
from ..errors import Report, UsageError
from ..project import read_project
from ._common import known_languages, log


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = checks.describe()
    parser.add_argument(
        "names",
        nargs="*",
        metavar="slug",
        help=f"what to check: an analysis slug, authors/<slug>, or {UI_DOMAIN} (UI strings); default: everything",
    )
    parser.add_argument(
        "--lang",
        action="append",
        metavar="LANG",
        help="check only this target language (repeatable)",
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--format", choices=["text", "json"], default="text", help="output format (default: text)"
    )


def run(args: argparse.Namespace, config: Config) -> int:
    langs = args.lang or list(config.languages)
    known_languages(config, langs)

    log("reading sources")
    report = Report()
    project = read_project(config, report)
    report_orphans(config, project.content, report)
    documents = project.content.documents
    ui = True
    if args.names:
        by_name = {doc.slug: doc for doc in project.content.analyses} | {
            doc.domain: doc for doc in documents
        }
        missing = [n for n in args.names if n not in by_name and n != UI_DOMAIN]
        if missing:
            raise UsageError(
                f"nothing to check named {', '.join(missing)} (an analysis slug, authors/<slug> or {UI_DOMAIN})"
            )
        documents = list(
            {by_name[n].path: by_name[n] for n in args.names if n != UI_DOMAIN}.values()
        )
        ui = UI_DOMAIN in args.names
    paths = {doc.path for doc in documents}

    found = [
        checks.Finding.from_problem(p) for p in report.problems if not args.names or p.path in paths
    ]
    found = sorted(
        found + checks.check_project(project, documents, langs, ui=ui), key=checks.Finding.sort_key
    )

    if args.format == "json":
        json.dump([f.as_dict() for f in found], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for finding in found:
            print(finding)
    errors = sum(f.severity == "error" for f in found)
    warnings = len(found) - errors
    failed = errors or (args.strict and warnings)
    strict = " (--strict: warnings fail)" if args.strict and warnings else ""
    log(
        f"check: {errors} error(s), {warnings} warning(s){strict}"
        if found
        else "check: no problems found"
    )
    return 1 if failed else 0
