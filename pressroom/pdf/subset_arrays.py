"""Font subsetting without a C type parsed per glyph count (a pinned speed-up of WeasyPrint 70).

WeasyPrint 70 subsets each font of a PDF with HarfBuzz and hands it the glyph ids in
arrays made with ``ffi.new(f"hb_codepoint_t[{n}]", ids)``. Every new ``n`` is a new C
type for cffi, which parses its name with pycparser (about 3 ms each here) before it
keeps it: a PDF meets a few new lengths per font, and a worker that renders a handful
of PDFs meets mostly new ones (docs/benchmarks.md).

``install()`` gives ``weasyprint.pdf.fonts`` an ``ffi`` that makes such an array as
``ffi.new("hb_codepoint_t[]", ids)``: the same elements in the same memory, one C
type for every length. Everything else goes to WeasyPrint's own ``ffi``. Installed
only on WeasyPrint 70.0 whose ``Font._harfbuzz_subset`` has the audited source; on
any other nothing is changed (the PDFs are the same bytes either way).
"""

from __future__ import annotations

import re
import threading
from typing import Any

from . import audit

AUDITED_VERSION = "70.0"
AUDITED_SHA256 = "f80805663ede8080a3e1ffff831e20c74bd25fa3b8e4410334ba807158dc685f"
"""sha256 of the source of ``weasyprint.pdf.fonts.Font._harfbuzz_subset``."""

_SIZED = re.compile(r"^(hb_codepoint_t)\[(\d+)\]$")
_lock = threading.Lock()


class _OneArrayType:
    """WeasyPrint's ``ffi``, but ``new("hb_codepoint_t[n]", init of n items)`` is
    ``new("hb_codepoint_t[]", init)``."""

    def __init__(self, ffi):
        self.wrapped = ffi

    def new(self, cdecl: str, init: Any = None):
        if init is not None and (sized := _SIZED.match(cdecl)) and len(init) == int(sized.group(2)):
            cdecl = f"{sized.group(1)}[]"
        return self.wrapped.new(cdecl, init)

    def __getattr__(self, name: str):
        return getattr(self.wrapped, name)


def audited() -> bool:
    from weasyprint.pdf.fonts import Font

    return audit.audited(AUDITED_VERSION, [(Font._harfbuzz_subset, AUDITED_SHA256)])


def install() -> bool:
    """Give WeasyPrint's font subsetting the one array type (idempotent); False, and
    nothing changed, on a WeasyPrint this was not audited for."""
    from weasyprint.pdf import fonts

    with _lock:
        if isinstance(fonts.ffi, _OneArrayType):
            return True
        if not audited():
            return False
        fonts.ffi = _OneArrayType(fonts.ffi)
        return True


def restore() -> None:
    """WeasyPrint's own ``ffi`` back (benchmarks of raw WeasyPrint, tests)."""
    from weasyprint.pdf import fonts

    with _lock:
        if isinstance(fonts.ffi, _OneArrayType):
            fonts.ffi = fonts.ffi.wrapped
