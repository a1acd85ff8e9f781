"""``build.py build``: sources, catalogs and templates -> site/."""

from __future__ import annotations

import argparse

from ..config import EXECUTORS, Config, scheduler_problem
from ..errors import UsageError
from ..site.build import build
from ._common import log, positive_int


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument(
        "--production", action="store_true",
        help="the site is to be published: warn about what it lacks for that (an empty base_url)",
    )
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF editions (faster previews)")
    parser.add_argument(
        "--jobs", "-j", type=positive_int, metavar="N",
        help="render in N processes (default: the number of cores); output does not depend on N",
    )
    parser.add_argument(
        "--executor", choices=EXECUTORS,
        help="where to render the analyses: 'local' processes or a 'dask' cluster (default: executor in "
             "[tool.pressroom], else local); output is the same",
    )
    parser.add_argument("--scheduler", type=_address, metavar="ADDRESS",
                        help="the Dask scheduler, e.g. tcp://HOST:8786 (with --executor dask)")


def _address(text: str) -> str:
    if problem := scheduler_problem(text):
        raise argparse.ArgumentTypeError(problem)
    return text


def run(args: argparse.Namespace, config: Config) -> int:
    report = build(config, strict=args.strict, log=log, pdf=not args.no_pdf, jobs=args.jobs,
                      scheduler=scheduler(args, config), production=args.production)
    report.print()
    return 0


def scheduler(args: argparse.Namespace, config: Config) -> str | None:
    """The Dask scheduler to build on, or None for a local build: the command line
    first, then ``executor`` and ``scheduler`` in [tool.pressroom]."""
    executor = args.executor or config.executor
    if executor == "local":
        if args.scheduler:
            raise UsageError("--scheduler is for --executor dask")
        return None
    if args.jobs:
        raise UsageError("--jobs is for the local executor: a Dask cluster runs as many jobs as its workers have threads")
    address = args.scheduler or config.scheduler
    if not address:
        raise UsageError("--executor dask needs --scheduler ADDRESS (or scheduler in [tool.pressroom])")
    return address
