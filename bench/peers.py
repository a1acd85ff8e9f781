"""The peers of the build benchmark, on the same corpus: MkDocs + mkdocs-static-i18n,
and Sphinx + MyST-Parser + sphinx-intl.

    .venv/bin/python bench/peers.py setup               # the two venvs (once)
    .venv/bin/python bench/peers.py CORPUS [--lang tr]  # convert, then one clean build each

Each peer has its own virtual environment under ``bench/.venvs/<peer>/`` (installed
once; a stamp file records what was installed). A pressroom corpus (``make_corpus.py``)
is converted once into ``<corpus>.mkdocs/`` and ``<corpus>.sphinx/`` (cached by a stamp
of the corpus and of this code):

- **Pages.** Every analysis becomes one Markdown page per language: ``# title``, the
  summary, then the body (footnotes as written, ``[^n]``), plus one index page per
  language listing the analyses. Translated pages are made from *our* catalogs with
  ``mdsubst.substitute`` (each msgid is a block's source text; the block is replaced by
  its msgstr), so every peer publishes exactly the words pressroom publishes.
- **MkDocs.** ``docs_structure: suffix`` (``slug.md``, ``slug.tr.md``, ``slug.ru.md``),
  the built-in ``mkdocs`` theme, Markdown extensions ``footnotes``, ``tables`` and
  ``pymdownx.magiclink`` (bare URLs as links, as pressroom does), ``nav`` limited to the
  index page (a full nav would put every title in every page: pressroom has no such
  sidebar), no search plugin (pressroom writes no search index).
- **Sphinx.** English MyST pages (``myst-parser``, footnotes built in, ``linkify`` for
  bare URLs), ``sphinx-build -b gettext`` then ``sphinx-intl update -l tr -l ru``
  create Sphinx's own catalogs; their msgids (MyST keeps a paragraph's Markdown as its
  msgid) are filled from our catalogs, whitespace-normalized, and the coverage is
  checked. Each language is one ``sphinx-build -b html -D language=<lang>`` (Sphinx
  builds one language per run), default ``-j 1``, sidebars off, no source copies. Sphinx
  still writes its search index, genindex and search pages (it cannot be told not to).

Timings are clean builds: a fresh output directory, no doctree cache, Sphinx's ``.mo``
files deleted (it compiles them from the PO files during the build), measured with
``time.perf_counter`` around the subprocess (interpreter start-up included, as for
pressroom).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import venv
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchutil import BENCH, LOGS, Run, count_html, discard, empty_trash, fresh_dir, timed_run
from mdsubst import Article, page_markdown, read_article

VENVS = BENCH / ".venvs"
LANGS = ("en", "tr", "ru")
TARGETS = ("tr", "ru")
NAMES = {"en": "English", "tr": "Türkçe", "ru": "Русский"}
SITE_NAME = "Pressroom Analyses"
REQUIREMENTS = {
    "mkdocs": ["mkdocs", "mkdocs-static-i18n", "pymdown-extensions"],
    "sphinx": ["sphinx", "sphinx-intl", "myst-parser", "linkify-it-py"],
}
VERSIONS = {
    "mkdocs": ["mkdocs", "mkdocs-static-i18n", "pymdown-extensions", "Markdown"],
    "sphinx": ["sphinx", "sphinx-intl", "myst-parser", "docutils", "linkify-it-py", "babel"],
}
STAMP = ".bench-installed.json"


class PeerError(Exception):
    """A peer could not be installed, converted or built; the message says where the log is."""


# -- virtual environments --------------------------------------------------------------


def venv_bin(name: str, program: str) -> Path:
    return VENVS / name / "bin" / program


def ensure_venv(name: str) -> Path:
    """``bench/.venvs/<name>`` with ``REQUIREMENTS[name]``, created and installed once."""
    root = VENVS / name
    stamp = root / STAMP
    wanted = REQUIREMENTS[name]
    python = root / "bin" / "python"
    if python.exists() and stamp.exists():
        try:
            if json.loads(stamp.read_text())["requirements"] == wanted:
                return python
        except (ValueError, KeyError):
            pass
    log = LOGS / f"setup-{name}.log"
    if not python.exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(root)
    run = timed_run([python, "-m", "pip", "install", "--disable-pip-version-check", *wanted], log)
    if not run.ok:
        raise PeerError(f"installing {name} ({' '.join(wanted)}) failed: see {log}")
    stamp.write_text(json.dumps({"requirements": wanted, "versions": versions(name)}, indent=1))
    return python


def versions(name: str) -> dict[str, str]:
    """Installed versions of the peer's packages (from its venv)."""
    python = VENVS / name / "bin" / "python"
    code = (
        "import json, sys\nfrom importlib.metadata import version, PackageNotFoundError\n"
        "out = {}\nfor p in sys.argv[1:]:\n"
        "    try: out[p] = version(p)\n    except PackageNotFoundError: out[p] = None\n"
        "print(json.dumps(out))"
    )
    try:
        done = subprocess.run([python, "-c", code, *VERSIONS[name]], check=False, capture_output=True, text=True, timeout=60)
        return json.loads(done.stdout)
    except (OSError, ValueError, subprocess.SubprocessError):
        return {}


