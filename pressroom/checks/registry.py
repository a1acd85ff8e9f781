"""Check functions -> the registry ``CHECKS``; the data a check takes and what it finds.

Takes the check functions, registered with ``@register(name, severity, scope)``; gives
``CHECKS`` (every check, in the order it registered), ``describe()`` (the checks, for
``--help``), the ``Pair`` a translation check reads and the ``Finding`` the runner
makes of each message it yields. ``FLAG`` matches the ``no-<check>-check`` flags that
silence a check (``po.model.check_flags`` gathers an entry's, from its flags and
its translator comments).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from markdown_it.token import Token

from ..errors import Problem, Severity
from ..glossary import Glossary
from ..segments.body import Body
from .text import _children

Scope = Literal["translation", "source"]
FLAG = re.compile(r"^no-(.+)-check$")
FRONT_MATTER_FLAGS = "check-flags"


@dataclass(frozen=True)
class Finding:
    """One problem found by a check, where a translator or author fixes it."""

    path: str
    line: int | None
    severity: Severity
    check: str
    message: str
    msgid: str | None = None
    """The entry's msgid (or the source paragraph), for tools; None for whole-file problems."""

    @classmethod
    def from_problem(cls, problem: Problem) -> Finding:
        return cls(problem.path, problem.line, problem.severity, problem.check, problem.message)

    def __str__(self) -> str:
        return str(Problem(self.path, self.line, self.severity, self.message, self.check))

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "check": self.check,
            "message": self.message,
            "msgid": self.msgid,
        }

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.check, self.message)


@dataclass(frozen=True)
class Check:
    """A registered check."""

    name: str
    severity: Severity
    scope: Scope
    func: Callable[..., Iterable[Any]]
    silenceable: bool = True
    """False for a check whose errors the build can never publish (footnote calls)."""

    @cached_property
    def flag(self) -> str:
        """The catalog flag that silences this check on one entry."""
        return f"no-{self.name}-check"

    @property
    def summary(self) -> str:
        return (self.func.__doc__ or "").strip().splitlines()[0]


CHECKS: list[Check] = []
"""Every check, in the order they run; the built-ins register themselves here."""


def register(name: str, severity: Severity, scope: Scope = "translation", silenceable: bool = True):
    """Decorator: add a check function to ``CHECKS``."""

    def decorator(func):
        CHECKS.append(Check(name, severity, scope, func, silenceable))
        return func

    return decorator


def describe() -> str:
    """The checks, their severities and flags (for ``--help``)."""
    lines = ["checks (silence one on an entry with the catalog flag `#, no-<check>-check`; * cannot be):"]
    for c in CHECKS:
        where = "source" if c.scope == "source" else "catalog"
        name = c.name if c.silenceable else f"{c.name}*"
        lines.append(f"  {name:<18} {c.severity:<8} {where:<8} {c.summary}")
    lines += [
        "  footnotes          both     source   undefined or duplicate (error), unused (warning)",
        "  catalog            both     catalog  unreadable (error) or missing (warning) catalog",
        "  flags              warning  both     a no-…-check flag that names no check",
        "source checks are silenced per document in the front matter:",
        f"  {FRONT_MATTER_FLAGS}: [no-<check>-check]",
    ]
    return "\n".join(lines)


@dataclass
class Pair:
    """One published translation, as a translation check sees it."""

    msgid: str
    msgstr: str
    source_lang: str
    lang: str
    body: Body
    """The document's parsed body (footnote labels, reference links); empty for UI strings."""
    ui: bool = False
    """A UI string of templates/ (printf-style placeholders apply)."""
    flags: frozenset[str] = frozenset()
    glossary: Glossary | None = None
    """The target language's approved terms (``glossary`` check); None: none."""

    @cached_property
    def source(self) -> list[Token]:
        return _children(self.msgid, self.body)

    @cached_property
    def target(self) -> list[Token]:
        return _children(self.msgstr, self.body)
