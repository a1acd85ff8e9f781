"""A pinned fix of WeasyPrint 70's footnote layout (takes nothing, changes one branch).

WeasyPrint 66-70 added, for orphans, a branch to ``_linebox_layout``
(``weasyprint/layout/block.py``; upstream issue #2432, PR #2437): when a line
overflows the page and cannot break there, it *reports* footnotes already laid out on
the page to the next page, whatever their ``footnote-policy``. Measured here on a
4-page article rendered in 183 layouts, it put a note on a later page than its call in
135 layouts with the default policy and in 51 with ``line``; with that one report
disabled, ``line`` gave 0 of 183 (see the PDF section of the README).

``apply()`` rebuilds ``_linebox_layout`` from WeasyPrint's own source with that
branch turned off. It refuses (``PdfError``) unless the source is byte-for-byte the
audited one, so a WeasyPrint upgrade cannot silently run with a stale patch. Every
PDF is checked after layout anyway (``pdf.check_footnotes``).
"""

from __future__ import annotations

import hashlib
import inspect
import textwrap

from ..errors import PdfError

AUDITED_VERSION = "70.0"
AUDITED_SHA256 = "e07bbe000974787ee370be1f419a01a21b327a1a1e3025a65afd47589060883d"
BRANCH = "report = not context.in_column and can_break_now and not could_break_before"
REPLACEMENT = "report = False  # pressroom.pdf.footnote_fix: never move placed footnotes"

_applied = False
_original = None


def apply() -> None:
    """Disable the footnote-reporting branch; idempotent; fails loudly on drift."""
    global _applied, _original
    if _applied:
        return
    import weasyprint
    from weasyprint.layout import block

    source = inspect.getsource(block._linebox_layout)
    digest = hashlib.sha256(source.encode()).hexdigest()
    if weasyprint.__version__ != AUDITED_VERSION or digest != AUDITED_SHA256:
        raise PdfError(
            f"WeasyPrint {weasyprint.__version__}: the footnote fix was audited for "
            f"{AUDITED_VERSION} (block._linebox_layout sha256 {AUDITED_SHA256[:12]}…, found "
            f"{digest[:12]}…); install weasyprint=={AUDITED_VERSION} or re-audit pressroom/pdf/footnote_fix.py"
        )
    patched = textwrap.dedent(source).replace(BRANCH, REPLACEMENT)
    _original = block._linebox_layout
    namespace = block.__dict__
    exec(compile(patched, block.__file__, "exec"), namespace)  # noqa: S102 - audited source
    _applied = True


def restore() -> None:
    """Put WeasyPrint's own function back (tests and benchmarks of raw WeasyPrint)."""
    global _applied
    if _applied:
        from weasyprint.layout import block

        block._linebox_layout = _original
        _applied = False
