"""Header fields -> what the project cannot take in them, and the file's charset.

The rules are the project's own (no library parses a header value here, so a newer
Babel cannot change what is accepted):

- ``POT-Creation-Date`` and ``PO-Revision-Date`` are ``YYYY-MM-DD HH:MM`` with an
  optional ``+ZZZZ``/``-ZZZZ`` offset, a real date (``PO-Revision-Date`` may be the
  template placeholder ``YEAR-MO-DA HO:MI+ZONE``);
- ``Language`` is empty or a language tag (``tr``, ``pt_BR``, ``sr@latin``);
- ``Plural-Forms`` gives ``nplurals`` as a number from 1 to 6 when it gives it;
- ``Content-Type`` names a charset Python knows that keeps ASCII as ASCII (gettext's
  placeholder ``CHARSET`` means UTF-8).
"""

from __future__ import annotations

import codecs
import re
from datetime import datetime
from functools import lru_cache

DEFAULT_CHARSET = "utf-8"
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})(?:[+-]\d{4})?")
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(?:[_-][A-Za-z0-9]{1,8})*(?:\.[A-Za-z0-9_-]+)?(?:@[A-Za-z0-9]+)?")
_NPLURALS = re.compile(r"nplurals\s*=\s*([^;\s]*)")
_CHARSET = re.compile(r"charset\s*=\s*([^;\s]*)", re.IGNORECASE)


@lru_cache(maxsize=4096)  # the same dates and languages recur in every catalog
def field_problem(name: str, value: str) -> str | None:
    """Why the project cannot take this header field, or None."""
    lower = name.lower()
    if lower in ("pot-creation-date", "po-revision-date"):
        if lower == "po-revision-date" and "YEAR" in value:
            return None
        m = _DATE.fullmatch(value)
        try:
            if m is not None:
                datetime.strptime(m.group(1), "%Y-%m-%d %H:%M")
                return None
        except ValueError:
            pass
        return "not a date of the form YYYY-MM-DD HH:MM+ZZZZ"
    if lower == "language":
        return None if not value or _LANGUAGE.fullmatch(value) else "not a language code"
    if lower == "plural-forms":
        m = _NPLURALS.search(value)
        if m is not None and not (m.group(1).isdigit() and 1 <= int(m.group(1)) <= 6):
            return "nplurals is not a number from 1 to 6"
        return None
    if lower == "content-type":
        return charset_problem(content_charset(value))
    return None


def content_charset(value: str | None) -> str:
    """The charset a ``Content-Type`` value names (UTF-8 when it names none)."""
    m = _CHARSET.search(value or "")
    charset = m.group(1).strip("\"'") if m else ""
    return DEFAULT_CHARSET if not charset or charset.upper() == "CHARSET" else charset


@lru_cache(maxsize=64)
def charset_problem(charset: str) -> str | None:
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        return f"unknown charset {charset!r}"
    try:
        ascii_safe = codec.encode('msgid ""\n')[0] == b'msgid ""\n'
    except (UnicodeError, LookupError):
        ascii_safe = False
    return None if ascii_safe else f"charset {charset!r} does not keep ASCII as ASCII (PO files need one that does)"


def nplurals(fields: list[tuple[str, str]], default: int = 2) -> int:
    """The number of plural forms the header's ``Plural-Forms`` gives."""
    value = next((v for n, v in fields if n.lower() == "plural-forms"), "")
    m = _NPLURALS.search(value)
    return int(m.group(1)) if m and m.group(1).isdigit() else default
