"""Helpers shared by the commands: progress lines on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

from ..config import Config


def log(message: str) -> None:
    print(message, file=sys.stderr)


def log_changed(config: Config, changed: list[Path]) -> None:
    for path in changed:
        log(f"wrote {config.rel(path)}")
    if not changed:
        log("nothing changed")
