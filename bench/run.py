"""Build-speed benchmark: pressroom against its peers and its own targets, one command.

    .venv/bin/python bench/run.py --articles 500 [--pdf-articles 10] [--repeat R]

1. Corpus: ``make_corpus.py`` with N analyses (cached in ``bench/.corpus-N/``, remade
   when its inputs change) and a K-article corpus for the PDF measurements (the same
   first K articles).
2. Clean HTML builds of all three languages, interleaved round by round: pressroom
   (``build.py build --no-pdf``, default jobs; and ``--jobs 1`` / ``--jobs 2`` when the
   flag exists), MkDocs + mkdocs-static-i18n, Sphinx + sphinx-intl (en + tr + ru, one
   run each), and the bare markdown-it-py + Jinja2 loop (``bare_loop.py``).
3. Rebuilds of pressroom: no-op, and one msgstr of one tr catalog edited — HTML only on
   the N corpus, with PDFs on the K corpus.
4. PDFs on the K corpus: clean builds with ``--jobs 1`` and ``--jobs 2``, and seconds
   per PDF against raw WeasyPrint (``pdf_sample.py``, ``pdf_bench.py``'s method).
5. Ratios and targets printed, and written to ``docs/benchmarks.md``.

Every subprocess's output goes to ``bench/.logs/``; a step that fails is reported (in
the output and the Markdown) and the rest goes on. Every clean pressroom build runs in
a fresh copy of the corpus (``bench/.work/``), so no build cache survives.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
import traceback
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import benchutil
import peers
from benchutil import HAS_GNU_TIME, LOGS, ROOT, Run, fresh_dir, timed_run

PYTHON = sys.executable
WORK = BENCH / ".work"
OUT = BENCH / ".out"
DOC = ROOT / "docs" / "benchmarks.md"
LANGS = ("en", "tr", "ru")


# -- results ---------------------------------------------------------------------------


@dataclass
class Measure:
    """One quantity measured over rounds (seconds), with what went wrong."""

    label: str
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    pages: int | None = None
    note: str = ""
    unsupported: str = ""

    def add(self, run: Run, what: str = "") -> bool:
        if run.max_rss_mb is not None:
            self.rss.append(run.max_rss_mb)
        if run.ok:
            self.times.append(run.seconds)
            return True
        self.errors.append(f"{what or self.label}: exit {run.returncode}, log {rel(run.log)}")
        return False

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def ok(self) -> bool:
        return bool(self.times)

    def cell(self) -> str:
        if self.unsupported:
            return self.unsupported
        if not self.times:
            return "failed" if self.errors else "not run"
        text = f"{self.median:.2f}"
        if len(self.times) > 1:
            text += f" ({min(self.times):.2f}–{max(self.times):.2f}, n={len(self.times)})"
        return text


RESULTS: dict[str, Measure] = {}
PROBLEMS: list[str] = []


def measure(key: str, label: str) -> Measure:
    return RESULTS.setdefault(key, Measure(label))


def rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def say(text: str) -> None:
    print(text, flush=True)


def problem(text: str) -> None:
    PROBLEMS.append(text)
    say(f"  !! {text}")


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# -- the corpus ------------------------------------------------------------------------

CORPUS_INPUTS = [
    "bench/make_corpus.py", "bench/corpus.py", "pyproject.toml", "build.py", "templates",
    "content/authors", "locales/tr/LC_MESSAGES/messages.po", "locales/ru/LC_MESSAGES/messages.po",
    "locales/tr/LC_MESSAGES/authors", "locales/ru/LC_MESSAGES/authors",
    # the catalog code decides the bytes of the catalogs
    "pressroom/catalogs", "pressroom/po", "pressroom/segments",
]


def corpus_key(n: int) -> str:
    h = hashlib.sha256(f"articles={n}\n".encode())
    for name in CORPUS_INPUTS:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for p in files:
            if "__pycache__" in p.parts or not p.exists():
                continue
            h.update(str(p.relative_to(ROOT)).encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def ensure_corpus(n: int, fresh: bool) -> Path:
    """``bench/.corpus-N``, made again when its inputs changed (``.corpus-N.key``)."""
    dest = BENCH / f".corpus-{n}"
    key_file = BENCH / f".corpus-{n}.key"
    key = corpus_key(n)
    if not fresh and dest.is_dir() and key_file.exists() and key_file.read_text() == key:
        say(f"corpus: {rel(dest)} (cached, {n} analyses)")
        return dest
    say(f"corpus: making {rel(dest)} ({n} analyses)…")
    start = time.perf_counter()
    log = LOGS / f"make-corpus-{n}.log"
    run = timed_run([PYTHON, BENCH / "make_corpus.py", dest, "--articles", str(n)], log)
    if not run.ok:
        raise RuntimeError(f"make_corpus.py failed: see {rel(log)}\n{run.tail()}")
    key_file.write_text(key)
    say(f"  made in {time.perf_counter() - start:.1f} s")
    return dest


SNAPSHOT = WORK / "toolkit"
"""A copy of ``pressroom/`` taken when the run starts: every build of the run imports it
(``build.py`` puts its own directory first on ``sys.path``), so edits made to the
checkout during a run neither mix versions nor invalidate the build cache between a
build and its no-op rebuild."""


def toolkit_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted((root / "pressroom").rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:12]


def snapshot_toolkit() -> str:
    """Copy ``pressroom/`` and byte-compile the copy, as installing a package does
    (pip compiles what it installs, the peers' packages included): without it every
    fresh project copy would compile the toolkit again on each build, whatever
    PYTHONDONTWRITEBYTECODE says."""
    benchutil.discard(SNAPSHOT)
    shutil.copytree(ROOT / "pressroom", SNAPSHOT / "pressroom", ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(SNAPSHOT / "pressroom")], check=True)
    return toolkit_digest(SNAPSHOT)


def pressroom_copy(corpus: Path, name: str) -> Path:
    """A fresh copy of the corpus, without any site/ or build cache, with the toolkit
    snapshot as its ``pressroom/``."""
    dest = WORK / name
    benchutil.discard(dest)
    shutil.copytree(corpus, dest, ignore=shutil.ignore_patterns("site", ".site-*", ".pressroom-cache", "__pycache__"))
    shutil.copytree(SNAPSHOT / "pressroom", dest / "pressroom")
    return dest


def pressroom_build(project: Path, args: list[str], log: Path, timeout: float) -> Run:
    return timed_run([PYTHON, project / "build.py", "build", *args], log, cwd=project, timeout=timeout)


def article_pages(site: Path) -> int:
    return sum(1 for lang in LANGS for _ in (site / lang / "analyses").glob("*/index.html"))


def warnings_in(log: Path) -> int:
    try:
        return sum(1 for line in log.read_text(errors="replace").splitlines() if ": warning:" in line)
    except OSError:
        return 0


def build_flags(project: Path) -> str:
    done = subprocess.run([PYTHON, project / "build.py", "build", "--help"], check=False, capture_output=True, text=True)
    return done.stdout + done.stderr


def edit_one_msgstr(project: Path, slug: str, revision: int) -> str:
    """Change one paragraph's msgstr in ``locales/tr/LC_MESSAGES/<slug>.po`` (the
    project's own reader and writer, so the file stays as a PO editor would leave it)."""
    from pressroom.catalogs.files import read_catalog, serialize

    path = project / "locales" / "tr" / "LC_MESSAGES" / f"{slug}.po"
    catalog = read_catalog(path, str(path.relative_to(project)), "tr", slug)
    for message in catalog:
        if message.id and "paragraph" in message.auto_comments and message.string:
            message.string = re.sub(r"^(?:Düzeltme \d+\. )?", f"Düzeltme {revision}. ", message.string)
            path.write_bytes(serialize(catalog))
            return f"{path.relative_to(project)}:{message.lineno}"
    raise RuntimeError(f"no translated paragraph in {path}")


# -- machine and versions --------------------------------------------------------------


def machine() -> dict:
    info = {"cores": os.cpu_count(), "usable_cores": len(os.sched_getaffinity(0)), "cpu": platform.processor()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        mem = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        info["ram_gib"] = round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None
    except OSError:
        pass
    info["os"] = f"{platform.system()} {platform.release()}"
    info["python"] = platform.python_version()
    return info


def pressroom_versions() -> dict[str, str | None]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    names = [re.split(r"[\s<>=~!;\[]", d, maxsplit=1)[0] for d in data["project"]["dependencies"]]
    out = {"pressroom": data["project"]["version"]}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def git_state() -> str:
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], check=False, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "pressroom", "templates"],
                               check=False, capture_output=True, text=True).stdout.strip()
        return head + (" with uncommitted changes in pressroom/ or templates/" if dirty else "")
    except OSError:
        return "?"


