"""Translation memory benchmark: one lookup (exact and near matches) in N entries.

    .venv/bin/python bench/memory_bench.py [--entries 10000] [--lookups 300]

The memory holds N generated segments as the corpus makes them: paragraphs of one to
four sentences and citations (``corpus``), each with a pseudo-translation, spread
over catalogs of 60 entries. Lookups are of three kinds in equal shares: a segment of
the memory (exact), one with two words changed (near), one the memory has nothing
like (a new paragraph). Each lookup is timed alone, as the editor makes it for the
entry being edited; the memory is built once (the editor keeps it while the
catalogs are unchanged), and its build time is reported too. Target: < 50 ms a lookup
at 10,000 entries. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import citation, paragraph

from pressroom.catalogs.memory import Memory, MemoryEntry


def segments(n: int, rng: random.Random) -> list[str]:
    out = []
    for i in range(n):
        out.append(citation(rng, i % 40 + 1) if i % 5 == 0 else paragraph(rng, rng.choice((1, 2, 3, 4))))
    return out


def revised(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(2):
        words[rng.randrange(len(words))] = rng.choice(("new", "revised", "further", "major"))
    return " ".join(words)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--lookups", type=int, default=300)
    args = parser.parse_args()
    rng = random.Random(11)
    texts = segments(args.entries, rng)
    entries = [MemoryEntry(t, "TR " + t, f"doc-{i // 60:04d}", f"locales/tr/LC_MESSAGES/doc-{i // 60:04d}.po",
                           20 + 4 * (i % 60)) for i, t in enumerate(texts)]
    start = time.perf_counter()
    memory = Memory(entries)
    built = time.perf_counter() - start
    kinds = {"exact": [], "near": [], "none": []}
    for i in range(args.lookups):
        kind = ("exact", "near", "none")[i % 3]
        base = texts[rng.randrange(len(texts))]
        text = base if kind == "exact" else revised(base, rng) if kind == "near" else paragraph(rng, 2)
        start = time.perf_counter()
        found = memory.matches(text)
        kinds[kind].append((time.perf_counter() - start) * 1000)
        if kind == "exact":
            assert found and found[0].score == 1.0, "an exact segment must be found"
    every = [t for times in kinds.values() for t in times]
    print(f"memory of {len(memory)} entries built in {built:.2f} s")
    print("lookup      median ms   p95 ms    max ms")
    for name, times in [*kinds.items(), ("all", every)]:
        times = sorted(times)
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"{name:10} {statistics.median(times):9.2f} {p95:8.2f} {times[-1]:9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
