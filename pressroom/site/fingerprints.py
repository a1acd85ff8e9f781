"""Project files -> input digests -> output keys; the build cache that remembers them.

Every output is keyed by a digest of everything it is made from: an analysis page
and its PDF by the source, its catalog in that language, the author page and its
catalog, the UI catalog of the language, templates/ (stylesheets and fonts
included), the configuration, the toolkit's own code and the libraries that shape
the output (``toolchain``: the PDF ones for PDF outputs only). An output whose key
is unchanged, and whose file is still in site/, is reused as it is.

The cache (``.pressroom-cache/state.json``) is written atomically and only after a
build's site/ is in place: a build that stops half-way leaves the previous site and
the previous cache, which still describe each other.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..catalogs.files import UI_DOMAIN, catalog_path
from ..config import CONFIG_FILE, Config
from ..sources.documents import Content, Document
from .results import ArticleResult, ListedArticle, ListingKey, PageKey, PageManifest
from .toolchain import page_toolchain, pdf_toolchain

CACHE_DIR = ".pressroom-cache"
STATE_FILE = "state.json"
DIGESTS_FILE = "digests.json"
STATE_VERSION = 9
"""Format of the cache file; a cache of another version is ignored (a full build)."""
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


def file_digest(path: Path) -> str:
    try:
        return digest(path.read_bytes())
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

    def base(self, lang: str, pdf: bool) -> str:
        """What every page of ``lang`` depends on."""
        return digest(self.toolkit, self.pdf_toolchain if pdf else "", self.config, self.templates, self.ui[lang],
                      str(pdf))

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


class DigestCache:
    """File digests by file signature (``.pressroom-cache/digests.json``), as git's
    index keeps them: a file whose modification time, size and inode are those it
    had when it was digested is not read again. A signature is trusted only when
    the file was last written ``RACY`` seconds or more before it was digested (a
    file written again within the file system's timestamp granularity could keep
    its signature); others are read on every build until they are old enough."""

    RACY = 2

    def __init__(self, config: Config):
        self.path = config.root / CACHE_DIR / DIGESTS_FILE
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

    def digest(self, path: Path) -> str:
        name = os.fspath(path)
        try:
            info = os.stat(name)
        except FileNotFoundError:
            return "missing"
        signature = [info.st_mtime_ns, info.st_size, info.st_ino]
        known = self.files.get(name)
        if known is not None and known[:3] == signature:
            return known[3]
        value = file_digest(path)
        if info.st_mtime_ns < self.started - self.RACY * 1_000_000_000 and value not in ("missing", "directory"):
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
    documents = {doc.path: cache.digest(config.root / doc.path) for doc in content.documents}
    domains = [doc.domain for doc in content.documents]
    paths = {
        (domain, lang): catalog_path(config, lang, domain)
        for domain in [*domains, UI_DOMAIN]
        for lang in config.languages
    }
    read = {key: cache.digest(path) for key, path in paths.items()}
    catalogs = {key: value for key, value in read.items() if key[0] != UI_DOMAIN}
    ui = {lang: read[UI_DOMAIN, lang] for lang in config.languages}
    cache.read = {os.fspath(config.root / doc.path) for doc in content.documents} | {
        os.fspath(path) for path in paths.values()}
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


@dataclass(frozen=True)
class CachedArticle:
    """An analysis page as the last build made it: its key, what its job returned,
    and digests of what listings show of it: ``listing``, its ``ListedArticle``
    (index, topics, author pages, feed), and ``progress``, its ``PageManifest``
    (translation-status pages)."""

    key: str
    result: ArticleResult
    listing: str = ""
    progress: str = ""

    @classmethod
    def of(cls, key: str, result: ArticleResult) -> CachedArticle:
        return cls(key, result, _shown(result.listed), _shown(result.manifest))


def _shown(part: ListedArticle | PageManifest | None) -> str:
    return digest(json.dumps(part.to_json() if part is not None else None, ensure_ascii=False, sort_keys=True))


@dataclass(frozen=True)
class CachedListing:
    """A listing group as the last build made it: its key and its files."""

    key: str
    files: tuple[str, ...]


@dataclass
class State:
    """What the last successful build made, and from what."""

    articles: dict[PageKey, CachedArticle] = field(default_factory=dict)
    pages: dict[ListingKey, CachedListing] = field(default_factory=dict)
    umask: int | None = None
    """The umask the files were made under (their modes follow it)."""
    every_build: tuple[str, ...] = ()
    """The files that no analysis or listing names and that every build that renders
    writes again (the manifest, the sitemap, the 404 pages), relative to site/."""

    def files(self) -> set[str]:
        """Every file of the site this state describes, relative to site/."""
        files = set(self.every_build)
        for article in self.articles.values():
            files.update(article.result.files)
        for listing in self.pages.values():
            files.update(listing.files)
        return files

    def to_json(self) -> str:
        """The cache file's text: the analysis pages and the listing groups as lists
        of objects, each with its key's fields (JSON keys are strings only)."""
        articles = [{"key": entry.key, "listing": entry.listing, "progress": entry.progress,
                     **entry.result.to_json()}
                    for entry in self.articles.values()]
        pages = [{"key": entry.key, "kind": name.kind, "lang": name.lang, "author": name.author,
                  "shard": name.shard, "files": list(entry.files)} for name, entry in self.pages.items()]
        return json.dumps({"version": STATE_VERSION, "articles": articles, "pages": pages, "umask": self.umask,
                           "every_build": list(self.every_build)}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> State:
        """The state ``to_json`` wrote; an empty one for a cache of another format
        (an older toolkit's): the next build is then a full one."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return cls()
        state = cls(umask=data["umask"], every_build=tuple(data["every_build"]))
        for entry in data["articles"]:
            result = ArticleResult.from_json(entry)
            state.articles[result.page] = CachedArticle(
                entry["key"], result, entry["listing"], entry["progress"])
        for entry in data["pages"]:
            name = ListingKey(entry["kind"], entry["lang"], entry["author"], entry.get("shard"))
            state.pages[name] = CachedListing(entry["key"], tuple(entry["files"]))
        return state


def load_state(config: Config) -> State:
    """The cache of the last build; empty if there is none, it is unreadable or of
    another format, or site/ is gone."""
    path = config.root / CACHE_DIR / STATE_FILE
    if not config.site_dir.is_dir():
        return State()
    try:
        return State.from_json(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError, UnicodeDecodeError, KeyError, TypeError):
        return State()  # no cache, or one this version cannot read: everything is rendered again


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


def save_state(config: Config, state: State, name: str = STATE_FILE) -> None:
    """Write ``state`` as the cache file ``name`` atomically."""
    write_atomically(config.root / CACHE_DIR / name, state.to_json())


def write_atomically(path: Path, text: str, durable: bool = False) -> None:
    """Write a cache file whole or not at all (a temporary file renamed over it);
    ``durable``: the rename synced too, so that the file survives a crash."""
    path.parent.mkdir(exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
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