# -- the steps -------------------------------------------------------------------------


def step(name: str):
    """Run a step; an exception is reported and the benchmark goes on."""

    def wrap(fn):
        def run(*args, **kwargs):
            say(f"\n== {name} (load average {loadavg()})")
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - a broken step must not stop the others
                problem(f"{name}: {type(exc).__name__}: {exc}")
                (LOGS / "run-errors.log").open("a").write(f"--- {name}\n{traceback.format_exc()}\n")
                return None

        return run

    return wrap


@step("peers: install and convert")
def prepare_peers(corpus: Path) -> dict:
    ready = {}
    for name, convert in (("mkdocs", peers.mkdocs_project), ("sphinx", peers.sphinx_project)):
        try:
            peers.ensure_venv(name)
            start = time.perf_counter()
            convert(corpus)
            ready[name] = True
            say(f"  {name}: ready ({time.perf_counter() - start:.1f} s to convert or check the conversion)")
        except Exception as exc:  # noqa: BLE001
            ready[name] = False
            problem(f"{name} set-up failed: {exc}")
    return ready


@step("clean HTML builds (3 languages)")
def clean_html(corpus: Path, n: int, rounds: int, ready: dict, jobs: bool, timeout: float, sphinx_rounds: int) -> None:
    slugs = sorted(p.stem for p in (corpus / "content" / "analyses").glob("*.md"))
    variants = [("pressroom", [])]
    if jobs:
        variants += [("pressroom-j1", ["--jobs", "1"]), ("pressroom-j2", ["--jobs", "2"])]
    else:
        for key, label in (("pressroom-j1", "pressroom --jobs 1"), ("pressroom-j2", "pressroom --jobs 2")):
            measure(key, label).unsupported = "not supported yet"
    labels = {"pressroom": "pressroom (default jobs)", "pressroom-j1": "pressroom --jobs 1", "pressroom-j2": "pressroom --jobs 2"}
    for r in range(rounds):
        say(f"  round {r + 1}/{rounds}")
        for key, flags in variants:
            m = measure(key, labels[key])
            project = pressroom_copy(corpus, "clean")
            log = LOGS / f"{key}-clean-html-{r + 1}.log"
            run = pressroom_build(project, ["--no-pdf", *flags], log, timeout)
            if m.add(run):
                m.pages = article_pages(project / "site")
                m.note = f"{warnings_in(log)} warning(s)"
            say(f"    {m.label:34} {run.seconds:7.2f} s  exit {run.returncode}  rss {run.max_rss_mb or 0:.0f} MB")
        if ready.get("mkdocs"):
            m = measure("mkdocs", "MkDocs + mkdocs-static-i18n")
            run = peers.run_mkdocs(corpus, OUT / "mkdocs", LOGS / f"mkdocs-clean-{r + 1}.log")
            if m.add(run):
                m.pages = peers.mkdocs_articles(OUT / "mkdocs", slugs)
            say(f"    {m.label:34} {run.seconds:7.2f} s  exit {run.returncode}")
        if ready.get("sphinx") and r < sphinx_rounds:
            total, ok, pages = 0.0, True, 0
            for lang in LANGS:
                m = measure(f"sphinx-{lang}", f"Sphinx + MyST ({lang})")
                out = OUT / f"sphinx-{lang}"
                run = peers.run_sphinx(corpus, out, lang, LOGS / f"sphinx-clean-{lang}-{r + 1}.log")
                if m.add(run):
                    m.pages = peers.sphinx_articles(out, slugs)
                    m.note = f"{peers.warnings_in(run.log)} warning(s)"
                    pages += m.pages
                ok &= run.ok
                total += run.seconds
                say(f"    {m.label:34} {run.seconds:7.2f} s  exit {run.returncode}")
            m = measure("sphinx", "Sphinx + sphinx-intl (en + tr + ru)")
            if ok:
                m.times.append(total)
                m.pages = pages
            else:
                m.errors.append("one of the three language builds failed")
        m = measure("bare", "bare markdown-it-py + Jinja2 loop")
        out = fresh_dir(OUT / "bare")
        log = LOGS / f"bare-loop-{r + 1}.log"
        run = timed_run([PYTHON, BENCH / "bare_loop.py", corpus, out, "--json"], log)
        if m.add(run):
            m.pages = sum(1 for _ in out.glob("*/*/index.html"))
            try:
                inner = json.loads(log.read_text().splitlines()[1])
                m.note = (f"{m.pages / run.seconds:.0f} pages/s by process wall time, "
                          f"{inner['pages_per_second']:.0f} pages/s inside the loop (imports excluded)")
            except (ValueError, IndexError, KeyError):
                pass
        say(f"    {m.label:34} {run.seconds:7.2f} s  exit {run.returncode}")


