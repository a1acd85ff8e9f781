"""Instructions of one clean build per revision of the toolkit, counted by valgrind.

    .venv/bin/python bench/instructions.py CORPUS REV [REV ...]

For each ``REV`` (a git revision of this repository, ``WORKTREE`` for the files as
they are, or a directory holding a ``pressroom/`` package), the ``pressroom/`` package of that revision is copied out, a fresh copy of
``CORPUS`` (a project made by ``bench/make_corpus.py``) is built with it
(``build.py build --no-pdf --jobs 1``: one process) under
``valgrind --tool=cachegrind --cache-sim=no``, and the build's instruction count is
printed with a digest of the ``site/`` it wrote. Instruction counts do not depend on
what else the machine runs, so two revisions compare on a shared machine where wall
times do not; equal digests say the two builds wrote the same bytes.

The gain of a shortcut is (count without it - count with it) / count without it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def package_of(rev: str, dest: Path) -> Path:
    """``pressroom/`` as of ``rev``, under ``dest`` (which goes on PYTHONPATH)."""
    dest.mkdir(parents=True)
    if Path(rev, "pressroom").is_dir():  # a directory holding a variant of the package
        shutil.copytree(Path(rev, "pressroom"), dest / "pressroom", ignore=shutil.ignore_patterns("__pycache__"))
    elif rev == "WORKTREE":
        shutil.copytree(ROOT / "pressroom", dest / "pressroom", ignore=shutil.ignore_patterns("__pycache__"))
    else:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "pressroom"], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def site_digest(site: Path) -> str:
    """One digest of every file's path and bytes under ``site``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(site)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def count(corpus: Path, rev: str, work: Path) -> tuple[int, str]:
    """Instructions of a clean build of a copy of ``corpus`` with ``rev``'s toolkit."""
    package = package_of(rev, work / "package")
    project = work / "project"
    shutil.copytree(corpus, project, ignore=shutil.ignore_patterns("site", ".pressroom-cache", ".site-*"))
    env = {**os.environ, "PYTHONPATH": str(package), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
         sys.executable, str(project / "build.py"), "build", "--no-pdf", "--jobs", "1"],
        env=env, capture_output=True, text=True, check=False,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if result.returncode != 0 or not found:
        raise SystemExit(f"{rev}: build failed ({result.returncode})\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return int(found.group(1).replace(",", "")), site_digest(project / "site")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("revs", nargs="+")
    args = parser.parse_args()
    for rev in args.revs:
        with tempfile.TemporaryDirectory(prefix="instructions-") as tmp:
            instructions, digest = count(args.corpus.resolve(), rev, Path(tmp))
        label = rev if rev == "WORKTREE" or Path(rev).is_dir() else subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", rev], check=True, capture_output=True, text=True).stdout.strip()
        print(f"{rev}\t{label}\t{instructions}\tsite {digest}", flush=True)


if __name__ == "__main__":
    main()
