"""The search index (Pagefind) on a generated archive: what it costs a build.

    .venv/bin/python bench/search_bench.py [--articles 500] [--repeat 5]
    .venv/bin/python bench/search_bench.py --site DIR/site [--lang tr]   # shards on a built site
    .venv/bin/python bench/search_bench.py --queries [--articles 500]    # a query's cost, 1/8/64 shards

Makes a corpus of N analyses × 3 languages (``make_corpus.py``), builds it without
PDFs, then times:

- ``search.write_index`` alone on the built site, one language (Pagefind over N
  article pages), median of ``--repeat`` runs, with the three bundles' size and file
  count;
- a rebuild after one Turkish catalog entry changed (one page, its listings and the
  Turkish index made again), median of ``--repeat``; and the same rebuild with the
  index left out (``IndexRun`` replaced by a no-op), to show Pagefind's share;
- a no-op rebuild (Pagefind does not run).

Each rebuild is timed twice: with the default ``search_shard_size`` (the changed
page's shard alone is indexed again) and with one shard a language (``--one-index``
compares: the language's whole index is made again). CPU seconds are Pagefind's
(the build's child processes: ``RUSAGE_CHILDREN``).

``--site`` takes a site already built (e.g. the 5,000-analysis corpus; read only:
the pages are linked or copied into a temporary directory) and times Pagefind over
the shard that holds the first analysis against the whole language.

``--queries`` builds the Turkish index of a built corpus in 1, 8 and 64 shards,
serves each on 127.0.0.1 and searches it in headless Chromium as the search page
does (the first shard's pagefind.js, the others merged): the requests and bytes of
opening the search (load and merge) and of one query (Playwright's request events).

Prints Markdown tables for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pressroom.cli import main
from pressroom.config import load_config
from pressroom.site import build as site
from pressroom.site import search


class NoIndex:
    """``search.IndexRun`` that runs no Pagefind and makes no bundle."""

    def __init__(self, *args: object) -> None: ...

    def result(self) -> list[str]:
        return []


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def build(project: Path) -> float:
    start = time.perf_counter()
    code = main(["build", "--no-pdf"], project=project)
    elapsed = time.perf_counter() - start
    assert code == 0, f"build failed in {project}"
    return elapsed


def timed_build(project: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of child processes: Pagefind's) of a build."""
    cpu = children_cpu()
    wall = build(project)
    return wall, children_cpu() - cpu


def set_shard_size(project: Path, size: int) -> None:
    path = project / "pyproject.toml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
             if not line.startswith("search_shard_size")]
    text = "".join(lines).replace("[tool.pressroom]\n", f"[tool.pressroom]\nsearch_shard_size = {size}\n", 1)
    path.write_text(text, encoding="utf-8")


def edit_one_entry(project: Path, revision: int) -> None:
    """Append a mark to the first translated paragraph of one Turkish catalog."""
    po = sorted((project / "locales/tr/LC_MESSAGES").glob("generated-*.po"))[0]
    text = po.read_text(encoding="utf-8")
    marker = 'msgstr "'
    at = text.index(marker, text.index("#. paragraph")) + len(marker)
    po.write_text(f"{text[:at]}[{revision}] {text[at:]}", encoding="utf-8")


def rebuilds(project: Path, repeat: int, size: int, revision: int) -> tuple[list[tuple[float, float]], int]:
    """One-entry rebuilds with ``search_shard_size`` = ``size``: (wall, Pagefind CPU)
    of each, and the number of Turkish shards."""
    set_shard_size(project, size)
    build(project)  # the shards of this size in place
    made = []
    for r in range(repeat):
        edit_one_entry(project, revision + r)
        made.append(timed_build(project))
    shards = len(list((project / "site/tr" / search.BUNDLE).iterdir()))
    return made, shards


