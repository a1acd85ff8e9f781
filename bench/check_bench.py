"""Translation checks on long texts: seconds per check as the text grows.

    .venv/bin/python bench/check_bench.py [--sizes 31000,124000,1048576] [--timeout 120]
                                          [--shapes prose,numbers] [--code DIR]

Each shape of tests/fixtures/checks/long-texts.toml is repeated up to each size (in
characters) and checked against itself as the source (en -> tr), once per size, in a
process of its own: the parse of both texts and every translation check are timed
separately. The source check ``repeated-paragraph`` is timed on documents of generated
paragraphs (bench/corpus.py) of the same sizes. A measurement that does not finish
within ``--timeout`` seconds is stopped and shown as "> N".

``--code DIR`` imports ``pressroom`` from another checkout (``git worktree add /tmp/old
<rev>``), to compare before and after a change. Not part of the test suite: speed is
measured here, never asserted by a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
import tomllib
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHAPES = ROOT / "tests" / "fixtures" / "checks" / "long-texts.toml"
SIZES = (31_000, 124_000, 1_048_576)


def shapes() -> dict[str, dict]:
    with SHAPES.open("rb") as f:
        return {s["name"]: s for s in tomllib.load(f)["shape"]}


def long_text(shape: dict, size: int) -> str:
    prefix, unit = shape.get("prefix", ""), shape["unit"]
    return (prefix + unit * (size // len(unit) + 1))[:size]


def document(size: int) -> str:
    """Generated paragraphs up to ``size`` characters; every tenth repeats an earlier one."""
    sys.path.insert(0, str(BENCH))
    from corpus import paragraph

    rng = random.Random(size)
    paragraphs: list[str] = []
    length = 0
    while length < size:
        text = paragraph(rng, rng.choice((2, 3, 4, 6)))
        if paragraphs and len(paragraphs) % 10 == 0:
            text = rng.choice(paragraphs)
        paragraphs.append(text)
        length += len(text) + 2
    return "\n\n".join(paragraphs) + "\n"


# -- one measurement, in its own process ------------------------------------------------


def measure_shape(name: str, size: int) -> dict[str, float]:
    from pressroom import checks
    from pressroom.segments.body import Body

    shape = shapes()[name]
    text = long_text(shape, size)
    pair = checks.Pair(text, text, "en", "tr", Body("bench.md", [], {}, []), ui=shape.get("ui", False))
    timings = {}
    start = time.perf_counter()
    pair.source, pair.target  # noqa: B018 - parsed here, so that the checks time themselves only
    timings["parse"] = time.perf_counter() - start
    for check in checks.CHECKS:
        if check.scope == "translation":
            start = time.perf_counter()
            list(check.func(pair))
            timings[check.name] = time.perf_counter() - start
    return timings


def measure_document(size: int) -> dict[str, float]:
    from pressroom.checks.source import repeated_paragraph
    from pressroom.errors import Report
    from pressroom.segments.body import parse_document_body
    from pressroom.sources.documents import Document

    doc = Document("analysis", "bench", "bench.md", "en", {}, [], document(size), 1)
    body = parse_document_body(doc, Report())
    start = time.perf_counter()
    found = list(repeated_paragraph(doc, body))
    return {"repeated-paragraph": time.perf_counter() - start, "findings": len(found)}


def worker(argv: list[str]) -> None:
    code, what, size = argv[0], argv[1], int(argv[2])
    sys.path.insert(0, code)
    result = measure_document(size) if what == "document" else measure_shape(what, size)
    print(json.dumps(result))


# -- the table ---------------------------------------------------------------------------


def run(code: Path, what: str, size: int, timeout: float) -> dict[str, float] | None:
    cmd = [sys.executable, __file__, "--worker", str(code), what, str(size)]
    env = dict(os.environ, PYTHONHASHSEED="0")
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": last}  # type: ignore[dict-item]
    return json.loads(done.stdout)


def cell(result: dict | None, key: str, timeout: float) -> str:
    if result is None:
        return f"> {timeout:g}"
    if "error" in result:
        return "error"
    return f"{result[key]:.2f}"


def main() -> int:
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="characters, comma-separated")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per measurement")
    parser.add_argument("--shapes", default="", help="names from long-texts.toml (default: all)")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose pressroom/ is measured")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    names = args.shapes.split(",") if args.shapes else list(shapes())
    print(f"pressroom from {args.code.resolve()}; seconds; > {args.timeout:g}: stopped")
    print("| shape | size | parse | slowest check | all checks |")
    print("|---|---:|---:|---|---:|")
    for name in names:
        for size in sizes:
            result = run(args.code, name, size, args.timeout)
            if result is None or "error" in result:
                print(f"| {name} | {size:,} | | | {cell(result, '', args.timeout)} |", flush=True)
                if result is None:
                    break  # a larger size would only take longer
                continue
            checks = {k: v for k, v in result.items() if k != "parse"}
            slowest = max(checks, key=checks.__getitem__)
            print(f"| {name} | {size:,} | {result['parse']:.2f} | {slowest} {checks[slowest]:.2f} "
                  f"| {sum(checks.values()):.2f} |", flush=True)
    for size in sizes:
        result = run(args.code, "document", size, args.timeout)
        findings = f" ({result['findings']:.0f} findings)" if result and "error" not in result else ""
        print(f"| source document | {size:,} | | repeated-paragraph{findings} "
              f"| {cell(result, 'repeated-paragraph', args.timeout)} |", flush=True)
        if result is None:
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