def _rebuilds(project: Path, tag: str, flags: list[str], rounds: int, timeout: float, label: str) -> None:
    """No-op and one-entry-change rebuilds of ``project`` (already built once)."""
    m = measure(f"noop-{tag}", f"no-op rebuild, {label}")
    for r in range(rounds):
        run = pressroom_build(project, flags, LOGS / f"noop-{tag}-{r + 1}.log", timeout)
        m.add(run)
        say(f"    {m.label:44} {run.seconds:7.2f} s  exit {run.returncode}")
    m = measure(f"change-{tag}", f"one msgstr changed, {label}")
    slug = min(p.stem for p in (project / "content" / "analyses").glob("*.md"))
    for r in range(rounds):
        where = edit_one_msgstr(project, slug, r + 1)
        run = pressroom_build(project, flags, LOGS / f"change-{tag}-{r + 1}.log", timeout)
        m.add(run)
        m.note = f"edited {where}"
        page = project / "site" / "tr" / "analyses" / slug / "index.html"
        if run.ok and (not page.exists() or f"Düzeltme {r + 1}." not in page.read_text(encoding="utf-8")):
            problem(f"{label}: the edited translation is not on {rel(page)} after the rebuild")
        say(f"    {m.label:44} {run.seconds:7.2f} s  exit {run.returncode}")


