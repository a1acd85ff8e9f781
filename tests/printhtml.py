"""The print HTML of one analysis as the build makes it, for tests that render PDFs."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from pathlib import Path

from conftest import ROOT

from pressroom.config import load_config
from pressroom.errors import Report
from pressroom.html.fragments import make_environment, render_body
from pressroom.html.pages import PageWriter, article_context, author_context
from pressroom.segments.body import parse_body
from pressroom.sources.documents import parse_document

EDITORS = "---\nname: The Editors\nlang: en\n---\n\nBio.\n"


def print_html(markdown: str, source: str, out: Path) -> tuple[Callable[[str, frozenset[int]], str], int]:
    """``(html_for, notes)``: the English print HTML of the analysis ``markdown`` (read
    as ``source``) by footnote policy and breaks, linking no stylesheet (the build
    gives the print stylesheet to WeasyPrint), and its number of notes."""
    config = load_config(ROOT)
    report = Report()
    doc = parse_document(markdown, source, "analysis", config.languages, report)
    assert doc is not None, report.problems
    rendered = render_body(parse_body(doc, report), {})
    editors = parse_document(EDITORS, "content/authors/editors.md", "author", config.languages, report)
    assert not report.failed, report.problems
    article = article_context(config, doc, "en", {}, author_context(editors, "en", {}, None, True), rendered, True)
    writer = PageWriter(config, make_environment(config.templates_dir), out)

    def html_for(policy: str, breaks: frozenset[int]) -> str:
        return writer.render("print.html", "en", gettext.NullTranslations(), article=article, stylesheets=[],
                             footnote_policy=policy, breaks=sorted(breaks))

    return html_for, len(rendered.notes)
