"""One entry's inline Markdown -> HTML, as the published page renders it.

Used for the source and the translation of an entry in the editor, and for the
preview of a translation being typed. The parser is the build's (raw HTML off: a
``<script>`` is text), footnote calls get the page's markup and numbers.
"""

from __future__ import annotations

from html import escape

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from ..segments.body import Body, parse_inline
from ..segments.dialect import MD


def _footnote_ref(self, tokens: list[Token], idx: int, options, env) -> str:
    label = tokens[idx].meta["label"]
    number = env["numbers"].get(label) or escape(label)
    return f'<sup class="footnote-ref"><a href="#fn-{number}" role="doc-noteref">{number}</a></sup>'


_RENDERER = RendererHTML()
_RENDERER.rules["footnote_ref"] = _footnote_ref.__get__(_RENDERER)


def inline_html(text: str, body: Body, *, ui: bool = False, plain: bool = False) -> str:
    """``text`` rendered as inline Markdown of ``body`` (footnote labels resolve);
    ``ui`` and ``plain`` texts (UI strings, image alt texts) are only escaped."""
    if ui or plain:
        return escape(text)
    numbers = {label: note.number for label, note in body.notes.items() if note.number}
    children = parse_inline(text, body).children or []
    return _RENDERER.renderInline(children, MD.options, {"numbers": numbers})
