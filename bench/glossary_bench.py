"""The glossary check: milliseconds per entry as the glossary and the text grow.

    .venv/bin/python bench/glossary_bench.py [--terms 15,1000,10000] [--words 50,200,2000]

A glossary of N terms (the seed's Turkish terms, then generated two-word terms: one
in ten starts with one of bench/corpus.py's words, the rest are invented) is checked against generated English
paragraphs of W words translated by themselves (so every term found is looked for in
the translation too), en -> tr, through ``check_pair`` with the ``glossary`` check
alone. Not part of the test suite: speed is measured here, never asserted by a test.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from corpus import WORDS, sentence

from pressroom.checks import CHECKS, Pair, check_pair
from pressroom.glossary import Glossary, Term, read_glossary
from pressroom.segments.body import Body


def glossary(size: int) -> Glossary:
    seed, _ = read_glossary((ROOT / "locales/tr/glossary.csv").read_bytes(), "glossary.csv", "tr")
    rng = random.Random(size)
    terms = list(seed.terms)
    words = list(WORDS)
    while len(terms) < size:
        b = "".join(rng.choice("abcdefghijklmnoprstuvyz") for _ in range(rng.randint(4, 9)))
        # one term in ten starts with a word of the text (as "NATO …" terms do): each
        # of those is tried wherever the word stands
        a = rng.choice(words) if rng.random() < 0.1 else b[::-1]
        terms.append(Term(f"{a} {b}", f"{b} {a}", "", False, "noun", "glossary.csv", len(terms) + 2))
    return Glossary("tr", "glossary.csv", terms[:size])


def text(words: int, rng: random.Random) -> str:
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(sentence(rng))
    return " ".join(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--terms", default="15,1000,10000")
    parser.add_argument("--words", default="50,200,2000")
    parser.add_argument("--entries", type=int, default=50)
    args = parser.parse_args()
    check = [c for c in CHECKS if c.name == "glossary"]
    body = Body("case.md", [], {}, [])
    print(f"{'terms':>6} {'words':>6} {'ms/entry':>9}  (first entry, index built)")
    for size in map(int, args.terms.split(",")):
        g = glossary(size)
        for words in map(int, args.words.split(",")):
            rng = random.Random(words)
            texts = [text(words, rng) for _ in range(args.entries)]
            start = time.perf_counter()
            check_pair(Pair(texts[0], texts[0], "en", "tr", body, glossary=g), check)
            first = time.perf_counter() - start
            start = time.perf_counter()
            for t in texts:
                check_pair(Pair(t, t, "en", "tr", body, glossary=g), check)
            each = (time.perf_counter() - start) / len(texts)
            print(f"{size:>6} {words:>6} {each * 1000:>9.2f}  ({first * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
