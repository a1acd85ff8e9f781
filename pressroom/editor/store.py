"""Project catalogs -> what the editor shows (entries, progress, findings) and saves.

``Workspace`` knows the project's catalogs: one per document and target language
(``tr/<slug>``, ``tr/authors/<slug>``) and the UI catalogs (``tr/messages``). A
catalog is named by such an identifier and looked up in that list, never joined
into a path. A file is read again whenever its size, mtime or inode change (``git
pull``, Poedit), so what the editor shows is what is on disk.

A save changes one entry (``po.editor``) under a lock, after checking that the entry is
still what the client started from (its ``base``); otherwise it is a ``Conflict``
carrying both versions. Nothing is ever overwritten that the translator has not seen.
"""

from __future__ import annotations

import difflib
import errno
import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from babel.messages.catalog import Catalog

from .. import checks
from ..catalogs.files import UI_DOMAIN, catalog_path, read_catalog
from ..catalogs.templates import entries
from ..config import Config
from ..errors import CatalogError, Report
from ..po import Block, PoText, entry_key, write_atomic
from ..po.review import without_marks
from ..progress import progress
from ..project import Project, read_project
from ..segments.body import Body
from ..site.fingerprints import file_signature
from ..sources.documents import Document
from .errors import BadRequest, Conflict, NotFound, SaveFailed, Unprocessable
from .inline import inline_html
from .terms import Terms

Kind = Literal["analysis", "author", "ui"]
_WORDS = re.compile(r"\s+|[^\s]+")
_PLAIN = frozenset({"image alt", "image caption"})
"""Kinds of entries that are text, not Markdown (shown escaped, never rendered)."""


@dataclass(frozen=True)
class CatalogRef:
    """One catalog the editor may open."""

    id: str
    """``<lang>/<domain>``: ``tr/us-role-in-nato-russia-tensions``, ``tr/authors/editors``."""
    lang: str
    domain: str
    kind: Kind
    path: Path
    rel: str
    source_lang: str
    doc: Document | None
    """The document it translates; None for the UI strings."""

    @property
    def title(self) -> str:
        if self.doc is None:
            return "Interface strings"
        return str(self.doc.meta.get("title") or self.doc.meta.get("name") or self.doc.slug)


@dataclass
class Loaded:
    """A catalog as last read from disk."""

    signature: tuple[int, int, int]
    version: str
    po: PoText
    catalog: Catalog
    findings: dict[str, list[dict[str, str]]]
    """Entry key -> findings of its current translation (filled lazily)."""


@dataclass(frozen=True)
class Row:
    """One entry of a catalog's document, as found in the file."""

    number: int
    """1-based, in source order."""
    key: str
    msgid: str
    context: str | None
    kinds: list[str]
    locations: list[str]
    block: Block | None
    state: str
    """translated, fuzzy, untranslated, failing (translated, but an error-level check
    keeps the build from publishing it: ``checks.gate``) or missing (not in the
    catalog yet)."""
    findings: list[dict[str, str]]


def _state(block: Block) -> dict[str, Any]:
    """What a client must have started from to save over an entry."""
    return {"msgstr": block.msgstr, "flags": list(block.flags), "comment": block.comment}