@step("rebuilds, HTML only (N corpus)")
def rebuilds_html(corpus: Path, n: int, rounds: int, timeout: float) -> None:
    project = pressroom_copy(corpus, "rebuild-html")
    run = pressroom_build(project, ["--no-pdf"], LOGS / "rebuild-html-initial.log", timeout)
    if not run.ok:
        raise RuntimeError(f"initial build failed: see {rel(run.log)}")
    _rebuilds(project, "html", ["--no-pdf"], rounds, timeout, f"HTML only, {n} analyses")


@step("builds with PDFs (K corpus): clean, rebuilds, 1 vs 2 jobs")
def pdf_builds(sample: Path, k: int, rounds: int, pdf_rounds: int, jobs: bool, timeout: float) -> None:
    m = measure("pdf-clean", f"clean build with PDFs, {k} analyses ({3 * k} PDFs), default jobs")
    project = pressroom_copy(sample, "rebuild-pdf")
    run = pressroom_build(project, [], LOGS / "pdf-clean.log", timeout)
    if m.add(run):
        m.pages = sum(1 for _ in (project / "site").glob("*/analyses/*/*.pdf"))
        m.note = f"{warnings_in(run.log)} warning(s)"
    say(f"    {m.label:44} {run.seconds:7.2f} s  exit {run.returncode}  rss {run.max_rss_mb or 0:.0f} MB")
    if run.ok:
        _rebuilds(project, "pdf", [], rounds, timeout, f"with PDFs, {k} analyses")
    for key, flags in (("pdf-j1", ["--jobs", "1"]), ("pdf-j2", ["--jobs", "2"])):
        measure(key, f"clean build with PDFs, {k} analyses, {' '.join(flags)}")
        if not jobs:
            RESULTS[key].unsupported = "not supported yet"
    if not jobs:
        return
    for r in range(pdf_rounds):
        for key, flags in (("pdf-j1", ["--jobs", "1"]), ("pdf-j2", ["--jobs", "2"])):
            m = RESULTS[key]
            project = pressroom_copy(sample, "clean-pdf")
            run = pressroom_build(project, flags, LOGS / f"{key}-{r + 1}.log", timeout)
            if m.add(run):
                m.pages = sum(1 for _ in (project / "site").glob("*/analyses/*/*.pdf"))
            say(f"    {m.label:44} {run.seconds:7.2f} s  exit {run.returncode}  rss {run.max_rss_mb or 0:.0f} MB")


@step("seconds per PDF against raw WeasyPrint (K corpus)")
def pdf_sample(sample: Path, repeat: int, timeout: float) -> dict | None:
    out = LOGS / "pdf-sample.json"
    out.unlink(missing_ok=True)
    run = timed_run([PYTHON, BENCH / "pdf_sample.py", sample, "--repeat", str(repeat), "--json", out,
                     "--toolkit", SNAPSHOT],
                    LOGS / "pdf-sample.log", timeout=timeout)
    if not run.ok or not out.exists():
        raise RuntimeError(f"pdf_sample.py failed: see {rel(run.log)}\n{run.tail(5)}")
    data = json.loads(out.read_text())
    say(f"    {data['pdfs']} PDFs × {data['repeat']}: toolkit {data['median_toolkit']:.3f} s/PDF, "
        f"raw {data['median_raw']:.3f} s/PDF, overhead {data['overhead_all']:.3f}× "
        f"(no correction: {data['overhead_clean'] or float('nan'):.3f}×, {data['corrected']} corrected)")
    return data


