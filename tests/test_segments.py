"""Segmentation and rendering, driven by fixture files (one case per block)."""

from __future__ import annotations

import copy
import random

import pytest
from babel.messages.pofile import read_po
from conftest import FIXTURES, ROOT, body_document
from markdown_it import MarkdownIt
from markdown_it.utils import read_fixture_file

from pressroom.dialect import MD, _is_plain_url, _plain_children, _url_key, copy_token
from pressroom.errors import Report
from pressroom.html import render_body
from pressroom.segments import parse_body


def _cases(name: str):
    return [
        pytest.param(*case[1:], id=f"{name}:{case[0] + 1}")
        for case in read_fixture_file(FIXTURES / name)
    ]


@pytest.mark.parametrize(("title", "markdown", "expected"), _cases("segments.md"))
def test_segments(title, markdown, expected):
    body = parse_body(body_document(markdown), Report())
    got = "".join(f"{u.line}: {u.kind}: {u.msgid}\n" for u in body.units)
    assert got == expected


def _serialize(rendered) -> str:
    out = rendered.html
    for note in rendered.notes:
        out += f"[{note.id} {' '.join(note.backrefs)}]\n{note.html}"
    return out


@pytest.mark.parametrize(("title", "markdown", "expected"), _cases("render.md"))
def test_render_source(title, markdown, expected):
    body = parse_body(body_document(markdown), Report())
    assert _serialize(render_body(body, {})) == expected


@pytest.mark.parametrize(("title", "case", "expected"), _cases("translate.md"))
def test_render_translation(title, case, expected):
    markdown, _, table = case.partition("=== translations\n")
    translations = dict(line.split(" => ", 1) for line in table.splitlines() if line)
    body = parse_body(body_document(markdown), Report())
    assert {u.msgid for u in body.units} >= set(translations), "fixture translates a text that is no entry"
    assert _serialize(render_body(body, translations, source_lang="en")) == expected


@pytest.mark.parametrize(("title", "markdown", "expected"), _cases("render.md"))
def test_identity_translation_renders_the_source(title, markdown, expected):
    """Every msgstr = msgid gives exactly the source's HTML, with nothing marked."""
    body = parse_body(body_document(markdown), Report())
    identity = {u.msgid: u.msgid for u in body.units}
    assert _serialize(render_body(body, identity, source_lang="en")) == expected


def test_footnote_problems_are_reported_with_lines():
    markdown = "Text.[^1] Missing.[^9]\n\n[^1]: One.\n\n[^1]: Again.\n\n[^2]: Unused.\n"
    report = Report()
    parse_body(body_document(markdown), report)
    assert [str(p) for p in sorted(report.problems, key=lambda p: p.sort_key())] == [
        "case.md:1: error: footnote reference [^9] has no definition [footnotes]",
        "case.md:5: error: duplicate footnote label [^1] (first defined on line 3) [footnotes]",
        "case.md:7: warning: footnote [^2] is defined but never referenced [footnotes]",
    ]


def test_problems_without_a_line_sort_with_the_others():
    report = Report()
    report.error("a.po", 12, "late")
    report.error("a.po", None, "whole file")
    report.warning("a.po", 3, "early")
    assert [p.message for p in sorted(report.problems, key=type(report.problems[0]).sort_key)] == [
        "whole file", "early", "late"]
    report.print()  # no TypeError between None and a number


# -- the plain-prose shortcut makes exactly what markdown-it's inline parser makes ------

_PIECES = [
    "word ", "Şarkı ", "ölçü", "[^1]", "[^a]", "[^x]", "[^b.2]", "[^1](", "[^a][", "[", "]", "(", ")", "!",
    "*", "_", "`", "\\", "~", "<", ">", "&amp;", "&", ":", "//", "https://", "www.", "@", "^", "-", ".",
    " ", "  ", "\t", "\n", "{", "}", "$", "%", "#", "=", "+",
    "https://example.org/report", "http://x.org", "HTTPS://E.ORG/a.b", "ftp://f.org/z", "xhttps://w.org",
    "https://ex.org/a_b", "https://ex.org/(x)", "mailto:", "//example.org", "https://", "example.org", ", ", ".",
]


def _generated_texts(count: int = 4000) -> list[str]:
    rng = random.Random(20261123)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 12))) for _ in range(count)]


def _project_texts() -> list[str]:
    """Every inline text this repository has: fixture cases, sources, catalogs."""
    texts = []
    for name in ("segments.md", "render.md", "translate.md"):
        for case in read_fixture_file(FIXTURES / name):
            texts += [tok.content for tok in MD.parse(case[2].partition("=== translations\n")[0], {}) if tok.type == "inline"]
            texts += [side for line in case[2].partition("=== translations\n")[2].splitlines() for side in line.split(" => ")]
    for path in sorted((ROOT / "content").rglob("*.md")):
        texts += [tok.content for tok in MD.parse(path.read_text(encoding="utf-8"), {}) if tok.type == "inline"]
    for path in sorted((ROOT / "locales").rglob("*.po")):
        for message in read_po(path.open("rb")):
            texts += [message.id, message.string] if message.id else []
    return texts