class Workspace:
    """The project's catalogs for the editor; safe to use from several threads."""

    def __init__(self, config: Config):
        self.config = config
        self._lock = threading.RLock()
        self._save_lock = threading.Lock()
        self._project: Project | None = None
        self._content_signature: tuple = ()
        self._refs: dict[str, CatalogRef] = {}
        self._loaded: dict[str, Loaded] = {}
        self.terms = Terms(config)

    # -- the project and its catalogs ----------------------------------------------------

    def project(self) -> Project:
        """The sources, read again when a file of content/ changed."""
        files = sorted(self.config.content_dir.glob("*/*.md"))
        signature = tuple((p.as_posix(), file_signature(p)) for p in files)
        with self._lock:
            if self._project is None or signature != self._content_signature:
                self._project = read_project(self.config, Report())
                self._content_signature = signature
                self._refs = self._make_refs(self._project)
            return self._project

    def _make_refs(self, project: Project) -> dict[str, CatalogRef]:
        config = self.config
        refs: dict[str, CatalogRef] = {}
        for doc in project.content.documents:
            for lang in doc.targets(config):
                path = catalog_path(config, lang, doc.domain)
                kind: Kind = "analysis" if doc.kind == "analysis" else "author"
                refs[f"{lang}/{doc.domain}"] = CatalogRef(
                    f"{lang}/{doc.domain}", lang, doc.domain, kind, path, config.rel(path), doc.lang, doc
                )
        for lang in config.ui_targets:
            path = catalog_path(config, lang, UI_DOMAIN)
            refs[f"{lang}/{UI_DOMAIN}"] = CatalogRef(
                f"{lang}/{UI_DOMAIN}", lang, UI_DOMAIN, "ui", path, config.rel(path),
                config.template_language, None,
            )
        return refs

    def refs(self) -> dict[str, CatalogRef]:
        self.project()
        return self._refs

    def ref(self, lang: str, domain: str) -> CatalogRef:
        """The catalog named ``lang/domain``; anything else is ``NotFound``."""
        found = self.refs().get(f"{lang}/{domain}")
        if found is None:
            raise NotFound(f"no catalog {lang}/{domain} in this project")
        return found

    def body(self, ref: CatalogRef) -> Body:
        if ref.doc is None:
            return Body(ref.rel, [], {}, [])
        return self.project().bodies[ref.doc.path]

    def load(self, ref: CatalogRef) -> Loaded:
        """The catalog as it is on disk now (re-read when the file changed)."""
        signature = file_signature(ref.path)
        if signature is None:
            raise NotFound(f"{ref.rel} does not exist: run `python build.py update`")
        with self._lock:
            cached = self._loaded.get(ref.id)
            if cached is not None and cached.signature == signature:
                return cached
            data = ref.path.read_bytes()
            try:
                catalog = read_catalog(ref.path, ref.rel, ref.lang, ref.domain)
                text = data.decode("utf-8")
            except CatalogError as exc:
                raise Unprocessable(str(exc), path=exc.path, line=exc.line) from None
            except UnicodeDecodeError:
                raise Unprocessable(f"{ref.rel}: not UTF-8") from None
            loaded = Loaded(signature, hashlib.blake2b(data, digest_size=8).hexdigest(), PoText(text), catalog, {})
            self._loaded[ref.id] = loaded
            return loaded

    def version(self, ref: CatalogRef) -> str:
        return self.load(ref).version

    # -- entries -------------------------------------------------------------------------

    def _sources(self, ref: CatalogRef, loaded: Loaded) -> list[tuple[str, str | None, list[str], list[str]]]:
        """(msgid, context, kinds, locations) of the entries in source order; for the UI,
        the catalog's order."""
        if ref.doc is None:
            return [(b.msgid, b.context, b.auto_comments or ["interface string"], b.references)
                    for b in loaded.po.entries]
        found: dict[str, tuple[list[str], list[str]]] = {}
        for entry in entries(ref.doc, self.body(ref)):
            kinds, locations = found.setdefault(entry.msgid, ([], []))
            if entry.kind not in kinds:
                kinds.append(entry.kind)
            locations.append(f"{ref.doc.path}:{entry.line}")
        return [(msgid, None, kinds, locations) for msgid, (kinds, locations) in found.items()]

    def listed(self, ref: CatalogRef) -> list[tuple[str, str | None]]:
        """(msgid, context) of the entries the catalog's page lists, in its order."""
        return [(msgid, context) for msgid, context, _, _ in self._sources(ref, self.load(ref))]

    def rows(self, ref: CatalogRef) -> list[Row]:
        """The entries of the catalog's document in source order, with their blocks in
        the file (None: not in the catalog yet); catalog entries whose text is no
        longer in the source are not listed."""
        loaded = self.load(ref)
        self.glossary(ref.lang)  # a changed glossary changes the findings
        blocks = {b.key: b for b in loaded.po.entries}
        rows = []
        for number, (msgid, context, kinds, locations) in enumerate(self._sources(ref, loaded), 1):
            key = entry_key(msgid, context)
            block = blocks.get(key)
            if block is None:
                state = "missing"
            else:
                state = "untranslated" if not block.msgstr else "fuzzy" if block.fuzzy else "translated"
                if key not in loaded.findings:
                    loaded.findings[key] = self.findings(ref, msgid, block.msgstr, checks.check_flags(block.flags, block.comments))
            findings = loaded.findings.get(key, []) if block is not None else []
            if state == "translated" and any(f["blocks"] for f in findings):
                state = "failing"
            rows.append(Row(number, key, msgid, context, block.auto_comments if block and block.auto_comments
                            else kinds, locations, block, state, findings))
        return rows

    def entries(self, ref: CatalogRef) -> list[dict[str, Any]]:
        """Every entry as the editor shows it, in source order."""
        return [self._view(ref, row) for row in self.rows(ref)]

    def row(self, ref: CatalogRef, key: str) -> Row:
        for row in self.rows(ref):
            if row.key == key:
                return row
        raise NotFound(f"no entry {key} in {ref.rel} (the catalog changed: reload the page)")

    def entry(self, ref: CatalogRef, key: str) -> dict[str, Any]:
        return self._view(ref, self.row(ref, key))

    def _view(self, ref: CatalogRef, row: Row) -> dict[str, Any]:
        body = self.body(ref)
        plain = not _PLAIN.isdisjoint(row.kinds)
        block = row.block
        view: dict[str, Any] = {
            "key": row.key,
            "number": row.number,
            "msgid": row.msgid,
            "msgctxt": row.context,
            "kinds": row.kinds,
            "locations": row.locations,
            "state": row.state,
            "findings": row.findings,
            "source_html": inline_html(row.msgid, body, ui=ref.doc is None, plain=plain),
            "terms": self.terms.view(ref.lang, ref.source_lang, row.msgid, block.msgstr if block else "", body),
        }
        if block is None:
            return view | {
                "editable": False, "line": None, "msgstr": "", "fuzzy": False, "reviewed": False, "flags": [],
                "comment": "",
                "previous": None, "translation_html": "", "base": None,
                "note": "not in the catalog yet: run `python build.py update`",
            }
        return view | {
            "editable": not block.plural,
            "line": block.msgid_line + 1,
            "msgstr": block.msgstr,
            "fuzzy": block.fuzzy,
            "reviewed": block.reviewed,
            "flags": block.flags,
            "comment": _comment(block),
            "previous": _diff(block.previous, row.msgid) if block.previous and block.fuzzy else None,
            "translation_html": inline_html(block.msgstr, body, ui=ref.doc is None, plain=plain)
            if block.msgstr else "",
            "base": _state(block),
            "note": "plural entries are edited in a PO editor" if block.plural else None,
        }

    # -- checks --------------------------------------------------------------------------

    def glossary(self, lang: str):
        """The glossary of ``lang``; when it changed on disk, the findings shown for
        that language's catalogs are worked out again."""
        glossary, changed = self.terms.glossary(lang)
        if changed:
            with self._lock:
                for ref_id, loaded in self._loaded.items():
                    if ref_id.startswith(f"{lang}/"):
                        loaded.findings.clear()
        return glossary

    def findings(self, ref: CatalogRef, msgid: str, msgstr: str, flags: frozenset[str]) -> list[dict[str, str]]:
        """The translation checks of ``build.py check`` on one translation (fuzzy or
        not: a draft's problems are worth seeing before it is published); ``blocks``
        says whether the finding keeps the build from publishing it (``checks.gate``)."""
        if not msgstr:
            return []
        pair = checks.Pair(msgid, msgstr, ref.source_lang, ref.lang, self.body(ref), ui=ref.doc is None,
                           flags=frozenset(flags), glossary=self.glossary(ref.lang))
        found = [
            {"check": c.name, "severity": c.severity, "message": message, "blocks": checks.blocks(c)}
            for c, message in checks.check_pair(pair)
        ]
        found += [
            {"check": "flags", "severity": "warning", "message": message, "blocks": False}
            for message in checks.flag_warnings(flags)
        ]
        return found

    def check(self, ref: CatalogRef, key: str, msgstr: str) -> dict[str, Any]:
        """Findings and rendering of a translation being typed."""
        row = self.row(ref, key)
        flags = checks.check_flags(row.block.flags, row.block.comments) if row.block else frozenset()
        plain = not _PLAIN.isdisjoint(row.kinds)
        return {
            "findings": self.findings(ref, row.msgid, msgstr, flags),
            "html": inline_html(msgstr, self.body(ref), ui=ref.doc is None, plain=plain) if msgstr else "",
            "terms": self.terms.view(ref.lang, ref.source_lang, row.msgid, msgstr, self.body(ref)),
        }

    # -- progress ------------------------------------------------------------------------

    def summary(self, ref: CatalogRef) -> dict[str, Any]:
        """Entry counts (and source words) by state, as ``stats`` counts them (failing:
        not published), and ``findings``: entries with any finding of the checks."""
        try:
            rows = self.rows(ref)
        except (NotFound, Unprocessable) as exc:
            return {"error": exc.message}
        counts = {"translated": 0, "fuzzy": 0, "untranslated": 0, "failing": 0, "findings": 0, "reviewed": 0}
        for row in rows:
            counts["untranslated" if row.state == "missing" else row.state] += 1
            counts["findings"] += bool(row.findings)
            counts["reviewed"] += row.block is not None and row.block.reviewed
        counts["total"] = len(rows)
        if ref.doc is not None:
            refused = [r.msgid for r in rows if r.state == "failing"]
            words = progress(ref.lang, ref.doc.path, [r.msgid for r in rows], self.load(ref).catalog, ref.rel,
                             refused)
            counts["words"] = words.words.as_dict()
            counts["percent"] = round(words.percent)
        else:
            counts["percent"] = round(100 * counts["translated"] / counts["total"]) if counts["total"] else 100
        return counts

    # -- saving --------------------------------------------------------------------------

    def save(
        self, ref: CatalogRef, key: str, *, msgstr: str, fuzzy: bool, comment: str | None,
        base: dict[str, Any] | None, reviewed: bool | None = None,
    ) -> dict[str, Any]:
        """Write one entry if it is still ``base`` on disk; returns the saved entry.
        ``comment`` is the translator's comment without the review mark, which
        ``reviewed`` sets or clears (None: kept if the translation is unchanged)."""
        msgstr = msgstr.replace("\r\n", "\n")
        comment = comment.replace("\r\n", "\n").rstrip("\n") if comment is not None else None
        fuzzy = fuzzy and bool(msgstr)  # an empty translation is untranslated, not fuzzy
        with self._save_lock:
            self.load(ref)  # validates the file as the strict reader does
            text = ref.path.read_bytes().decode("utf-8")
            po = PoText(text)
            block = next((b for b in po.entries if b.key == key), None)
            if block is None:
                raise NotFound(f"no entry {key} in {ref.rel} (the source or the catalog changed: reload)")
            if block.plural:
                raise Unprocessable("plural entries are edited in a PO editor")
            current = _state(block)
            wanted_comment = _comment(block) if comment is None else comment
            if reviewed is None and (msgstr, fuzzy) == (block.msgstr, block.fuzzy):
                reviewed = block.reviewed
            wanted_review = bool(reviewed) and bool(msgstr) and not fuzzy
            if base is None or not _same(current, base):
                if (current["msgstr"] == msgstr and block.fuzzy == fuzzy and _comment(block) == wanted_comment
                        and block.reviewed == wanted_review):
                    return self.entry(ref, key)  # someone saved the very same thing
                yours = {"msgstr": msgstr, "fuzzy": fuzzy, "comment": wanted_comment, "reviewed": wanted_review}
                theirs = {"msgstr": block.msgstr, "fuzzy": block.fuzzy, "comment": _comment(block),
                          "reviewed": block.reviewed, "flags": block.flags}
                raise Conflict(
                    f"this entry of {ref.rel} was changed by someone else since you opened it",
                    yours=yours, theirs=theirs, base=current,
                )
            new_text = po.replace_entry(block, msgstr=msgstr, fuzzy=fuzzy, comment=comment, reviewed=wanted_review)
            if new_text != text:
                _verify(new_text, po, block, msgstr, fuzzy, wanted_comment, wanted_review)
                try:
                    write_atomic(ref.path, new_text.encode("utf-8"))
                except OSError as exc:
                    full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
                    raise SaveFailed(
                        f"{ref.rel} was not saved: {exc.strerror or exc}", status=507 if full else 500
                    ) from None
        return self.entry(ref, key)