# -- report ----------------------------------------------------------------------------


def ratio(a: str, b: str) -> float | None:
    """median(a) / median(b)."""
    x, y = RESULTS.get(a), RESULTS.get(b)
    if not x or not y or x.median is None or y.median is None or y.median == 0:
        return None
    return x.median / y.median


def fmt(x: float | None, suffix: str = "×") -> str:
    return "n/a" if x is None else f"{x:.2f}{suffix}"


def targets(pdf: dict | None, jobs: bool) -> list[tuple[str, str, str, str]]:
    """(target, measured, verdict, basis)."""
    rows = []

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("PASS" if ok else "FAIL")

    r = ratio("mkdocs", "pressroom")
    rows.append(("clean HTML ≥ 5× faster than MkDocs + i18n", fmt(r), verdict(None if r is None else r >= 5),
                 "median MkDocs / median pressroom (default jobs)"))
    single = "pressroom-j1" if jobs else "pressroom"
    r = ratio(single, "bare")
    rows.append(("`--jobs 1` within 1.25× of the bare loop", fmt(r), verdict(None if r is None else r <= 1.25),
                 ("pressroom --jobs 1" if jobs else "pressroom default build (no --jobs flag yet)") + " / bare loop, process wall time"))
    o = pdf["overhead_clean"] if pdf else None
    rows.append(("PDF overhead ≤ 10% over raw WeasyPrint (no correction needed)", fmt(o),
                 verdict(None if o is None else o <= 1.10), "pdf_sample.py: Σ toolkit / Σ raw over PDFs laid out right first time"))
    if jobs:
        r = ratio("pdf-j1", "pdf-j2")
        rows.append(("2 jobs ≥ 1.7× 1 job on PDFs", fmt(r), verdict(None if r is None else r >= 1.7),
                     "clean build with PDFs, --jobs 1 / --jobs 2"))
    else:
        rows.append(("2 jobs ≥ 1.7× 1 job on PDFs", "not supported yet", "n/a", "`build.py build` has no --jobs"))
    a, b = RESULTS.get("noop-html"), RESULTS.get("noop-pdf")
    vals = [x.median for x in (a, b) if x and x.median is not None]
    rows.append(("no-op rebuild < 1 s", " / ".join(fmt(x, " s") for x in [a.median if a else None, b.median if b else None]),
                 verdict(None if not vals else all(v < 1 for v in vals)),
                 "HTML-only N corpus / with PDFs K corpus; both must pass"))
    a, b = RESULTS.get("change-html"), RESULTS.get("change-pdf")
    vals = [x.median for x in (a, b) if x and x.median is not None]
    rows.append(("one-entry change < 2 s incl. its PDF", " / ".join(fmt(x, " s") for x in [a.median if a else None, b.median if b else None]),
                 verdict(None if not vals else all(v < 2 for v in vals)),
                 "HTML-only N corpus / with PDFs K corpus; both must pass"))
    return rows


