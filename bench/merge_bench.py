"""Catalog merge benchmark: ``pressroom.catalogs.merge`` against Babel's ``Catalog.update``.

    .venv/bin/python bench/merge_bench.py [--entries 1000] [--changed 0.1]

Builds a catalog of N translated paragraph entries, then a template in which a share
of the paragraphs is edited (a few words changed), 5% removed and 5% added, and
times both merges (fuzzy matching on). Babel's matcher compares every pair (difflib),
so it is also timed on smaller sizes to show its growth. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from babel.messages.catalog import Catalog
from corpus import paragraph

from pressroom.catalogs.merge import merge
from pressroom.po import Entry, PoFile


def catalogs(n: int, changed: float, seed: int = 7):
    rng = random.Random(seed)
    texts = [paragraph(rng, rng.choice((2, 3, 4))) for _ in range(n)]
    old = Catalog(locale="tr")
    for t in texts:
        old.add(t, "TR " + t)
    new_texts = []
    for t in texts:
        r = rng.random()
        if r < 0.05:
            continue  # removed
        if r < 0.05 + changed:
            words = t.split()
            for _ in range(2):
                words[rng.randrange(len(words))] = rng.choice(("new", "revised", "further", "major"))
            t = " ".join(words)
        new_texts.append(t)
    new_texts += [paragraph(rng, 2) for _ in range(n // 20)]
    template = Catalog()
    for t in new_texts:
        template.add(t)
    return old, template


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--changed", type=float, default=0.1)
    args = parser.parse_args()
    print("entries  pressroom merge   babel Catalog.update   fuzzy matches (pressroom / babel)")
    for n in sorted({100, 300, args.entries}):
        old_a, tpl_a = catalogs(n, args.changed)
        old_b, tpl_b = catalogs(n, args.changed)
        ours_old = PoFile([Entry(m.id, m.string) for m in old_a if m.id])
        ours_template = PoFile([Entry(m.id) for m in tpl_a if m.id])
        t_ours = timed(lambda old=ours_old, tpl=ours_template: merge(old, tpl))
        t_babel = timed(lambda old=old_b, tpl=tpl_b: old.update(tpl)) if n <= 1000 else float("nan")  # hours beyond
        fuzzy_a = sum(1 for e in ours_old.messages if e.fuzzy)
        fuzzy_b = sum(1 for m in old_b if m.fuzzy)
        print(f"{n:7}  {t_ours:14.3f}s  {t_babel:20.3f}s   {fuzzy_a} / {fuzzy_b}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
