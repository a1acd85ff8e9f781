"""``build.py build``: sources, catalogs and templates -> site/."""

from __future__ import annotations

import argparse

from ..config import Config
from ..site.build import build
from ._common import log, positive_int


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF editions (faster previews)")
    parser.add_argument(
        "--jobs", "-j", type=positive_int, metavar="N",
        help="render in N processes (default: the number of cores); output does not depend on N",
    )


def run(args: argparse.Namespace, config: Config) -> int:
    _, report = build(config, strict=args.strict, log=log, pdf=not args.no_pdf, jobs=args.jobs)
    report.print()
    return 0
