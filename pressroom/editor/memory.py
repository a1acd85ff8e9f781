"""The editor's translation memory: the best matches for the entry being edited.

The memory from one language into another is every document catalog of that pair
as it is on disk now (``catalogs.memory``); it is made again when one of them changed (the
workspace's versions say so), and a candidate is offered only if the build would
publish it where it is (``checks.gate``).
"""

from __future__ import annotations

import threading
from typing import Any

from ..catalogs.memory import Memory, memories
from .store import CatalogRef, Workspace


class MemoryLookup:
    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self._lock = threading.Lock()
        self._memories: dict[tuple[str, str], tuple[tuple, Memory]] = {}

    def memory(self, source_lang: str, lang: str) -> Memory:
        """The memory from ``source_lang`` into ``lang`` as its catalogs are now."""
        refs = sorted((r for r in self.workspace.refs().values() if r.lang == lang and r.doc is not None
                       and r.source_lang == source_lang and r.path.is_file()), key=lambda r: r.rel)
        versions = tuple((r.id, self.workspace.version(r)) for r in refs)
        with self._lock:
            cached = self._memories.get((source_lang, lang))
            if cached is not None and cached[0] == versions:
                return cached[1]
            found = memories(((r.doc, lang, self.workspace.load(r).po.po, r.rel) for r in refs),
                             self.workspace.project().bodies)
            memory = found.get((source_lang, lang)) or Memory([])
            self._memories[source_lang, lang] = (versions, memory)
            return memory

    def matches(self, ref: CatalogRef, key: str) -> dict[str, Any]:
        """The best matches for an entry of ``ref`` (never the entry itself)."""
        row = self.workspace.row(ref, key)
        block = row.block
        exclude = (ref.rel, block.line) if block is not None else None
        found = self.memory(ref.source_lang, ref.lang).matches(row.msgid, exclude=exclude)
        return {"matches": [m.to_json() for m in found]}
