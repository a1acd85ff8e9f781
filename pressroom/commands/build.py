"""``build.py build``: sources, catalogs and templates -> site/."""

from __future__ import annotations

import argparse

from ..config import Config
from ..site import build
from ._common import log

HELP = "render site/ in every language (HTML and PDF)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF editions (faster previews)")


def run(args: argparse.Namespace, config: Config) -> int:
    _, report = build(config, strict=args.strict, log=log, pdf=not args.no_pdf)
    report.print()
    return 0