def archive(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        project = Path(tmp) / "corpus"
        subprocess.run([sys.executable, ROOT / "bench/make_corpus.py", project, "--articles", str(args.articles)],
                       check=True, stdout=subprocess.DEVNULL)
        clean_cpu = children_cpu()
        clean = build(project)
        clean_cpu = children_cpu() - clean_cpu
        config = load_config(project)
        slugs = sorted(p.name for p in (project / "site/tr/analyses").iterdir() if p.is_dir())
        index_times = []
        for r in range(args.repeat):
            copy = Path(tmp) / f"site-{r}"
            shutil.copytree(project / "site", copy, ignore=shutil.ignore_patterns(search.BUNDLE))
            cpu = children_cpu()
            search.write_index(config, copy, "tr", 0, slugs, primary=True)
            index_times.append(children_cpu() - cpu)
            shutil.rmtree(copy)
        files = [p for lang in ("en", "tr", "ru") for p in (project / "site" / lang / search.BUNDLE).rglob("*")
                 if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        sharded, shards = rebuilds(project, args.repeat, config.search_shard_size, 0)
        whole, _ = rebuilds(project, args.repeat, 10 * args.articles, 100)
        real = site.IndexRun
        without = []
        site.IndexRun = NoIndex  # the index left out (this rebuild's site has none)
        try:
            for r in range(args.repeat):
                edit_one_entry(project, 200 + r)
                without.append(build(project))
        finally:
            site.IndexRun = real
        build(project)  # the index back in place
        noop = [build(project) for _ in range(args.repeat)]
    pages = 3 * args.articles
    median = statistics.median
    print(f"| measurement ({args.articles} analyses × 3 languages, {pages} pages) | median of {args.repeat} |")
    print("|---|---|")
    print(f"| clean HTML build, index included (default shards) | {clean:.2f} s wall, {clean_cpu:.1f} s CPU of the "
          "child processes: renderers and Pagefind (one run) |")
    print(f"| Pagefind alone, one language's {args.articles} pages in one run | {median(index_times):.2f} s CPU |")
    print(f"| the three indexes, {shards} shards a language | {size / 1e6:.1f} MB in {len(files)} files |")
    for label, runs in ((f"{shards} shards: the changed page's shard indexed again", sharded),
                        ("one index: the language's whole index made again", whole)):
        print(f"| one Turkish catalog entry changed, {label} | {median(w for w, _ in runs):.2f} s wall, "
              f"{median(c for _, c in runs):.2f} s Pagefind CPU |")
    print(f"| the same without the index | {median(without):.2f} s wall |")
    print(f"| no-op rebuild (Pagefind not run) | {median(noop):.2f} s |")
    return 0


def existing_site(args: argparse.Namespace) -> int:
    """Pagefind over one shard of a built site's language against the whole language."""
    site_dir = Path(args.site).resolve()
    config = load_config(site_dir.parent)
    slugs = sorted(p.name for p in (site_dir / args.lang / "analyses").iterdir() if p.is_dir())
    parts = search.shards(slugs, config.search_shard_size)
    shard = search.shard_of(slugs[0], search.shard_count(len(slugs), config.search_shard_size))
    rows = []
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        out = Path(tmp)
        for rel in (search.Page(search.article_url(args.lang, slug)).file for slug in slugs):
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            try:
                (out / rel).hardlink_to(site_dir / rel)
            except OSError:
                shutil.copyfile(site_dir / rel, out / rel)
        for label, chosen in ((f"shard {shard} of {len(parts)} ({len(parts[shard])} pages)", parts[shard]),
                              (f"the whole language ({len(slugs)} pages)", slugs)):
            times = []
            for r in range(args.repeat):
                cpu, start = children_cpu(), time.perf_counter()
                search.write_index(config, out, args.lang, 900 + r, chosen, primary=True)
                times.append((time.perf_counter() - start, children_cpu() - cpu))
                shutil.rmtree(out / search.bundle_dir(args.lang, 900 + r))
            # the largest child so far: the shard's runs come first, the whole language's after
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            rows.append((label, times, peak))
    print(f"| Pagefind over {args.lang} of {site_dir} (search_shard_size {config.search_shard_size}) "
          f"| median of {args.repeat} |")
    print("|---|---|")
    for label, times, peak in rows:
        print(f"| {label} | {statistics.median(c for _, c in times):.2f} s CPU, "
              f"{statistics.median(w for w, _ in times):.2f} s wall, Pagefind's peak memory {peak:.0f} MB |")
    return 0


PAGE = """<!doctype html><html lang="tr"><meta charset="utf-8"><title>q</title><body><script type="module">
const bundles = %s;
window.opened = (async () => {
  const pagefind = await import(bundles[0] + "pagefind.js");
  await pagefind.options({ baseUrl: "/" });
  await Promise.all(bundles.slice(1).map((b) => pagefind.mergeIndex(b, { baseUrl: "/" })));
  window.pagefind = pagefind;
})();
</script></body></html>"""


def queries(args: argparse.Namespace) -> int:
    """A query's requests and bytes with the Turkish index in 1, 8 and 64 shards."""
    from playwright.sync_api import sync_playwright

    from tests.conftest import ARGS, CHROMIUM

    words = args.words.split(",")
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        project = Path(tmp) / "corpus"
        subprocess.run([sys.executable, ROOT / "bench/make_corpus.py", project, "--articles", str(args.articles)],
                       check=True, stdout=subprocess.DEVNULL)
        set_shard_size(project, 10 * args.articles)
        build(project)
        config = load_config(project)
        site_dir = project / "site"
        slugs = sorted(p.name for p in (site_dir / "tr/analyses").iterdir() if p.is_dir())
        for count in (8, 64):
            out = site_dir / f"tr/shards-{count}"
            parts: dict[int, list[str]] = {}
            for slug in slugs:
                parts.setdefault(search.shard_of(slug, count), []).append(slug)
            out.mkdir()
            for number, shard in enumerate(sorted(parts)):
                search.write_index(config, site_dir, "tr", 1000 + shard, parts[shard], primary=number == 0)
                (site_dir / search.bundle_dir("tr", 1000 + shard)).rename(out / str(shard))
        layouts = {1: ["/tr/pagefind/0/"]}
        for count in (8, 64):
            layouts[count] = [f"/tr/shards-{count}/{p.name}/" for p in
                              sorted((site_dir / f"tr/shards-{count}").iterdir(), key=lambda p: int(p.name))]
        for count, bundles in layouts.items():
            (site_dir / f"q{count}.html").write_text(PAGE % str(bundles).replace("'", '"'), encoding="utf-8")
        handler = functools.partial(Quiet, directory=str(site_dir))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
        rows = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                for count in layouts:
                    for word in words:
                        context = browser.new_context()
                        page = context.new_page()
                        seen: list = []
                        page.on("requestfinished", lambda request: seen.append(request))
                        page.goto(f"{url}/q{count}.html")
                        start = time.perf_counter()
                        page.evaluate("() => window.opened")
                        opened = time.perf_counter() - start
                        opening = list(seen)
                        seen.clear()
                        start = time.perf_counter()
                        found = page.evaluate("async (w) => (await window.pagefind.search(w)).results.length", word)
                        asked = time.perf_counter() - start
                        rows.append((count, word, found, len(opening), sum(size(r) for r in opening), opened,
                                     len(seen), sum(size(r) for r in seen), asked))
                        context.close()
                browser.close()
        finally:
            server.shutdown()
    print(f"| Turkish index ({args.articles} analyses) | word (results) | opening: requests, kB, s | "
          "one query: requests, kB, s |")
    print("|---|---|---|---|")
    for count, word, found, n_open, b_open, t_open, n_ask, b_ask, t_ask in rows:
        print(f"| {count} shard{'s' if count > 1 else ''} | {word} ({found}) | {n_open}, {b_open / 1e3:.0f} kB, "
              f"{t_open:.2f} s | {n_ask}, {b_ask / 1e3:.0f} kB, {t_ask:.2f} s |")
    return 0


def size(request) -> int:
    sizes = request.sizes()
    return sizes["responseBodySize"] + sizes["responseHeadersSize"]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None: ...


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--site", help="a built site: time one shard against the whole language")
    parser.add_argument("--lang", default="tr")
    parser.add_argument("--queries", action="store_true", help="a query's requests and bytes for 1, 8, 64 shards")
    parser.add_argument("--words", default="enerğy,budget")
    args = parser.parse_args(argv)
    if args.site:
        return existing_site(args)
    if args.queries:
        return queries(args)
    return archive(args)


if __name__ == "__main__":
    raise SystemExit(main_())
