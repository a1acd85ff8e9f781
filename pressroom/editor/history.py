"""A catalog entry -> its earlier translations: from git, and from the editor's journal.

When the project is a git repository and the catalog is in it, the history is the
catalog's ``git log``: each commit that changed the file is read back (``git show
<commit>:<path>``, parsed by the PO reader) and the entry's translation taken from it,
with the commit's date, subject and abbreviated hash. The editor also keeps a
journal of its own saves, one JSON line per save in
``.pressroom-cache/journal/<lang>/<domain>.jsonl`` (append-only; ``.pressroom-cache``
is never committed): in a git repository the saves made since the last commit come
from it, elsewhere the whole history does.

Versions are newest first; consecutive identical translations are one version (a
commit that changed another entry is not a version of this one), and an empty
translation is none. Reading is cached per file and commit, so opening one entry
after another reads each version of the file once.
"""

from __future__ import annotations

import json
import subprocess
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import CatalogError
from ..po import decode_po
from ..site.fingerprints import CACHE_DIR
from .store import CatalogRef

MAX_COMMITS = 200
"""Commits of a catalog read at most (the newest)."""
_GIT_TIMEOUT = 20


@dataclass(frozen=True)
class Version:
    msgstr: str
    fuzzy: bool
    reviewed: bool
    date: str
    """ISO 8601, with its offset."""
    source: str
    """``git`` or ``journal``."""
    subject: str = ""
    commit: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"msgstr": self.msgstr, "fuzzy": self.fuzzy, "reviewed": self.reviewed, "date": self.date,
                "source": self.source, "subject": self.subject, "commit": self.commit}


class History:
    """Entry histories of a project's catalogs; safe to use from several threads."""

    def __init__(self, root: Path):
        self.root = root
        self._lock = threading.Lock()
        self._commits: dict[tuple[str, str], dict[str, tuple[str, bool, bool]]] = {}
        """(commit, path) -> entry key -> (msgstr, fuzzy, reviewed) in that commit."""

    # -- the journal -------------------------------------------------------------------------

    def journal_path(self, ref: CatalogRef) -> Path:
        return self.root / CACHE_DIR / "journal" / ref.lang / f"{ref.domain}.jsonl"

    def record(self, ref: CatalogRef, key: str, before: dict[str, Any], after: dict[str, Any]) -> None:
        """Append one save to the catalog's journal (the entry before and after it)."""
        path = self.journal_path(ref)
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"time": _now(), "key": key, "before": before, "after": after}, ensure_ascii=False)
        with self._lock, path.open("a", encoding="utf-8") as journal:
            journal.write(line + "\n")

    def _journal(self, ref: CatalogRef, key: str) -> list[Version]:
        """This entry's versions in the journal, oldest first: the one before its first
        recorded save, then each save's."""
        path = self.journal_path(ref)
        if not path.exists():
            return []
        versions: list[Version] = []
        for text in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = json.loads(text)
                if record.get("key") != key:
                    continue
                if not versions:
                    versions.append(_version(record["before"], record.get("since", ""), "journal"))
                versions.append(_version(record["after"], record["time"], "journal"))
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # a line cut short by a crash: the others still count
        return versions

    # -- git ---------------------------------------------------------------------------------

    def _git(self, *args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", str(self.root), *args], capture_output=True, text=True, timeout=_GIT_TIMEOUT, check=False,
                encoding="utf-8", errors="replace",
            )
        except (OSError, subprocess.TimeoutExpired):
            return None  # no git installed, or it hangs: the journal is the history
        return done.stdout if done.returncode == 0 else None

    def _git_versions(self, ref: CatalogRef, key: str) -> list[Version] | None:
        """The entry in each commit that changed the catalog, oldest first; None when
        the catalog is not in a git repository."""
        log = self._git("log", f"-n{MAX_COMMITS}", "--format=%H%x00%aI%x00%s", "--", ref.rel)
        if log is None or not log.strip():
            return None
        versions = []
        for line in reversed(log.splitlines()):
            commit, date, subject = (line.split("\x00") + ["", ""])[:3]
            found = self._at(commit, ref.rel).get(key)
            if found is not None:
                versions.append(Version(*found, date, "git", subject, commit[:10]))
        return versions

    def _at(self, commit: str, rel: str) -> dict[str, tuple[str, bool, bool]]:
        with self._lock:
            cached = self._commits.get((commit, rel))
        if cached is not None:
            return cached
        data = self._git_bytes(f"{commit}:./{rel}")  # ./: relative to the project, not the repository
        entries: dict[str, tuple[str, bool, bool]] = {}
        if data is not None:
            try:
                po = decode_po(data, f"{rel}@{commit[:10]}")
            except CatalogError:
                po = None  # a commit with a broken catalog has no versions to offer
            if po is not None:
                entries = {e.key: (e.msgstr, e.fuzzy, e.reviewed) for e in po.messages if not e.plural}
        with self._lock:
            self._commits[(commit, rel)] = entries
        return entries

    def _git_bytes(self, spec: str) -> bytes | None:
        try:
            done = subprocess.run(["git", "-C", str(self.root), "show", spec], capture_output=True,
                                  timeout=_GIT_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout if done.returncode == 0 else None

    # -- together ----------------------------------------------------------------------------

    def versions(self, ref: CatalogRef, key: str, current: str) -> dict[str, Any]:
        """The entry's earlier translations, newest first (``current``: its text now)."""
        git = self._git_versions(ref, key)
        journal = self._journal(ref, key)
        if git is not None:
            last = git[-1].date if git else ""
            found = git + [v for v in journal if v.source == "journal" and _later(v.date, last)]
            source = "git"
        else:
            found, source = journal, "journal" if journal else "none"
        kept: list[Version] = []
        for version in found:
            if version.msgstr and (not kept or kept[-1].msgstr != version.msgstr):
                kept.append(version)
        # "current": the newest version, if it is the text now; an older one with the
        # same text (changed, then changed back) is only "same": nothing to restore.
        rows = [v.as_dict() | {"current": i == 0 and v.msgstr == current, "same": v.msgstr == current}
                for i, v in enumerate(reversed(kept))]
        return {"source": source, "versions": rows}


def _version(state: dict[str, Any], date: str, source: str) -> Version:
    return Version(str(state["msgstr"]), bool(state.get("fuzzy")), bool(state.get("reviewed")), date, source)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _later(date: str, than: str) -> bool:
    """Whether ISO date ``date`` is after ``than`` (an empty one is after nothing)."""
    try:
        return not than or datetime.fromisoformat(date) > datetime.fromisoformat(than)
    except ValueError:
        return False
