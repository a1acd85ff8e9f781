"""Reading every catalog of a corpus: Babel's ``read_po``, polib and ``pressroom.po``.

    .venv/bin/python bench/po_read_bench.py CORPUS [--repeat N] [--only READER]

``CORPUS`` is a project made by ``bench/make_corpus.py``; every ``.po``/``.pot`` file
under its ``locales/`` is read from memory (the bytes are loaded first), so the
figures are parsing only. Each reader's CPU time (``time.process_time``) is the median
of ``--repeat`` rounds. polib is not a dependency: ``pip install polib`` to include it.
``--only`` runs one reader once and prints nothing else (for an instruction count:
``valgrind --tool=cachegrind --cache-sim=no python bench/po_read_bench.py CORPUS
--only pressroom``, minus the same with ``--only none``).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _readers() -> dict[str, Callable[[bytes], object]]:
    from babel.messages.pofile import read_po

    from pressroom.po import decode_po, parse

    readers: dict[str, Callable[[bytes], object]] = {
        "none": lambda data: None,
        "babel": lambda data: read_po(io.BytesIO(data)),
        "pressroom": lambda data: decode_po(data, "x.po"),
        "pressroom-tokens": lambda data: parse(data.decode("utf-8"), "x.po", whole_entries=False),
    }
    try:
        import polib
    except ImportError:
        return readers
    readers["polib"] = lambda data: polib.pofile(data.decode("utf-8"))
    return readers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="run this reader once, print nothing")
    args = parser.parse_args()
    files = sorted(p for p in (args.corpus / "locales").rglob("*.po*") if p.suffix in (".po", ".pot"))
    datas = [p.read_bytes() for p in files]
    readers = _readers()
    if args.only:
        for data in datas:
            readers[args.only](data)
        return 0
    entries = sum(data.count(b"\nmsgid ") for data in datas)
    print(f"{len(files)} catalogs, {entries:,} entries, {sum(map(len, datas)) / 1e6:.1f} MB")
    if "polib" not in readers:
        print("(polib is not installed: pip install polib to compare it)")
    for name, read in readers.items():
        if name == "none":
            continue
        times = []
        for _ in range(args.repeat):
            started = time.process_time()
            for data in datas:
                read(data)
            times.append(time.process_time() - started)
        print(f"{name:18} {statistics.median(times):6.2f} s CPU (median of {args.repeat})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
