"""A language's translation memory -> TMX 1.4 (translate-toolkit's TMX store), for
CAT tools and other projects' memories.

One translation unit per distinct (source language, source, translation), in the
order of the catalogs and their lines; its note says where it is (``document:line``,
every place when several catalogs have it). Only what the build would publish is
memory (``catalogs.memory``).
"""

from __future__ import annotations

from translate.storage.tmx import tmxfile

from ..catalogs.memory import Memory


def write_tmx(memories: dict[tuple[str, str], Memory], lang: str) -> tuple[bytes, int]:
    """The TMX document of the memories into ``lang``, and how many units it has."""
    pairs = sorted(pair for pair in memories if pair[1] == lang)
    sources = {source for source, _ in pairs}
    store = tmxfile(sourcelanguage=sources.pop() if len(sources) == 1 else "*all*", targetlanguage=lang)
    units: dict[tuple[str, str, str], list[str]] = {}
    for source_lang, _ in pairs:
        for entry in memories[source_lang, lang].published():
            units.setdefault((source_lang, entry.source, entry.target), []).append(entry.origin)
    for (source_lang, source, target), origins in units.items():
        store.addtranslation(source, source_lang, target, lang, comment=", ".join(origins))
    return bytes(store), len(units)
