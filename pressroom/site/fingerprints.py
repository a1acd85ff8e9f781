"""Project files -> input digests -> output keys.

Every output is keyed by a digest of everything it is made from: an analysis page
and its PDF by the source, its catalog in that language, the author page and its
catalog, the UI catalog of the language, templates/ (stylesheets and fonts
included), the configuration, the toolkit's own code and the libraries that shape
the output (``toolchain``: the PDF ones for PDF outputs only). An output whose key
is unchanged, and whose file is still in site/, is reused as it is: the build cache
(``state``) remembers the keys.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from .. import __version__
from ..catalogs.files import UI_DOMAIN, catalog_path
from ..config import CONFIG_FILE, Config
from ..sources.documents import Content, Document
from .toolchain import page_toolchain, pdf_toolchain

CACHE_DIR = ".pressroom-cache"
STATE_FILE = "state.txt"
DIGESTS_FILE = "digests.json"
_PACKAGE = Path(__file__).resolve().parent.parent
"""The toolkit's package directory (``pressroom/``)."""


def file_signature(path: Path) -> tuple[int, int, int] | None:
    """What changes when a file is written (None: there is none)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def digest(*parts: str | bytes) -> str:
    """A key for ``parts`` (SHA-256, which processors hash in hardware: the fastest
    of hashlib's here, over the tens of megabytes of catalogs an archive has)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:32]


def file_digest(path: Path | str) -> str:
    try:
        with open(path, "rb") as f:
            return digest(f.read())
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        return "directory"  # the stage that reads it says what is wrong


def tree_digest(root: Path, pattern: str = "**/*") -> str:
    files = sorted(p for p in root.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    return digest(*(f"{p.relative_to(root).as_posix()}={file_digest(p)}" for p in files))


@dataclass(frozen=True)
class Inputs:
    """Digests of everything a build reads."""

    documents: dict[str, str]
    """Source path -> digest."""
    catalogs: dict[tuple[str, str], str]
    """(domain, language) -> digest of its catalog ("missing" if none)."""
    ui: dict[str, str]
    """Language -> digest of its UI catalog."""
    templates: str
    config: str
    toolkit: str
    """The toolkit's code and the libraries that shape every page."""
    pdf_toolchain: str
    """The libraries (and fonts) that shape the PDF editions; "" when they are not built."""
    _bases: dict[tuple[str, bool], str] = field(default_factory=dict, compare=False, repr=False)

    def base(self, lang: str, pdf: bool) -> str:
        """What every page of ``lang`` depends on."""
        if (lang, pdf) not in self._bases:
            self._bases[lang, pdf] = digest(self.toolkit, self.pdf_toolchain if pdf else "", self.config,
                                            self.templates, self.ui[lang], str(pdf))
        return self._bases[lang, pdf]

    def article(self, doc: Document, author: Document, lang: str, pdf: bool) -> str:
        return digest(
            self.base(lang, pdf),
            self.documents[doc.path],
            self.catalogs[doc.domain, lang],
            self.documents[author.path],
            self.catalogs[author.domain, lang],
        )


def with_images(key: str, images: tuple[tuple[str, str], ...], current: Callable[[str], str]) -> str:
    """An analysis page's key: ``key`` (its sources, catalogs, templates…) and the
    digests of the image files it shows, as ``current`` gives them now (a file's
    project path -> its digest). The images are those its last rendering found
    (``ArticleResult.images``): a page whose source changed is rendered anyway,
    and finds them again."""
    if not images:
        return key
    return digest(key, *(f"{path}={current(path)}" for path, _ in images))


class ImageDigests:
    """Digests of image files, each read once per build (images are shared)."""

    def __init__(self, root: Path):
        self.root = root
        self._known: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        if path not in self._known:
            try:
                self._known[path] = hashlib.sha256((self.root / path).read_bytes()).hexdigest()
            except OSError:
                self._known[path] = "missing"
        return self._known[path]


_NOT_OUTPUT = {"commands", "editor", "checks", "machine", "cli.py", "site/publish.py", "site/journal.py"}
"""Parts of the toolkit that do not shape what a build writes (editing them keeps the cache)."""


def _output_code() -> list[Path]:
    return sorted(
        p for p in [*_PACKAGE.rglob("*.py"), *_PACKAGE.rglob("*.dic")]
        if "__pycache__" not in p.parts and not _NOT_OUTPUT & {p.relative_to(_PACKAGE).parts[0], p.relative_to(_PACKAGE).as_posix()}
    )


RACY = 2
"""Seconds: a file written less than this before a build looked at it could be
written again within the file system's timestamp granularity and keep its signature."""


def trusted(signature: list[int], since: int) -> bool:
    """Whether a file's signature (mtime in nanoseconds first) may stand for its
    content in a cache, as git's racy rule has it: written ``RACY`` seconds or more
    before ``since`` (``time.time_ns()`` when the build began)."""
    return signature[0] < since - RACY * 1_000_000_000


class DigestCache:
    """File digests by file signature (``.pressroom-cache/digests.json``), as git's
    index keeps them: a file whose modification time, size and inode are those it
    had when it was digested is not read again. Only ``trusted`` signatures are kept;
    other files are read on every build until they are old enough."""

    def __init__(self, config: Config, signatures: dict[str, list[int]] | None = None):
        self.path = config.root / CACHE_DIR / DIGESTS_FILE
        self.signatures = signatures or {}
        """Signatures already taken (``snapshot.Snapshot.inputs``): not taken again."""
        self.files: dict[str, list] = {}
        self.changed = False
        self.read: set[str] = set()
        """The files the last ``fingerprint`` digested: those the cache keeps."""
        self.started = time.time_ns()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") == 1 and isinstance(data.get("files"), dict):
                self.files = data["files"]
        except (OSError, ValueError, AttributeError):
            pass  # no cache, or an unreadable one: every file is read

    def digest(self, path: Path | str) -> str:
        name = os.fspath(path)
        signature = self.signatures.get(name)
        if signature is None:
            try:
                info = os.stat(name)
            except FileNotFoundError:
                return "missing"
            signature = [info.st_mtime_ns, info.st_size, info.st_ino]
        known = self.files.get(name)
        if known is not None and known[:3] == signature:
            return known[3]
        value = file_digest(path)
        if trusted(signature, self.started) and value not in ("missing", "directory"):
            self.files[name] = [*signature, value]
            self.changed = True
        return value

    def save(self) -> None:
        """Keep the digests of the files the last ``fingerprint`` read, atomically
        (by a build that succeeded: a failed one leaves no file changed)."""
        if not self.changed and set(self.files) <= self.read:
            return
        files = {name: entry for name, entry in self.files.items() if name in self.read}
        write_atomically(self.path, json.dumps({"version": 1, "files": files}, separators=(",", ":")))


def fingerprint(config: Config, content: Content, pdf: bool, cache: DigestCache | None = None) -> Inputs:
    """Digest every input file (no parsing: with ``cache``, only those changed since
    it was saved are read), and the versions of the libraries that shape the output
    (``pdf``: those of the PDF editions too)."""
    cache = cache or DigestCache(config)
    root = os.fspath(config.root)
    sources = {doc.path: os.path.join(root, doc.path) for doc in content.documents}
    documents = {name: cache.digest(path) for name, path in sources.items()}
    domains = [doc.domain for doc in content.documents]
    # (as catalog_path makes them: strings, which an archive's 15,000 take a tenth of the time to make)
    folders = {lang: os.fspath(catalog_path(config, lang, "x").parent) for lang in config.languages}
    paths = {
        (domain, lang): os.path.join(folders[lang], f"{domain}.po")
        for domain in [*domains, UI_DOMAIN]
        for lang in config.languages
    }
    read = {key: cache.digest(path) for key, path in paths.items()}
    catalogs = {key: value for key, value in read.items() if key[0] != UI_DOMAIN}
    ui = {lang: read[UI_DOMAIN, lang] for lang in config.languages}
    cache.read = {*sources.values(), *paths.values()}
    toolkit = digest(
        __version__,
        *(f"{p.relative_to(_PACKAGE)}={file_digest(p)}" for p in _output_code()),
        *_listed(page_toolchain()),
    )
    return Inputs(
        documents=documents,
        catalogs=catalogs,
        ui=ui,
        templates=tree_digest(config.templates_dir),
        config=file_digest(config.root / CONFIG_FILE),
        toolkit=toolkit,
        pdf_toolchain=digest(*_listed(pdf_toolchain())) if pdf else "",
    )


def _listed(versions: dict[str, str]) -> list[str]:
    return [f"{name}={version}" for name, version in sorted(versions.items())]


def current_umask() -> int:
    """This process's umask, read without changing it where the system tells
    (Linux: /proc), since setting it to read it races with other threads' files."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def write_atomically(path: Path, text: str | bytes | Iterable[str], durable: bool = False) -> None:
    """Write a cache file whole or not at all (a temporary file renamed over it);
    ``text`` may come in pieces. ``durable``: the rename synced too, so that the file
    survives a crash."""
    path.parent.mkdir(exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            for piece in [text] if isinstance(text, (str, bytes)) else text:
                f.write(piece.encode() if isinstance(piece, str) else piece)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


class Present:
    """Whether files are in site/, asked of the directory opened once (existence, as
    ``access`` tells it: an archive's plan asks of 45,000 files and its no-op build of
    65,000, and looking up each full path took twice as long). A context manager: the
    directory is closed at its end."""

    def __init__(self, site: Path):
        self.site = os.fspath(site)
        self.fd: int | None = None
        if os.access in os.supports_dir_fd:
            try:
                self.fd = os.open(site, os.O_RDONLY | os.O_DIRECTORY)
            except OSError:
                pass  # no site/: nothing is present

    def __call__(self, files: Iterable[str]) -> bool:
        if self.fd is None:
            return all(os.path.isfile(os.path.join(self.site, f)) for f in files)
        for name in files:  # (a loop: ``all`` of a generator cost as much as the calls)
            if not os.access(name, os.F_OK, dir_fd=self.fd):
                return False
        return True

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
