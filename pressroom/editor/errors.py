"""The editor's errors: each carries the HTTP status it is answered with.

Raised deep (store, preview, security), turned into a JSON answer in one place
(``app._error``): ``{"error": message, ...details}`` with ``status``.
"""

from __future__ import annotations

from typing import Any

from ..errors import PressroomError


class EditorError(PressroomError):
    """A request the editor cannot satisfy; ``status`` is its HTTP status."""

    status = 500

    def __init__(self, message: str, *, status: int | None = None, **details: Any):
        super().__init__(message)
        self.details = details
        if status is not None:
            self.status = status

    def as_json(self) -> dict[str, Any]:
        return {"error": self.message, **self.details}


class BadRequest(EditorError):
    status = 400


class Forbidden(EditorError):
    status = 403


class NotFound(EditorError):
    status = 404


class Conflict(EditorError):
    """The entry changed since the client read it; ``theirs`` is what is on disk."""

    status = 409


class Unprocessable(EditorError):
    """Well-formed, but not something that can be done (a plural entry, an unreadable
    catalog, a text the machine cannot draft)."""

    status = 422


class SaveFailed(EditorError):
    """The catalog could not be written (disk full: 507, permissions and the rest: 500);
    the file on disk is unchanged."""

    status = 500


class EngineFailed(EditorError):
    """The machine translation engine failed or is unreachable."""

    status = 502
