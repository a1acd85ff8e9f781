"""The build cache (``.pressroom-cache/state.txt``): what the last successful build
made, and from what.

Each analysis page keeps its key, its files, problems and images, and what listings
show of it: its ``ListedArticle`` (index, topics, author pages, feed) and its
``PageManifest`` (site/manifest.json, translation-status pages) as their JSON text,
with digests of both (``listing``, ``progress``). A build reads those texts only
where it shows them again: at 5,000 analyses, turning all 15,000 rows into objects
on every build, and back, took two seconds of a build that changed one entry.

The cache is written atomically and only after a build's site/ is in place
(``publish``): a build that stops half-way leaves the previous site and the previous
cache, which still describe each other.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from ..config import Config
from ..errors import Problem
from .fingerprints import CACHE_DIR, STATE_FILE, digest, write_atomically
from .results import ArticleResult, ListedArticle, ListingKey, PageKey, PageManifest

STATE_VERSION = 11
"""Format of the cache file; a cache of another version is ignored (a full build)."""


@dataclass(frozen=True)
class CachedArticle:
    """An analysis page as the last build made it."""

    key: str
    page: PageKey
    files: tuple[str, ...]
    """Outputs, relative to site/."""
    listed_json: bytes
    """Its ``ListedArticle`` as JSON text, UTF-8 (``null``: not rendered)."""
    manifest_json: bytes
    """Its ``PageManifest`` as JSON text, UTF-8, as site/manifest.json writes it (``null``: not rendered)."""
    problems: tuple[Problem, ...] = ()
    images: tuple[tuple[str, str], ...] = ()
    """As ``ArticleResult.images``."""
    listing: str = ""
    """Digest of what the index, topic and author pages and feeds show of it (``listed_json``)."""
    progress: str = ""
    """Digest of what a translation-status page shows of it (``manifest_json``)."""
    line: bytes | None = field(default=None, init=False, compare=False, repr=False)
    """Its line in the cache file, once read or written (not copied by ``replace``)."""

    @classmethod
    def of(cls, key: str, result: ArticleResult) -> CachedArticle:
        listed, manifest = _text(result.listed), _text(result.manifest)
        return cls(key, result.page, result.files, listed, manifest, result.problems, result.images,
                   digest(listed), digest(manifest))

    def to_line(self) -> bytes:
        """Its line in the cache file (see ``State.lines``)."""
        if self.line is None:
            fields = json.dumps([self.key, self.page.slug, self.page.lang, self.files,
                                 [problem.__dict__ for problem in self.problems], self.images, self.listing,
                                 self.progress], ensure_ascii=False)
            object.__setattr__(self, "line", b"\t".join([fields.encode(), self.listed_json, self.manifest_json]))
        return self.line

    @classmethod
    def from_line(cls, line: bytes) -> CachedArticle:
        fields, listed, manifest = line.split(b"\t")
        if not (_object_text(listed) and _object_text(manifest)):
            raise ValueError(f"not the JSON text of an object: {line!r}")
        key, slug, lang, files, problems, images, listing, progress = json.loads(fields)
        entry = cls(key, PageKey(slug, lang), tuple(files), listed, manifest,
                    tuple(Problem(**problem) for problem in problems), tuple((path, value) for path, value in images),
                    listing, progress)
        object.__setattr__(entry, "line", line)
        return entry

    @cached_property
    def listed(self) -> ListedArticle:
        assert self.listed_json != b"null", f"{self.page} was not rendered"  # such a build fails before listings
        return ListedArticle.from_json(json.loads(self.listed_json))

    @cached_property
    def manifest(self) -> PageManifest:
        assert self.manifest_json != b"null", f"{self.page} was not rendered"
        return PageManifest.from_json(json.loads(self.manifest_json))


def _text(part: ListedArticle | PageManifest | None) -> bytes:
    return json.dumps(part.to_json() if part is not None else None, ensure_ascii=False).encode()


@dataclass(frozen=True)
class CachedListing:
    """A listing group as the last build made it: its key and its files, and the
    problems found in what it shows (the topic pages': a tag translated otherwise
    than its topic), reported again while its key stays the same."""

    key: str
    files: tuple[str, ...]
    problems: tuple[Problem, ...] = ()


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
            files.update(article.files)
        for listing in self.pages.values():
            files.update(listing.files)
        return files

    def to_json(self) -> bytes:
        """The cache file's bytes (``lines``)."""
        return b"".join(self.lines())

    def lines(self) -> Iterator[bytes]:
        """The cache file's lines (UTF-8): a first one with the listing groups and the
        rest (JSON), then one per analysis page: its fields as a JSON list, a tab, its
        ``listed_json``, a tab, its ``manifest_json`` (JSON text escapes tabs and line
        breaks: neither occurs in it). A page's line read from the cache is written
        back as it is, and the file is written line by line (not as one string of
        tens of megabytes, then its bytes). Bytes throughout: decoding the 20 MB of an
        archive's cache as text was a third of the time it took to read it."""
        pages = [{"key": entry.key, "kind": name.kind, "lang": name.lang, "author": name.author,
                  "shard": name.shard, "files": entry.files, "problems": [p.__dict__ for p in entry.problems]}
                 for name, entry in self.pages.items()]
        yield json.dumps({"version": STATE_VERSION, "pages": pages, "umask": self.umask,
                          "every_build": self.every_build}, ensure_ascii=False).encode() + b"\n"
        for entry in self.articles.values():
            yield entry.to_line() + b"\n"

    @classmethod
    def from_json(cls, data: bytes) -> State:
        """The state ``to_json`` wrote; an empty one for a cache of another format
        (an older toolkit's): the next build is then a full one. Raises ValueError
        (UnicodeDecodeError among them), KeyError or TypeError for a cache of this
        format it cannot read."""
        first, _, rest = data.partition(b"\n")
        data = json.loads(first)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            return cls()
        state = cls(umask=data["umask"], every_build=tuple(data["every_build"]))
        for entry in data["pages"]:
            name = ListingKey(entry["kind"], entry["lang"], entry["author"], entry["shard"])
            state.pages[name] = CachedListing(entry["key"], tuple(entry["files"]),
                                              tuple(Problem(**problem) for problem in entry["problems"]))
        for line in rest.splitlines():
            entry = CachedArticle.from_line(line)
            state.articles[entry.page] = entry
        return state


def _object_text(text: bytes) -> bool:
    """Whether ``text`` looks like what ``_text`` writes (read only when shown: then
    decoded, so a cache whose text is not UTF-8 fails there, as a ValueError)."""
    return text == b"null" or (text.startswith(b"{") and text.endswith(b"}"))


def load_state(config: Config) -> State:
    """The cache of the last build; empty if there is none, it is unreadable or of
    another format, or site/ is gone."""
    path = config.root / CACHE_DIR / STATE_FILE
    if not config.site_dir.is_dir():
        return State()
    try:
        return State.from_json(path.read_bytes())
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return State()  # no cache, or one this version cannot read: everything is rendered again


def save_state(config: Config, state: State, name: str = STATE_FILE) -> None:
    """Write ``state`` as the cache file ``name`` atomically."""
    write_atomically(config.root / CACHE_DIR / name, state.lines())
    (config.root / CACHE_DIR / "state.json").unlink(missing_ok=True)  # the cache file of earlier cache formats
