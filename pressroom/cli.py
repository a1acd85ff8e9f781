"""Command line: ``python build.py extract|update|build``.

The only place where problems and exceptions become messages and exit codes:
0 success, 1 the input has errors, 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import catalogs
from .config import load_config
from .errors import BuildFailed, PressroomError, Report
from .site import build, read_project


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Multilingual publishing toolkit.")
    parser.add_argument("--project", type=Path, help="project directory (default: the one holding build.py)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help="write translation templates (locales/templates/*.pot)")
    update = sub.add_parser("update", help="create or merge every target catalog from the sources")
    update.add_argument("--no-fuzzy", action="store_true", help="do not match changed entries to old ones")
    build_cmd = sub.add_parser("build", help="render site/ in every language")
    build_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build_cmd.add_argument("--no-pdf", action="store_true", help="skip the PDF editions (faster previews)")
    return parser


def main(argv: list[str] | None = None, project: Path | None = None) -> int:
    args = _parser().parse_args(argv)
    root = (args.project or project or Path.cwd()).resolve()
    try:
        config = load_config(root)
        if args.command == "build":
            _, report = build(config, strict=args.strict, log=_progress, pdf=not args.no_pdf)
            report.print()
            return 0
        report = Report()
        proj = read_project(config, report)
        report.raise_if_failed()
        if args.command == "extract":
            changed = catalogs.extract(config, proj.content, proj.bodies)
        else:
            changed = catalogs.update(config, proj.content, proj.bodies, fuzzy=not args.no_fuzzy)
        report.print()
        for path in changed:
            _progress(f"wrote {config.rel(path)}")
        if not changed:
            _progress("nothing changed")
        return 0
    except BuildFailed as exc:
        for problem in sorted(exc.problems):
            print(problem, file=sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except PressroomError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _progress(message: str) -> None:
    print(message, file=sys.stderr)
