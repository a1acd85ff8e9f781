"""An entry's review mark: a translator comment ``# reviewed: <digest>``.

A reviewed entry is one whose translation a second person approved. gettext's PO
format has no state for it, so the mark has to be something every tool keeps:

- a flag (``#, reviewed``) is not: GNU gettext's ``msgcat``, ``msgmerge`` and
  ``msgattrib`` drop every flag they do not know (tested with gettext 0.21), and
  Poedit, which reads and writes catalogs through gettext's library, drops it on save
  (Poedit issue #708);
- a translator comment is kept by all of them (``msgmerge``: "comments will be
  preserved"), by Babel, and shown (and kept) by Poedit and Weblate.

Those tools do not know that a changed translation is no longer reviewed, so the mark
carries a digest of what was reviewed: the entry's context, source and translation.
A mark whose digest does not match (the translation was edited in Poedit, the source
changed and ``update`` made the entry fuzzy) is stale and counts for nothing; the
project's own writers (the editor, ``translate``, ``import``) remove it whenever they
change a translation. A fuzzy or untranslated entry is never reviewed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

PREFIX = "reviewed:"
"""What a review mark's comment line starts with (after ``# ``)."""


def review_mark(msgid: str, context: str | None, msgstr: str) -> str:
    """The translator comment that marks this translation of this source reviewed."""
    text = f"{context or ''}\x04{msgid}\x00{msgstr}"
    return f"{PREFIX} {hashlib.blake2b(text.encode('utf-8'), digest_size=5).hexdigest()}"


def is_mark(comment: str) -> bool:
    """Whether a translator comment line is a review mark (current or stale)."""
    return comment.startswith(PREFIX)


def is_reviewed(msgid: str, context: str | None, msgstr: str, fuzzy: bool, comments: Iterable[str]) -> bool:
    """Whether an entry is reviewed: translated, not fuzzy, and marked for exactly
    this source and translation."""
    if not msgstr or fuzzy:
        return False
    return review_mark(msgid, context, msgstr) in comments


def without_marks(comments: Iterable[str]) -> list[str]:
    """The translator comments but the review marks (what a translator edits)."""
    return [c for c in comments if not is_mark(c)]
