"""The floor for a Python build of the same site: a bare markdown-it-py + Jinja2 loop.

    .venv/bin/python bench/bare_loop.py CORPUS OUT [--json]

For a corpus made by ``make_corpus.py``: every analysis in every language (en, tr, ru)
becomes ``OUT/<lang>/<slug>/index.html`` — 3 × N pages. Per article: the source is
read and its front matter parsed (PyYAML); per target language its catalog is read
with Babel's ``read_po`` and substituted at paragraph level (``mdsubst``: a block whose
text is a msgid becomes its msgstr); the Markdown is rendered by markdown-it-py with
the toolkit's dialect (CommonMark, tables, strikethrough, bare URLs as links,
footnotes) and put in a minimal Jinja2 template. One process, no validation, no
footnote renumbering across languages, no listings, no PDFs, no cache.

Prints pages/s of the loop (after imports); ``--json`` prints the numbers as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from babel.messages.pofile import read_po
from jinja2 import Environment
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdsubst import page_markdown, read_article

LANGS = ("en", "tr", "ru")
TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main>{{ body|safe }}</main></body>
</html>
"""


def make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "typographer": False})
    md.enable(["table", "strikethrough", "linkify"])
    md.use(footnote_plugin)
    return md


def run(corpus: Path, out: Path) -> dict:
    start = time.perf_counter()
    md = make_parser()
    template = Environment(autoescape=True).from_string(TEMPLATE)
    pages = 0
    for source in sorted((corpus / "content" / "analyses").glob("*.md")):
        article = read_article(source.stem, source.read_text(encoding="utf-8"))
        for lang in LANGS:
            if lang == "en":
                strings = None
            else:
                with (corpus / "locales" / lang / "LC_MESSAGES" / f"{source.stem}.po").open("rb") as f:
                    catalog = read_po(f, locale=lang)
                strings = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
            page = page_markdown(article, strings)
            title = page.text.split("\n", 1)[0][2:]
            html = template.render(lang=lang, title=title, body=md.render(page.text))
            target = out / lang / source.stem / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
            pages += 1
    seconds = time.perf_counter() - start
    return {"pages": pages, "seconds": seconds, "pages_per_second": pages / seconds if seconds else 0.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    result = run(args.corpus.resolve(), args.out.resolve())
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['pages']} pages in {result['seconds']:.3f} s: {result['pages_per_second']:.1f} pages/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
