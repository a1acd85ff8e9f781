"""``build --executor dask``: the analyses rendered on a real Dask cluster
(``distributed.LocalCluster``, two worker processes on 127.0.0.1) give the very bytes
of a local build, with the same cache, reports, incremental rules and ``--strict``;
and its faults: a worker killed mid-build, an unreachable scheduler, a worker with
another toolkit, Ctrl-C.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import dask
import pytest
from conftest import ROOT, copy_tree
from distributed import Client, LocalCluster

from pressroom.config import load_config
from pressroom.errors import ClusterError, Report
from pressroom.site.cluster import worker
from pressroom.site.cluster.inputs import JobInputs, SharedInputs
from pressroom.sources.documents import load_content

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_article

CACHE = ".pressroom-cache/state.txt"


def _cluster() -> LocalCluster:
    return LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=":0")


@pytest.fixture(scope="module")
def cluster():
    with _cluster() as running:
        yield running


@pytest.fixture
def client(cluster):
    with Client(cluster.scheduler_address, set_as_default=False) as connected:
        yield connected


def _tree(root: Path, folder: str = "site") -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / folder).rglob("*")) if p.is_file()}


def _with_generated(project: Path, count: int, words: int = 1000) -> Path:
    """Generated analyses besides the seeds (no catalogs: published untranslated,
    with a warning per language)."""
    for seed in range(count):
        (project / f"content/analyses/generated-{seed:02d}.md").write_text(
            make_article(500 + seed, words=words), encoding="utf-8")
    return project


def _twin(project: Path) -> Path:
    return copy_tree(project, project.parent / "twin")


def _dask(cluster: LocalCluster, *argv: str) -> list[str]:
    return ["build", "--executor", "dask", "--scheduler", cluster.scheduler_address, *argv]


def _without_cluster_lines(err: str) -> str:
    return re.sub(r" on the Dask cluster at \S+", "", err)


def _edit_catalog(root: Path) -> None:
    """Change one published Turkish translation of a seed analysis."""
    path = root / "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po"
    text = path.read_text(encoding="utf-8")
    at = re.search(r'\nmsgstr "(?=[^"])', text)
    path.write_text(text[:at.end()] + "Yeni: " + text[at.end():], encoding="utf-8")


def test_html_build_is_the_local_build(cluster, project, run):
    """Pages, listings, manifest, cache and report: byte for byte."""
    _with_generated(project, 6)
    twin = _twin(project)

    local = run(project, "build", "--no-pdf")
    on_cluster = run(twin, *_dask(cluster, "--no-pdf"))

    assert local[0] == on_cluster[0] == 0, on_cluster
    assert f"on the Dask cluster at {cluster.scheduler_address}" in on_cluster[2]
    assert _without_cluster_lines(on_cluster[2]) == local[2]
    assert "generated-03.md is published untranslated in tr" in local[2]
    assert _tree(twin) == _tree(project)
    assert (twin / CACHE).read_bytes() == (project / CACHE).read_bytes()


def test_incremental_rules_are_the_local_ones(cluster, project, run):
    """One catalog entry changed: one job goes to the cluster, for that language
    only; with nothing to do the cluster is not even asked (an address nothing
    listens on will do)."""
    twin = _twin(project)
    for root in (project, twin):
        assert run(root, "build", "--no-pdf")[0] == 0
        _edit_catalog(root)

    local = run(project, "build", "--no-pdf")
    on_cluster = run(twin, *_dask(cluster, "--no-pdf"))

    assert local[0] == on_cluster[0] == 0, on_cluster
    assert "rendering 1 page(s) of 6 (without PDFs)\n" in local[2]
    assert "rendering 1 page(s) of 6 (without PDFs) on the Dask cluster" in on_cluster[2]
    assert _tree(twin) == _tree(project)
    assert (twin / CACHE).read_bytes() == (project / CACHE).read_bytes()
    code, _, err = run(twin, "build", "--no-pdf", "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert code == 0 and "nothing to do" in err


def test_strict_fails_as_locally_and_writes_nothing(cluster, project, run):
    _with_generated(project, 2)
    assert run(project, "build", "--no-pdf", "--strict")[0] == 1

    code, out, err = run(project, *_dask(cluster, "--no-pdf", "--strict"))

    assert code == 1 and out == ""
    assert "generated-01.md is published untranslated in ru" in err
    assert "warning(s) (--strict)" in err
    assert not (project / "site").exists() and not (project / CACHE).exists()
    assert not list(project.glob(".site-*"))


def test_executor_and_scheduler_in_the_configuration(cluster, project, run):
    text = (project / "pyproject.toml").read_text(encoding="utf-8")
    (project / "pyproject.toml").write_text(
        text.replace('base_url = ""', f'base_url = ""\nexecutor = "dask"\nscheduler = "{cluster.scheduler_address}"'),
        encoding="utf-8")

    code, _, err = run(project, "build", "--no-pdf")

    assert code == 0, err
    assert f"on the Dask cluster at {cluster.scheduler_address}" in err
    code, _, err = run(project, "build", "--no-pdf", "--executor", "local")
    assert code == 0 and "nothing to do" in err


@pytest.mark.pdf
def _pdf_sessions() -> dict[str, tuple[int, int]]:
    """On a worker: shared inputs' digest -> (starts, documents) of the print session
    of its warm renderer that makes PDFs."""
    from pressroom.site.cluster import worker as on_worker

    return {key: (r.print_session.starts, r.print_session.documents)
            for (key, pdf), (_, r) in on_worker._projects.items() if pdf}


def test_pdf_build_is_the_local_build(cluster, client, project, run):
    """The same bytes, and each worker renders its PDFs with one print session."""
    twin = _twin(project)
    before = client.run(_pdf_sessions)

    assert run(project, "build", "--strict")[0] == 0
    code, _, err = run(twin, *_dask(cluster, "--strict"))

    assert code == 0, err
    site = _tree(twin)
    assert sum(name.endswith(".pdf") for name in site) == 6
    assert site == _tree(project)
    assert (twin / CACHE).read_bytes() == (project / CACHE).read_bytes()
    after = client.run(_pdf_sessions)
    assert all(starts == 1 for sessions in after.values() for starts, _ in sessions.values()), after
    rendered = sum(n - before.get(address, {}).get(key, (1, 0))[1]
                   for address, sessions in after.items() for key, (_, n) in sessions.items())
    assert rendered == 6, (before, after)


def test_unreachable_scheduler_is_an_error_naming_it(project, run):
    assert run(project, "build", "--no-pdf")[0] == 0
    _edit_catalog(project)
    before, cache = _tree(project), (project / CACHE).read_bytes()
    with socket_nobody_listens_on() as address, dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code, out, err = run(project, "build", "--no-pdf", "--executor", "dask", "--scheduler", address)

    assert code == 1 and out == ""
    assert err.splitlines()[-1].startswith(f"error: cannot reach the Dask scheduler at {address}: "), err
    assert "Traceback" not in err
    assert _tree(project) == before and (project / CACHE).read_bytes() == cache
    assert not list(project.glob(".site-*"))


def test_an_address_dask_cannot_read_is_an_error(project, run):
    code, _, err = run(project, "build", "--no-pdf", "--executor", "dask", "--scheduler", "tcp://scheduler-without-port")
    assert code == 1
    assert err.splitlines()[-1].startswith("error: not a Dask scheduler address: 'tcp://scheduler-without-port'"), err
    assert "Traceback" not in err and not (project / "site").exists()


class socket_nobody_listens_on:
    """A loopback port that was free a moment ago, as ``tcp://127.0.0.1:PORT``."""

    def __enter__(self) -> str:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return f"tcp://127.0.0.1:{probe.getsockname()[1]}"

    def __exit__(self, *exc) -> None:
        return None


