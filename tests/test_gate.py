"""The build publishes nothing that ``check`` calls an error (``pressroom/checks/gate.py``).

- Agreement, on the whole corpus of tests/fixtures/checks/: every error ``check``
  finds in a case is a warning of the build's own reading of that catalog (the
  functions ``build`` and its workers call: ``load_translations``, ``load_ui``), at
  the same ``path:line``, with the same check and message plus "the source text is
  published instead"; and the build reports no other such warning.
- The quick paths that keep this cheap (no parse where no link, markup or mixed
  script can be) answer as the full checks do, on every catalog of the project and
  fixtures and on thousands of mutated texts.
- End to end on the real project: a translation that adds a link or changes a
  citation's URL, and UI strings with placeholders dropped, renamed, swapped or a
  stray "%", are reported with the catalog's ``path:line`` and fall back to the
  source text; nothing raises; ``check`` reports the same lines as errors.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT, copy_tree
from test_checks import CASES, EXPECT, _install, _mini_project

from pressroom.catalogs.files import catalog_path, read_catalog, serialize
from pressroom.checks import CHECKS, Pair, check_pair, inline_markup, scripts
from pressroom.checks.gate import FALLBACK
from pressroom.checks.scripts import _NOT_LATIN, _may_mix, _script
from pressroom.checks.text import _words
from pressroom.config import load_config
from pressroom.errors import Report
from pressroom.project import load_ui, read_project
from pressroom.segments.body import parse_document_body
from pressroom.sources.documents import load_content
from pressroom.translations import load_translations

TR_PO = "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po"
UI_PO = "locales/tr/LC_MESSAGES/messages.po"
ARTICLE = "tr/analyses/us-role-in-nato-russia-tensions/index.html"

# -- check and build agree, case by case ----------------------------------------------

PO_CASES = [c for c in CASES if c.suffix == ".po"]


def _build_reading(root: Path, target: str) -> list[tuple[int, str, str]]:
    """What the build's reading of the catalog at ``target`` refuses: (line, check, message)."""
    config = load_config(root)
    report = Report()
    lang = target.split("/")[1]
    if target.endswith("/messages.po"):
        load_ui(config, report)
    else:
        content = load_content(config, report)
        doc = next(d for d in content.analyses if d.slug == "fixture")
        load_translations(config, doc, parse_document_body(doc, report), lang, report)
    suffix = f"; {FALLBACK}"
    return sorted(
        (p.line, p.check, p.message.removesuffix(suffix))
        for p in report.problems
        if p.path == target and p.message.endswith(suffix)
    )


@pytest.mark.parametrize("case", PO_CASES, ids=[p.name for p in PO_CASES])
def test_the_build_refuses_exactly_what_check_calls_an_error(case: Path, tmp_path: Path, run):
    root = _mini_project(tmp_path / "project")
    target, args = _install(case, root)
    _code, out, _ = run(root, "check", "--format", "json", *args)
    import json

    errors = sorted(
        (f["line"], f["check"], f["message"])
        for f in json.loads(out)
        if f["path"] == target and f["severity"] == "error"
    )
    assert _build_reading(root, target) == errors
    expected = [(int(line), check) for line, sev, check, _ in EXPECT.findall(case.read_text("utf-8")) if sev == "error"]
    assert [(line, check) for line, check, _ in errors] == sorted(expected)


# -- the quick paths answer as the full checks ---------------------------------------------

QUICK = [c for c in CHECKS if c.name in ("links", "markup", "mixed-script")]


def _full(pair: Pair, monkeypatch) -> list[tuple[str, str]]:
    """The checks with every quick path turned off: each text parsed, each word named."""
    with monkeypatch.context() as m:
        m.setattr(inline_markup, "_link_words", lambda text, body: None)
        m.setattr(inline_markup, "_may_mark", lambda text, body: True)
        m.setattr(scripts, "_joins_words", lambda text, body: True)
        m.setattr(scripts, "_may_mix", lambda text: True)
        return [(c.name, text) for c, text in check_pair(Pair(pair.msgid, pair.msgstr, pair.source_lang, pair.lang,
                                                                pair.body, pair.ui), QUICK)]


