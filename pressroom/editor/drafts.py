"""One entry -> a machine draft, through ``machine.py`` (as ``build.py translate`` does).

The draft is not saved: the editor puts it in the translation box marked fuzzy,
with the same translator comment ``translate`` writes, for the translator to
review and save.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..commands.translate import STAMP
from ..machine import ENGINES, TIMEOUT, Machine, MaskError, Rejected, TranslateError, mask, unmask
from ..segments.body import Body
from .errors import BadRequest, EngineFailed, Unprocessable


@dataclass(frozen=True)
class Drafts:
    """Which engine drafts translations, where, and how long a request may take."""

    engine: str = "google"
    url: str | None = None
    """The engine's endpoint; None: its default."""
    timeout: float = TIMEOUT
    retries: int = 1
    """Few: a translator is waiting."""

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise BadRequest(f"unknown engine {self.engine!r} (one of {', '.join(ENGINES)})")

    def draft(self, msgid: str, body: Body, source: str, target: str) -> dict[str, Any]:
        """``{"msgstr", "fuzzy": True, "comment", "engine"}``; raises ``Unprocessable``
        when this text gets no draft, ``EngineFailed`` when the engine fails."""
        spec = ENGINES[self.engine]
        try:
            masked = mask(msgid, body)
        except MaskError as exc:
            raise Unprocessable(f"not sent: its Markdown could not be masked ({exc})") from None
        if not masked.has_text:
            raise Unprocessable("not sent: nothing to translate besides markup")
        text = masked.render(spec.style)
        if too_long := spec.too_long(text):
            raise Unprocessable(f"not sent: {too_long}")
        try:
            engine = spec.open(spec, self.url or spec.url, source, target, self.timeout)
            result = unmask(masked, Machine(engine, retries=self.retries).translate(text), spec.style, body)
        except TranslateError as exc:
            raise EngineFailed(str(exc)) from None
        except Rejected as exc:
            raise Unprocessable(f"machine translation discarded: {exc}") from None
        stamp = f"{STAMP} {spec.name}, {dt.date.today().isoformat()}"
        return {"msgstr": result, "fuzzy": True, "comment": stamp, "engine": spec.name}
