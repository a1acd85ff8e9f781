"""Project files -> what a Dask worker renders from, as bytes; and back into a
project directory on the worker.

No shared file system is assumed: a worker has the toolkit installed and nothing of
the project. ``SharedInputs`` is what every job of a build reads (templates/ with its
stylesheets, static files and fonts; the UI catalogs; the configuration): sent once
to each worker and addressed by its digest. ``JobInputs`` is one job's own: its
source, its author page, their catalogs and the image files the source shows
(``sources.images``), so an archive's images never travel to every worker. On
the worker both are written into a directory laid out as the project is, where the
renderer reads them exactly as a local build reads the project (output does not
depend on where the project lies).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ...catalogs.files import UI_DOMAIN, catalog_path
from ...config import Config
from ...errors import Report
from ...segments.body import parse_document_body
from ...sources.documents import Document
from ...sources.images import document_images
from ..fingerprints import digest


@dataclass(frozen=True)
class SharedInputs:
    """What every job of a build shares."""

    digest: str
    """Of the configuration and of every file's path and bytes."""
    config: Config
    """The coordinator's configuration (a worker puts its own directory as ``root``)."""
    files: dict[str, bytes]
    """Path relative to the project -> contents."""

    @classmethod
    def read(cls, config: Config) -> SharedInputs:
        files: dict[str, bytes] = {}
        for path in _files(config.templates_dir):
            files[config.rel(path)] = path.read_bytes()
        for lang in config.languages:
            path = catalog_path(config, lang, UI_DOMAIN)
            if path.is_file():
                files[config.rel(path)] = path.read_bytes()
        settings = repr(dataclasses.replace(config, root=Path(".")))
        return cls(digest(settings, *(part for name in sorted(files) for part in (name, files[name]))),
                   config, files)

    def materialize(self, parent: Path) -> Path:
        """The project directory of these inputs under ``parent`` (written the first
        time: a directory that exists is complete, since it is renamed into place)."""
        root = parent / f"pressroom-{self.digest}"
        if root.is_dir():
            return root
        partial = Path(tempfile.mkdtemp(dir=parent, prefix=f".pressroom-{self.digest}-"))
        try:
            _write(partial, self.files)
            os.rename(partial, root)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        return root

    def config_at(self, root: Path) -> Config:
        return dataclasses.replace(self.config, root=root)


@dataclass(frozen=True)
class JobInputs:
    """One job: an analysis to render in ``langs``, with the files it reads."""

    source: str
    """The analysis, relative to the project (``content/analyses/x.md``)."""
    langs: tuple[str, ...]
    files: dict[str, bytes]
    """The source, its author page and every catalog of either that exists."""

    @classmethod
    def read(cls, config: Config, doc: Document, author: Document, langs: tuple[str, ...]) -> JobInputs:
        paths = [config.root / doc.path, config.root / author.path]
        paths += [catalog_path(config, lang, d.domain) for d in (doc, author) for lang in config.languages]
        paths += [config.root / path for path in _image_paths(config, doc)]
        files = {}
        for path in paths:
            try:
                files[config.rel(path)] = path.read_bytes()
            except FileNotFoundError:
                continue  # no catalog in that language: the renderer says so, as locally
        return cls(doc.path, langs, files)

    def write(self, root: Path) -> None:
        _write(root, self.files)

    def remove(self, root: Path) -> None:
        """Take this job's files out of ``root`` again (the next job may lack some)."""
        for name in self.files:
            (root / _safe(name)).unlink(missing_ok=True)


def _image_paths(config: Config, doc: Document) -> list[str]:
    """The image files the analysis shows (read by its job; a missing one is the
    worker's error to report, as it is locally)."""
    body = parse_document_body(doc, Report())
    return sorted({image.path for image in document_images(config, doc, body.tokens, Report()).values()})


def _files(folder: Path) -> list[Path]:
    """Files under ``folder``, sorted, without hidden ones or Python's caches."""
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                   for part in p.relative_to(folder).parts)
    )


def _write(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = root / _safe(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _safe(name: str) -> PurePosixPath:
    """``name`` as a path inside the project: never absolute, never out of it."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"not a path inside the project: {name!r}")
    return path
