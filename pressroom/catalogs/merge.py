"""Old catalog + new template -> merged catalog, with msgmerge's semantics.

- an entry whose msgid is still in the template keeps its translation, comments and
  flags; locations and kinds come from the template, order is the source's order;
- a removed entry becomes obsolete (``#~``) with its translation, flags, comments and
  previous msgid;
- an obsolete entry whose text comes back is revived as it was (not fuzzy);
- an entry that ``update`` made fuzzy is revived as translated when the source goes
  back to exactly the text it was translated from (see ``_revert``);
- a new entry close to a removed translated one gets that translation as a draft:
  fuzzy, with the old msgid as ``#|`` previous msgid (and the old entry is consumed);
- the catalog's ``POT-Creation-Date`` becomes the template's; every other header
  field stays as it is;
- nothing else changes, so running it twice changes nothing.

Fuzzy matching is not Babel's (``difflib`` over every pair: quadratic, ~1,000 s for
5,000 entries): candidates come from an index of their words, only those sharing
enough words are compared, and a match must reach ``cutoff`` in a word-level
similarity — "Exceptions" never becomes "Functions".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import replace
from difflib import SequenceMatcher

from ..po import FUZZY, Entry, PoFile, nplurals

DEFAULT_CUTOFF = 0.6
"""Minimum word-level similarity (0–1) of a fuzzy match."""
MIN_SHARED = 0.5
"""A candidate must share at least this fraction of the new text's distinct words."""
WORD = re.compile(r"\w+", re.UNICODE)
"""A word, for similarity and for word counts."""
FORMAT_FLAGS = {"python-format", "python-brace-format"}
"""Flags that tools guess from "4% of" / "{x}" in prose: wrong for content (``msgfmt -c``
then rejects a correct Turkish "%4'ü"); kept on UI strings, where they are right."""
MACHINE_STAMP = "machine translation:"
"""Start of the translator comment on every machine draft (``translate``, the editor)."""


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


def merge(catalog: PoFile, template: PoFile, fuzzy: bool = True, cutoff: float = DEFAULT_CUTOFF,
          format_flags: bool = False) -> PoFile:
    """Merge ``template`` into ``catalog`` in place (see the module docstring);
    ``format_flags``: keep ``python-format``-like flags (UI strings)."""
    header = catalog.header
    wanted = [e for e in template.messages]
    wanted_ids = {e.ident for e in wanted}
    current = {e.ident: e for e in catalog.messages}
    obsolete = {e.ident: e for e in catalog.obsolete}
    previous = {e.ident: e for e in catalog.messages if e.previous is not None}
    for entry in wanted:  # an obsolete text that comes back, as it was
        old = obsolete.get(entry.ident)
        # (``pybabel update`` adds a returning text untranslated beside its obsolete entry)
        if old is not None and (entry.ident not in current or (old.translated and not current[entry.ident].translated)):
            current[entry.ident] = obsolete.pop(entry.ident)
    _revert(wanted, wanted_ids, current, obsolete)

    count = nplurals(catalog.header_fields())
    merged: list[Entry] = []
    for entry in wanted:
        old = current.pop(entry.ident, None)
        merged.append(_updated(entry, old, count) if old is not None else _new(entry, count))
    for ident, entry in current.items():  # removed from the source
        entry.obsolete = True
        obsolete[ident] = entry

    if fuzzy:
        by_id = {e.msgid: e for e in merged if e.context is None}
        new = [e.msgid for e in merged if e.context is None and not e.plural and not e.translated]
        old = [e.msgid for e in obsolete.values() if e.context is None and (e.msgstr or any(e.plural_strings))]
        for new_id, old_id in fuzzy_matches(new, old, cutoff).items():
            source = obsolete.pop((None, old_id))
            entry = by_id[new_id]
            entry.msgstr = source.msgstr
            entry.flags = _union(entry.flags, source.flags, [FUZZY])
            entry.comments = list(source.comments)
            entry.previous_context, entry.previous, entry.previous_plural = None, old_id, None

    for entry in merged:
        kept = previous.get(entry.ident)
        if entry.fuzzy and entry.previous is None and kept is not None:
            entry.previous_context, entry.previous, entry.previous_plural = (
                kept.previous_context, kept.previous, kept.previous_plural)
        if not entry.fuzzy:
            entry.previous_context = entry.previous = entry.previous_plural = None
    for entry in obsolete.values():
        entry.obsolete = True

    catalog.entries = ([header] if header is not None else []) + merged + list(obsolete.values())
    if not format_flags:
        for entry in catalog.entries:
            entry.flags = [f for f in entry.flags if f not in FORMAT_FLAGS]
    created = template.header_field("POT-Creation-Date")
    if created is not None and header is not None:
        catalog.set_header_field("POT-Creation-Date", created, after=("Project-Id-Version", "Report-Msgid-Bugs-To"))
    return catalog


