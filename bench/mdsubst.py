"""Translated Markdown from a pressroom source and its catalog, for the peers and the
bare loop: each msgid is the source text of a block as written (soft line breaks as
spaces), so a block whose text is a msgid is replaced by its msgstr, keeping the
block's prefix (``## ``, ``- ``, ``[^3]: ``, indentation).

Plain Python and PyYAML only; catalogs are read by the caller (Babel ``read_po``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

_PREFIX = re.compile(
    r"^(?P<prefix>(?:[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|\d+[.)][ \t]+|>[ \t]?|\[\^[^\]\s]+\]:[ \t]*))*[ \t]*)(?P<text>.*)$"
)
_SPACES = re.compile(r"\s+")


@dataclass
class Article:
    slug: str
    meta: dict
    body: str


@dataclass
class Substitution:
    text: str
    translated: int = 0
    untranslated: list[str] = field(default_factory=list)


def read_article(slug: str, text: str) -> Article:
    """Split front matter (YAML between ``---`` lines) from the body."""
    if not text.startswith("---\n"):
        return Article(slug, {}, text)
    end = text.index("\n---\n", 4)
    meta = yaml.safe_load(text[4:end]) or {}
    return Article(slug, meta, text[end + 5 :])


def _split(line: str) -> tuple[str, str]:
    m = _PREFIX.match(line)
    return m.group("prefix"), m.group("text")


def substitute(body: str, strings: dict[str, str]) -> Substitution:
    """``body`` with every block whose text is a key of ``strings`` replaced.

    A block is a run of non-blank lines: first tried as one text (a paragraph with
    soft breaks), then line by line (list items, a heading followed by text).
    ``untranslated`` lists the texts with letters that found no translation."""
    result = Substitution("")
    out: list[str] = []
    for block in re.split(r"(\n(?:[ \t]*\n)+)", body):
        if not block.strip():
            out.append(block)
            continue
        lead = block[: len(block) - len(block.lstrip("\n"))]
        out.append(lead)
        lines = block[len(lead) :].split("\n")
        prefix, first = _split(lines[0])
        whole = _SPACES.sub(" ", " ".join([first, *(x.strip() for x in lines[1:])])).strip()
        if whole in strings:
            out.append(prefix + strings[whole])
            result.translated += 1
            continue
        new_lines = []
        for line in lines:
            prefix, text = _split(line)
            key = text.strip()
            if key in strings:
                new_lines.append(prefix + strings[key])
                result.translated += 1
            else:
                if any(ch.isalnum() for ch in key):
                    result.untranslated.append(key)
                new_lines.append(line)
        out.append("\n".join(new_lines))
    result.text = "".join(out)
    return result


def page_markdown(article: Article, strings: dict[str, str] | None) -> Substitution:
    """The page as plain Markdown: ``# title``, the summary, the (translated) body.
    ``strings`` None means the source language."""
    strings = strings if strings is not None else {}
    tr = (lambda s: strings.get(s, s)) if strings else (lambda s: s)
    body = substitute(article.body, strings) if strings else Substitution(article.body)
    title, summary = str(article.meta.get("title", article.slug)), str(article.meta.get("summary", ""))
    body.text = f"# {tr(title)}\n\n{tr(summary)}\n\n{body.text.lstrip()}"
    if strings:
        for field_text in (title, summary):
            if field_text in strings:
                body.translated += 1
            else:
                body.untranslated.append(field_text)
    return body