def write_doc(ctx: dict, pdf: dict | None, jobs: bool, rows: list) -> None:
    m = ctx["machine"]
    lines = [
        "# Build benchmarks",
        "",
        (f"Generated by `{ctx['command']}` on {ctx['date']} (pressroom {ctx['git']}; the run "
        f"built with a byte-compiled snapshot of `pressroom/` taken at its start, digest {ctx['toolkit']}). "
        "Re-run the command to refresh this file; raw logs are in `bench/.logs/` (not committed)."),
        "",
        ("**Caveat: shared machine.** These numbers were taken on a 2-core machine that was running "
        "other work at the same time (load averages below); treat differences under ~15% as noise, "
        "and prefer the ratios (every tool ran in the same rounds, interleaved) to the absolute times."),
        "",
        "## Machine and versions",
        "",
        (f"- CPU: {m.get('cpu')}, {m.get('cores')} cores ({m.get('usable_cores')} usable), "
        f"RAM {m.get('ram_gib')} GiB, {m.get('os')}"),
        f"- Load average (1, 5, 15 min): {ctx['load_start']} at the start, {ctx['load_end']} at the end",
        f"- Python {m.get('python')}; peak memory measured by {'GNU time (`/usr/bin/time -v`)' if HAS_GNU_TIME else 'nothing (no GNU time)'}",
        "- pressroom and its dependencies: " + ", ".join(f"{k} {v}" for k, v in ctx["versions"]["pressroom"].items()),
        "- MkDocs peer: " + (", ".join(f"{k} {v}" for k, v in ctx["versions"]["mkdocs"].items()) or "not installed"),
        "- Sphinx peer: " + (", ".join(f"{k} {v}" for k, v in ctx["versions"]["sphinx"].items()) or "not installed"),
        "",
        "## Corpus",
        "",
        (f"- {ctx['n']} generated analyses (`bench/make_corpus.py`: `corpus.make_article`, ~1,000 words and "
        "12 footnotes each, one heading, one list), each in English, Turkish and Russian: "
        f"{3 * ctx['n']} article pages per tool. Translations are deterministic pseudo-translations "
        "(Turkish letters / Cyrillic transliteration of the plain words; references, URLs and markup kept), "
        "so every page is 100% translated."),
        f"- PDF measurements use the first {ctx['k']} of those analyses ({3 * ctx['k']} PDFs).",
        (f"- Rounds: {ctx['rounds']} for HTML builds and rebuilds (Sphinx: {ctx['sphinx_rounds']}), "
         f"{ctx['pdf_rounds']} for PDF builds; "
        "the table shows the median (min–max, n)."),
        "",
        "## Results",
        "",
        "| measurement | seconds | article pages / PDFs | peak RSS (MB) | notes |",
        "|---|---|---|---|---|",
    ]
    for res in RESULTS.values():
        rss = f"{max(res.rss):.0f}" if res.rss and res.ok else ""
        notes = "; ".join(x for x in [res.note, *res.errors] if x)
        lines.append(f"| {res.label} | {res.cell()} | {res.pages if res.pages is not None else ''} | {rss} | {notes} |")
    if pdf:
        lines += [
            "",
            f"Seconds per PDF (`bench/pdf_sample.py`, `pdf_bench.py`'s method, {pdf['pdfs']} PDFs × "
            f"{pdf['repeat']} renders per side, WeasyPrint {pdf['weasyprint']}): toolkit median "
            f"{pdf['median_toolkit']:.3f} s, raw WeasyPrint {pdf['median_raw']:.3f} s; overhead "
            f"{pdf['overhead_all']:.3f}× over all PDFs, "
            f"{fmt(pdf['overhead_clean'])} over the {pdf['clean']} that needed no correction; "
            f"{pdf['corrected']} needed a correction"
            + (f" (costing {pdf['corrected_cost']:.2f}× raw)" if pdf["corrected_cost"] else "")
            + f"; {pdf['left_with_problems']} left with problems; peak {pdf['peak_mb']:.0f} MB.",
        ]
    lines += ["", "## Ratios", ""]
    for text, a, b in ctx["ratios"]:
        lines.append(f"- {text}: {fmt(ratio(a, b))}")
    lines += ["", "## Targets", "", "| target | measured | verdict | how |", "|---|---|---|---|"]
    for t in rows:
        lines.append("| " + " | ".join(t) + " |")
    if PROBLEMS:
        lines += ["", "## Problems during the run", ""] + [f"- {p}" for p in PROBLEMS]
    moved = "deleted at once (`--delete-at-once`)" if benchutil.delete_at_once else "moved aside until the end"
    lines += ["", FAIRNESS, f"In this run {benchutil.discarded} earlier copies and outputs were {moved}."]
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("\n".join(lines) + "\n" + kept_sections(), encoding="utf-8")


KEEP_MARK = "<!-- written by hand from here on: bench/run.py keeps it -->"


def kept_sections() -> str:
    """What follows ``KEEP_MARK`` in the current docs/benchmarks.md (measurements made
    by other means: library shortcuts, PO readers), kept through a rerun."""
    try:
        text = DOC.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    at = text.find(KEEP_MARK)
    return "\n" + text[at:] if at >= 0 else ""