def _same(current: dict[str, Any], base: dict[str, Any]) -> bool:
    try:
        return (
            current["msgstr"] == base["msgstr"]
            and sorted(current["flags"]) == sorted(base["flags"])
            and current["comment"] == str(base.get("comment", "")).replace("\r\n", "\n")
        )
    except (KeyError, TypeError):
        raise BadRequest("base must be the entry's msgstr, flags and comment as read") from None


def _comment(block: Block) -> str:
    """The translator comment as the translator edits it: without the review mark."""
    return "\n".join(without_marks(block.comments))


def _verify(new_text: str, old: PoText, block: Block, msgstr: str, fuzzy: bool, comment: str,
            reviewed: bool) -> None:
    """Refuse to write a text in which the entry does not read back as intended, or
    any other entry differs (a bug, never the translator's fault)."""
    new = PoText(new_text)
    after = new.find(block.msgid, block.context)
    ok = (
        after is not None
        and (after.msgstr, after.fuzzy, _comment(after), after.reviewed) == (msgstr, fuzzy, comment, reviewed)
        and len(new.blocks) == len(old.blocks)
        and all(
            (a.msgid, a.context, a.msgstr, a.flags, a.comments) == (b.msgid, b.context, b.msgstr, b.flags, b.comments)
            for a, b in zip(old.blocks, new.blocks)
            if a.msgid != block.msgid or a.context != block.context or a.obsolete
        )
    )
    if not ok:
        raise SaveFailed("internal error: the edited catalog would not read back as saved; nothing was written")


def _diff(old: str, new: str) -> list[list[str]]:
    """Word diff of a changed source text: ``[op, text]`` with op equal/delete/insert."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[list[str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            out.append(["equal" if op == "equal" else "delete", "".join(a[i1:i2])])
        if op in ("insert", "replace") and j2 > j1:
            out.append(["insert", "".join(b[j1:j2])])
    return out
