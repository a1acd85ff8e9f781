"""Document jobs -> a Dask cluster -> their results, and their files in the build's
staging directory: the coordinator's side of ``build --executor dask``.

``ClusterRendering`` stands where ``site.Rendering`` stands in a local build, with the
same three members (``jobs``, ``results()``, ``close()``), so everything around it
(plan, cache, listings, manifest, the swap into place) is the local build's. It

1. connects to the scheduler (``ClusterError`` naming the address if it cannot);
2. asks every worker for its ``toolkit_identity`` and refuses the build if one
   differs from this process's (then nothing is sent);
3. scatters the shared inputs to every worker once (Dask keys them by content);
4. submits the jobs, a bounded number at a time, each with its own inputs as bytes;
5. writes each job's files into staging as they come back, and yields the results
   in job order.

A worker that dies takes its jobs with it: the scheduler runs them again elsewhere
(they are pure functions of their inputs), up to ``distributed.scheduler.allowed-failures``
times, after which the build fails with a ``ClusterError`` naming the source. On
Ctrl-C or any failure ``close`` cancels every job of the build on the cluster.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from ...config import Config
from ...errors import ClusterError
from ...sources.documents import Content
from ...sources.images import MEDIA_DIR
from ..results import ArticleResult
from .inputs import JobInputs, SharedInputs
from .worker import JobOutput, differences, identity_key, run_job, toolkit_identity

_IN_FLIGHT_PER_THREAD = 4
"""Jobs submitted ahead per worker thread: enough that no worker waits for the next
one, few enough that an archive's inputs are not all in this process's memory."""
_MIN_IN_FLIGHT = 16


class ClusterRendering:
    """Analysis jobs under way on the Dask cluster at ``scheduler``."""

    def __init__(
        self, scheduler: str, config: Config, content: Content, jobs: list[tuple[str, tuple[str, ...]]],
        out: Path, pdf: bool, progress: Callable[[int], Any],
    ):
        self.jobs = jobs
        self.out = out
        self._progress = progress
        self._config, self._content, self._pdf = config, content, pdf
        self._client = connect(scheduler)
        self._futures: dict[str, int] = {}
        """Key of each job's future on the cluster -> the job's index."""
        self._pending: list[Any] = []
        try:
            identity = toolkit_identity(pdf)
            check_workers(self._client, scheduler, pdf, identity)
            self._expected = identity_key(identity)
            self._shared = self._client.scatter(SharedInputs.read(config), broadcast=True, hash=True)
            self._build = uuid.uuid4().hex[:12]
            threads = sum(w.get("nthreads", 1) for w in self._client.scheduler_info()["workers"].values())
            self._window = max(_MIN_IN_FLIGHT, _IN_FLIGHT_PER_THREAD * threads)
            self._next = 0
        except BaseException:
            self.close()
            raise

    def _submit(self, count: int) -> list[Any]:
        """The next ``count`` jobs, submitted."""
        submitted = []
        authors = self._content.authors
        documents = {doc.path: doc for doc in self._content.analyses}
        while count > 0 and self._next < len(self.jobs):
            source, langs = self.jobs[self._next]
            doc = documents[source]
            job = JobInputs.read(self._config, doc, authors[doc.meta["author"]], langs)
            key = f"pressroom-render-{doc.slug}-{self._build}"
            future = self._client.submit(run_job, self._shared, job, self._pdf, self._expected, self._build, key=key,
                                         pure=False)
            self._futures[future.key] = self._next
            self._pending.append(future)
            submitted.append(future)
            self._next += 1
            count -= 1
        return submitted

    def results(self) -> Iterator[ArticleResult]:
        from distributed import as_completed

        done: dict[int, list[ArticleResult]] = {}
        bar = self._progress(sum(len(langs) for _, langs in self.jobs))
        try:
            if self.jobs:
                running = as_completed(self._submit(self._window), loop=self._client.loop, with_results=True)
                for future, output in _results(running, self.jobs, self._futures):
                    self._pending.remove(future)
                    index = self._futures.pop(future.key)
                    self._write(output)
                    done[index] = output.results
                    bar.update(len(output.results))
                    running.update(self._submit(1))
            for index in range(len(self.jobs)):
                yield from done.pop(index)
        finally:
            bar.close()
            self.close()

    def _write(self, output: JobOutput) -> None:
        for name, data in output.files.items():
            path = PurePosixPath(name)
            if path.is_absolute() or ".." in path.parts:
                raise ClusterError(f"a Dask worker sent a file outside site/: {name!r}")
            target = self.out / path
            if path.parts[0] == MEDIA_DIR and target.exists():
                continue  # an image another page showed (its name says its bytes; it may be a link to site/)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)

    def close(self) -> None:
        """Cancel every job of this build still on the cluster, and disconnect."""
        client, self._client = getattr(self, "_client", None), None
        if client is None:
            return
        # Closing its connections while results are still read (after Ctrl-C, under
        # load) makes Dask's client and Tornado log those reads' tracebacks: the end of
        # connections this build closes is no news to its user, who gets one line.
        logs = [logging.getLogger(name) for name in ("distributed", "tornado.application")]
        levels = [log.level for log in logs]
        for log in logs:
            log.setLevel(logging.CRITICAL + 1)
        try:
            if self._pending:
                client.cancel(self._pending)
            self._pending = []
        finally:
            try:
                client.close()
            finally:
                for log, level in zip(logs, levels):
                    log.setLevel(level)


def _results(running, jobs: list[tuple[str, tuple[str, ...]]], futures: dict[str, int]):
    """``(future, JobOutput)`` pairs as jobs finish; the cluster's failures as
    ``ClusterError``s naming the job's source."""
    from distributed import KilledWorker
    from distributed.comm.core import CommClosedError

    try:
        yield from running
    except KilledWorker as exc:
        key = exc.args[0] if exc.args else ""
        source = jobs[futures[key]][0] if key in futures else str(key)
        raise ClusterError(
            f"{source}: the Dask workers rendering it died again and again (distributed.scheduler.allowed-failures):"
            " see their logs (memory? a crash in a C library?)"
        ) from None
    except (CommClosedError, OSError) as exc:
        raise ClusterError(f"lost the connection to the Dask scheduler: {exc}") from None


