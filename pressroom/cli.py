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

COMMANDS = ["extract", "update", "build", "stats", "check", "translate"]
"""Command names, in the order ``--help`` lists them; each is ``commands/<name>.py``."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Multilingual publishing toolkit.")
    parser.add_argument("--project", type=Path, help="project directory (default: the one holding build.py)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f".commands.{name}", __package__)
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None, project: Path | None = None) -> int:
    args = _parser().parse_args(argv)
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