FAIRNESS = """\
## What each tool does, and what is not equal

- **pressroom**: `python build.py build --no-pdf` on a fresh copy of the corpus (no
  `site/`, no `.pressroom-cache/`): validates every source and catalog, renders each
  analysis in 3 languages, plus per language an index, an Atom feed, a status page and two
  author pages, the static files and `manifest.json`. Rebuilds run in a copy built once
  before.
- **MkDocs + mkdocs-static-i18n** (`bench/peers.py`): suffix structure (`slug.md`,
  `slug.tr.md`, `slug.ru.md`) made from *our* catalogs, built-in `mkdocs` theme,
  `footnotes`, `tables`, `pymdownx.magiclink` (bare URLs, as pressroom), `nav` limited to
  the index page, no search plugin. One `mkdocs build` writes all three languages (the
  plugin runs one build per language inside it). Also writes 404 pages, sitemaps and theme
  assets.
- **Sphinx + MyST + sphinx-intl**: English MyST pages; `sphinx-build -b gettext` and
  `sphinx-intl update` made Sphinx's own catalogs, whose msgids are filled from ours (all of
  them match: MyST keeps a paragraph's Markdown as its msgid). One `sphinx-build -b html
  -D language=…` per language (Sphinx builds one language per run), `-j 1` (Sphinx's
  default), alabaster theme with sidebars off, no source copies; Sphinx still writes its
  search index, `genindex.html` and `search.html`. The `.mo` files are deleted before each
  build, so each build compiles them (pressroom reads the PO files on every build too).
- **bare loop** (`bench/bare_loop.py`): reads the same sources and PO files (Babel
  `read_po`), substitutes translations paragraph by paragraph, renders with markdown-it-py
  (the toolkit's dialect) into a minimal Jinja2 template: article pages only; no
  validation, no footnote renumbering, no listings, feeds, manifest or cache; pressroom reads catalogs
  in the usual form with its own reader (checked against Babel's in the tests), which is
  part of why `--jobs 1` is the faster of the two.
- Every time is a whole process, start-up and imports included, measured with
  `time.perf_counter` around the subprocess; peak RSS is the largest single process (GNU
  time), so for `--jobs 2` it is one worker or the parent, not the sum.
- Not equal: page templates differ (pressroom's pages carry more: author, date in the
  locale, language switcher, PDF links); peers produce a few extra files (search index,
  sitemaps, genindex) and pressroom extra listing pages; the peers' translated Markdown was
  prepared once, untimed (as is pressroom's `update`); translations are pseudo-translations
  of the same length as the source.
- Before each timed run of every tool, dirty data is written out (`sync`). Earlier copies
  of the corpus and earlier outputs are not deleted between runs but moved aside, and
  deleted once the timed runs are over (`--delete-at-once` deletes them before each run).
  This VM's ext4 has no journal, and without one the kernel does not reuse an inode freed
  in the last 60 s (360 s while its inode-table block is unwritten): every file or
  directory created first walks past each such inode of its block group
  (`recently_deleted()` in Linux's `fs/ext4/ialloc.c`). Deleting the last build's copy
  (5,200 files and directories) just before the next build made that build pay for them,
  more in each round: five rounds of copy, clean pressroom build and delete, measured
  outside the benchmark, took 2.90, 2.62, 2.93, 3.24 and 5.16 s (system time 0.98 → 2.80
  s), and in the last one a quarter of all CPU samples (`perf record -a`) were in that
  walk; the same five rounds with the copies moved aside took 2.23–2.38 s (system time
  0.33–0.62 s). The walk costs every tool the same per file created, so it weighed most on
  the fastest.
- No-op and one-entry rebuilds with PDFs use the K-article corpus, not the N one; the
  HTML-only rebuilds use the N corpus. A one-entry change edits one paragraph's msgstr of
  one Turkish catalog (a different text each round) and checks that the page shows it.
"""


