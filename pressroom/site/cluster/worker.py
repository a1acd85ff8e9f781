"""A job's inputs -> its results and output bytes, on a Dask worker (``run_job``);
the toolkit a process runs, for the coordinator to compare (``toolkit_identity``).

A worker process renders one job at a time (a lock: the renderer and WeasyPrint are
not shared between threads; run workers with one thread each and as many processes
as cores). It keeps the project directory and a warm renderer of the last two sets
of shared inputs it was sent, under the Dask worker's local directory, and reads
each job's output files back before removing them: what travels back is bytes.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from ... import __version__
from ...errors import ClusterError
from ..fingerprints import digest, file_digest
from ..jobs import Renderer
from ..results import ArticleResult
from ..toolchain import page_toolchain, pdf_toolchain
from .inputs import JobInputs, SharedInputs

_PACKAGE = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class JobOutput:
    """What a job sends back: its results, and the files they name (relative to
    site/) with their bytes."""

    results: list[ArticleResult]
    files: dict[str, bytes]


@functools.cache
def toolkit_identity(pdf: bool) -> dict[str, str]:
    """What must be the same on the coordinator and on every worker for a worker's
    output to be the local build's: the toolkit's version and a digest of its
    installed files, and the versions of what shapes the pages (and the PDFs, with
    ``pdf``: libraries, C libraries and fonts), as the build cache keys them."""
    files = sorted(p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    identity = {
        "pressroom": __version__,
        "pressroom sources": digest(*(f"{p.relative_to(_PACKAGE).as_posix()}={file_digest(p)}" for p in files)),
    }
    identity.update(page_toolchain())
    if pdf:
        identity.update(pdf_toolchain())
    return identity


def identity_key(identity: dict[str, str]) -> str:
    return digest(json.dumps(identity, sort_keys=True))


def differences(ours: dict[str, str], theirs: dict[str, str]) -> str:
    """``theirs`` against ``ours``, item by item, for a message (long values, such
    as the list of fonts, by their digest)."""

    def short(value: str | None) -> str:
        if value is None:
            return "missing"
        return value if len(value) <= 40 else f"digest {digest(value)[:12]}"

    names = [name for name in sorted({*ours, *theirs}) if ours.get(name) != theirs.get(name)]
    return "; ".join(f"{name} {short(theirs.get(name))} (here: {short(ours.get(name))})" for name in names)


_lock = threading.Lock()
_projects: OrderedDict[tuple[str, bool], tuple[Path, Renderer]] = OrderedDict()
_KEEP = 2
"""Sets of shared inputs a worker keeps written out and warm (a build's, and the one
before it for a build that overlaps)."""


_builds: OrderedDict[tuple[str, bool, str], Renderer] = OrderedDict()
"""The renderer of each build a worker renders for (the last ``_KEEP``)."""


def run_job(shared: SharedInputs, job: JobInputs, pdf: bool, expected: str, build: str = "") -> JobOutput:
    """Render ``job`` as ``Renderer.document`` does locally; ``expected`` is the key of
    the coordinator's ``toolkit_identity`` (a worker that joined after the build
    checked the others is refused here). The jobs of one ``build`` share a renderer,
    as a local worker process's do: an author page is read and rendered once per
    build, not once per job."""
    with _lock:
        ours = toolkit_identity(pdf)
        if identity_key(ours) != expected:
            raise ClusterError(f"Dask worker {_address()} runs another toolkit than the build "
                               f"(its key {identity_key(ours)[:12]}, the build's {expected[:12]}): "
                               "install the build's version there from the lock file")
        root, warm = _project(shared, pdf)
        renderer = _for_build(warm, (shared.digest, pdf, build))
        out = Path(tempfile.mkdtemp(dir=root.parent, prefix="pressroom-out-"))
        job.write(root)
        try:
            results = renderer.document(job.source, job.langs, out)
            files = {name: (out / name).read_bytes() for result in results for name in result.files}
        finally:
            job.remove(root)
            shutil.rmtree(out, ignore_errors=True)
        return JobOutput(results, files)


def _project(shared: SharedInputs, pdf: bool) -> tuple[Path, Renderer]:
    """The project directory of ``shared`` in this process and its renderer, made
    and warmed on first use."""
    key = (shared.digest, pdf)
    if key in _projects:
        _projects.move_to_end(key)
        return _projects[key]
    parent = _scratch() / f"pressroom-{os.getpid()}"
    parent.mkdir(parents=True, exist_ok=True)
    root = shared.materialize(parent)
    renderer = Renderer(shared.config_at(root), pdf)
    renderer.warm()
    _projects[key] = (root, renderer)
    while len(_projects) > _KEEP:
        (old_digest, _), (old_root, _) = _projects.popitem(last=False)
        if not any(d == old_digest for d, _ in _projects):  # the same inputs, other PDF setting
            shutil.rmtree(old_root, ignore_errors=True)
    return root, renderer


def _for_build(warm: Renderer, key: tuple[str, bool, str]) -> Renderer:
    """The renderer of the build ``key`` names (a job of no build gets its own)."""
    if not key[2]:
        return warm.new_build()
    if key in _builds:
        _builds.move_to_end(key)
    else:
        _builds[key] = warm.new_build()
        while len(_builds) > _KEEP:
            _builds.popitem(last=False)
    return _builds[key]


def _scratch() -> Path:
    """The Dask worker's own directory (removed when the worker closes); the system's
    temporary directory outside a worker."""
    try:
        from distributed import get_worker

        return Path(get_worker().local_directory)
    except (ImportError, ValueError):
        return Path(tempfile.gettempdir())


def _address() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return "(not in a worker)"
