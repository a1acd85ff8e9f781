"""content/**/*.md -> ``Document`` (validated front matter + Markdown body).

A document is an analysis (``content/analyses/<slug>.md``) or an author page
(``content/authors/<slug>.md``). Front matter is YAML between ``---`` lines
(``frontmatter.py``); every field keeps the source line it came from, for catalog
locations and messages. A file that cannot be a source (not UTF-8, unreadable, bad
front matter) is an error naming its line; a Markdown file that is not read
(``x.MD``, ``content/analysis/x.md``) is a warning: no source is skipped silently.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..config import Config
from ..errors import Report, SourceError
from .frontmatter import FrontMatterError, month_date
from .frontmatter import parse as parse_front_matter

if TYPE_CHECKING:
    from ..site.parsed import KnownSources

Kind = Literal["analysis", "author"]
DIRECTORIES: dict[str, Kind] = {"analyses": "analysis", "authors": "author"}
"""The folders of content/ that hold sources, and what their files are."""
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".mkdn"}
"""Endings (in any case) of files that look like Markdown sources; only ``.md`` is read."""
BOM = "\ufeff"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# field name -> (required type, required?, translatable?)
_ANALYSIS_FIELDS: dict[str, tuple[type | tuple[type, ...], bool, bool]] = {
    "title": (str, True, True),
    "date": (dt.date, True, False),
    "updated": (dt.date, False, False),
    "author": (str, True, False),
    "lang": (str, True, False),
    "summary": (str, True, True),
    "tags": (list, False, True),
    "notes_footer": (str, False, True),
}
_AUTHOR_FIELDS: dict[str, tuple[type | tuple[type, ...], bool, bool]] = {
    "name": (str, True, True),
    "lang": (str, True, False),
    "role": (str, False, True),
    "publisher": (bool, False, False),
}


@dataclass(frozen=True)
class Field:
    """A translatable front-matter value with its source line."""

    name: str
    value: str
    line: int


@dataclass
class Document:
    """One Markdown source file, front matter validated."""

    kind: Kind
    slug: str
    path: str
    """Relative to the project root, POSIX (``content/analyses/<slug>.md``)."""
    lang: str
    meta: dict[str, Any]
    fields: list[Field]
    """Translatable front-matter values in source order (title, summary, tags…)."""
    text: str | None = field(repr=False)
    """The Markdown body; None: not read yet (``body`` reads it from ``root``)."""
    body_line: int
    """Line number (1-based) of the body's first line in the file."""
    lines: dict[str, int] = field(default_factory=dict)
    """Front-matter key -> line, for messages."""
    root: Path | None = field(default=None, repr=False, compare=False)
    """The project's root, where a document kept without its body reads it."""

    @property
    def body(self) -> str:
        """The Markdown body (a document kept by ``sources.known`` reads it when asked)."""
        if self.text is None:
            assert self.root is not None, "a document without its body knows where to read it"
            self.text = read_body(self.root / self.path, self.path)
        return self.text

    @property
    def domain(self) -> str:
        """Catalog domain: ``<slug>`` for analyses, ``authors/<slug>`` for author pages."""
        return self.slug if self.kind == "analysis" else f"authors/{self.slug}"

    def targets(self, config: Config) -> list[str]:
        """Languages this document is translated into."""
        return [lang for lang in config.languages if lang != self.lang]


@dataclass
class Content:
    """Every document of the project."""

    analyses: list[Document]
    authors: dict[str, Document]

    @property
    def documents(self) -> list[Document]:
        return [*self.analyses, *self.authors.values()]


def analysis_files(config: Config) -> list[str]:
    """The analyses' source files, in the order every stage lists them (by name), as
    strings: every build lists them (``sorted(glob("*.md"))`` took a tenth of a second
    at 5,000 analyses, and making 5,000 ``Path`` objects most of another)."""
    folder = os.fspath(config.content_dir / "analyses")
    try:
        with os.scandir(folder) as entries:
            names = sorted(entry.name for entry in entries if entry.name.endswith(".md"))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [os.path.join(folder, name) for name in names]


def load_content(config: Config, report: Report, known: KnownSources | None = None) -> Content:
    """Read and validate every source; problems go to ``report``. With ``known``
    (a build's), a source parsed by an earlier build and unchanged since is taken
    from it, and every document comes without its body, read again only when asked
    (a build reads the analyses' bodies in its jobs: an archive's are tens of
    megabytes)."""

    def read(path: str, kind: Kind) -> Document | None:
        if known is None:
            return read_document(Path(path), kind, config, report)
        doc = known.get(path)
        if doc is None and (doc := read_document(Path(path), kind, config, report)) is not None:
            known.keep(path, doc)
            doc.text, doc.root = None, config.root
        return doc

    analyses = [doc for path in analysis_files(config) if (doc := read(path, "analysis")) is not None]
    authors = {
        doc.slug: doc
        for path in sorted((config.content_dir / "authors").glob("*.md"))
        if (doc := read(os.fspath(path), "author")) is not None
    }
    for doc in analyses:
        if doc.meta["author"] not in authors:
            report.error(
                doc.path,
                doc.lines.get("author"),
                f"author {doc.meta['author']!r} has no page content/authors/{doc.meta['author']}.md",
                "front-matter",
            )
    if not analyses:
        report.warning("content/analyses", None, "no analyses found", "content")
    report_unread(config, report)
    return Content(analyses, authors)


