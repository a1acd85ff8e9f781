"""content/**/*.md -> ``Document`` (validated front matter + Markdown body).

A document is an analysis (``content/analyses/<slug>.md``) or an author page
(``content/authors/<slug>.md``). Front matter is YAML between ``---`` lines; every
field keeps the source line it came from, for catalog locations and messages.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from .config import Config
from .errors import Report

Kind = Literal["analysis", "author"]
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: same results, faster
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# field name -> (required type, required?, translatable?)
_ANALYSIS_FIELDS: dict[str, tuple[type | tuple[type, ...], bool, bool]] = {
    "title": (str, True, True),
    "date": (dt.date, True, False),
    "author": (str, True, False),
    "lang": (str, True, False),
    "summary": (str, True, True),
    "tags": (list, False, True),
}
_AUTHOR_FIELDS: dict[str, tuple[type | tuple[type, ...], bool, bool]] = {
    "name": (str, True, True),
    "lang": (str, True, False),
    "role": (str, False, True),
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
    body: str
    body_line: int
    """Line number (1-based) of the body's first line in the file."""
    lines: dict[str, int] = field(default_factory=dict)
    """Front-matter key -> line, for messages."""

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


def analysis_paths(config: Config) -> list[Path]:
    """The analyses' source files, in the order every stage lists them."""
    return sorted((config.content_dir / "analyses").glob("*.md"))


def load_content(config: Config, report: Report) -> Content:
    """Read and validate every source; problems go to ``report``."""
    analyses = [
        doc
        for path in analysis_paths(config)
        if (doc := read_document(path, "analysis", config, report)) is not None
    ]
    authors = {
        doc.slug: doc
        for path in sorted((config.content_dir / "authors").glob("*.md"))
        if (doc := read_document(path, "author", config, report)) is not None
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
    return Content(analyses, authors)


def read_document(path: Path, kind: Kind, config: Config, report: Report) -> Document | None:
    """Read one source file; returns None (and reports why) if it is invalid."""
    rel = config.rel(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        report.error(rel, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})", "encoding")
        return None
    return parse_document(text, rel, kind, config.languages, report)


def kind_of(path: str) -> Kind:
    """``content/authors/x.md`` is an author page; everything else an analysis."""
    return "author" if Path(path).parent.name == "authors" else "analysis"


def parse_document(
    text: str, rel: str, kind: Kind, languages: tuple[str, ...], report: Report
) -> Document | None:
    """Parse the text of one source file (``rel`` names it in messages)."""
    slug = Path(rel).stem
    if not SLUG.match(slug):
        report.error(rel, None, f"file name {slug!r} is not a slug (a-z, 0-9, hyphens)", "content")
        return None
    split = _split_front_matter(text)
    if split is None:
        report.error(rel, 1, "missing front matter: the file must start with a '---' line", "front-matter")
        return None
    yaml_text, body, body_line = split
    try:
        node, meta = _compose_and_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        report.error(rel, line, f"invalid front matter: {problem}", "front-matter")
        return None
    if not isinstance(meta, dict) or not isinstance(node, yaml.MappingNode):
        report.error(rel, 2, "invalid front matter: expected 'key: value' lines", "front-matter")
        return None
    lines = {k.value: v.start_mark.line + 2 for k, v in node.value}
    item_lines = {
        k.value: [item.start_mark.line + 2 for item in v.value]
        for k, v in node.value
        if isinstance(v, yaml.SequenceNode)
    }
    spec = _ANALYSIS_FIELDS if kind == "analysis" else _AUTHOR_FIELDS
    ok = True
    for name, (typ, required, _) in spec.items():
        value = meta.get(name)
        if value is None:
            if required:
                report.error(rel, 1, f"front matter lacks required field {name!r}", "front-matter")
                ok = False
            continue
        if not isinstance(value, typ) or isinstance(value, bool) or (
            typ is dt.date and isinstance(value, dt.datetime)
        ):
            expected = "a date (YYYY-MM-DD)" if typ is dt.date else f"a {getattr(typ, '__name__', typ)}"
            report.error(rel, lines.get(name), f"front matter field {name!r} must be {expected}", "front-matter")
            ok = False
        elif typ is str and not value.strip():
            report.error(rel, lines.get(name), f"front matter field {name!r} is empty", "front-matter")
            ok = False
    tags = meta.get("tags", [])
    if isinstance(tags, list) and not all(isinstance(t, str) and t.strip() for t in tags):
        report.error(rel, lines.get("tags"), "front matter field 'tags' must be a list of words", "front-matter")
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


def _compose_and_load(yaml_text: str) -> tuple[yaml.Node | None, Any]:
    """The YAML node tree (for line numbers) and the data it makes, parsed once:
    what ``yaml.compose`` and ``yaml.load`` give."""
    loader = _LOADER(yaml_text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split ``---\\nYAML\\n---\\nbody``; returns (yaml, body, first body line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    return None
