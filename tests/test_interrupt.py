"""Ctrl-C: real processes, a real SIGINT. Every command stops with one line,
``interrupted``, and exit status 130 (a shell's 128 + SIGINT), without a traceback
from it or from a build's worker processes; site/ and the catalogs stay as they were
(or, for ``update``, each catalog is the old file or the merged one, never a part).

The signal is sent once the command has said it started working (its "reading
sources" or "rendering" line on stderr), to the whole process group as a terminal
sends it, or to the build's own process only. SIGINT is restored to its default in
the child: a test run in the background of a shell ignores it, and so would the
child (see /work/shared/notes/libraries.md).
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

import pytest
from conftest import ROOT, copy_tree

sys.path.insert(0, str(ROOT / "bench"))
from corpus import make_article

INTERRUPTED = 130


def _tree(root: Path, *folders: str) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in folders
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def _undated(files: dict[str, bytes]) -> dict[str, bytes]:
    """Without the creation and revision dates a new template or catalog takes from
    the clock (two runs a minute apart differ there)."""
    dated = re.compile(rb'^"(?:POT-Creation|PO-Revision)-Date: .*\n', re.MULTILINE)
    return {name: dated.sub(b"", data) for name, data in files.items()}


def _interrupt(root: Path, argv: list[str], after: str, delay: float = 0.0, group: bool = True
               ) -> tuple[int, str, list[str]]:
    """Run ``build.py argv`` in ``root``; when a stderr line starts with ``after``,
    wait ``delay`` seconds and send SIGINT. Returns (status, stdout, stderr lines)."""
    process = subprocess.Popen(
        [sys.executable, str(root / "build.py"), *argv],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,  # its own process group: the workers get the signal too
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(process.stdout.read()))
    reader.start()
    lines = []
    for line in process.stderr:
        lines.append(line.rstrip("\n"))
        if line.startswith(after):
            break
    else:
        process.wait()
        reader.join()
        pytest.fail(f"the command ended before {after!r}: {lines}")
    time.sleep(delay)
    if group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    lines += [line.rstrip("\n") for line in process.stderr]
    status = process.wait()
    reader.join()
    try:  # nothing of the command is left running (workers included)
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        pass
    else:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("processes of the interrupted command were still running")
    return status, out[0], lines


def _no_traceback(err: list[str]) -> None:
    assert err[-1] == "interrupted" and err.count("interrupted") == 1, err
    assert not any("Traceback" in line for line in err), err


@pytest.fixture
def large(project: Path) -> Path:
    """The project and 60 generated analyses (no catalogs yet), so that ``update``,
    ``check`` and ``stats`` are still at work well after they start."""
    for seed in range(60):
        (project / f"content/analyses/generated-{seed:02d}.md").write_text(
            make_article(1000 + seed), encoding="utf-8")
    return project


@pytest.mark.pdf
@pytest.mark.slow
@pytest.mark.parametrize("group", [True, False], ids=["process-group", "build-process"])
def test_ctrl_c_during_a_build_with_workers(project: Path, group: bool):
    """Two processes render the PDFs when SIGINT comes: the published site (built
    before without PDFs) is left as it was, and no staging directory stays."""
    assert subprocess.run([sys.executable, "build.py", "build", "--no-pdf"], cwd=project,
                          capture_output=True, check=False).returncode == 0
    before = _tree(project, "site", "locales", "content")

    status, out, err = _interrupt(project, ["build", "--jobs", "2"], after="rendering", delay=0.5, group=group)

    assert status == INTERRUPTED, err
    _no_traceback(err)
    assert not any("Error" in line for line in err), err
    assert out == ""
    assert _tree(project, "site", "locales", "content") == before
    assert not list(project.glob(".site-*"))


@pytest.mark.parametrize("attempt", [1, 2, 3])
def test_ctrl_c_while_a_clean_build_starts_its_workers(project: Path, attempt: int):
    """A clean build starts its worker processes before it reads the sources; SIGINT
    then finds them being forked and set up (each printed a traceback, "Exception in
    initializer" or "Process ForkProcess-2", before they were forked with SIGINT
    blocked and ignored it)."""
    status, _out, err = _interrupt(project, ["build", "--jobs", "2", "--no-pdf"], after="reading sources")

    assert status == INTERRUPTED, err
    assert err == ["reading sources", "interrupted"], err
    assert not (project / "site").exists()
    assert not list(project.glob(".site-*"))


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.3])
@pytest.mark.parametrize("command", ["update", "extract"])
def test_ctrl_c_during_a_writing_command(large: Path, command: str, delay: float):
    """Each catalog and template is either untouched or the whole file that the
    command run to its end writes. (A temporary file that a write stopped at its
    start may stay beside them: the PO layer's writer is another change's.)"""
    twin = large.parent / "twin"
    copy_tree(large, twin)
    assert subprocess.run([sys.executable, "build.py", command], cwd=twin, capture_output=True,
                          check=False).returncode == 0
    complete = _undated(_tree(twin, "locales"))
    before = _undated(_tree(large, "locales", "content"))

    status, _, err = _interrupt(large, [command], after="reading sources", delay=delay)

    assert status == INTERRUPTED, err
    _no_traceback(err)
    after = _undated(_tree(large, "locales", "content"))
    after = {name: data for name, data in after.items() if not Path(name).name.startswith(".")}
    for name, data in after.items():
        assert data in (before.get(name), complete.get(name)), f"{name} is neither the old nor the new file"
    assert all(name in after for name in before)


@pytest.mark.slow
@pytest.mark.parametrize("command", ["check", "stats"])
def test_ctrl_c_during_a_reading_command(large: Path, command: str):
    before = _tree(large, "locales", "content")

    status, _out, err = _interrupt(large, [command], after="reading sources", delay=0.2)

    assert status == INTERRUPTED, err
    _no_traceback(err)
    assert _tree(large, "locales", "content") == before


@pytest.mark.slow
def test_ctrl_c_stops_the_editor_server(project: Path):
    """uvicorn shuts down on SIGINT and raises it again: the same one line."""
    status, _, err = _interrupt(project, ["serve", "--port", "0", "--no-pdf", "--no-watch"],
                                after="Pressroom editor:", delay=0.5)

    assert status == INTERRUPTED, err
    _no_traceback(err)
