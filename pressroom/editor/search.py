"""A text and a language -> the entries of that language's catalogs that hold it.

Searches the source (msgid) and the translation (msgstr) of every entry the editor
lists, in every document catalog of the language and in its UI catalog, as the
catalogs are on disk now. Matching ignores case as the language does (Turkish ``I``
and ``İ`` included) and finds the text anywhere in an entry. Each result names its
catalog and entry, so the page links to it (``/edit/<lang>/<domain>#entry-<key>``);
the texts are plain text, which the page shows as text.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..po import entry_key
from .errors import BadRequest, EditorError, NotFound
from .store import Workspace

MAX_QUERY = 200
"""Characters a query may have."""
LIMIT = 100
"""Results a search gives at most (the page says when there were more)."""
EXCERPT = 80
"""Characters of context kept on each side of the first match in a long text."""


def fold(text: str, lang: str) -> str:
    """``text`` for case-insensitive matching: Turkish ``I``/``İ`` lowered as Turkish
    lowers them in Turkish text, then case-folded, combining dots dropped."""
    if lang in ("tr", "az"):
        text = text.replace("I", "ı").replace("İ", "i")
    folded = unicodedata.normalize("NFC", text).casefold()
    return folded.replace("\u0307", "")


def search(workspace: Workspace, lang: str, query: str, *, only: str | None = None) -> dict[str, Any]:
    """The entries of ``lang``'s catalogs whose source or translation holds ``query``."""
    query = query.strip()
    if not query:
        raise BadRequest("type something to search for")
    if len(query) > MAX_QUERY:
        raise BadRequest(f"a search may hold {MAX_QUERY} characters at most")
    refs = [r for r in workspace.refs().values() if r.lang == lang]
    if not refs:
        raise NotFound(f"no catalogs in {lang!r} in this project")
    order = {"analysis": 0, "author": 1, "ui": 2}
    refs.sort(key=lambda r: (order[r.kind], r.title))
    results: list[dict[str, Any]] = []
    more = False
    for ref in refs:
        try:
            loaded = workspace.load(ref)
        except EditorError:
            continue  # a missing or broken catalog: the dashboard shows why
        source_lang = ref.source_lang
        needle_source, needle_target = fold(query, source_lang), fold(query, lang)
        blocks = {b.key: b for b in loaded.po.entries}
        for number, (msgid, context) in enumerate(workspace.listed(ref), 1):
            block = blocks.get(entry_key(msgid, context))
            msgstr = block.msgstr if block is not None else ""
            in_source = needle_source in fold(msgid, source_lang)
            in_target = bool(msgstr) and needle_target in fold(msgstr, lang)
            if not (in_source or in_target):
                continue
            if len(results) == LIMIT:
                more = True
                break
            key = entry_key(msgid, context)
            results.append({
                "catalog": ref.id, "title": ref.title, "kind": ref.kind, "path": ref.rel, "source_lang": source_lang,
                "key": key, "number": number, "line": block.msgid_line + 1 if block is not None else None,
                "source": excerpt(msgid, needle_source, source_lang),
                "translation": excerpt(msgstr, needle_target, lang),
                "in_source": in_source, "in_translation": in_target,
                "state": "missing" if block is None else "untranslated" if not msgstr
                else "fuzzy" if block.fuzzy else "translated",
                "reviewed": block is not None and block.reviewed,
                "url": f"/edit/{ref.id}#entry-{key}",
            })
        if more:
            break
    return {"lang": lang, "query": query, "results": results, "more": more}


def excerpt(text: str, needle: str, lang: str) -> str:
    """``text``, or for a long one the part around the first match (… where cut)."""
    if len(text) <= 2 * EXCERPT + len(needle):
        return text
    at = fold(text, lang).find(needle)
    if at < 0:
        return text[: 2 * EXCERPT] + "…"
    start, end = max(0, at - EXCERPT), min(len(text), at + len(needle) + EXCERPT)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
