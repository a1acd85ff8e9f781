"""A complete, buildable pressroom project with N generated analyses, fully "translated".

    .venv/bin/python bench/make_corpus.py DEST --articles N

``DEST`` gets ``pyproject.toml``, ``build.py``, ``templates/``, ``content/authors/`` and
the (complete) UI and author catalogs of tr and ru from this repository, plus N analyses
``content/analyses/generated-NNNN.md`` made by ``corpus.make_article`` (~1,000 words,
~10 notes, seeds 1000, 1001, …: the first K articles of any corpus are the same files).
The project's own ``update`` then creates every catalog, and every empty ``msgstr`` of
every tr/ru catalog is filled with a deterministic pseudo-translation (see
``pseudo_translate``) written through ``pressroom.po`` (``read_po``/``serialize``).
Catalog and template dates are fixed, so the same N always gives the same bytes, and
running ``build.py update`` on the result changes nothing.

No ``pressroom/`` is copied: ``DEST/build.py`` imports the toolkit installed in the
repository's venv (an editable install of this checkout).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import make_article

WORDS = 1000
NOTES = 10
FIRST_SEED = 1000
TARGETS = ("tr", "ru")
FIXED_DATE = "2024-01-01 00:00+0000"
"""POT-Creation-Date / PO-Revision-Date of every catalog (determinism)."""


def slug(i: int) -> str:
    return f"generated-{i:04d}"


# -- pseudo-translation ----------------------------------------------------------------

_TR = str.maketrans("cCsSgGiIoOuU", "çÇşŞğĞıİöÖüÜ")
_RU_DIGRAPHS = {"sh": "ш", "ch": "ч", "zh": "ж", "th": "т", "ph": "ф", "ck": "к", "ee": "и", "oo": "у"}
_RU = dict(zip("abcdefghijklmnopqrstuvwxyz", "абцдефгхийклмнопкрстуввхыз"))
_LABELS = {
    "tr": {"Date of Access": "Erişim Tarihi", "Ibid.": "a.g.e."},
    "ru": {"Date of Access": "Дата обращения", "Ibid.": "Там же"},
}
# Everything that is not plain prose is kept byte for byte: footnote references, code
# spans, link destinations, autolinks, URLs, e-mail addresses, dotted tokens (domains,
# dates, version numbers), HTML entities and backslash escapes. Citation labels are
# replaced by their real translation, as a translator would.
_PROTECTED = re.compile(
    r"(?P<label>Date of Access|Ibid\.)"
    r"|\[\^[^\]\s]+\]"
    r"|(?P<ticks>`+).+?(?P=ticks)"
    r"|\]\((?:<[^>]*>|[^)\s]*)(?:\s+\"[^\"]*\")?\)"
    r"|\]\[[^\]]*\]"
    r"|<[^<>\s]+>"
    r"|(?:https?|ftp)://\S+|www\.\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\w+(?:[.:/]\w+)+"
    r"|&#?\w+;"
    r"|\\."
)
_WORD = re.compile(r"[A-Za-z]+")


def _ru_word(word: str) -> str:
    out, i, lower = [], 0, word.lower()
    while i < len(word):
        step = 2 if lower[i : i + 2] in _RU_DIGRAPHS else 1
        ch = _RU_DIGRAPHS[lower[i : i + 2]] if step == 2 else _RU[lower[i]]
        out.append(ch.upper() if word[i].isupper() else ch)
        i += step
    return "".join(out)


def _plain(text: str, lang: str) -> str:
    if lang == "tr":
        return text.translate(_TR)
    return _WORD.sub(lambda m: _ru_word(m.group(0)), text)


def pseudo_translate(text: str, lang: str) -> str:
    """Plain words of ``text`` transformed (tr: Turkish letters; ru: Cyrillic
    transliteration); markup, references, links, URLs and code kept exactly."""
    out, pos = [], 0
    for m in _PROTECTED.finditer(text):
        out.append(_plain(text[pos : m.start()], lang))
        out.append(_LABELS[lang][m.group("label")] if m.group("label") else m.group(0))
        pos = m.end()
    out.append(_plain(text[pos:], lang))
    return "".join(out)


# -- the project -----------------------------------------------------------------------


def _copy_repo_files(dest: Path) -> None:
    shutil.copy2(ROOT / "pyproject.toml", dest / "pyproject.toml")
    shutil.copy2(ROOT / "build.py", dest / "build.py")
    shutil.copytree(ROOT / "templates", dest / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "content" / "authors", dest / "content" / "authors")
    for lang in TARGETS:
        src = ROOT / "locales" / lang / "LC_MESSAGES"
        out = dest / "locales" / lang / "LC_MESSAGES"
        out.mkdir(parents=True)
        shutil.copy2(src / "messages.po", out / "messages.po")
        shutil.copytree(src / "authors", out / "authors")


def _run_update(dest: Path) -> None:
    from pressroom.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(["update"], project=dest)
    if status != 0:
        raise RuntimeError(f"`build.py update` failed in {dest}:\n{err.getvalue()}")


def _finish_catalogs(dest: Path) -> tuple[int, int]:
    """Fix dates of every template and catalog; fill every empty msgstr of tr/ru.
    Returns (catalogs, entries filled)."""
    from pressroom.catalogs.files import UI_DOMAIN, serialize
    from pressroom.po import read_po, write_if_changed

    files, filled = 0, 0
    locales = dest / "locales"
    for path in sorted(locales.rglob("*.po*")):
        if path.suffix not in (".po", ".pot"):
            continue
        rel = path.relative_to(locales)
        lang = None if rel.parts[0] == "templates" else rel.parts[0]
        tail = rel.parts[1:] if lang is None else rel.parts[2:]
        domain = str(Path(*tail).with_suffix("").as_posix())
        catalog = read_po(path, str(path.relative_to(dest)))
        catalog.set_header_field("POT-Creation-Date", FIXED_DATE)
        if lang is not None:
            catalog.set_header_field("PO-Revision-Date", FIXED_DATE)
            for entry in catalog.messages:
                if domain == UI_DOMAIN and (not entry.msgstr or entry.fuzzy):
                    raise RuntimeError(f"{path}: UI string {entry.msgid!r} has no translation in the repository")
                if not entry.translated:
                    if entry.plural:  # plural entries: none in content catalogs
                        entry.plural_strings = [pseudo_translate(entry.msgid, lang) for _ in entry.plural_strings]
                    else:
                        entry.msgstr = pseudo_translate(entry.msgid, lang)
                    filled += 1
        write_if_changed(path, serialize(catalog))
        files += 1
    return files, filled


def make_corpus(dest: Path, n: int) -> Path:
    """Create (replacing) a buildable project with ``n`` generated analyses in ``dest``."""
    dest = Path(dest).resolve()
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    _copy_repo_files(dest)
    analyses = dest / "content" / "analyses"
    analyses.mkdir(parents=True)
    for i in range(n):
        (analyses / f"{slug(i)}.md").write_text(make_article(FIRST_SEED + i, WORDS, NOTES), encoding="utf-8")
    _run_update(dest)
    _finish_catalogs(dest)
    return dest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, help="directory to create (replaced if it exists)")
    parser.add_argument("--articles", type=int, default=20, help="number of analyses (default 20)")
    args = parser.parse_args()
    dest = make_corpus(args.dest, args.articles)
    print(f"wrote {dest} ({args.articles} analyses; build with: {sys.executable} {dest / 'build.py'} build)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
