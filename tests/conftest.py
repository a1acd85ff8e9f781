"""Shared fixtures: a throw-away copy of the real project, and in-process runs."""

from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import zlib
from pathlib import Path

import pytest

from pressroom.cli import main
from pressroom.sources.documents import Document

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PROJECT_FILES = ["pyproject.toml", "build.py", "content", "locales", "templates"]
CHROMIUM = os.environ.get("PRESSROOM_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
"""Debian's Chromium, which `make test` installs (Playwright's own download is not used)."""
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def pytest_configure(config):
    """Ctrl-C as a terminal gives it, whoever started the tests: a shell without job
    control starts a background command (`make test &`) with SIGINT ignored, which
    every process inherits, and the tests that interrupt a build or a command would
    see it finish instead."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _sigint_left_as_found():
    """Every test leaves Ctrl-C as it found it: a SIGINT handler, ignored or blocked
    after one test (the process's, inherited by every process it starts) would make
    the Ctrl-C tests that run after it in the same worker fail."""
    before = _sigint_state()
    yield
    after = _sigint_state()
    if after != before:
        signal.signal(signal.SIGINT, before[0])
        signal.pthread_sigmask(signal.SIG_SETMASK, before[1])
        pytest.fail(f"SIGINT left changed: {after} (was {before})")


def _sigint_state() -> tuple:
    """Python's SIGINT handler, the thread's blocked signals, and whether the process
    ignores SIGINT (as the kernel sees it: a library may set it below Python)."""
    ignored = next(int(line.split()[1], 16) for line in Path("/proc/self/status").read_text().splitlines()
                   if line.startswith("SigIgn:"))
    return signal.getsignal(signal.SIGINT), signal.pthread_sigmask(signal.SIG_BLOCK, []), bool(ignored & (1 << (signal.SIGINT - 1)))


def _copy_or_link(src: str, dst: str) -> None:
    """Fonts (3.5 MB, never written by a test or a build) are linked, the rest copied."""
    if src.endswith(".ttf"):
        os.link(src, dst)
    else:
        shutil.copy2(src, dst)


def copy_tree(src: Path, dest: Path, **options) -> Path:
    """``shutil.copytree`` of a project or part of one, fonts linked."""
    return shutil.copytree(src, dest, copy_function=_copy_or_link, **options)


def copy_project(dest: Path) -> Path:
    """A copy of this repository's project (sources, catalogs, templates)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            copy_tree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


PDFS_SELECTED = pytest.StashKey[bool]()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Note whether any selected test is marked ``pdf`` (runs after ``-m`` has deselected)."""
    config.stash[PDFS_SELECTED] = any(item.get_closest_marker("pdf") for item in items)


def has_pdfs(root: Path) -> bool:
    return any((root / "site").rglob("*.pdf"))


@pytest.fixture(scope="session")
def built_project(request, tmp_path_factory) -> Path:
    """A copy of the project built once per test process (``build --strict``), for tests
    that only read it; a test that changes it copies it first. It has PDFs when a selected
    test is marked ``pdf`` (``make test-fast`` builds it without)."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    pdfs = request.config.stash.get(PDFS_SELECTED, True)
    assert main(["build", "--strict", *([] if pdfs else ["--no-pdf"])], project=root) == 0
    assert has_pdfs(root) == pdfs
    return root


PUBLISHED_BASE = "https://analyses.example.org/press"


def _png(width: int, height: int) -> bytes:
    """A blank PNG image of that size (for the link-preview image)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\x14\x3c\x6e" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def set_option(root: Path, line: str) -> None:
    """Put ``line`` (``name = value``) in [tool.pressroom], replacing the option if set."""
    path = root / "pyproject.toml"
    name = line.split("=")[0].strip()
    text = path.read_text(encoding="utf-8")
    text, found = re.subn(rf"(?m)^{name} = .*$", line, text)
    if not found:
        text = text.replace("[tool.pressroom]\n", f"[tool.pressroom]\n{line}\n")
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def published_project(tmp_path_factory) -> Path:
    """A copy of the project as it would be published: ``base_url`` and a social image
    set, built once per test process (``build --strict --production``, no PDFs)."""
    root = copy_project(tmp_path_factory.mktemp("published") / "project")
    (root / "templates" / "static" / "card.png").write_bytes(_png(1200, 630))
    set_option(root, f'base_url = "{PUBLISHED_BASE}"')
    set_option(root, 'social_image = "card.png"')
    assert main(["build", "--strict", "--no-pdf", "--production"], project=root) == 0
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def run(capsys):
    """Run the CLI in-process on a project: returns (exit code, stdout, stderr)."""

    def _run(root: Path, *argv: str) -> tuple[int, str, str]:
        code = main(list(argv), project=root)
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def body_document(markdown: str, lang: str = "en") -> Document:
    """A document whose body is ``markdown`` (line 1 = first body line)."""
    return Document("analysis", "case", "case.md", lang, {}, [], markdown, 1)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: `make test` installs Debian's chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()