# -- the corpus, read back -------------------------------------------------------------


@dataclass
class Corpus:
    root: Path
    articles: list[Article]
    strings: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    """(slug, lang) -> msgid -> msgstr (translated, not fuzzy)."""


def read_corpus(root: Path) -> Corpus:
    from babel.messages.pofile import read_po

    root = Path(root)
    articles = [
        read_article(p.stem, p.read_text(encoding="utf-8"))
        for p in sorted((root / "content" / "analyses").glob("*.md"))
    ]
    corpus = Corpus(root, articles)
    for a in articles:
        for lang in TARGETS:
            path = root / "locales" / lang / "LC_MESSAGES" / f"{a.slug}.po"
            with path.open("rb") as f:
                catalog = read_po(f, locale=lang)
            corpus.strings[a.slug, lang] = {
                m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
            }
    return corpus


def translated_pages(corpus: Corpus) -> dict[tuple[str, str], str]:
    """(slug, lang) -> the page's Markdown; fails if a block found no translation."""
    pages, missing = {}, []
    for a in corpus.articles:
        for lang in LANGS:
            result = page_markdown(a, corpus.strings[a.slug, lang] if lang != "en" else None)
            missing += [f"{a.slug}.{lang}: {t[:60]}" for t in result.untranslated]
            pages[a.slug, lang] = result.text
    if missing:
        raise PeerError(f"{len(missing)} untranslated block(s), e.g. {missing[:3]}")
    return pages


def title_of(corpus: Corpus, a: Article, lang: str) -> str:
    title = str(a.meta.get("title", a.slug))
    return title if lang == "en" else corpus.strings[a.slug, lang].get(title, title)


