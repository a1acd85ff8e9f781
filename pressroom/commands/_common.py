"""Helpers shared by the commands: progress lines on stderr, argument checks.

Argument types raise ``argparse.ArgumentTypeError``, so argparse reports a bad value
as it reports a missing one (usage, message, exit status 2) before anything is read;
``known_languages`` is for values only the project's configuration can judge.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Iterable
from pathlib import Path

from ..config import Config
from ..errors import UsageError


def log(message: str) -> None:
    print(message, file=sys.stderr)


def log_changed(config: Config, changed: list[Path]) -> None:
    for path in changed:
        log(f"wrote {config.rel(path)}")
    if not changed:
        log("nothing changed")


def positive_int(text: str) -> int:
    """An integer of at least 1 (``--jobs``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text}")
    return value


def fraction(text: str) -> float:
    """A number in (0, 1] (``--fuzzy-cutoff``, like ``fuzzy_cutoff`` in pyproject.toml)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if math.isnan(value) or not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 1: {text}")
    return value


def positive_number(text: str) -> float:
    """A number above 0 (``--timeout``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:  # NaN too
        raise argparse.ArgumentTypeError(f"must be more than 0: {text}")
    return value


def port(text: str) -> int:
    """A TCP port, 0-65535 (0: any free one)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0-65535: {text}")
    return value


def known_languages(config: Config, langs: Iterable[str], option: str = "--lang") -> None:
    """``UsageError`` unless every one of ``langs`` is a language of the site."""
    unknown = [lang for lang in langs if lang not in config.languages]
    if unknown:
        raise UsageError(
            f"{option}: unknown language {', '.join(unknown)} (the site publishes {', '.join(config.languages)})"
        )
