"""Old catalog + new template -> merged catalog, with msgmerge's semantics.

- an entry whose msgid is still in the template keeps its translation, comments and
  flags; locations and kinds come from the template, order is the source's order;
- a removed entry becomes obsolete (``#~``) with its translation, flags and comments;
- an obsolete entry whose text comes back is revived as it was (not fuzzy);
- a new entry close to a removed translated one gets that translation as a draft:
  fuzzy, with the old msgid as ``#|`` previous msgid (and the old entry is consumed);
- nothing else changes, so running it twice changes nothing.

Fuzzy matching is not Babel's (``difflib`` over every pair: quadratic, ~1,000 s for
5,000 entries): candidates come from an index of their words, only those sharing
enough words are compared, and a match must reach ``cutoff`` in a word-level
similarity — "Exceptions" never becomes "Functions".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher

from babel.messages.catalog import Catalog

from .pofile import UI_DOMAIN, strip_format_flags

DEFAULT_CUTOFF = 0.6
"""Minimum word-level similarity (0–1) of a fuzzy match."""
MIN_SHARED = 0.5
"""A candidate must share at least this fraction of the new text's distinct words."""
WORD = re.compile(r"\w+", re.UNICODE)
"""A word, for similarity and for word counts."""


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def fuzzy_matches(new: list[str], old: list[str], cutoff: float = DEFAULT_CUTOFF) -> dict[str, str]:
    """Pair new texts with old ones they are a revision of; each old text used once.

    Returns ``{new: old}``. Work is proportional to the candidates that share words,
    not to ``len(new) * len(old)``."""
    index: dict[str, set[int]] = defaultdict(set)
    old_words = [words(text) for text in old]
    for i, ws in enumerate(old_words):
        for w in set(ws):
            index[w].add(i)
    scored: list[tuple[float, int, int]] = []
    for j, text in enumerate(new):
        ws = words(text)
        distinct = set(ws)
        if not distinct:
            continue
        shared: Counter[int] = Counter()
        for w in distinct:
            shared.update(index.get(w, ()))
        for i, count in shared.most_common(8):
            if count < MIN_SHARED * len(distinct):
                break  # counts only decrease from here
            if count < MIN_SHARED * len(set(old_words[i])):
                continue
            score = SequenceMatcher(None, old_words[i], ws, autojunk=False).ratio()
            if score >= cutoff:
                scored.append((score, j, i))
    pairs: dict[str, str] = {}
    used: set[int] = set()
    for _score, j, i in sorted(scored, reverse=True):
        if new[j] not in pairs and i not in used:
            pairs[new[j]] = old[i]
            used.add(i)
    return pairs


def merge(catalog: Catalog, template: Catalog, fuzzy: bool = True, cutoff: float = DEFAULT_CUTOFF) -> Catalog:
    """Merge ``template`` into ``catalog`` in place (see the module docstring)."""
    previous = {m.id: m.previous_id for m in catalog if m.id and m.previous_id}
    for message in template:
        key = catalog._key_for(message.id, message.context)
        if message.id and key in catalog.obsolete and catalog.get(message.id, message.context) is None:
            catalog[message.id] = catalog.obsolete.pop(key)
    catalog.update(template, no_fuzzy_matching=True)
    if fuzzy:
        new = [m.id for m in catalog if m.id and isinstance(m.id, str) and not m.string]
        old = [k for k, m in catalog.obsolete.items() if isinstance(k, str) and m.string]
        for new_id, old_id in fuzzy_matches(new, old, cutoff).items():
            source = catalog.obsolete.pop(old_id)
            message = catalog[new_id]
            message.string = source.string
            message.flags |= source.flags | {"fuzzy"}
            message.user_comments = list(source.user_comments)
            message.previous_id = [old_id]
    for message in catalog:
        if message.fuzzy and not message.previous_id and previous.get(message.id):
            message.previous_id = previous[message.id]
        if not message.fuzzy:
            message.previous_id = []
    return strip_format_flags(catalog) if catalog.domain != UI_DOMAIN else catalog
