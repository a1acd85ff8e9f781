"""The dialect's speed shortcuts answer as the libraries they stand in for, on every
input: the plain-prose shortcut (``plain_prose``) and ``footnote_labels`` against
markdown-it's own inline parser, the quick ``pretest`` against linkify-it's; and
the guard that keeps markdown-it's own rule with library versions other than the
audited ones."""

from __future__ import annotations

import copy
import functools
import json
import random
import subprocess
import sys
from collections import Counter

import pytest
from babel.messages.pofile import read_po
from conftest import FIXTURES, ROOT, body_document
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from markdown_it.utils import read_fixture_file

from pressroom.errors import Report
from pressroom.segments import dialect, plain_prose
from pressroom.segments.body import Body, footnote_labels, parse_body, undefined_refs
from pressroom.segments.dialect import MD, make_parser

LIBRARY = make_parser(plain=False)
"""The dialect with markdown-it's own inline rule."""

DEFINITIONS = {
    "notes": "[^1]: One.\n\n[^a]: A.\n\n[^b.2]: B.\n",
    "notes with odd labels, link references": (
        "[^1]: One.\n\n[^a]: A.\n\n[^a\tb]: Tab.\n\n[^x[y]: Bracket.\n\n[^ş]: Letter.\n\n"
        "[x]: https://example.org/x\n\n[Y]: /y \"Title\"\n"
    ),
    "a link reference labelled like a note": "[^1]: One.\n\n[^a]: A.\n\n[ ^1]: https://example.org/one\n\n[x]: /x\n",
    "link references, no notes": "[x]: /x\n\n[y]: /y\n",
}
"""Bodies whose definitions the generated texts are parsed with."""

_PIECES = [
    "word ", "Şarkı ", "ölçü", "[^1]", "[^a]", "[^x]", "[^b.2]", "[^1](", "[^a][", "[", "]", "(", ")", "!",
    "*", "_", "`", "\\", "~", "<", ">", "&amp;", "&", ":", "//", "https://", "www.", "@", "^", "-", ".",
    " ", "  ", "\t", "\n", "{", "}", "$", "%", "#", "=", "+",
    "https://example.org/report", "http://x.org", "HTTPS://E.ORG/a.b", "ftp://f.org/z", "xhttps://w.org",
    "https://ex.org/a_b", "https://ex.org/(x)", "mailto:", "//example.org", "https://", "example.org", ", ", ".",
    # link references and calls next to them
    "[x]", "[X]", "[y]", "[]", "[^1][x]", "[^1][]", "[^1][y]", "[^a][X]", "[see [^1]][x]", "[^1]: ", "](", "![",
    "[^a\tb]", "[^x[y]", "[^ş]", "[ ^1]", "[^z]", "[^1]\u00a0",
    # what an entity or an escape turns into a link or a bracket
    "&#91;", "\\[", "&#64;", "user&#64;example.org", "www&#46;x.org", "WWW.X.ORG", "a@b.org", "\\@", "www\\.x.org",
]


def _generated_texts(count: int, seed: int = 20261123) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 12))) for _ in range(count)]


@functools.cache
def _project_texts() -> list[str]:
    """Every inline text this repository has: fixture cases, sources, catalogs."""
    texts = []
    for name in ("segments.md", "render.md", "translate.md"):
        for case in read_fixture_file(FIXTURES / name):
            source, _, table = case[2].partition("=== translations\n")
            texts += [tok.content for tok in MD.parse(source, {}) if tok.type == "inline"]
            texts += [side for line in table.splitlines() for side in line.split(" => ")]
    for path in sorted((ROOT / "content").rglob("*.md")):
        texts += [tok.content for tok in MD.parse(path.read_text(encoding="utf-8"), {}) if tok.type == "inline"]
    for path in sorted((ROOT / "locales").rglob("*.po")):
        for message in read_po(path.open("rb")):
            texts += [message.id, message.string] if message.id else []
    return texts


def _body(definitions: str) -> Body:
    return parse_body(body_document("Text.\n\n" + definitions), Report())


