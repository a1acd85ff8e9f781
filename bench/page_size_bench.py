"""Largest page of a big archive: no HTML page over 200 kB at 5,000 analyses.

    .venv/bin/python bench/page_size_bench.py [--articles 5000] [--corpus DIR]

Makes (or reuses) a generated corpus of N analyses in three languages
(``make_corpus.py``), builds it without PDFs, and reports the largest HTML files of
site/ and how many pages each kind of page has. Listing pages are paginated
(``page_size``, 20 by default); analysis pages do not grow with the archive.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LIMIT = 200_000


def kind(rel: str) -> str:
    parts = rel.split("/")
    if len(parts) < 3:
        return "root or index"
    return parts[1] if parts[1] not in ("page",) else "index"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--corpus", type=Path, help="where the corpus is (default bench/.corpus-pages-N)")
    args = parser.parse_args()
    corpus = args.corpus or BENCH / f".corpus-pages-{args.articles}"
    if not (corpus / "build.py").is_file():
        subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), str(corpus), "--articles", str(args.articles)],
                       check=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "build.py", "build", "--no-pdf"], cwd=corpus, check=True)
    print(f"clean HTML build of {args.articles} analyses: {time.perf_counter() - start:.0f} s")
    pages = [(p.stat().st_size, p.relative_to(corpus / "site").as_posix()) for p in (corpus / "site").rglob("*.html")]
    pages.sort(reverse=True)
    print(f"{len(pages)} HTML pages; by kind: {dict(Counter(kind(rel) for _, rel in pages))}")
    print("largest:")
    for size, rel in pages[:8]:
        print(f"  {size / 1000:8.1f} kB  {rel}")
    over = [rel for size, rel in pages if size > LIMIT]
    print(f"pages over {LIMIT // 1000} kB: {len(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
