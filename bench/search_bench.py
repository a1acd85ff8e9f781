"""The search index (Pagefind) on a generated archive: what it costs a build.

    .venv/bin/python bench/search_bench.py [--articles 500] [--repeat 5]

Makes a corpus of N analyses × 3 languages (``make_corpus.py``), builds it without
PDFs, then times:

- ``search.write_index`` alone on the built site, one language (Pagefind over N
  article pages), median of ``--repeat`` runs, with the three bundles' size and file
  count;
- a rebuild after one Turkish catalog entry changed (one page, its listings and the
  Turkish index made again), median of ``--repeat``; and the same rebuild with the
  index left out (``write_index`` replaced by a no-op), to show Pagefind's share;
- a no-op rebuild (Pagefind does not run).

Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pressroom.cli import main
from pressroom.config import load_config
from pressroom.site import build as site
from pressroom.site import search


def build(project: Path) -> float:
    start = time.perf_counter()
    code = main(["build", "--no-pdf"], project=project)
    elapsed = time.perf_counter() - start
    assert code == 0, f"build failed in {project}"
    return elapsed


def edit_one_entry(project: Path, revision: int) -> None:
    """Append a mark to the first translated paragraph of one Turkish catalog."""
    po = sorted((project / "locales/tr/LC_MESSAGES").glob("generated-*.po"))[0]
    text = po.read_text(encoding="utf-8")
    marker = 'msgstr "'
    at = text.index(marker, text.index("#. paragraph")) + len(marker)
    po.write_text(f"{text[:at]}[{revision}] {text[at:]}", encoding="utf-8")


def main_(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        project = Path(tmp) / "corpus"
        subprocess.run([sys.executable, ROOT / "bench/make_corpus.py", project, "--articles", str(args.articles)],
                       check=True, stdout=subprocess.DEVNULL)
        clean = build(project)
        config = load_config(project)
        index_times = []
        for r in range(args.repeat):
            copy = Path(tmp) / f"site-{r}"
            shutil.copytree(project / "site", copy, ignore=shutil.ignore_patterns(search.BUNDLE))
            start = time.perf_counter()
            search.write_index(config, copy, "tr")
            index_times.append(time.perf_counter() - start)
            shutil.rmtree(copy)
        files = [p for lang in ("en", "tr", "ru") for p in (project / "site" / search.bundle_dir(lang)).rglob("*")
                 if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        with_index, without_index = [], []
        real = site.write_index
        for r in range(args.repeat):
            edit_one_entry(project, 2 * r)
            with_index.append(build(project))
            site.write_index = lambda config, out, lang: []  # the index left out (this rebuild's site has none)
            try:
                edit_one_entry(project, 2 * r + 1)
                without_index.append(build(project))
            finally:
                site.write_index = real
        build(project)  # the index back in place
        noop = [build(project) for _ in range(args.repeat)]
    pages = 3 * args.articles
    median = statistics.median
    print(f"| measurement ({args.articles} analyses × 3 languages, {pages} pages) | median of {args.repeat} |")
    print("|---|---|")
    print(f"| clean HTML build, index included | {clean:.2f} s (one run) |")
    print(f"| Pagefind alone, one language ({args.articles} pages) | {median(index_times):.2f} s |")
    print(f"| the three indexes | {size / 1e6:.1f} MB in {len(files)} files |")
    print(f"| one catalog entry changed: rebuild with the index | {median(with_index):.2f} s |")
    print(f"| the same without the index | {median(without_index):.2f} s |")
    print(f"| no-op rebuild (Pagefind not run) | {median(noop):.2f} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main_())
