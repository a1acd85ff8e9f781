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
STATE_VERSION = 5
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


_NOT_OUTPUT = {"commands", "editor", "checks", "machine", "cli.py", "site/publish.py"}
"""Parts of the toolkit that do not shape what a build writes (editing them keeps the cache)."""


def _output_code() -> list[Path]:
    return sorted(
        p for p in [*_PACKAGE.rglob("*.py"), *_PACKAGE.rglob("*.dic")]
        if "__pycache__" not in p.parts and not _NOT_OUTPUT & {p.relative_to(_PACKAGE).parts[0], p.relative_to(_PACKAGE).as_posix()}
    )


def fingerprint(config: Config, content: Content, pdf: bool) -> Inputs:
    """Read and digest every input file (no parsing), and the versions of the
    libraries that shape the output (``pdf``: those of the PDF editions too)."""
    documents = {doc.path: file_digest(config.root / doc.path) for doc in content.documents}
    domains = [doc.domain for doc in content.documents]
    catalogs = {
        (domain, lang): file_digest(catalog_path(config, lang, domain))
        for domain in domains
        for lang in config.languages
    }
    ui = {lang: file_digest(catalog_path(config, lang, UI_DOMAIN)) for lang in config.languages}
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

    def to_json(self) -> str:
        """The cache file's text: the analysis pages and the listing groups as lists
        of objects, each with its key's fields (JSON keys are strings only)."""
        articles = [{"key": entry.key, "listing": entry.listing, "progress": entry.progress,
                     **entry.result.to_json()}
                    for entry in self.articles.values()]
        pages = [{"key": entry.key, "kind": name.kind, "lang": name.lang, "author": name.author,
                  "shard": name.shard, "files": list(entry.files)} for name, entry in self.pages.items()]
        return json.dumps({"version": STATE_VERSION, "articles": articles, "pages": pages, "umask": self.umask},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> State:
        """The state ``to_json`` wrote; an empty one for a cache of another format
        (an older toolkit's): the next build is then a full one."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return cls()
        state = cls(umask=data["umask"])
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


def save_state(config: Config, state: State) -> None:
    directory = config.root / CACHE_DIR
    directory.mkdir(exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".state.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(state.to_json())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, directory / STATE_FILE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