def connect(scheduler: str):
    """A Dask client of the scheduler at ``scheduler`` (it waits for it as long as
    Dask's ``distributed.comm.timeouts.connect`` says: 30 s unless set)."""
    try:
        from distributed import Client
        from distributed.comm import parse_address
        from distributed.comm.addressing import parse_host_port
    except ImportError:
        raise ClusterError(
            "executor \"dask\" needs Dask's `distributed` package: install the toolkit with its `dask` extra "
            "(pip install 'pressroom[dask]')"
        ) from None
    try:
        scheme, location = parse_address(scheduler)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)  # Client would fail on it, and leave a half-made client behind
    except ValueError as exc:
        raise ClusterError(f"not a Dask scheduler address: {scheduler!r} ({exc})") from None
    try:
        return Client(scheduler, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None


def check_workers(client, scheduler: str, pdf: bool, identity: dict[str, str]) -> None:
    """Wait for a worker (as long as Dask's connect timeout), then refuse the build
    unless every worker runs this very toolkit, libraries and fonts."""
    import dask

    timeout = dask.config.get("distributed.comm.timeouts.connect")
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise ClusterError(f"the Dask scheduler at {scheduler} has no workers (waited {timeout})") from None
    found = client.run(toolkit_identity, pdf, on_error="return")
    for address, theirs in sorted(found.items()):
        if isinstance(theirs, BaseException):
            raise ClusterError(f"Dask worker {address} cannot run the toolkit ({type(theirs).__name__}: {theirs}): "
                               "install it there from the lock file")
        if theirs != identity:
            raise ClusterError(f"Dask worker {address} runs another toolkit: {differences(identity, theirs)}; "
                               "install the same versions there from the lock file")
