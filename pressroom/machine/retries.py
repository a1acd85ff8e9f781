"""An ``Engine`` -> a ``Machine``: the engine with bounded retries and exponential backoff.

Takes an opened engine; ``Machine.translate(text)`` retries after a ``Transient``
failure (waiting ``BACKOFF`` seconds, doubled each time, or what ``Retry-After`` asks
up to ``MAX_WAIT``), at most ``RETRIES`` times, then raises ``TranslateError``;
``Rejected`` and ``TranslateError`` pass through. Gives the waits it made in ``waits``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .adapters import Engine
from .errors import Transient, TranslateError

RETRIES = 4
"""Retries after a rate limit or a server error, before the run stops."""
BACKOFF = 1.0
"""First wait before a retry, in seconds; doubled at each retry (1, 2, 4, 8 s)."""
MAX_WAIT = 60.0
"""A server asking to wait longer than this (``Retry-After``) stops the run instead."""


@dataclass
class Machine:
    """An engine with bounded retries and exponential backoff."""

    engine: Engine
    retries: int = RETRIES
    backoff: float = BACKOFF
    sleep: Callable[[float], None] = time.sleep
    waits: list[float] = field(default_factory=list)
    """Every wait before a retry, in seconds."""

    def translate(self, text: str) -> str:
        """The engine's translation of ``text``; raises ``TranslateError`` or ``Rejected``."""
        attempt = 0
        while True:
            try:
                return self.engine.translate(text)
            except Transient as exc:
                where = f"{self.engine.name} at {self.engine.url}"
                if attempt >= self.retries:
                    raise TranslateError(f"{where}: {exc}; gave up after {attempt + 1} attempt(s)") from None
                wait = exc.retry_after if exc.retry_after is not None else self.backoff * 2**attempt
                if wait > MAX_WAIT:
                    raise TranslateError(f"{where}: {exc}, and asks to wait {wait:.0f} s: run again later") from None
                self.waits.append(wait)
                self.sleep(wait)
                attempt += 1