def report_unread(config: Config, report: Report) -> None:
    """A warning for each Markdown file under content/ that no command reads: a
    source named ``x.MD`` or ``x.markdown``, or one outside analyses/ and authors/."""
    root = config.content_dir
    for top, dirs, files in os.walk(root):  # not into linked directories: no loops
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # .git, editors' folders
        folder = Path(top).relative_to(root).parts
        sources = len(folder) == 1 and folder[0] in DIRECTORIES
        for name in sorted(files):
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in MARKDOWN_SUFFIXES:
                continue  # editors' swap files, and what is not Markdown (images)
            if sources and name.endswith(".md"):
                continue  # a source
            if sources:
                why = f"sources end in '.md' (lower case): rename it to {Path(name).stem}.md"
            else:
                why = "sources are content/analyses/<slug>.md and content/authors/<slug>.md"
            report.warning(config.rel(Path(top, name)), None, f"not read: {why}", "content")


def read_document(path: Path, kind: Kind, config: Config, report: Report) -> Document | None:
    """Read one source file; returns None (and reports why) if it is invalid."""
    rel = config.rel(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        data = path.read_bytes()
        line = data.count(b"\n", 0, exc.start) + 1
        report.error(rel, line, f"not UTF-8 text ({exc.reason} at byte {exc.start})", "encoding")
        return None
    except OSError as exc:  # a directory named x.md, a dangling link, no permission
        report.error(rel, None, f"cannot read the source: {exc.strerror or exc}", "content")
        return None
    return parse_document(text, rel, kind, config.languages, report)


def kind_of(path: str) -> Kind:
    """``content/authors/x.md`` is an author page; everything else an analysis."""
    return "author" if Path(path).parent.name == "authors" else "analysis"


def parse_document(
    text: str, rel: str, kind: Kind, languages: tuple[str, ...], report: Report
) -> Document | None:
    """Parse the text of one source file (``rel`` names it in messages). A UTF-8 byte
    order mark, which some Windows editors write, is not part of the text."""
    text = text.removeprefix(BOM)
    slug = Path(rel).stem
    if not SLUG.match(slug):
        report.error(rel, None, f"file name {slug!r} is not a slug (a-z, 0-9, hyphens)", "content")
        return None
    split = _split_front_matter(text)
    if isinstance(split, str):
        report.error(rel, 1, split, "front-matter")
        return None
    yaml_text, body, body_line = split
    try:
        front = parse_front_matter(yaml_text)
    except FrontMatterError as exc:
        for line, message in exc.problems:
            report.error(rel, line, message, "front-matter")
        return None
    meta, lines, item_lines = front.data, front.lines, front.item_lines
    spec = _ANALYSIS_FIELDS if kind == "analysis" else _AUTHOR_FIELDS
    ok = True
    for name in ("date", "updated"):
        if spec.get(name, (None,))[0] is not dt.date or not isinstance(meta.get(name), str):
            continue
        # a date known only to the month (``2024-11``): YAML reads it as text
        try:
            month = month_date(meta[name].strip())
        except ValueError as exc:
            report.error(
                rel, lines.get(name),
                f"front matter field {name!r} is not a valid month ({exc}: {meta[name]!r})", "front-matter",
            )
            return None
        if month is not None:
            meta[name] = month
    for name, (typ, required, _) in spec.items():
        value = meta.get(name)
        if value is None:
            if required:
                report.error(rel, 1, f"front matter lacks required field {name!r}", "front-matter")
                ok = False
            continue
        if not isinstance(value, typ) or (isinstance(value, bool) and typ is not bool) or (
            typ is dt.date and isinstance(value, dt.datetime)
        ):
            expected = {dt.date: "a date (YYYY-MM-DD) or a month (YYYY-MM)", bool: "true or false"}.get(
                typ, f"a {getattr(typ, '__name__', typ)}"
            )
            report.error(rel, lines.get(name), f"front matter field {name!r} must be {expected}", "front-matter")
            ok = False
        elif typ is str and not value.strip():
            report.error(rel, lines.get(name), f"front matter field {name!r} is empty", "front-matter")
            ok = False
    tags = meta.get("tags", [])
    if isinstance(tags, list) and not all(isinstance(t, str) and t.strip() for t in tags):
        report.error(rel, lines.get("tags"), "front matter field 'tags' must be a list of words", "front-matter")
        ok = False
    updated, date = meta.get("updated"), meta.get("date")
    if ok and isinstance(updated, dt.date) and isinstance(date, dt.date) and updated < date:
        report.error(rel, lines.get("updated"),
                     f"front matter field 'updated' ({updated.isoformat()}) is before the date ({date.isoformat()})",
                     "front-matter")
        ok = False
    lang = meta.get("lang")
    if isinstance(lang, str) and lang not in languages:
        report.error(
            rel,
            lines.get("lang"),
            f"unknown language {lang!r} (the site publishes {', '.join(languages)})",
            "front-matter",
        )
        ok = False
    if not ok:
        return None
    fields: list[Field] = []
    for name, (_, _, translatable) in spec.items():
        if not translatable or name not in meta:
            continue
        if name == "tags":
            fields.extend(Field("tag", t, ln) for t, ln in zip(meta["tags"], item_lines.get("tags", [])))
        else:
            fields.append(Field(name, " ".join(meta[name].split()), lines[name]))
    return Document(kind, slug, rel, lang, meta, fields, body, body_line, lines)


def read_body(path: Path, rel: str) -> str:
    """The Markdown body of a source file read before (its front matter known)."""
    try:
        split = _split_front_matter(path.read_text(encoding="utf-8").removeprefix(BOM))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read the source: {getattr(exc, 'strerror', None) or exc}", rel) from None
    if isinstance(split, str):
        raise SourceError(split, rel, 1)
    return split[1]


def _split_front_matter(text: str) -> tuple[str, str, int] | str:
    """Split ``---\\nYAML\\n---\\nbody``; returns (yaml, body, first body line), or
    what is wrong."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return "missing front matter: the file must start with a '---' line"
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    return "front matter not closed: no '---' line after the one on line 1"