def _quick(pair: Pair) -> list[tuple[str, str]]:
    return [(c.name, text) for c, text in check_pair(pair, QUICK)]


def _project_pairs() -> list[Pair]:
    config = load_config(ROOT)
    project = read_project(config, Report())
    pairs = []
    for doc in project.content.documents:
        body = project.bodies[doc.path]
        for lang in doc.targets(config):
            path = catalog_path(config, lang, doc.domain)
            for m in read_catalog(path, "x", lang, doc.domain):
                if m.id and m.string:
                    pairs.append(Pair(m.id, m.string, doc.lang, lang, body))
    return pairs


def test_quick_paths_answer_as_the_full_checks_on_every_catalog(monkeypatch):
    pairs = _project_pairs()
    fixture_body = _fixture_body()
    for case in sorted((FIXTURES / "checks").glob("*.po")):
        lang = case.suffixes[-2].lstrip(".")
        for m in read_catalog(case, case.name, lang, "x"):
            if m.id and m.string:
                pairs.append(Pair(m.id, m.string, "en", lang, fixture_body))
    assert len(pairs) > 150
    for pair in pairs:
        assert _quick(pair) == _full(pair, monkeypatch), (pair.msgid, pair.msgstr)


# What a translator, a tool or an accident may put into a text, around and inside its
# URLs, calls and words: each may or may not make a link, markup or a mixed word.
SNIPPETS = [
    "*", "**", "_", "__", "`", "~~", "~", "[", "]", "(", ")", "!", "\\", "\\*", "\\[", "&amp;", "&#1072;", "&#x430;",
    "&lt;", "[x](https://e.org/x)", "![alt](i.png)", "[report]", "[report][]", "[x][report]", "<https://a.org/>",
    "<", ">", "<a@b.org>", "https://b.org/p_q", "http://c.org", "www.d.org", "WWW.E.ORG", "Www.f.org/x", "mail@g.org",
    "@", "://", ":", "//", ".", ",", " ", "\n", "[^1]", "[^2]", "[^1](x)", "[^1][^2]", "[^1][report]", "[^nope]",
    "[^1][x]", "[ ^1]", "сa", "aс", "Ａ", "ж", "µ", "α", "ş", "ı", "ª", "ǅ", "Ж", "x", "%",
]


def _fixture_body(extra: str = ""):
    source = (FIXTURES / "checks" / "source.md").read_text(encoding="utf-8") + extra
    from pressroom.sources.documents import parse_document

    report = Report()
    doc = parse_document(source, "content/analyses/fixture.md", "analysis", ("en", "tr", "ru"), report)
    return parse_document_body(doc, report)


def _mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        at = rng.randint(0, len(text))
        if rng.random() < 0.3 and "://" in text:  # inside or right after a URL
            at = min(len(text), text.index("://") + rng.randint(0, 40))
        text = text[:at] + rng.choice(SNIPPETS) + text[at:]
    return text


@pytest.mark.parametrize("references", ["", "\n[report]: https://example.org/ref\n",
                                         "\n[ ^1]: https://evil.example/\n[report]: https://example.org/ref\n"])
def test_quick_paths_answer_as_the_full_checks_on_mutated_texts(monkeypatch, references):
    body = _fixture_body(references)
    rng = random.Random(20261202)
    texts = [u.msgid for u in body.units] + [
        "Сaнкции против 1500 компаний: https://www.euronews.com/2023/04/07/nato-spending, (Дата обращения: 07.08.2023).",
        "“Spending 2% of GDP”, Euro News, https://www.euronews.com/2023/04/07/nato-spending[^1], www.nato.int.",
        "Çönflıçt deterrençe treaty[^1][^2]. Reçönştrüçtıön börder analyştş.",
    ]
    for _ in range(1500):
        msgid = rng.choice(texts)
        msgstr = _mutate(rng.choice([msgid, *texts]), rng)
        if rng.random() < 0.3:
            msgid = _mutate(msgid, rng)
        pair = Pair(msgid, msgstr, "en", rng.choice(["tr", "ru"]), body)
        assert _quick(pair) == _full(pair, monkeypatch), (msgid, msgstr)


