"""Sources parsed by an earlier build, by file signature: front matter read once.

A build of a 5,000-analysis archive spent a second reading 79 MB of sources and
parsing their front matter, to find them as they were. After a build that succeeded,
``.pressroom-cache/sources.pickle`` keeps each valid source's ``Document`` without
its body, under the signature its file had (modification time, size, inode: those
``snapshot`` took). The next build takes a document from it when its file's
signature is the same, else reads and parses the file (and reports its problems: an
invalid source is never kept). A kept document reads its body when asked
(``Document.body``): a build reads analyses' bodies in its workers, not here.

As in ``fingerprints.DigestCache``, only ``fingerprints.trusted`` signatures are
kept (the file written two seconds or more before the build began). The cache holds for one way
of parsing: the languages of the site, the toolkit's version and the code that parses
(``pressroom/sources/``), PyYAML's version; another is no cache.

The file is written by the build, into the project's own cache directory, and read
with an unpickler that makes only the types a ``Document`` holds (``Document``,
``Field``, dates and times): anything else in it is refused, and the cache ignored.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import time
from dataclasses import replace
from pathlib import Path

import yaml

from .. import __version__
from ..config import Config
from ..sources.documents import Document, Field
from ..sources.frontmatter import MonthDate
from .fingerprints import CACHE_DIR, digest, trusted, write_atomically

FILE = "sources.pickle"
_CODE = Path(__file__).resolve().parent.parent / "sources"
_TYPES = {
    ("pressroom.sources.documents", "Document"): Document,
    ("pressroom.sources.documents", "Field"): Field,
    ("pressroom.sources.frontmatter", "MonthDate"): MonthDate,
    ("datetime", "date"): dt.date,
    ("datetime", "datetime"): dt.datetime,
    ("datetime", "time"): dt.time,
    ("datetime", "timedelta"): dt.timedelta,
    ("datetime", "timezone"): dt.timezone,
    ("builtins", "set"): set,
    ("builtins", "frozenset"): frozenset,
    ("builtins", "bytes"): bytes,
}
"""What a kept document may hold: the dataclasses and the values YAML's safe loader makes."""


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        try:
            return _TYPES[module, name]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not a type of a kept source") from None


class KnownSources:
    """The documents an earlier build parsed, for ``load_content``."""

    def __init__(self, config: Config, signatures: dict[str, list[int]]):
        self.root = config.root
        self.path = config.root / CACHE_DIR / FILE
        self.signatures = signatures
        """Signatures of the project's files (``snapshot.Snapshot.inputs``)."""
        self.started = time.time_ns()
        self.parsing = _parsing(config)
        self.known: dict[str, tuple[list[int], Document]] = {}
        self.seen: set[str] = set()
        self.changed = False
        try:
            with open(self.path, "rb") as f:
                data = _Unpickler(io.BufferedReader(f)).load()
            if isinstance(data, dict) and data.get("parsing") == self.parsing and isinstance(data["known"], dict):
                self.known = data["known"]
        except FileNotFoundError:
            pass
        except Exception:  # noqa: BLE001 - whatever an unreadable or foreign file raises: no cache
            self.known = {}

    def get(self, path: str | Path) -> Document | None:
        """The document kept for ``path``, if its file is as it was then."""
        name = os.fspath(path)
        self.seen.add(name)
        kept = self.known.get(name)
        if kept is None or kept[0] != self.signatures.get(name):
            return None
        doc = kept[1]
        if not isinstance(doc, Document):
            return None
        doc.root = self.root
        return doc

    def keep(self, path: str | Path, doc: Document) -> None:
        """Keep ``doc`` (just parsed from ``path``) for the next build, if its file's
        signature can be trusted."""
        name = os.fspath(path)
        signature = self.signatures.get(name)
        if signature is None or not trusted(signature, self.started):
            self.known.pop(name, None)
            return
        self.known[name] = (signature, replace(doc, text=None, root=None))
        self.changed = True

    def save(self) -> None:
        """Write what this build read (by a build that succeeded)."""
        if not self.changed and set(self.known) <= self.seen:
            return
        known = {name: (signature, replace(doc, root=None))
                 for name, (signature, doc) in self.known.items() if name in self.seen}
        write_atomically(self.path, pickle.dumps({"parsing": self.parsing, "known": known}, protocol=5))


def _parsing(config: Config) -> list[str]:
    """What parsing depends on, beside the file."""
    code = digest(*(p.read_bytes() for p in sorted(_CODE.glob("*.py"))))
    return [__version__, yaml.__version__, code, *config.languages]