def _pretend_version(version: str) -> None:
    """On a worker: act as another release of the toolkit would."""
    worker.__version__ = version
    worker.toolkit_identity.cache_clear()


def test_a_worker_with_another_toolkit_is_refused(cluster, client, project, run):
    """Nothing is sent, nothing written, and the message says which worker and what differs."""
    workers = sorted(client.scheduler_info()["workers"])
    client.run(_pretend_version, "0.0.1", workers=workers[:1])
    try:
        code, out, err = run(project, *_dask(cluster, "--no-pdf"))
    finally:
        client.run(_pretend_version, worker.__version__, workers=workers[:1])

    assert code == 1 and out == ""
    assert f"error: Dask worker {workers[0]} runs another toolkit: pressroom 0.0.1 (here: {worker.__version__})" in err
    assert "install the same versions there from the lock file" in err
    assert "Traceback" not in err
    assert not (project / "site").exists() and not list(project.glob(".site-*"))


def test_a_job_refuses_a_worker_that_joined_with_another_toolkit(project):
    """The check each job makes where it runs, for workers that join after the build
    checked the others: the job fails with a ``ClusterError`` (no rendering)."""
    config = load_config(project)
    content = load_content(config, Report())
    doc = content.analyses[0]
    job = JobInputs.read(config, doc, content.authors[doc.meta["author"]], ("en",))
    with pytest.raises(ClusterError, match="runs another toolkit than the build"):
        worker.run_job(SharedInputs.read(config), job, False, "another build's toolkit")