def test_may_mix_never_misses_a_mixed_word():
    """Every letter of the Basic Multilingual Plane, after and before a Latin and a
    Cyrillic letter: where the word mixes scripts, ``_may_mix`` says it may."""
    for code in range(0x10000):
        ch = chr(code)
        if not _words(ch) or 0xD800 <= code < 0xE000:
            continue
        for word in (f"a{ch}", f"ж{ch}", f"{ch}a", f"{ch}ж", f"x {ch}ж y"):
            mixed = any(len({s for c in w if (s := _script(c))}) >= 2 for w in _words(word))
            assert not mixed or _may_mix(word), repr(word)


def test_latin_ranges_hold_no_letter_of_another_script():
    for code in [*range(0x250), *range(0x2000, 0x2070)]:
        assert _NOT_LATIN.search(chr(code)) is None
        assert _script(chr(code)) in ("LATIN", None), hex(code)


# -- end to end on the real project -----------------------------------------------------


def _set_msgstr(root: Path, rel: str, msgid: str, msgstr: str) -> int:
    """Give ``msgid`` the translation ``msgstr`` in the catalog ``rel``; returns its line."""
    path = root / rel
    catalog = read_catalog(path, rel, rel.split("/")[1], Path(rel).stem)
    assert catalog[msgid] is not None, msgid
    catalog[msgid].string = msgstr
    path.write_bytes(serialize(catalog))
    return read_catalog(path, rel, rel.split("/")[1], Path(rel).stem)[msgid].lineno


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The real project, built once (without PDFs): each case works on a copy."""
    from conftest import copy_project

    from pressroom.cli import main

    root = copy_project(tmp_path_factory.mktemp("gate") / "project")
    assert main(["build", "--no-pdf"], project=root) == 0
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    copy_tree(built, root)
    return root


def _paragraph(root: Path, starts: str) -> BeautifulSoup:
    doc = BeautifulSoup((root / "site" / ARTICLE).read_text(encoding="utf-8"), "html.parser")
    return next(p for p in doc.select(".analysis-body p, .footnotes li") if p.get_text().strip().startswith(starts))


CONTENT_CASES = [
    # (msgid starts with, new msgstr, check, text of the message)
    ("Russian President Vladimir Putin called",
     "Putin, Biden'ın iddiasını saçmalık olarak nitelendirdi: [tıkla](https://evil.example/).[^9]", "links",
     "adds https://evil.example/"),
    ("“EU Agrees to Set $60 Price Cap",
     None, "links", "https://shorturl.at/ryDP9"),
]


@pytest.mark.parametrize(("starts", "msgstr", "check", "text"), CONTENT_CASES, ids=["link-added", "citation-url"])
def test_a_translation_check_calls_an_error_is_not_published(project: Path, run, starts, msgstr, check, text):
    catalog = read_catalog(project / TR_PO, TR_PO, "tr", "x")
    message = next(m for m in catalog if m.id and m.id.startswith(starts))
    if msgstr is None:  # the citation's URL mistyped
        msgstr = message.string.replace("https://shorturl.at/ryDP1", "https://shorturl.at/ryDP9")
        assert msgstr != message.string
    line = _set_msgstr(project, TR_PO, message.id, msgstr)

    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0, err
    assert re.search(rf"^{re.escape(TR_PO)}:{line}: warning: translation .*{re.escape(text)}.*; {FALLBACK} \[{check}\]$",
                     err, re.MULTILINE), err
    html = (project / "site" / ARTICLE).read_text(encoding="utf-8")
    assert "evil.example" not in html and "ryDP9" not in html
    shown = _paragraph(project, starts[:20])
    assert "untranslated" in shown.get("class", []) or shown.select_one(".untranslated"), shown

    code, out, _ = run(project, "check", "--lang", "tr")
    assert code == 1
    assert re.search(rf"^{re.escape(TR_PO)}:{line}: error: .*\[{check}\]$", out, re.MULTILINE), out
    code, _, err = run(project, "build", "--no-pdf", "--strict")
    assert code == 1 and f"{TR_PO}:{line}: warning:" in err


UI_CASES = [
    # (msgid, bad msgstr, message contains)
    ("By %(author)s", "Yazar: %(x)s", "drops %(author)s and adds %(x)s"),
    ("By %(author)s", "Yazar", "drops %(author)s"),
    ("By %(author)s", "Yazar: %(author)s 100%", "“%” starts no placeholder"),
    ("By %(author)s", "Yazar: %s", "drops %(author)s and adds %s"),
    ("By %(author)s", "Yazar: {author}", "drops %(author)s and adds {author}"),
    ("By %(author)s", "Yazar: %(author)d", "drops %(author)s and adds %(author)d"),
    ("Back to reference %(number)s", "%(number)s numaralı atfa dön (%ü)", "“%” starts no placeholder"),
    ("Notes", "Dipnotlar %", "“%” starts no placeholder"),
    ("Notes", "Dipnotlar<script>alert(document.domain)</script>", "translation adds HTML"),
    ("Analysis", "<img src=x onerror=alert(2)>Analiz", "translation adds HTML"),
]


@pytest.mark.parametrize(("msgid", "msgstr", "text"), UI_CASES, ids=[c[1] for c in UI_CASES])
def test_a_bad_ui_string_falls_back_to_the_template_text(project: Path, run, msgid, msgstr, text):
    line = _set_msgstr(project, UI_PO, msgid, msgstr)

    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0, err
    assert "Traceback" not in err
    pattern = rf"^{re.escape(UI_PO)}:{line}: warning: .*{re.escape(text)}.*; {FALLBACK} \[(placeholders|html)\]$"
    assert re.search(pattern, err, re.MULTILINE), err
    html = (project / "site" / ARTICLE).read_text(encoding="utf-8")
    assert msgstr not in html and BeautifulSoup(html, "html.parser").get_text().count(msgstr) == 0
    doc = BeautifulSoup(html, "html.parser")
    if msgid == "By %(author)s":
        byline = doc.select_one(".byline")
        assert byline.get_text(" ", strip=True).startswith("By Zeki Talustan Gülten")
        assert byline.select_one("a[rel=author]")["href"] == "../../../tr/authors/zeki-talustan-gulten/"
    elif msgid == "Notes":
        assert doc.select_one("#notes-title").get_text() == "Notes"
    elif msgid == "Analysis":
        assert doc.select_one(".kicker").get_text() == "Analysis"
    else:
        assert doc.select_one(".footnote-backref")["aria-label"] == "Back to reference 1"
    # the rest of the chrome stays translated
    assert doc.select_one(".site-nav a").get_text() == "Analizler"

    code, out, _ = run(project, "check", "--lang", "tr", "messages")
    assert code == 1 and re.search(rf"^{re.escape(UI_PO)}:{line}: error: .*{re.escape(text)}", out, re.MULTILINE), out


def test_percent_signs_written_double_are_published(project: Path, run):
    _set_msgstr(project, UI_PO, "By %(author)s", "Yazar (%%100): %(author)s")
    _set_msgstr(project, UI_PO, "Page %(page)s of %(pages)s", "%(pages)s sayfanın %(page)s. sayfası")
    code, _, err = run(project, "build", "--no-pdf", "--strict")
    assert code == 0, err
    doc = BeautifulSoup((project / "site" / ARTICLE).read_text(encoding="utf-8"), "html.parser")
    assert doc.select_one(".byline").get_text(" ", strip=True).startswith("Yazar (%100): Zeki Talustan Gülten")