def _env() -> dict:
    return {"references": {}, "footnotes": {"refs": {":1": -1, ":a": -1, ":b.2": -1}, "list": {}}}


def _same_as_markdown_it(texts: list[str]) -> int:
    """Run every text through both, in one env each (ids accumulate as in a body);
    returns how many took the shortcut."""
    full_env, plain_env, shortcuts = _env(), _env(), 0
    for text in texts:
        plain = _plain_children(text, plain_env)
        full = MD.inline.parse(text, MD, full_env, [])
        if plain is None:
            plain_env = copy.deepcopy(full_env)
            continue
        shortcuts += 1
        assert [t.as_dict() for t in plain] == [t.as_dict() for t in full], text
        assert plain_env == full_env, text
    return shortcuts


def test_plain_prose_shortcut_on_generated_text():
    texts = _generated_texts(8000)
    shortcuts = _same_as_markdown_it(texts)
    assert 800 < shortcuts < len(texts)  # both paths are exercised
    with_links = [t for t in texts if _plain_children(t, _env()) and any(
        c.type == "link_open" for c in _plain_children(t, _env()) or ())]
    assert len(with_links) > 200


def test_plain_prose_shortcut_on_the_projects_texts():
    texts = _project_texts()
    shortcuts = _same_as_markdown_it(texts)
    assert len(texts) > 300 and shortcuts > len(texts) // 3


def test_copy_token_is_token_copy():
    """``copy_token`` makes what markdown-it's ``Token.copy`` makes, for every kind
    of token the fixtures have, with and without changes."""
    tokens = [tok for case in read_fixture_file(FIXTURES / "render.md") for tok in MD.parse(case[2], {})]
    tokens += [child for tok in tokens for child in tok.children or ()]
    assert len({tok.type for tok in tokens}) > 20
    for tok in tokens:
        assert copy_token(tok) == tok.copy() and copy_token(tok) is not tok
        changes = {"content": "changed", "attrs": {"id": "x"}, "meta": {"n": 1}, "children": None}
        assert copy_token(tok, **changes) == tok.copy(**changes)


_URL_PIECES = [
    "www", ".", "example", "org", "xn--bcher-kva", "XN--x", "-", "a" * 64, "a" * 60, "/", "?", "#", "%", "%20", "%41",
    "@", ":", ":80", "[::1]", "~", "'", "(", ")", "ş", " ", "_", "+", "=", "&", ";", ",", "!", "*", "$", "index.html",
    "2021/01", "A", "Z9", "\\", "|", "^", "`", "{", "}", "<", ">", '"',
]


def test_plain_urls_are_what_markdown_it_normalizes_them_to():
    """A URL ``_is_plain_url`` takes comes out of markdown-it's normalizers unchanged
    (so the parser may skip them), on generated URLs and every URL of the project."""
    plain_md, rng = MarkdownIt(), random.Random(20261123)
    urls = [rng.choice(["http://", "https://", "HTTPS://"]) + "".join(rng.choice(_URL_PIECES) for _ in range(rng.randint(0, 10)))
            for _ in range(60000)]
    urls += ["https://" + ("a" * 60 + ".") * 4 + "a" * 20 + "/x"]  # a host over 255 characters is cut
    urls += [m.url for text in _project_texts() for m in MD.linkify.match_any(text)]
    taken = [url for url in urls if _is_plain_url(url)]
    for url in taken:
        assert plain_md.normalizeLink(url) == url and plain_md.normalizeLinkText(url) == url, url
    assert 1000 < len(taken) < len(urls) - 1000
    assert not _is_plain_url(urls[60000])


_LINK_PIECES = [
    "a", "ex", "org", "ş", "1", "/", ".", "..", "-", "--", "---", "'", ",", ";", "!", "!!", "?", ":", ":8", ":80", "_",
    "(", ")", "[", "]", "{", "}", '"', "@", "%", "#", ">", "<", "[^1]", "www.", "xn--p1ai",
]
_SPACES = [" ", "\t", "\n", "\u00a0", "\u3000", "\x7f", "\u2028"]


def test_a_link_is_matched_on_its_key_alone():
    """linkify-it finds the same URL at the start of a text and at the start of its
    ``_url_key``: whatever follows the first space cannot change it."""
    rng = random.Random(20261124)
    pieces = lambda n: "".join(rng.choice(_LINK_PIECES) for _ in range(rng.randint(0, n)))
    urls = 0
    for _ in range(20000):
        text = rng.choice(["https://", "http://", "ftp://", "mailto:"]) + pieces(8)
        text += rng.choice(_SPACES) + pieces(4) if rng.random() < 0.8 else ""
        whole, key = MD.linkify.match_at_start(text), MD.linkify.match_at_start(_url_key(text, 0))
        assert (whole and whole.url) == (key and key.url), text
        urls += whole is not None
    assert urls > 1500
