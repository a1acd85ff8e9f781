"""What the toolkit's changes to WeasyPrint check first: the installed WeasyPrint is
the version, and its functions have the source, that they were audited against
(``footnote_reuse``, ``shared_styles``, ``subset_arrays``; ``footnote_fix`` needs the
source itself); and how the first two put a wrapper of theirs in place of a
WeasyPrint function (``Wrapping``)."""

from __future__ import annotations

import hashlib
import importlib
import inspect
import threading
from collections.abc import Callable, Iterable


def source_sha256(function: Callable) -> str:
    """sha256 of a function's source as Python reads it from its file."""
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def audited(version: str, sources: Iterable[tuple[Callable, str]]) -> bool:
    """Is WeasyPrint ``version`` installed, each function with the source of its digest?"""
    import weasyprint

    return weasyprint.__version__ == version and all(source_sha256(f) == digest for f, digest in sources)


class Wrapping:
    """WeasyPrint's ``module.name`` (``name`` may be ``Class.attribute``) replaced by
    ``wrapper``, only while ``audited()`` holds for the installed WeasyPrint (checked
    once until ``restore``); ``original`` is WeasyPrint's own, for the wrapper to call.
    Thread-safe: a Dask worker may render in several threads."""

    def __init__(self, module: str, name: str, wrapper: Callable, audited: Callable[[], bool]):
        self.module, self.name, self.wrapper, self.audited = module, name, wrapper, audited
        self.original: Callable | None = None
        """WeasyPrint's own function, once found."""
        self.installed = False
        self.refused = False
        """The installed WeasyPrint was found not to be the audited one."""
        self._lock = threading.Lock()

    def _owner(self) -> tuple[object, str]:
        owner = importlib.import_module(self.module)
        *path, attribute = self.name.split(".")
        for part in path:
            owner = getattr(owner, part)
        return owner, attribute

    def current(self) -> Callable:
        """WeasyPrint's own function, wrapped or not."""
        owner, attribute = self._owner()
        return self.original or getattr(owner, attribute)

    def install(self) -> bool:
        """Put the wrapper in place (idempotent); False on another WeasyPrint."""
        with self._lock:
            if not self.installed and not self.refused:
                if self.audited():
                    owner, attribute = self._owner()
                    self.original = self.original or getattr(owner, attribute)
                    setattr(owner, attribute, self.wrapper)
                    self.installed = True
                else:
                    self.refused = True
            return self.installed

    def restore(self) -> None:
        """Put WeasyPrint's own function back (benchmarks of raw WeasyPrint, tests)."""
        with self._lock:
            if self.installed:
                owner, attribute = self._owner()
                setattr(owner, attribute, self.original)
                self.installed = False
            self.refused = False
