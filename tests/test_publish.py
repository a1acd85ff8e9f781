"""Publishing, with real processes: one build at a time per project (the editor's
included), site/ swapped in whole or committed file by file under a journal that the
next build ends, published modes that follow the umask, workers that die with their build.

Every build here is a real ``build.py`` process; another process watches site/ the way
a web server reads it (``observer.py``); kills are kill -9 (``killpoint.py`` kills a
build right after each of its renaming steps in turn).
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Self

import pytest
from conftest import FIXTURES, copy_project, copy_tree
from test_incremental import A, _edit_catalog, clean_build, tree

from pressroom.cli import main
from pressroom.site import publish
from pressroom.site.fingerprints import CACHE_DIR, STATE_FILE
from pressroom.site.journal import JOURNAL, PENDING_STATE

TESTS = Path(__file__).resolve().parent
LOCK = f"{CACHE_DIR}/build.lock"
SLUGS = [A, "how-nato-should-refine-its-russia-policy"]
LANGS = ["en", "tr", "ru"]
TIMEOUT = 300
"""Seconds a build process may take before the test gives up on it (a hang, not speed)."""


def start(root: Path, *args: str, **popen) -> subprocess.Popen:
    """``build.py ARGS`` on ``root`` as its own process, output captured as text."""
    return subprocess.Popen([sys.executable, str(root / "build.py"), *args], cwd=root, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def finish(process: subprocess.Popen) -> tuple[int, str]:
    _, err = process.communicate(timeout=TIMEOUT)
    return process.returncode, err


def wait_for(condition: Callable[[], bool], *processes: subprocess.Popen, limit: float = TIMEOUT) -> None:
    """Until ``condition`` holds; fails if a process ends first or it never does."""
    deadline = time.monotonic() + limit
    while not condition():
        for process in processes:
            assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline, "waited in vain"
        time.sleep(0.02)


def staging_with_files(root: Path) -> bool:
    """A build is writing its staging directory (and has written a file into it)."""
    for staging in root.glob(".site-*"):
        try:
            if any(p.is_file() for p in staging.rglob("*")):
                return True
        except FileNotFoundError:
            continue
    return False


def published(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def expected_outputs(pdf: bool) -> set[str]:
    pages = {f"{lang}/analyses/{slug}/index.html" for slug in SLUGS for lang in LANGS}
    pdfs = {f"{lang}/analyses/{slug}/{slug}.{lang}.pdf" for slug in SLUGS for lang in LANGS}
    return pages | {"index.html", "manifest.json"} | (pdfs if pdf else set())


class Observer:
    """``observer.py`` on site/ while the block runs; ``states`` is what it saw."""

    def __init__(self, site: Path, scratch: Path):
        self.site, self.log, self.stop = site, scratch / "observed.jsonl", scratch / "observed.stop"
        self.states: list[list[str] | None] = []

    def __enter__(self) -> Self:
        self.process = subprocess.Popen([sys.executable, str(TESTS / "observer.py"), str(self.site),
                                         str(self.log), str(self.stop)])
        wait_for(self.log.exists, self.process, limit=60)
        return self

    def __exit__(self, *exc) -> None:
        self.stop.touch()
        self.process.wait(timeout=60)
        self.states = [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()]

    def assert_never_partial(self, final: list[str]) -> None:
        """Once site/ has appeared, every look found it whole: ``final``'s files. (A
        search index's chunks are named by their contents' hash, so a rebuild that
        changed a page renames some of them: they are compared by kind and language.)"""
        seen = self.states[next(i for i, s in enumerate(self.states) if s is not None):]
        whole = _by_kind(final)
        partial = [s if s is None else sorted((whole - _by_kind(s)).elements())[:5] for s in seen
                   if s is None or _by_kind(s) != whole]
        assert not partial, f"site/ seen missing or missing files: {partial[:3]}"


_CHUNK = re.compile(r"^(\w+/pagefind/\d+/(?:fragment/|index/|pagefind\.)\w+?_)[0-9a-f]+(\.pf_\w+)$")
"""A search index chunk: ``tr/pagefind/0/fragment/tr_94c35cd.pf_fragment``."""


def _by_kind(files: list[str]) -> Counter[str]:
    """``files``, counted with a search index chunk's hash left out of its name."""
    return Counter(_CHUNK.sub(r"\1*\2", f) for f in files)


