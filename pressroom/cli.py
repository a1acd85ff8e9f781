"""Command line: ``python build.py <command>`` (one module per command in commands/).

The only place where problems and exceptions become messages and exit codes:
0 success, 1 the input has errors, 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from .config import load_config
from .errors import BuildFailed, PressroomError, Problem

COMMANDS = {
    "extract": "write translation templates (locales/templates/*.pot)",
    "update": "create or merge every target catalog from the sources",
    "build": "render site/ in every language (HTML and PDF)",
    "stats": "show translation progress per language and document",
    "check": "check translations and sources (footnotes, links, markup, numbers, punctuation…)",
    "translate": "pre-translate untranslated catalog entries by machine (written fuzzy, for review)",
    "serve": "edit the catalogs in the browser, with a live preview; serve the site, rebuilt on changes",
}
"""Command names and their one-line help, in ``--help`` order; each is ``commands/<name>.py``
with ``add_arguments(parser)`` and ``run(args, config) -> int``."""


def _parser(argv: list[str]) -> argparse.ArgumentParser:
    """Only the command being run is imported: start-up stays fast for every command."""
    parser = argparse.ArgumentParser(prog="build.py", description="Multilingual publishing toolkit.")
    parser.add_argument("--project", type=Path, help="project directory (default: the one holding build.py)")
    sub = parser.add_subparsers(dest="command", required=True)
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--project")
    rest = pre.parse_known_args(argv)[1]
    chosen = next((a for a in rest if not a.startswith("-")), None)
    for name, help_text in COMMANDS.items():
        command = sub.add_parser(name, help=help_text, description=help_text)
        if name == chosen:
            module = importlib.import_module(f".commands.{name}", __package__)
            module.add_arguments(command)
            command.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None, project: Path | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser(argv).parse_args(argv)
    root = (args.project or project or Path.cwd()).resolve()
    try:
        return args.run(args, load_config(root))
    except BuildFailed as exc:
        for problem in sorted(exc.problems, key=Problem.sort_key):
            print(problem, file=sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except PressroomError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
