"""The exceptions of machine translation, by what the caller does next.

Gives ``TranslateError`` (stop the run: engine unreachable, refused or failing; a
``PressroomError``), ``Transient`` (retry: rate limited or a server error),
``Rejected`` (no draft for this entry only) and ``MaskError`` (an entry's markup could
not be masked: a bug, not bad input). Engines raise the first three; ``Machine``
turns a ``Transient`` that outlasts its retries into a ``TranslateError``.
"""

from __future__ import annotations

from ..errors import PressroomError


class TranslateError(PressroomError):
    """Machine translation cannot go on: engine unreachable, refused, or failing."""


class Transient(Exception):
    """A failure worth retrying: rate limited (429) or a server error (5xx)."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class Rejected(Exception):
    """This entry gets no machine draft; the message says why."""


class MaskError(Exception):
    """The text's markup could not be matched to its source (a bug, not bad input)."""