# -- main ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500, help="analyses in the corpus (default 500)")
    parser.add_argument("--pdf-articles", type=int, default=10, help="analyses for PDF measurements (default 10)")
    parser.add_argument("--repeat", type=int, help="rounds of HTML builds and rebuilds (default 3, 1 above 150 articles)")
    parser.add_argument("--sphinx-rounds", type=int, help="rounds of the Sphinx builds (default: as --repeat; they take minutes)")
    parser.add_argument("--pdf-repeat", type=int, default=1, help="rounds of clean PDF builds per --jobs value (default 1)")
    parser.add_argument("--pdf-renders", type=int, default=2, help="renders per PDF and side in pdf_sample.py (default 2)")
    parser.add_argument("--fresh", action="store_true", help="remake the corpora and peer projects")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed to one build (default 3600)")
    parser.add_argument("--no-doc", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--delete-at-once", action="store_true",
                        help="delete earlier copies and outputs before each run instead of moving them "
                             "aside until the end (see FAIRNESS in docs/benchmarks.md)")
    args = parser.parse_args()
    benchutil.delete_at_once = args.delete_at_once
    n, k = args.articles, min(args.pdf_articles, args.articles)
    rounds = args.repeat or (3 if n <= 150 else 1)
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / "run-errors.log").unlink(missing_ok=True)
    started = time.perf_counter()
    ctx = {
        "command": " ".join([".venv/bin/python", "bench/run.py", *sys.argv[1:]]),
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "git": git_state(),
        "load_start": loadavg(),
        "n": n, "k": k, "rounds": rounds, "pdf_rounds": args.pdf_repeat,
        "sphinx_rounds": min(args.sphinx_rounds or rounds, rounds),
    }
    say(f"pressroom build benchmark: {n} analyses, PDFs on {k}, {rounds} round(s); "
        f"{ctx['machine'].get('cpu')}, {ctx['machine'].get('cores')} cores, load {ctx['load_start']}")

    try:
        corpus = ensure_corpus(n, args.fresh)
        sample = corpus if k == n else ensure_corpus(k, args.fresh)
    except Exception as exc:  # noqa: BLE001
        say(f"cannot make the corpus: {exc}")
        return 1
    if args.fresh:
        for peer in ("mkdocs", "sphinx"):
            shutil.rmtree(corpus.with_name(corpus.name + f".{peer}"), ignore_errors=True)

    ctx["toolkit"] = snapshot_toolkit()
    say(f"toolkit: pressroom/ snapshot {ctx['toolkit']} in {rel(SNAPSHOT)}")
    flags = build_flags(pressroom_copy(corpus, "help"))
    jobs = "--jobs" in flags
    if not jobs:
        say("pressroom: `build.py build --jobs` not supported yet: 1-vs-2-jobs measurements skipped")

    ready = prepare_peers(corpus) or {}
    ctx["versions"] = {"pressroom": pressroom_versions(), "mkdocs": peers.versions("mkdocs") if ready.get("mkdocs") else {},
                       "sphinx": peers.versions("sphinx") if ready.get("sphinx") else {}}
    try:
        clean_html(corpus, n, rounds, ready, jobs, args.timeout, args.sphinx_rounds or rounds)
        rebuilds_html(corpus, n, rounds, args.timeout)
        pdf_builds(sample, k, rounds, args.pdf_repeat, jobs, args.timeout)
        pdf = pdf_sample(sample, args.pdf_renders, args.timeout)
    finally:
        benchutil.empty_trash()
    ctx["load_end"] = loadavg()
    live = toolkit_digest(ROOT)
    if live != ctx["toolkit"]:
        problem(f"pressroom/ changed during the run (now {live}): every build used the snapshot {ctx['toolkit']} "
                "taken at the start")

    ctx["ratios"] = [
        ("MkDocs + i18n / pressroom, clean HTML", "mkdocs", "pressroom"),
        ("Sphinx + sphinx-intl (3 runs) / pressroom, clean HTML", "sphinx", "pressroom"),
        ("pressroom / bare loop, clean HTML", "pressroom", "bare"),
        ("pressroom --jobs 1 / bare loop", "pressroom-j1", "bare"),
        ("HTML: --jobs 1 / --jobs 2", "pressroom-j1", "pressroom-j2"),
        ("PDFs: --jobs 1 / --jobs 2", "pdf-j1", "pdf-j2"),
        ("one-entry change / no-op, HTML", "change-html", "noop-html"),
        ("clean HTML / no-op rebuild, HTML", "pressroom", "noop-html"),
    ]
    rows = targets(pdf, jobs)

    say(f"\n== results ({n} analyses, {3 * n} article pages per tool; PDFs: {k} analyses)")
    for res in RESULTS.values():
        rss = f"  rss {max(res.rss):.0f} MB" if res.rss and res.ok else ""
        pages = f"  [{res.pages} pages]" if res.pages is not None else ""
        say(f"  {res.label:58} {res.cell()}{pages}{rss}")
        for e in res.errors:
            say(f"      !! {e}")
    say("\n== ratios")
    for text, a, b in ctx["ratios"]:
        say(f"  {text:58} {fmt(ratio(a, b))}")
    say("\n== targets")
    for target, value, verdict, basis in rows:
        say(f"  {verdict:5} {target:62} {value}   ({basis})")
    if not args.no_doc:
        write_doc(ctx, pdf, jobs, rows)
        say(f"\nwrote {rel(DOC)}")
    say(f"total benchmark time {time.perf_counter() - started:.0f} s; logs in {rel(LOGS)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
