"""Translation checks: catalogs + sources -> findings (``path:line: severity: message [check]``).

Every check is a small function registered in ``CHECKS`` with its name and severity
(Babel's checkers, as generators of messages):

- a *translation* check takes a ``Pair`` (one published entry: source text,
  translation, languages, the document's parsed body) and yields messages; the
  finding is placed on the entry's ``msgid`` line in its PO file;
- a *source* check takes a ``Document`` and its ``Body`` and yields
  ``(line, message, msgid)``; the finding is placed in the source file.

Only what a build publishes is checked: translated entries that are not fuzzy, not
obsolete, and whose msgid is still a text of the source.

Silencing one check: add the flag ``no-<check>-check`` to the entry
(``#, no-numbers-check``; several flags are separated by commas), or write it as the
entry's translator comment (``# no-numbers-check``), which msgmerge, msgcat and Poedit
keep where they drop flags they do not know (``check_flags``). ``update`` keeps both. Source checks of one document are silenced in its front
matter: ``check-flags: [no-turkish-letters-check]``. An unknown ``no-…-check`` flag
is itself reported (``flags``), so a typo does not silence anything unnoticed.
``describe()`` lists the checks; ``build.py check --help`` prints it.
"""

# Importing a module of checks registers its checks: the order of these imports is the
# order in which the checks run and ``describe()`` lists them.
# isort: off
from .inline_markup import footnote_refs, links, markup
from .notation import numbers
from .formatting import html, placeholders, punctuation, whitespace
from .scripts import mixed_script, turkish_letters
from .terminology import glossary
from .source import repeated_paragraph, turkish_letters_in_source

# isort: on
from ..po.model import check_flags
from .gate import blocks, error_checks, publishable, refusals
from .registry import (
    CHECKS,
    FLAG,
    FRONT_MATTER_FLAGS,
    Check,
    Finding,
    Pair,
    Scope,
    describe,
    register,
)
from .runner import (
    check_catalog,
    check_pair,
    check_project,
    check_source,
    flag_warnings,
    load_glossary,
)

__all__ = [
    "CHECKS",
    "FLAG",
    "FRONT_MATTER_FLAGS",
    "Check",
    "Finding",
    "Pair",
    "Scope",
    "blocks",
    "check_catalog",
    "check_flags",
    "check_pair",
    "check_project",
    "check_source",
    "describe",
    "error_checks",
    "flag_warnings",
    "footnote_refs",
    "glossary",
    "html",
    "links",
    "load_glossary",
    "markup",
    "mixed_script",
    "numbers",
    "placeholders",
    "publishable",
    "punctuation",
    "refusals",
    "register",
    "repeated_paragraph",
    "turkish_letters",
    "turkish_letters_in_source",
    "whitespace",
]
