"""Command line: ``python build.py <command>`` (one module per command in commands/).

The only place where problems and exceptions become messages and exit codes:

- 0 success;
- 1 the input has errors: every message is ``path:line: error: message`` (or
  ``error: message`` when no file is at fault);
- 2 usage errors: argparse's own, and ``UsageError`` raised by a command that finds
  an argument the project does not have (``--lang xx``, an unknown slug), printed
  the same way (``usage: …`` then ``build.py <command>: error: …``);
- 130 interrupted (Ctrl-C): one line, no traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from .config import load_config
from .errors import BuildFailed, PressroomError, Problem, UsageError

COMMANDS = {
    "extract": "write translation templates (locales/templates/*.pot)",
    "update": "create or merge every target catalog from the sources",
    "build": "render site/ in every language (HTML and PDF)",
    "stats": "show translation progress per language and document",
    "check": "check translations and sources (footnotes, links, markup, numbers, punctuation…)",
    "translate": "pre-translate untranslated catalog entries by machine (written fuzzy, for review)",
    "export": "export one language's catalogs as XLIFF 1.2 for CAT tools (codes protect the markup)",
    "import": "import an XLIFF file from a CAT tool into the catalogs (checked; one entry at a time)",
    "rename": "rename a source file and carry its catalogs and template (translations kept)",
    "serve": "edit the catalogs in the browser, with a live preview; serve the site, rebuilt on changes",
}
"""Command names and their one-line help, in ``--help`` order; each is ``commands/<name>.py``
with ``add_arguments(parser)`` and ``run(args, config) -> int``."""

INTERRUPTED = 130
"""Exit status after Ctrl-C, as a shell reports a process stopped by SIGINT (128 + 2)."""


def _parser(argv: list[str]) -> argparse.ArgumentParser:
    """Only the command being run is imported: start-up stays fast for every command."""
    parser = argparse.ArgumentParser(prog="build.py", description="Multilingual publishing toolkit.")
    parser.add_argument("--project", type=_directory, help="project directory (default: the one holding build.py)")
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
            command.set_defaults(run=module.run, parser=command)
    return parser


def _directory(text: str) -> Path:
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"no such directory: {text}")
    return path


def main(argv: list[str] | None = None, project: Path | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        try:
            args = _parser(argv).parse_args(argv)
        except SystemExit as exc:  # argparse printed the usage and its message (or the help)
            return exc.code if isinstance(exc.code, int) else 2
        root = (args.project or project or Path.cwd()).resolve()
        return _run(args, root)
    except KeyboardInterrupt:
        # Workers of a build ignore SIGINT (render.init_worker): this is the only line.
        print("interrupted", file=sys.stderr)
        return INTERRUPTED


def _run(args: argparse.Namespace, root: Path) -> int:
    try:
        return args.run(args, load_config(root))
    except UsageError as exc:
        parser: argparse.ArgumentParser = args.parser
        parser.print_usage(sys.stderr)
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return 2
    except BuildFailed as exc:
        for problem in sorted(exc.problems, key=Problem.sort_key):
            print(problem, file=sys.stderr)
        errors = sum(p.severity == "error" for p in exc.problems)
        counted = f"{errors} error(s)" if errors else f"{len(exc.problems)} warning(s) (--strict)"
        print(f"error: {args.command} failed: {counted}", file=sys.stderr)
        return 1
    except PressroomError as exc:
        print(exc.as_problem() if exc.path else f"error: {exc}", file=sys.stderr)
        return 1
