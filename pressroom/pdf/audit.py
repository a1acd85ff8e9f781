"""What the toolkit's changes to WeasyPrint check first: the installed WeasyPrint is
the version, and its functions have the source, that they were audited against
(``footnote_reuse``, ``subset_arrays``; ``footnote_fix`` needs the source itself)."""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Iterable


def source_sha256(function: Callable) -> str:
    """sha256 of a function's source as Python reads it from its file."""
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def audited(version: str, sources: Iterable[tuple[Callable, str]]) -> bool:
    """Is WeasyPrint ``version`` installed, each function with the source of its digest?"""
    import weasyprint

    return weasyprint.__version__ == version and all(source_sha256(f) == digest for f, digest in sources)