def _env(body: Body) -> dict:
    """What ``segments.parse_inline`` parses a translation with."""
    return {"references": body.env.get("references", {}),
            "footnotes": {"refs": {":" + label: -1 for label in body.notes}, "list": {}}}


def _same_tokens(texts: list[str], body: Body) -> int:
    """Every text through the dialect and through markdown-it's own rule, one env
    each (note ids accumulate as in a body); returns how many took the shortcut."""
    dialect_env, library_env, shortcuts = _env(body), _env(body), 0
    for text in texts:
        shortcuts += plain_prose.plain_children(text, copy.deepcopy(dialect_env), MD) is not None
        ours = MD.parseInline(text, dialect_env)[0].children
        theirs = LIBRARY.parseInline(text, library_env)[0].children
        assert [t.as_dict() for t in ours] == [t.as_dict() for t in theirs], repr(text)
        assert dialect_env == library_env, repr(text)
    return shortcuts


def test_the_shortcut_is_on_with_the_installed_libraries():
    """The other tests here compare the shortcut with the library: it must be on."""
    assert dialect.PLAIN_SHORTCUT, f"installed {plain_prose.installed()}, audited {plain_prose.AUDITED}"


@pytest.mark.parametrize("name", DEFINITIONS)
def test_plain_prose_shortcut_on_generated_text(name):
    body = _body(DEFINITIONS[name])
    texts = _generated_texts(2000)
    shortcuts = _same_tokens(texts, body)
    if body.notes and not any(key.startswith("^") for key in body.env.get("references", {})):
        assert 200 < shortcuts < len(texts)  # both paths are exercised
    with_links = [t for t in texts if any(c.type == "link_open" for c in MD.parseInline(t, _env(body))[0].children)]
    assert len(with_links) > 200


def test_plain_prose_shortcut_on_the_projects_texts():
    texts = list(_project_texts())
    shortcuts = _same_tokens(texts, _body(DEFINITIONS["notes"]))
    assert len(texts) > 300 and shortcuts > len(texts) // 3


def _library_labels(text: str, body: Body) -> tuple[Counter[str], list[str]]:
    """Footnote calls of ``text`` as markdown-it's own parse finds them."""
    token = LIBRARY.parseInline(text, _env(body))[0]
    defined = Counter(c.meta["label"] for c in token.children or () if c.type == "footnote_ref")
    return defined, [label for label, _ in undefined_refs(token)]


@pytest.mark.parametrize("name", DEFINITIONS)
def test_footnote_labels_on_generated_text(name):
    """``footnote_labels`` (a translation's calls, without a parse where it can)
    finds the calls the parser finds, with link references defined or not."""
    body = _body(DEFINITIONS[name])
    quick = 0
    for text in _generated_texts(2000, seed=20261202) + list(_project_texts()):
        assert footnote_labels(text, body) == _library_labels(text, body), repr(text)
        quick += plain_prose.simple_calls(text, body.env.get("references", {})) is not None
    assert quick > 300


@pytest.mark.parametrize(
    ("text", "defined", "undefined"),
    [
        ("Text.[^1][x]", {}, []),  # the link [^1][x]: a link reference, not a note call
        ("Text.[^1][]", {"1": 1}, []),  # no link reference "^1": a call and "[]"
        ("Text.[^1][z]", {"1": 1}, []),  # [z] is not defined: a call
        ("See [the report [^1]][x].", {"1": 1}, []),  # a call inside a link's text
        ("Text.[^1](https://example.org)", {}, []),
        ("Text.[^a\tb] [^x[y]", {"a\tb": 1, "x[y": 1}, []),
        ("Text.[^nope]", {}, ["nope"]),
        ("Text.\\[^1] &#91;^a] \\[^nope]", {}, []),  # escaped or entity brackets: no calls
        ("https://example.org/r[^1]. [^1]", {"1": 2}, []),
    ],
)
def test_footnote_labels_cases(text, defined, undefined):
    body = _body(DEFINITIONS["notes with odd labels, link references"])
    assert footnote_labels(text, body) == (Counter(defined), undefined) == _library_labels(text, body)


