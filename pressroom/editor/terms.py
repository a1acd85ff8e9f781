"""A language's glossary -> what the editor shows of it for one entry.

``Terms`` reads ``locales/<lang>/glossary.csv`` (``pressroom.glossary``) again whenever
the file changes, as the workspace does catalogs; a glossary with bad rows gives its
good rows here (``build.py check`` reports the bad ones). ``Terms.view`` gives, for one
entry, the glossary's terms that its source uses: the forms the source has (the page
marks them in the rendered source), the approved translation, its note and part of
speech, and whether the translation being typed uses it. All of it is text for the
page to show as text.
"""

from __future__ import annotations

import threading
from typing import Any

from ..checks.text import _children, _plain
from ..config import Config
from ..glossary import Glossary, glossary_path, load_glossary
from ..segments.body import Body
from ..site.fingerprints import file_signature


class Terms:
    """The glossaries of the project's languages, as they are on disk now."""

    def __init__(self, config: Config):
        self.config = config
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[int, int, int] | None, Glossary | None]] = {}

    def glossary(self, lang: str) -> tuple[Glossary | None, bool]:
        """The glossary of ``lang`` (None: none) and whether it changed since last asked."""
        path = glossary_path(self.config.locales_dir, lang)
        signature = file_signature(path)
        with self._lock:
            cached = self._cache.get(lang)
            if cached is not None and cached[0] == signature:
                return cached[1], False
            glossary = None
            if signature is not None:
                glossary, _ = load_glossary(self.config.locales_dir, lang, self.config.rel(path))
            self._cache[lang] = (signature, glossary)
            return glossary, cached is not None

    def view(self, lang: str, source_lang: str, msgid: str, msgstr: str, body: Body) -> list[dict[str, Any]]:
        """The terms the entry's source uses, with their approved translations."""
        glossary, _ = self.glossary(lang)
        if glossary is None or not glossary.terms or not msgid:
            return []
        source = _plain(_children(msgid, body), urls=False, code=False, ref=" ")
        target = _plain(_children(msgstr, body), urls=False, code=False, ref=" ") if msgstr else ""
        return [
            {
                "source": term.source,
                "target": term.target,
                "note": term.note,
                "pos": term.pos,
                "forms": forms,
                "used": bool(target) and (glossary.translated(term, target)
                                          or glossary.kept(term, target, source_lang) >= count),
                "where": term.where,
            }
            for term, forms, count in glossary.in_source(source, source_lang)
        ]