def children(pid: int) -> set[int]:
    """Processes whose parent is ``pid``."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def running(pid: int) -> bool:
    """Alive, and not a zombie waiting for a parent to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def lock_is_held(root: Path) -> bool:
    try:
        fd = os.open(root / LOCK, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def dead_pid() -> int:
    """The id of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# -- item 7: one build at a time --------------------------------------------------------


@pytest.mark.slow
@pytest.mark.pdf
def test_a_second_build_waits_for_the_first_and_the_site_is_never_partial(tmp_path):
    """Two identical builds, the second started while the first renders: the second
    waits for the first, and site/ is never seen with pages missing. (One job each:
    the first build renders its six PDFs one after the other, so it is still at
    work when the second starts.)"""
    root = copy_project(tmp_path / "project")
    with Observer(root / "site", tmp_path) as seen:
        first = start(root, "build", "--jobs", "1")
        try:
            wait_for(lambda: staging_with_files(root), first)
            second = start(root, "build", "--jobs", "1")
            (code1, err1), (code2, err2) = finish(first), finish(second)
        finally:
            first.kill()
    assert code1 == 0, err1
    assert code2 == 0, err2
    final = published(root / "site")
    assert expected_outputs(pdf=True) <= set(final)
    seen.assert_never_partial(final)
    assert "waiting for the build in progress" in err2 and "nothing to do" in err2
    assert not list(root.glob(".site-*"))


@pytest.mark.slow
@pytest.mark.pdf
def test_a_command_line_build_waits_for_the_editors_build(tmp_path):
    """``serve`` builds site/ in a background thread; a ``build`` started meanwhile
    waits for it, and neither disturbs the other."""
    root = copy_project(tmp_path / "project")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    status_url = f"http://127.0.0.1:{port}/edit/api/status"
    with Observer(root / "site", tmp_path) as seen:
        serve = start(root, "serve", "--port", str(port), "--no-watch")
        try:
            wait_for(lambda: staging_with_files(root), serve)
            code, err = finish(start(root, "build"))

            def built() -> bool:
                with urllib.request.urlopen(status_url, timeout=10) as response:
                    return json.load(response)["site"]["builds"] >= 1

            wait_for(built, serve, limit=60)
            with urllib.request.urlopen(status_url, timeout=10) as response:
                status = json.load(response)["site"]
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/tr/analyses/{A}/", timeout=10) as response:
                served = response.read().decode()
        finally:
            serve.terminate()
            serve.communicate(timeout=60)
    assert code == 0, err
    assert status["result"] == "ok" and status["builds"] == 1, status
    final = published(root / "site")
    assert expected_outputs(pdf=True) <= set(final)
    seen.assert_never_partial(final)
    assert "waiting for the build in progress" in err and "nothing to do" in err
    assert served == (root / f"site/tr/analyses/{A}/index.html").read_text(encoding="utf-8")


def test_stale_staging_is_removed_by_the_lock_holder_only_when_its_owner_is_dead(project, run):
    """A build waits while another holds the project's lock, touching nothing; once it
    holds the lock it removes the staging directories of builds that have died (and
    those of toolkits that named them without an owner), never a live one's."""
    assert run(project, "build", "--no-pdf")[0] == 0
    before = tree(project / "site")
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    stale = {name: project / name for name in (f".site-{dead_pid()}-x1", f".site-{alive.pid}-x2", ".site-0a9b_c")}
    for directory in stale.values():
        (directory / "en").mkdir(parents=True)
        (directory / "en/index.html").write_text("half-written", encoding="utf-8")
    path = project / "content/analyses" / f"{SLUGS[1]}.md"
    path.write_text(path.read_text(encoding="utf-8").replace("degraded over time", "worsened over time"),
                    encoding="utf-8")
    holder = os.open(project / LOCK, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        build = start(project, "build", "--no-pdf")
        lines = []
        while not any("waiting for the build in progress" in line for line in lines):
            line = build.stderr.readline()
            assert line, f"the build did not wait: {''.join(lines)}"
            lines.append(line)
        assert all(d.is_dir() for d in stale.values())
        assert tree(project / "site") == before
    finally:
        os.close(holder)  # releases the lock
    try:
        code, err = finish(build)
        assert code == 0, err
        assert [name for name, d in stale.items() if d.exists()] == [f".site-{alive.pid}-x2"]
        assert "worsened over time" in (project / f"site/en/analyses/{SLUGS[1]}/index.html").read_text(encoding="utf-8")
    finally:
        alive.kill()
        alive.wait()


def test_a_site_left_aside_by_an_older_toolkit_is_put_back(project, run):
    """Toolkits before the lock swapped with two renames, the old site first becoming
    ``.site-old-<pid>``; killed between them, they left no site/. The next build puts
    that site back and finds nothing to do."""
    assert run(project, "build", "--no-pdf")[0] == 0
    before = tree(project / "site")
    (project / "site").rename(project / f".site-old-{dead_pid()}")
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0 and "nothing to do" in err
    assert tree(project / "site") == before
    assert not list(project.glob(".site-*"))


# -- item 8: the swap is atomic -----------------------------------------------------------


def configure(root: Path, **options: object) -> None:
    """Set ``options`` in the project's ``[tool.pressroom]``."""
    path = root / "pyproject.toml"
    lines = "".join(f"{name} = {json.dumps(value)}\n" for name, value in options.items())
    path.write_text(path.read_text(encoding="utf-8").replace("[tool.pressroom]\n", f"[tool.pressroom]\n{lines}", 1),
                    encoding="utf-8")


def _prepare_rebuild(root: Path, run, mode: str = "swap") -> None:
    """A site built twice (``site_update = mode``), and a catalog edit for the next build."""
    configure(root, site_update=mode)
    assert run(root, "build", "--no-pdf")[0] == 0
    _edit_catalog(root, f"locales/tr/LC_MESSAGES/{A}.po", "Relations between Russia", "Yeni çeviri.")
    assert run(root, "build", "--no-pdf")[0] == 0
    _edit_catalog(root, f"locales/ru/LC_MESSAGES/{A}.po", "Relations between Russia", "Новый перевод.")


def _killed_at(step: int, base: Path, dest: Path, no_exchange: bool) -> int:
    """Copy ``base`` to ``dest`` and run a build there killed after its ``step``-th
    renaming step; returns its exit status (``-SIGKILL`` if it was killed)."""
    result = _stopped_at(step, base, dest, KILLPOINT_NO_EXCHANGE="1" if no_exchange else "")
    assert result.returncode in (0, -signal.SIGKILL), result.stderr
    return result.returncode


def _stopped_at(step: int, base: Path, dest: Path, **env: str) -> subprocess.CompletedProcess:
    """Copy ``base`` to ``dest`` and run a build there under ``killpoint.py`` (``env``:
    its settings) stopped after its ``step``-th renaming step."""
    copy_tree(base, dest, symlinks=True)
    return subprocess.run([sys.executable, str(TESTS / "killpoint.py"), str(step), str(dest), "build", "--no-pdf"],
                          cwd=dest, capture_output=True, text=True, timeout=TIMEOUT, env=dict(os.environ, **env))


@pytest.mark.slow
@pytest.mark.parametrize("swap", ["exchange", "fallback"])
def test_a_build_killed_after_any_renaming_step_leaves_a_whole_site(tmp_path, run, swap):
    """kill -9 after each rename of a rebuild in turn: site/ is always the old site or
    the new one, whole; the next build is correct. Where the file system cannot
    exchange two directories (``fallback``: two renames), a build killed between the
    renames leaves no site/ — and the next build, even one that fails, puts the
    previous site back first."""
    base = copy_project(tmp_path / "base")
    _prepare_rebuild(base, run)
    old = tree(base / "site")
    finished = tmp_path / "finished"
    assert _killed_at(0, base, finished, no_exchange=swap == "fallback") == 0
    new = tree(finished / "site")
    assert new != old
    missing_seen, step = 0, 0
    while True:
        step += 1
        root = tmp_path / f"step-{step}"
        if _killed_at(step, base, root, no_exchange=swap == "fallback") == 0:
            break  # the build made fewer steps: every one has been tried
        site = root / "site"
        if site.exists():
            assert tree(site) in (old, new), f"killed after step {step}: site/ is neither the old nor the new one"
        else:
            assert swap == "fallback", f"killed after step {step}: no site/"
            missing_seen += 1
            bad = root / "content/analyses/zz-bad.md"
            shutil.copyfile(FIXTURES / "bad" / "bad.front-matter-date.md", bad)
            assert main(["build", "--no-pdf"], project=root) == 1
            assert tree(site) == old, "a failed build did not put the previous site back"
            bad.unlink()
        assert main(["build", "--no-pdf"], project=root) == 0
        assert tree(site) == new, f"the build after a kill at step {step} is not the complete one"
        assert not list(root.glob(".site-*"))
    assert step > (3 if swap == "fallback" else 2)  # each rename of the swap, then the cache's, was tried
    assert missing_seen == (1 if swap == "fallback" else 0)


@pytest.mark.slow
def test_builds_killed_at_random_moments_never_show_a_partial_site(tmp_path, run):
    """Rebuilds with two workers killed at random moments, watched from another
    process: site/ is always whole (its files all there), before, during and after."""
    root = copy_project(tmp_path / "project")
    _prepare_rebuild(root, run)
    full = published(root / "site")
    rng = random.Random(7)
    with Observer(root / "site", tmp_path) as seen:
        for round_ in range(6):
            _edit_catalog(root, f"locales/tr/LC_MESSAGES/{A}.po", "Relations between Russia", f"Tur {round_}.")
            before = tree(root / "site")
            build = start(root, "build", "--no-pdf", "--jobs", "2")
            time.sleep(rng.uniform(0.1, 2.0))
            build.kill()
            build.communicate(timeout=60)
            after_kill = tree(root / "site")
            assert main(["build", "--no-pdf"], project=root) == 0
            assert after_kill in (before, tree(root / "site")), round_
    seen.assert_never_partial(full)
    assert _by_kind(published(root / "site")) == _by_kind(full)


# -- a small change, committed file by file under a journal ---------------------------------

FILE_BY_FILE = {"KILLPOINT_SWAP_SHARE": "inf"}
"""The seed project's one-entry rebuild rewrites a third of its files: more than an
archive's ``SWAP_SHARE``. These tests make every rebuild take the journaled commit."""


def _journaled_rebuild(tmp_path: Path, run) -> tuple[Path, dict, dict, int, int]:
    """A site, an edit, and the rebuild run to its end under ``killpoint.py``: returns
    (project before the rebuild, old tree, new tree, the step that wrote the journal,
    the files the commit moved into site/: the steps after it, before the cache's rename)."""
    base = copy_project(tmp_path / "base")
    _prepare_rebuild(base, run, mode="auto")
    done = _stopped_at(0, base, tmp_path / "finished", **FILE_BY_FILE)
    assert done.returncode == 0, done.stderr
    moved = int(re.search(r"publishing (\d+) file\(s\), deleting \d+, file by file", done.stderr)[1])
    journal = int(re.search(rf"killpoint: step (\d+): .*/{re.escape(JOURNAL)}$", done.stderr, re.MULTILINE)[1])
    assert moved > 10
    return base, tree(base / "site"), tree(tmp_path / "finished/site"), journal, moved


def _each_file_old_or_new(site: dict, old: dict, new: dict) -> None:
    """Every file of ``site`` is whole: its old version or its new one; every
    directory is one of either site's."""
    mixed = [path for path, data in site.items()
             if (path not in old and path not in new) or (data is not None and data not in (old.get(path), new.get(path)))]
    assert not mixed, mixed[:5]


@pytest.mark.slow
def test_a_build_killed_during_its_journaled_commit_is_ended_by_the_next_build(tmp_path, run):
    """kill -9 of a rebuild at moments of its file-by-file commit: before its journal
    (the old site, whole), with the journal written and nothing moved, after the first
    move, half-way, after the last move (deletions not done), after the cache's
    rename. Whatever site/ holds then, each file is whole, old or new; the next build
    ends the commit first — even one that then fails on a bad source — and site/ is
    the new site, files and directories, with nothing left of the commit."""
    base, old, new, journal, moved = _journaled_rebuild(tmp_path, run)
    assert old != new
    first_move = journal + 1  # steps: ..., the pending cache, the journal, each move, the cache
    last_move = journal + moved
    for step in (journal - 1, journal, first_move, first_move + moved // 2, last_move, last_move + 1):
        root = tmp_path / f"step-{step}"
        assert _stopped_at(step, base, root, **FILE_BY_FILE).returncode == -signal.SIGKILL
        cache = root / CACHE_DIR
        journaled = (cache / JOURNAL).exists()
        assert journaled == (step >= first_move - 1), step
        if journaled:
            _each_file_old_or_new(tree(root / "site"), old, new)
        else:
            assert tree(root / "site") == old
        if step == first_move + moved // 2:
            bad = root / "content/analyses/zz-bad.md"
            shutil.copyfile(FIXTURES / "bad" / "bad.front-matter-date.md", bad)
            code, _, err = run(root, "build", "--no-pdf")
            assert code == 1 and "ending the publication that an interrupted build began" in err
            assert tree(root / "site") == new
            bad.unlink()
        code, _, err = run(root, "build", "--no-pdf")
        assert code == 0, err
        assert ("nothing to do" in err) == (step >= first_move - 1), (step, err)
        assert tree(root / "site") == new, f"the build after a kill at step {step} did not end the commit"
        assert not {JOURNAL, PENDING_STATE} & {p.name for p in cache.iterdir()} and (cache / STATE_FILE).is_file()
        assert not list(root.glob(".site-*"))


@pytest.mark.slow
def test_ctrl_c_during_a_journaled_commit_waits_for_its_end(tmp_path, run):
    """SIGINT half-way through the moves: the commit ends (site/ is the new site and
    the cache describes it), then the build stops as interrupted (exit status 130)."""
    base, _, new, journal, moved = _journaled_rebuild(tmp_path, run)
    root = tmp_path / "interrupted"
    result = _stopped_at(journal + moved // 2, base, root, KILLPOINT_SIGNAL="INT", **FILE_BY_FILE)
    assert result.returncode == 130 and "\ninterrupted\n" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert tree(root / "site") == new
    assert not (root / CACHE_DIR / JOURNAL).exists() and not (root / CACHE_DIR / PENDING_STATE).exists()
    assert not list(root.glob(".site-*"))
    code, _, err = run(root, "build", "--no-pdf")
    assert code == 0 and "nothing to do" in err


def test_an_unreadable_journal_means_a_full_build_in_one_swap(project, run, tmp_path):
    """A journal is written whole or not at all; one that cannot be read anyway (not
    this toolkit's) is reported, and the build renders everything and swaps it in."""
    assert run(project, "build", "--no-pdf")[0] == 0
    (project / CACHE_DIR / JOURNAL).write_text('{"version": 99}', encoding="utf-8")
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0, err
    assert f"warning: {CACHE_DIR}/{JOURNAL}: unreadable" in err and "in one swap" in err
    assert not (project / CACHE_DIR / JOURNAL).exists()
    assert tree(project / "site") == clean_build(project, tmp_path, run)


def test_a_file_by_file_commit_makes_directories_with_the_umask(project, run, monkeypatch):
    """A new analysis committed file by file: the directories the commit makes in site/
    get the modes the umask gives (0750 under 027), its files too."""
    monkeypatch.setattr(publish, "SWAP_SHARE", float("inf"))
    previous = os.umask(0o027)
    try:
        assert run(project, "build", "--no-pdf")[0] == 0
        shutil.copyfile(project / f"content/analyses/{SLUGS[1]}.md", project / "content/analyses/zz-copy.md")
        code, _, err = run(project, "build", "--no-pdf")
    finally:
        os.umask(previous)
    assert code == 0 and "file by file" in err, err
    assert (project / "site/tr/analyses/zz-copy/index.html").is_file()
    modes = _modes(project / "site")
    wrong = {p: oct(m) for p, m in modes.items() if m != (0o750 if (project / p).is_dir() else 0o640)}
    assert not wrong, sorted(wrong.items())[:5]


# -- item 9: modes follow the umask -------------------------------------------------------


def _modes(site: Path) -> dict[str, int]:
    return {p.relative_to(site.parent).as_posix(): stat.S_IMODE(p.lstat().st_mode) for p in [site, *site.rglob("*")]}


def _build_with_umask(root: Path, umask: int) -> None:
    result = subprocess.run(["sh", "-c", f'umask {umask:03o} && exec "$0" "$1" build --no-pdf',
                             sys.executable, str(root / "build.py")], capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("first", "then"), [(0o022, 0o027), (0o002, 0o022), (0o077, 0o022)], ids=["022-027", "002-022", "077-022"])
def test_published_files_and_directories_follow_the_umask(project, first, then):
    """site/ and everything in it has the modes the umask gives new files and
    directories: 0755/0644 by default, whoever built it before, whatever the mode of
    a template's static file."""
    (project / "templates/static/style.css").chmod(0o600)
    for umask in (first, first, then):  # the second build reuses files; the third changes the umask
        _edit_catalog(project, f"locales/tr/LC_MESSAGES/{A}.po", "Relations between Russia", f"Çeviri {umask}.")
        _build_with_umask(project, umask)
        modes = _modes(project / "site")
        wrong = {p: oct(m) for p, m in modes.items()
                 if m != (0o777 if (project / p).is_dir() else 0o666) & ~umask}
        assert not wrong, (oct(umask), sorted(wrong.items())[:5])


# -- item 10: workers die with their build ---------------------------------------------------


@pytest.mark.slow
@pytest.mark.pdf
@pytest.mark.parametrize("moment", [0.0, 1.5])
def test_worker_processes_exit_when_the_build_is_killed(tmp_path, moment):
    """kill -9 of a build whose workers are rendering: the workers end too (a pool
    worker otherwise renders on, then waits for work forever)."""
    root = copy_project(tmp_path / "project")
    build = start(root, "build", "--jobs", "2")
    workers: set[int] = set()
    try:
        wait_for(lambda: len(children(build.pid)) >= 2, build)
        workers = children(build.pid)
        time.sleep(moment)
        build.kill()
        build.communicate(timeout=60)
        wait_for(lambda: not any(running(pid) for pid in workers), limit=60)
    finally:
        build.kill()
        for pid in workers:
            if running(pid):
                os.kill(pid, signal.SIGKILL)
    assert not lock_is_held(root)


def test_a_killed_build_not_yet_reaped_counts_as_ended_for_its_workers():
    """A worker started just as its build is killed finds it a zombie (its caller has
    not reaped it yet): ended, so the worker exits instead of rendering on with its
    caller's pipes open."""
    from pressroom.site.jobs import _running

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert _running(child.pid)
        child.kill()
        wait_for(lambda: not running(child.pid), limit=10)  # a zombie: killed, not reaped
        assert Path(f"/proc/{child.pid}").exists()
        assert not _running(child.pid)
    finally:
        child.kill()
        child.wait()
    assert not _running(child.pid)


@pytest.mark.slow
@pytest.mark.pdf
def test_ctrl_c_leaves_the_previous_site_and_no_process(project, run):
    """Ctrl-C on a terminal signals the build and its workers (one process group):
    the previous site stays, and nothing of the build is left, process or directory."""
    assert run(project, "build", "--no-pdf")[0] == 0
    before = tree(project / "site")
    build = start(project, "build", "--jobs", "2", start_new_session=True)  # its own group, SIGINT not ignored
    workers: set[int] = set()
    try:
        wait_for(lambda: len(children(build.pid)) >= 2 and staging_with_files(project), build)
        workers = children(build.pid)
        os.killpg(build.pid, signal.SIGINT)
        code, _ = finish(build)
    finally:
        build.kill()
    assert code != 0
    assert tree(project / "site") == before
    assert not list(project.glob(".site-*"))
    assert not any(running(pid) for pid in workers)
    assert not lock_is_held(project)