def _tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and "site" not in p.relative_to(root).parts[:1] and not p.name.startswith("."):
            h.update(str(p.relative_to(root)).encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def _stamp(corpus_root: Path, peer: str) -> str:
    h = hashlib.sha256()
    for src in (Path(__file__), BENCH / "mdsubst.py"):
        h.update(src.read_bytes())
    h.update(peer.encode())
    key = corpus_root.with_name(corpus_root.name + ".key")
    h.update(key.read_bytes() if key.exists() else _tree_digest(corpus_root / "content").encode())
    return h.hexdigest()


def _cached(dest: Path, stamp: str) -> bool:
    f = dest / ".bench-stamp"
    return f.exists() and f.read_text() == stamp


# -- MkDocs + mkdocs-static-i18n -------------------------------------------------------

MKDOCS_YML = """\
site_name: {site_name}
docs_dir: docs
use_directory_urls: true
theme:
  name: mkdocs
nav:
  - index.md
markdown_extensions:
  - footnotes
  - tables
  - pymdownx.magiclink
plugins:
  - i18n:
      docs_structure: suffix
      fallback_to_default: true
      reconfigure_material: false
      reconfigure_search: false
      languages:
{languages}
"""


def _prepare(corpus_root: Path, peer: str):
    """``(<corpus>.<peer>, None)`` when that conversion is cached and current, else
    ``(<corpus>.<peer>, (corpus, translated pages, stamp))`` to build it from."""
    corpus_root = Path(corpus_root).resolve()
    dest = corpus_root.with_name(f"{corpus_root.name}.{peer}")
    stamp = _stamp(corpus_root, peer)
    if _cached(dest, stamp):
        return dest, None
    corpus = read_corpus(corpus_root)
    return dest, (corpus, translated_pages(corpus), stamp)


def mkdocs_project(corpus_root: Path) -> Path:
    """``<corpus>.mkdocs/``: mkdocs.yml and docs/ in suffix structure (cached)."""
    dest, prepared = _prepare(corpus_root, "mkdocs")
    if prepared is None:
        return dest
    corpus, pages, stamp = prepared
    docs = fresh_dir(dest) / "docs"
    docs.mkdir()
    for (slug, lang), text in pages.items():
        (docs / (f"{slug}.md" if lang == "en" else f"{slug}.{lang}.md")).write_text(text, encoding="utf-8")
    for lang in LANGS:
        items = "\n".join(f"- [{title_of(corpus, a, lang)}]({a.slug}.md)" for a in corpus.articles)
        name = "index.md" if lang == "en" else f"index.{lang}.md"
        (docs / name).write_text(f"# {SITE_NAME}\n\n{items}\n", encoding="utf-8")
    languages = "\n".join(
        f"        - locale: {lang}\n          name: {NAMES[lang]}\n          build: true"
        + ("\n          default: true" if lang == "en" else "")
        for lang in LANGS
    )
    (dest / "mkdocs.yml").write_text(MKDOCS_YML.format(site_name=SITE_NAME, languages=languages), encoding="utf-8")
    (dest / ".bench-stamp").write_text(stamp)
    return dest


def run_mkdocs(corpus_root: Path, out: Path, log: Path | None = None) -> Run:
    """One clean ``mkdocs build`` of every language into ``out``."""
    ensure_venv("mkdocs")
    project = mkdocs_project(corpus_root)
    out = Path(out).resolve()
    discard(out)
    log = log or LOGS / "mkdocs-build.log"
    run = timed_run([venv_bin("mkdocs", "mkdocs"), "build", "--clean", "-f", project / "mkdocs.yml", "-d", out],
                    log, cwd=project)
    return run


def build_mkdocs(corpus: Path, out: Path) -> float:
    """Seconds of one clean MkDocs + mkdocs-static-i18n build (all languages)."""
    run = run_mkdocs(corpus, out)
    if not run.ok:
        raise PeerError(f"mkdocs build failed (exit {run.returncode}): see {run.log}")
    return run.seconds


def mkdocs_articles(out: Path, slugs: list[str]) -> int:
    """Article pages written (per language folder)."""
    found = 0
    for slug in slugs:
        for prefix in ("", "tr/", "ru/"):
            found += (out / f"{prefix}{slug}" / "index.html").is_file()
    return found


# -- Sphinx + MyST + sphinx-intl -------------------------------------------------------

SPHINX_CONF = """\
project = {site_name!r}
extensions = ["myst_parser"]
source_suffix = {{".md": "markdown"}}
root_doc = "index"
myst_enable_extensions = ["linkify"]
locale_dirs = ["locales/"]
gettext_compact = False
html_theme = "alabaster"
html_sidebars = {{"**": []}}
html_copy_source = False
html_show_sourcelink = False
exclude_patterns = ["locales"]
"""


def sphinx_project(corpus_root: Path) -> Path:
    """``<corpus>.sphinx/src``: conf.py, English MyST pages, filled tr/ru catalogs (cached)."""
    from babel.messages.pofile import read_po, write_po

    ensure_venv("sphinx")
    dest, prepared = _prepare(corpus_root, "sphinx")
    if prepared is None:
        return dest
    corpus, pages, stamp = prepared
    src = fresh_dir(dest) / "src"
    src.mkdir()
    (src / "conf.py").write_text(SPHINX_CONF.format(site_name=SITE_NAME), encoding="utf-8")
    toc = "\n".join(a.slug for a in corpus.articles)
    (src / "index.md").write_text(f"# {SITE_NAME}\n\n```{{toctree}}\n:maxdepth: 1\n\n{toc}\n```\n", encoding="utf-8")
    for a in corpus.articles:
        (src / f"{a.slug}.md").write_text(pages[a.slug, "en"], encoding="utf-8")
    log = LOGS / "sphinx-gettext.log"
    pot = dest / "gettext"
    run = timed_run([venv_bin("sphinx", "sphinx-build"), "-q", "-b", "gettext", src, pot], log)
    if not run.ok:
        raise PeerError(f"sphinx gettext builder failed: see {log}")
    run = timed_run([venv_bin("sphinx", "sphinx-intl"), "update", "-p", pot, "-d", src / "locales",
                     *[x for lang in TARGETS for x in ("-l", lang)]], log, append=True)
    if not run.ok:
        raise PeerError(f"sphinx-intl update failed: see {log}")
    space = re.compile(r"\s+")
    coverage = {}
    for lang in TARGETS:
        total = filled = 0
        for a in corpus.articles:
            path = src / "locales" / lang / "LC_MESSAGES" / f"{a.slug}.po"
            with path.open("rb") as f:
                catalog = read_po(f, locale=lang)
            ours = {space.sub(" ", k).strip(): v for k, v in corpus.strings[a.slug, lang].items()}
            for m in catalog:
                if not m.id:
                    continue
                total += 1
                text = ours.get(space.sub(" ", m.id).strip())
                if text is not None:
                    m.string = text
                    m.flags.discard("fuzzy")
                    filled += 1
            catalog.fuzzy = False
            with path.open("wb") as f:
                write_po(f, catalog, width=0)
        coverage[lang] = (filled, total)
        if filled != total:
            raise PeerError(f"sphinx {lang}: only {filled}/{total} msgids matched our catalogs")
    (dest / "coverage.json").write_text(json.dumps(coverage))
    (dest / ".bench-stamp").write_text(stamp)
    return dest


def run_sphinx(corpus_root: Path, out: Path, lang: str, log: Path | None = None) -> Run:
    """One clean ``sphinx-build -b html -D language=<lang>`` into ``out``."""
    project = sphinx_project(corpus_root)
    src = project / "src"
    for mo in (src / "locales").rglob("*.mo"):
        mo.unlink()
    out = Path(out).resolve()
    doctrees = out.with_name(out.name + ".doctrees")
    for d in (out, doctrees):
        discard(d)
    log = log or LOGS / f"sphinx-build-{lang}.log"
    return timed_run([venv_bin("sphinx", "sphinx-build"), "-q", "-b", "html", "-D", f"language={lang}",
                      "-d", doctrees, src, out], log, cwd=project)


def build_sphinx(corpus: Path, out: Path, lang: str) -> float:
    """Seconds of one clean Sphinx HTML build of one language."""
    run = run_sphinx(corpus, out, lang)
    if not run.ok:
        raise PeerError(f"sphinx-build ({lang}) failed (exit {run.returncode}): see {run.log}")
    return run.seconds


def sphinx_articles(out: Path, slugs: list[str]) -> int:
    return sum((out / f"{slug}.html").is_file() for slug in slugs)


def warnings_in(log: Path) -> int:
    try:
        return sum(1 for line in log.read_text(errors="replace").splitlines() if "WARNING" in line)
    except OSError:
        return 0


# -- command line ----------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", help="'setup', or a corpus made by make_corpus.py")
    parser.add_argument("--out", type=Path, default=BENCH / ".out", help="output root (default bench/.out)")
    args = parser.parse_args()
    if args.corpus == "setup":
        for name in REQUIREMENTS:
            ensure_venv(name)
            print(name, versions(name))
        return 0
    corpus = Path(args.corpus).resolve()
    slugs = sorted(p.stem for p in (corpus / "content" / "analyses").glob("*.md"))
    status = 0
    try:
        out = args.out / "mkdocs"
        seconds = build_mkdocs(corpus, out)
        print(f"mkdocs+i18n       {seconds:7.2f} s  {mkdocs_articles(out, slugs)} article pages, "
              f"{count_html(out)} HTML files")
    except PeerError as exc:
        print(f"mkdocs: {exc}")
        status = 1
    try:
        total = 0.0
        for lang in LANGS:
            out = args.out / f"sphinx-{lang}"
            seconds = build_sphinx(corpus, out, lang)
            total += seconds
            print(f"sphinx ({lang})       {seconds:7.2f} s  {sphinx_articles(out, slugs)} article pages")
        print(f"sphinx total      {total:7.2f} s")
    except PeerError as exc:
        print(f"sphinx: {exc}")
        status = 1
    finally:
        empty_trash()
    return status


if __name__ == "__main__":
    sys.exit(main())