def test_quick_pretest_finds_what_linkify_its_own_finds():
    """``_Linkify.pretest`` (markdown-it's core linkify rule asks it of every
    paragraph) against linkify-it's own, whose answer is always right."""

    class OwnPretest(type(MD.linkify)):
        pretest = LinkifyIt.pretest

    reference = make_parser(plain=False)
    reference.linkify = OwnPretest()
    env = _env(_body(DEFINITIONS["notes"]))
    texts = _generated_texts(3000, seed=20261203) + list(_project_texts())
    bare = 0
    for text in texts:
        ours = LIBRARY.parseInline(text, copy.deepcopy(env))[0].children
        theirs = reference.parseInline(text, copy.deepcopy(env))[0].children
        assert [t.as_dict() for t in ours] == [t.as_dict() for t in theirs], repr(text)
        bare += any(t.type == "link_open" and not t.attrs["href"].startswith(("https:", "http://x", "ftp")) for t in ours)
    assert bare > 200  # www. and e-mail links, which only the core rule makes


# -- the guard -------------------------------------------------------------------------


def test_guard_wants_the_audited_versions_and_rules():
    assert plain_prose.applies(MD, plain_prose.AUDITED)
    assert not plain_prose.applies(MD, {**plain_prose.AUDITED, "markdown-it-py": "4.3.1"})
    assert not plain_prose.applies(MD, {**plain_prose.AUDITED, "mdit-py-plugins": "0.8.0"})
    assert not plain_prose.applies(MD, {**plain_prose.AUDITED, "mdit-py-plugins": None})
    assert not plain_prose.applies(MarkdownIt("commonmark", {"linkify": True}), plain_prose.AUDITED)  # other rules, raw HTML
    html_on = make_parser(plain=False)
    html_on.options["html"] = True
    assert not plain_prose.applies(html_on, plain_prose.AUDITED)


_RENDER_ALL = """
import json, sys
sys.path.insert(0, {tests!r})
from conftest import FIXTURES, body_document
from markdown_it.utils import read_fixture_file
from pressroom.errors import Report
from pressroom.html.fragments import render_body
from pressroom.segments import dialect
from pressroom.segments.body import parse_body
from pressroom.segments.plain_prose import installed
out = []
for name in ("render.md", "translate.md", "commonmark-spec.md"):
    for case in read_fixture_file(FIXTURES / name):
        source, _, table = case[2].partition("=== translations\\n")
        translations = dict(line.split(" => ", 1) for line in table.splitlines() if line)
        rendered = render_body(parse_body(body_document(source), Report()), translations, source_lang="en")
        out.append([rendered.html, rendered.print_html, [n.html for n in rendered.notes]])
print(json.dumps({{"shortcut": dialect.PLAIN_SHORTCUT, "versions": installed(), "pages": out}}))
"""


def _render_all(tmp_path, pythonpath: list[str]) -> dict:
    import os

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(pythonpath)}
    code = _RENDER_ALL.format(tests=str(ROOT / "tests"))
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=tmp_path)
    return json.loads(result.stdout)


def test_other_library_versions_fall_back_to_markdown_its_own_rule(tmp_path):
    """With another markdown-it-py installed (here: its metadata says 4.3.1, found
    first on the path) the dialect keeps markdown-it's own inline rule, and every
    fixture and CommonMark example renders as with the shortcut."""
    fake = tmp_path / "site-packages" / "markdown_it_py-4.3.1.dist-info"
    fake.mkdir(parents=True)
    (fake / "METADATA").write_text("Metadata-Version: 2.1\nName: markdown-it-py\nVersion: 4.3.1\n", encoding="utf-8")
    audited = _render_all(tmp_path, [])
    other = _render_all(tmp_path, [str(fake.parent)])
    assert audited["shortcut"] is True and audited["versions"] == plain_prose.AUDITED
    assert other["shortcut"] is False and other["versions"]["markdown-it-py"] == "4.3.1"
    assert len(other["pages"]) > 600 and other["pages"] == audited["pages"]


def test_the_audited_versions_are_the_pinned_ones():
    import tomllib

    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for name, version in plain_prose.AUDITED.items():
        assert f"{name}=={version}" in dependencies
