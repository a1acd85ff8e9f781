"""The catalogs of a language -> its translation memory: exact and near matches.

Every translated, non-fuzzy entry of every document catalog of a language is memory
(one memory per pair of languages: the documents' source language and the catalogs'):
the same citation, boilerplate sentence or author line recurs across analyses and is
translated once. A candidate is used only if the build would publish it where it is
(``accept``: the checks ``checks.gate`` applies); a fuzzy entry, a machine draft not
yet approved, or a memory pre-fill is not memory until a translator approves it.

- ``exact``: the same source text, whole segment and same markup (``update`` pre-fills
  a new entry with it, fuzzy, saying where it came from);
- ``matches``: the best exact and near matches, with a word-level similarity and a
  word diff of the two sources (the editor shows them).

Near matches use the same word index as ``merge``'s fuzzy matching: only texts that
share enough words are compared, so a lookup costs what its candidates cost, not
the size of the memory.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..errors import Report
from ..po import PoFile
from ..po.model import check_flags
from ..segments.body import Body
from ..sources.documents import Document
from .merge import MIN_SHARED, words

MEMORY_STAMP = "translation memory:"
"""Start of the translator comment on an entry that ``update`` filled from memory."""
NEAR_CUTOFF = 0.5
"""Lowest word-level similarity (0–1) of a near match the editor shows."""
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]+", re.UNICODE)


@dataclass(frozen=True)
class MemoryEntry:
    """One translation of the memory and where it is."""

    source: str
    target: str
    domain: str
    """The document whose catalog it is in (``us-role-in-nato-russia-tensions``,
    ``authors/editors``): the catalog of that domain in the memory's language."""
    path: str
    """That catalog, relative to the project (``locales/tr/LC_MESSAGES/x.po``)."""
    line: int
    flags: frozenset[str] = frozenset()

    @property
    def origin(self) -> str:
        """``domain:line``, as the comment of a pre-filled entry says it (short
        enough for one comment line)."""
        return f"{self.domain}:{self.line}"


@dataclass(frozen=True)
class Match:
    entry: MemoryEntry
    score: float
    """Word-level similarity of the two sources: 1.0 for the same text."""
    diff: tuple[tuple[str, str], ...]
    """The memory's source against the text looked up: ``("=", text)`` in both,
    ``("-", text)`` only in the memory's, ``("+", text)`` only in the new one."""

    def to_json(self) -> dict:
        return {
            "score": round(self.score, 3), "source": self.entry.source, "target": self.entry.target,
            "origin": self.entry.origin, "diff": [list(part) for part in self.diff],
        }


Accept = Callable[[MemoryEntry], bool]


def entries_of(po: PoFile, domain: str, path: str) -> list[MemoryEntry]:
    """The memory a catalog holds: its translated, current, non-fuzzy singular entries."""
    return [
        MemoryEntry(e.msgid, e.msgstr, domain, path, e.line, check_flags(e.flags, e.comments))
        for e in po.messages
        if e.msgid and e.msgstr and not e.fuzzy and not e.plural and e.context is None
    ]


def memories(catalogs: Iterable[tuple[Document, str, PoFile, str]],
             bodies: dict[str, Body]) -> dict[tuple[str, str], Memory]:
    """The memory of each pair of languages (source, target) from document catalogs
    given as (document, language, catalog, path); an entry is memory only if the
    build would publish it in its own catalog (``checks.gate``)."""
    from ..checks import gate  # the checks read catalogs: imported when first used

    found: dict[tuple[str, str], list[MemoryEntry]] = {}
    owner: dict[str, Document] = {}
    for doc, lang, po, path in catalogs:
        owner[path] = doc
        found.setdefault((doc.lang, lang), []).extend(entries_of(po, doc.domain, path))

    def publishable_in(lang: str) -> Accept:
        def accept(entry: MemoryEntry) -> bool:
            doc = owner[entry.path]
            return gate.publishable(entry.source, entry.target, source_lang=doc.lang, lang=lang,
                                    body=bodies[doc.path], flags=entry.flags, path=entry.path, line=entry.line,
                                    report=Report())
        return accept

    return {pair: Memory(entries, publishable_in(pair[1])) for pair, entries in found.items()}


class Memory:
    """The translation memory of one language (see the module docstring)."""

    def __init__(self, entries: Iterable[MemoryEntry], accept: Accept | None = None):
        self._accept = accept
        self._accepted: dict[MemoryEntry, bool] = {}
        self._by_source: dict[str, list[MemoryEntry]] = defaultdict(list)
        for entry in sorted(entries, key=lambda e: (e.path, e.line)):
            self._by_source[entry.source].append(entry)
        self._sources = list(self._by_source)
        self._position = {source: i for i, source in enumerate(self._sources)}
        self._words = [words(s) for s in self._sources]
        self._index: dict[str, set[int]] = defaultdict(set)
        for i, ws in enumerate(self._words):
            for w in set(ws):
                self._index[w].add(i)

    def __len__(self) -> int:
        return sum(len(found) for found in self._by_source.values())

    def published(self) -> list[MemoryEntry]:
        """Every entry of the memory that the build would publish, by catalog and line."""
        return [e for found in self._by_source.values() for e in found if self.accepted(e)]

    def accepted(self, entry: MemoryEntry) -> bool:
        if self._accept is None:
            return True
        if entry not in self._accepted:
            self._accepted[entry] = self._accept(entry)
        return self._accepted[entry]

    def exact(self, source: str, exclude: str | None = None) -> MemoryEntry | None:
        """The translation of exactly ``source`` (not from the catalog ``exclude``):
        the one most catalogs agree on, then the first by path and line."""
        found = [e for e in self._by_source.get(source, ()) if e.path != exclude and self.accepted(e)]
        if not found:
            return None
        votes = Counter(e.target for e in found)
        best = max(votes.values())
        return next(e for e in found if votes[e.target] == best)

    def matches(self, source: str, exclude: tuple[str, int] | None = None, limit: int = 5,
                cutoff: float = NEAR_CUTOFF) -> list[Match]:
        """The best matches for ``source``, best first: at most ``limit`` distinct
        translations scoring at least ``cutoff``; ``exclude``: the (path, line) of the
        entry being edited."""
        ws = words(source)
        distinct = set(ws)
        shared: Counter[int] = Counter()
        for w in distinct:
            shared.update(self._index.get(w, ()))
        same = self._position.get(source)
        scored: list[tuple[float, int]] = [(1.0, same)] if same is not None else []
        for i, count in shared.most_common(50):
            if count < MIN_SHARED * len(distinct):
                break  # counts only decrease from here
            if i != same:
                ratio = SequenceMatcher(None, self._words[i], ws, autojunk=False).ratio()
                if ratio >= cutoff:
                    scored.append((min(ratio, 0.999), i))  # only the same text scores 1
        out: list[Match] = []
        seen: set[str] = set()
        for score, i in sorted(scored, key=lambda x: (-x[0], self._sources[x[1]])):
            for entry in self._by_source[self._sources[i]]:
                if (entry.path, entry.line) == exclude or entry.target in seen or not self.accepted(entry):
                    continue
                seen.add(entry.target)
                out.append(Match(entry, score, word_diff(entry.source, source)))
                break
            if len(out) == limit:
                break
        return out


def word_diff(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """``old`` against ``new`` by words (and the spaces and signs between them)."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("=", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(("-", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(("+", "".join(b[j1:j2])))
    return tuple(parts)
