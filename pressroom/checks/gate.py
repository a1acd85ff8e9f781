"""A published entry -> whether the build may publish it: the error-level checks of ``check``.

What ``build.py check`` calls an error (a footnote call dropped, a link target or a
citation's URL changed, markup broken, a UI placeholder dropped or a stray ``%``, HTML
in a UI string…) is never published: the build shows the source text in its place
and reports the finding on the entry's catalog line, as a warning with the check's
name and "the source text is published instead" (``--strict`` makes it fatal).

The build and ``check`` run the same functions (``CHECKS``, through ``check_pair``),
so an entry's ``no-<check>-check`` flag silences a check for both. The build runs
them on every published entry of every catalog: each check returns at once when the
characters that could give it something to find are absent from both texts.
"""

from __future__ import annotations

from babel.messages.catalog import Catalog, Message

from ..errors import Report
from ..segments.body import Body
from .registry import CHECKS, Check, Pair
from .runner import check_catalog, check_pair

FALLBACK = "the source text is published instead"
"""What the build adds to a finding it refuses an entry for."""


_ERRORS: dict[int, list[Check]] = {}


def error_checks() -> list[Check]:
    """The translation checks whose findings are errors, in the order they run."""
    # Checks are only ever added to CHECKS: its length says whether the list is current.
    if len(CHECKS) not in _ERRORS:
        _ERRORS.clear()
        _ERRORS[len(CHECKS)] = [c for c in CHECKS if c.severity == "error" and c.scope == "translation"]
    return _ERRORS[len(CHECKS)]


def blocks(check: Check) -> bool:
    """Whether a finding of ``check`` keeps the build from publishing the entry (the
    editor marks such findings, and asks before saving a translation that has one)."""
    return check in error_checks()


def refusals(pair: Pair) -> list[tuple[Check, str]]:
    """The error-level findings on one entry (empty: it may be published)."""
    return check_pair(pair, error_checks())


def publishable(
    msgid: str,
    msgstr: str,
    *,
    source_lang: str,
    lang: str,
    body: Body | None,
    flags: frozenset[str],
    path: str,
    line: int | None,
    report: Report,
) -> bool:
    """Whether the build may publish ``msgstr`` for ``msgid``; if not, every reason
    goes to ``report`` at ``path:line`` (``body`` None: a UI string of templates/)."""
    ui = body is None
    pair = Pair(msgid, msgstr, source_lang, lang, body if body is not None else Body(path, [], {}, []), ui, flags)
    found = refusals(pair)
    for check, message in found:
        report.warning(path, line, f"{message}; {FALLBACK}", check.name)
    return not found


def withheld_ui(
    catalog: Catalog, path: str, lang: str, source_lang: str, report: Report, wanted: set[str] | None = None
) -> list[Message]:
    """The entries of a UI catalog that the build may not publish (among ``wanted``
    msgids, when given), every reason reported at ``path:line``."""
    names = {c.name for c in error_checks()}
    found = [
        f for f in check_catalog(catalog, path, lang, source_lang, None, wanted, error_checks())
        if f.check in names
    ]
    for finding in found:
        report.warning(path, finding.line, f"{finding.message}; {FALLBACK}", finding.check)
    lines = {f.line for f in found}
    return [m for m in catalog if m.id and m.lineno in lines]