def test_the_jobs_of_one_build_share_a_renderer_as_a_local_worker_does(project, monkeypatch):
    """An author page is read (and rendered) once per build and worker, not once per
    job; another build starts afresh, and so does a job of no build."""
    from pressroom.site import jobs

    read: list[str] = []
    real = jobs.read_document
    monkeypatch.setattr(jobs, "read_document",
                        lambda path, kind, *rest: (read.append(kind), real(path, kind, *rest))[1])
    config = load_config(project)
    content = load_content(config, Report())
    shared, expected = SharedInputs.read(config), worker.identity_key(worker.toolkit_identity(False))

    def render(doc, build: str) -> None:
        job = JobInputs.read(config, doc, content.authors[doc.meta["author"]], ("en", "tr"))
        output = worker.run_job(shared, job, False, expected, build)
        assert all(result.listed is not None for result in output.results)

    doc = content.analyses[0]
    render(doc, "build-1")
    render(doc, "build-1")  # a second job of the build (its source is the job's own, read again)
    assert read.count("author") == 1 and read.count("analysis") == 2
    render(doc, "build-2")
    render(doc, "")
    assert read.count("author") == 3


@pytest.mark.slow
def test_a_worker_killed_mid_build(project, run):
    """SIGKILL to the worker process that is rendering, once a first job is done: Dask
    runs its jobs again on the other worker (and on the one its nanny restarts), and
    the site is complete and the local build's."""
    _with_generated(project, 16, words=4000)
    twin = _twin(project)
    assert run(project, "build", "--no-pdf")[0] == 0
    killed: list[str] = []
    with _cluster() as fresh, Client(fresh.scheduler_address, set_as_default=False) as watcher:
        pids = watcher.run(os.getpid)
        stop = threading.Event()
        thread = threading.Thread(target=_kill_a_busy_worker, args=(twin, watcher, pids, killed, stop))
        thread.start()
        try:
            code, _, err = run(twin, *_dask(fresh, "--no-pdf"))
        finally:
            stop.set()
            thread.join()

    assert killed, "no worker was killed while it rendered"
    assert code == 0, err
    assert _tree(twin) == _tree(project)
    assert (twin / CACHE).read_bytes() == (project / CACHE).read_bytes()


def _rendered(root: Path) -> int:
    """Pages the build under way has written into its staging directory."""
    return sum(1 for _ in root.glob(".site-*/*/analyses/*/index.html"))


def _rendering(dask_scheduler) -> list[str]:
    """On the scheduler: the workers rendering a job of a build now."""
    return [ts.processing_on.address for key, ts in dask_scheduler.tasks.items()
            if str(key).startswith("pressroom-render-") and ts.state == "processing" and ts.processing_on]


def _left(dask_scheduler) -> list[str]:
    """On the scheduler: the jobs of builds it still holds."""
    return [str(key) for key in dask_scheduler.tasks if str(key).startswith("pressroom-render-")]


def _kill_a_busy_worker(
    root: Path, watcher: Client, pids: dict[str, int], killed: list[str], stop: threading.Event,
) -> None:
    """Once the build has written a first result, SIGKILL a worker that renders."""
    while not stop.is_set():
        if _rendered(root):
            busy = watcher.run_on_scheduler(_rendering)
            if busy:
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(busy[0])
                return
        time.sleep(0.01)


@pytest.mark.slow
def test_ctrl_c_cancels_the_jobs_on_the_cluster(cluster, client, project, run):
    """SIGINT while the cluster renders: one line, exit status 130, site/ as it was,
    and no job of the build left on the cluster."""
    assert run(project, "build", "--no-pdf")[0] == 0
    _with_generated(project, 40, words=3000)
    before = _tree(project)
    process = subprocess.Popen(
        [sys.executable, str(project / "build.py"), *_dask(cluster, "--no-pdf")],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    lines = []
    for line in process.stderr:
        lines.append(line.rstrip("\n"))
        if line.startswith("rendering"):
            break
    time.sleep(1.0)
    rendered = _rendered(project)
    os.killpg(process.pid, signal.SIGINT)
    lines += [line.rstrip("\n") for line in process.stderr]
    status = process.wait()

    assert status == 130, lines
    assert lines[-1] == "interrupted" and lines.count("interrupted") == 1, lines
    assert not any("Traceback" in line for line in lines), "\n".join(lines)
    assert _tree(project) == before
    assert not list(project.glob(".site-*"))
    assert rendered < 3 * 42, "the build was over before the interrupt"
    deadline = time.monotonic() + 10
    while client.run_on_scheduler(_left) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert client.run_on_scheduler(_left) == []