def _revert(wanted: list[Entry], wanted_ids: set, current: dict, obsolete: dict) -> None:
    """A text that comes back to exactly what a fuzzy entry was translated from
    revives that entry as translated.

    The entry must be one that ``update`` made fuzzy: its ``#|`` previous msgid is the
    returning text, it has no machine-translation comment, and its own text has left
    the source. Only ``update`` writes ``#|`` lines; the editor, Poedit and Weblate
    drop them (and the flag) when a translator edits or approves the entry, and a
    machine draft carries its comment. So its translation is the one made for the
    returning text.
    """
    for entry in wanted:
        if entry.ident in current or entry.ident in obsolete or entry.plural:
            continue
        for pool in (current, obsolete):
            found = next(
                (ident for ident, old in pool.items()
                 if old.fuzzy and old.previous == entry.msgid and old.previous_context == entry.context
                 and old.previous_plural is None and not old.plural and ident not in wanted_ids
                 and not any(c.startswith(MACHINE_STAMP) for c in old.comments)),
                None,
            )
            if found is not None:
                old = pool.pop(found)
                old.msgid, old.context = entry.msgid, entry.context
                old.previous_context = old.previous = None
                old.set_fuzzy(False)
                old.obsolete = False
                current[entry.ident] = old
                break


def _updated(entry: Entry, old: Entry, count: int) -> Entry:
    """The template's entry with the old one's translation, comments and flags."""
    merged = replace(entry, span=None, line=0, obsolete=False, flags=list(entry.flags),
                     auto_comments=list(entry.auto_comments), references=list(entry.references))
    merged.comments = list(dict.fromkeys(old.comments)) if old.comments else list(entry.comments)
    fuzzy = False
    if entry.plural:
        strings = old.plural_strings if old.plural else [old.msgstr]
        fuzzy = not old.plural or len(strings) != count
        merged.plural_strings = (list(strings) + [""] * count)[:count]
        merged.msgstr = merged.plural_strings[0]
    else:
        fuzzy = old.plural
        merged.msgstr = old.msgstr
        merged.plural_strings = []
    merged.flags = _union(merged.flags, old.flags, [FUZZY] if fuzzy else [])
    merged.previous_context, merged.previous, merged.previous_plural = (
        old.previous_context, old.previous, old.previous_plural)
    return merged


def _new(entry: Entry, count: int) -> Entry:
    """A template entry as a new, untranslated catalog entry."""
    new = replace(entry, span=None, line=0, obsolete=False, msgstr="", flags=list(entry.flags),
                  comments=list(entry.comments), auto_comments=list(entry.auto_comments),
                  references=list(entry.references), previous_context=None, previous=None, previous_plural=None)
    new.plural_strings = [""] * count if entry.plural else []
    return new


def _union(*flag_lists: list[str]) -> list[str]:
    return list(dict.fromkeys(f for flags in flag_lists for f in flags))
