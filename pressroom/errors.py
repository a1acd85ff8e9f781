"""Problems and exceptions: everything about user input names ``path:line``.

Stages *report* problems (``Problem`` in a ``Report``) so that one run shows every
mistake; a stage that cannot go on raises ``PressroomError``. The CLI is the only
place where either becomes an exit code.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Literal, TextIO

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding about one place in the project."""

    path: str
    """Path relative to the project root (``content/analyses/x.md``)."""
    line: int | None
    """1-based line, or ``None`` when the problem concerns the whole file."""
    severity: Severity
    message: str
    check: str = ""
    """Short name of the rule that found it (``footnote-refs``, ``front-matter``…)."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        tag = f" [{self.check}]" if self.check else ""
        return f"{where}: {self.severity}: {self.message}{tag}"

    def sort_key(self) -> tuple:
        """File, then line (a whole-file problem first), then the rest."""
        return (self.path, self.line or 0, self.severity, self.message, self.check)


class PressroomError(Exception):
    """Base class of every error the toolkit raises on purpose."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    def as_problem(self) -> Problem:
        return Problem(self.path or "", self.line, "error", self.message)


class UsageError(PressroomError):
    """The command line asks for something the project does not have (``--lang xx``,
    an unknown slug): reported like argparse's own errors, exit status 2."""


class ConfigError(PressroomError):
    """The site configuration (``[tool.pressroom]`` in pyproject.toml) is invalid."""


class SourceError(PressroomError):
    """A source file read before cannot be read again as it was (``Document.body``)."""


class CatalogError(PressroomError):
    """A PO/POT catalog cannot be read or is inconsistent."""


class TemplateError(PressroomError):
    """A template of templates/ cannot be compiled or rendered."""


class ExchangeError(PressroomError):
    """An XLIFF file cannot be read or imported (``export``/``import``)."""


class PdfError(PressroomError):
    """A PDF edition cannot be produced as promised."""


class ClusterError(PressroomError):
    """The Dask cluster a build was sent to cannot do it: its scheduler cannot be
    reached, a worker runs another toolkit, or workers keep dying on a job."""


class SearchError(PressroomError):
    """The search index (Pagefind) cannot be made."""


class SiteChanged(PressroomError):
    """A file of site/ the build counted on went away while it ran (removed by hand or
    by another program): nothing is published, the next build makes it again."""


class BuildFailed(PressroomError):
    """Validation found errors; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]):
        count = sum(1 for p in problems if p.severity == "error")
        super().__init__(f"build failed: {count} error(s)")
        self.problems = problems


@dataclass
class Report:
    """Collects problems over a run; ``strict`` turns warnings into errors."""

    strict: bool = False
    problems: list[Problem] = field(default_factory=list)
    _seen: set[Problem] = field(default_factory=set, init=False, repr=False, compare=False)
    """What ``problems`` holds, to keep it free of repeats (an archive replays
    thousands of problems on every build: a list search each was quadratic)."""

    def __post_init__(self) -> None:
        self._seen.update(self.problems)

    def add(self, problem: Problem) -> None:
        if problem not in self._seen:
            self._seen.add(problem)
            self.problems.append(problem)

    def error(self, path: str, line: int | None, message: str, check: str = "") -> None:
        self.add(Problem(path, line, "error", message, check))

    def warning(self, path: str, line: int | None, message: str, check: str = "") -> None:
        self.add(Problem(path, line, "warning", message, check))

    def extend(self, problems: list[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    @property
    def has_errors(self) -> bool:
        """Errors among the problems (warnings apart, whatever ``strict`` says)."""
        return any(p.severity == "error" for p in self.problems)

    @property
    def failed(self) -> bool:
        return any(p.severity == "error" or self.strict for p in self.problems)

    def raise_if_failed(self) -> None:
        if self.failed:
            raise BuildFailed(sorted(self.problems, key=Problem.sort_key))

    def print(self, stream: TextIO | None = None) -> None:
        for problem in sorted(self.problems, key=Problem.sort_key):
            print(problem, file=stream or sys.stderr)
