"""``build.py check``, driven by the corpus in tests/fixtures/checks/.

Every file there but ``source.md`` is one case, run through the command in a small
project (``_mini_project``: one author page, ``source.md`` as the analysis
``content/analyses/fixture.md``, and a template with a few UI strings):

- ``bad.<case>.<lang>.po`` / ``good.<case>.<lang>.po``: the ``<lang>`` catalog of
  ``source.md``; with a ``# domain: messages`` header comment it is the UI catalog
  ``messages.po`` instead (checked against the template's strings);
- ``bad.<case>.md`` / ``good.<case>.md``: a source, installed as
  ``content/analyses/<case>.md`` (source-side checks).

A case lists what it must give in comment lines (PO header comments; YAML comments in
the front matter of a source)::

    # expect: <line>: <severity>: <check>[: <text the message contains>]

``<line>`` is the line of the entry's ``msgid`` in the catalog, or the line in the
source. The findings on the case's file must be exactly the expected ones; a ``good``
case expects none, and no case may give any other finding (missing catalogs of a
source-only case aside).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES

from pressroom import checks
from pressroom.checks import CHECKS, Pair, check_pair, check_source
from pressroom.cli import main
from pressroom.errors import Problem, Report
from pressroom.segments.body import Body, parse_document_body
from pressroom.sources.documents import Document, Field

CASES_DIR = FIXTURES / "checks"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.name.startswith(("bad.", "good.")))
EXPECT = re.compile(r"^# expect: (\d+): (error|warning): ([\w-]+)(?:: (.+))?$", re.MULTILINE)
TR_PO = "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po"

UI_TEMPLATE = """\
<p>{{ _("By %(author)s", author=a) }} · {{ _("Download PDF (%(size)s)", size=s) }}</p>
<p>{{ _("Tags:") }} {{ _("Page %(page)s of %(pages)s", page=1, pages=2) }}</p>
<nav aria-label="{{ _('Languages') }}"><p>{{ _("Analysis") }}</p><h2>{{ _("Notes") }}</h2></nav>
"""
AUTHOR = "---\nname: The Editors\nlang: en\n---\n\nThe editorial team.\n"


def _mini_project(root: Path) -> Path:
    (root / "content" / "analyses").mkdir(parents=True)
    (root / "content" / "authors").mkdir()
    (root / "templates").mkdir()
    (root / "pyproject.toml").write_text(
        '[tool.pressroom]\nlanguages = ["en", "tr", "ru"]\n', encoding="utf-8"
    )
    (root / "content" / "authors" / "editors.md").write_text(AUTHOR, encoding="utf-8")
    (root / "templates" / "base.html").write_text(UI_TEMPLATE, encoding="utf-8")
    shutil.copyfile(CASES_DIR / "source.md", root / "content" / "analyses" / "fixture.md")
    return root


def _install(case: Path, root: Path) -> tuple[str, list[str]]:
    """Put ``case`` into the project; returns its path there and the check arguments."""
    name = case.name.split(".")[1]
    if case.suffix == ".md":
        target = f"content/analyses/{name}.md"
        args = ["--lang", "tr", name]
    else:
        lang = case.suffixes[-2].lstrip(".")
        domain = (
            "messages" if "# domain: messages" in case.read_text(encoding="utf-8") else "fixture"
        )
        target = f"locales/{lang}/LC_MESSAGES/{domain}.po"
        args = ["--lang", lang, domain]
    (root / target).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(case, root / target)
    return target, args


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_case(case: Path, tmp_path: Path, run):
    root = _mini_project(tmp_path / "project")
    target, args = _install(case, root)
    expected = EXPECT.findall(case.read_text(encoding="utf-8"))
    assert case.name.startswith("good.") != bool(expected), (
        "a bad case expects findings, a good one none"
    )

    code, out, err = run(root, "check", "--format", "json", *args)

    found = json.loads(out)
    others = [f for f in found if f["path"] != target and f["check"] != "catalog"]
    assert not others, f"findings outside the case: {others}"
    mine = [f for f in found if f["path"] == target]
    got = sorted((f["line"], f["severity"], f["check"]) for f in mine)
    assert got == sorted((int(line), sev, check) for line, sev, check, _ in expected), err
    for line, severity, check, text in expected:
        messages = [f["message"] for f in mine if (f["line"], f["check"]) == (int(line), check)]
        assert not text or any(text in m for m in messages), f"{text!r} not in {messages}"
    assert code == (1 if any(f["severity"] == "error" for f in found) else 0)


@pytest.mark.parametrize("tool", ["msgcat", "msgmerge"])
def test_checks_silenced_in_comments_stay_silenced_through_gnu_tools(tool, tmp_path, run):
    """GNU gettext rewrites a catalog dropping ``#,`` flags it does not know
    (``no-numbers-check``) and keeping translator comments: the comment form of the
    case ``good.silenced-in-comments.tr.po`` comes out of msgcat and msgmerge
    silencing what it silenced before."""
    program = shutil.which(tool)
    assert program, "GNU gettext is needed (the Makefile installs it)"
    case = CASES_DIR / "good.silenced-in-comments.tr.po"
    argv = [program, "-q", str(case), str(case)] if tool == "msgmerge" else [program, str(case)]
    rewritten = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    assert "# no-punctuation-check, no-whitespace-check\n" in rewritten
    root = _mini_project(tmp_path / "project")
    target = root / "locales/tr/LC_MESSAGES/fixture.po"
    target.parent.mkdir(parents=True)
    target.write_text(rewritten, encoding="utf-8")
    code, out, err = run(root, "check", "--format", "json", "--lang", "tr", "fixture")
    assert [f for f in json.loads(out) if f["check"] != "catalog"] == [], err
    assert code == 0


def test_every_check_is_registered_documented_and_silenceable():
    names = {c.name for c in CHECKS}
    assert {
        "footnote-refs",
        "links",
        "markup",
        "numbers",
        "placeholders",
        "whitespace",
        "punctuation",
        "mixed-script",
        "turkish-letters",
        "repeated-paragraph",
    } <= names
    described = checks.describe()
    for c in CHECKS:
        assert c.summary, f"{c.name} has no docstring"
        assert c.name in described
        assert c.flag == f"no-{c.name}-check"
    assert "#, no-<check>-check" in described


@pytest.mark.parametrize(
    ("source_lang", "lang", "msgid", "msgstr", "expected"),
    [
        # Words kept from the source are not a Turkish keyboard's slip.
        ("tr", "ru", "Erdoğan konuştu.", "Erdoğan выступил.", []),
        ("tr", "en", "Kılıçdaroğlu'nun açıklaması", "Kılıçdaroğlu's statement", []),
        ("en", "ru", "Erdogan spoke.", "Erdoğan выступил.", ["turkish-letters"]),
        # Either notation, percent words, and the source's own notation (titles as published).
        ("en", "tr", "It fell by 2.1% in 2023.", "2023'te yüzde 2,1 düştü.", []),
        ("en", "ru", "It fell by 2.1% in 2023.", "В 2023 году снизился на 2,1 процента.", []),
        ("en", "ru", "“Spending 2.5% of GDP”, Reuters.", "“Spending 2.5% of GDP”, Reuters.", []),
        ("tr", "en", "Enflasyon %2,5 ve 10.000 kişi.", "Inflation 2.5% and 10,000 people.", []),
        ("en", "tr", "By 4% in 2023.", "2023'te %4 oranında.", []),
        # Outside quotation marks, the source's notation is a warning: 10,000 reads as ten.
        ("en", "tr", "It fell by 2.1% to 10,000.", "%2.1 düşüşle 10,000'e indi.", ["numbers"]),
        (
            "en",
            "tr",
            "“Spending 10,000 Dollars”, Reuters.",
            "“Spending 10,000 Dollars”, Reuters.",
            [],
        ),
        ("en", "tr", "By 4% in 2023.", "2023'te 4 oranında.", ["numbers"]),
        # Note calls and closing quotes around the final full stop, in either order.
        ("en", "ru", "It is “wrong policy.”", "Это «ошибочная политика».", []),
        ("en", "ru", "Cold War in 1991.", "холодной войны в 1991 году.", []),
    ],
)
def test_pairs(source_lang, lang, msgid, msgstr, expected):
    pair = Pair(msgid, msgstr, source_lang, lang, Body("case.md", [], {}, []))
    assert [c.name for c, _ in check_pair(pair)] == expected


def test_author_names_are_spelled_as_their_bearers_spell_them():
    doc = Document(
        "author",
        "sule",
        "content/authors/sule.md",
        "en",
        {},
        [Field("name", "Şule Yılmaz", 2)],
        "Şule Yılmaz writes on Ankara.\n",
        6,
    )
    body = parse_document_body(doc, Report())
    assert [(f.line, f.check) for f in check_source(doc, body)] == [(6, "turkish-letters")]


# -- the command on the real project ---------------------------------------------------


def test_shipped_catalogs_pass_strict(project: Path, run):
    code, out, err = run(project, "check", "--strict")
    assert (code, out) == (0, ""), out
    assert "no problems found" in err


def _break(project: Path, old: str, new: str, path: str = TR_PO) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_warnings_fail_only_with_strict(project: Path, run):
    _break(project, "Polonya savunma harcamalarını %4'e", "Polonya savunma harcamalarını %5'e")
    code, out, _ = run(project, "check")
    assert code == 0
    assert out.startswith(
        f"{TR_PO}:104: warning: number(s) of the source missing from the translation: 4% (Turkish: %4)"
    )
    assert out.rstrip().endswith("[numbers]") and len(out.splitlines()) == 1
    code, out2, err = run(project, "check", "--strict")
    assert (code, out2) == (1, out)
    assert "--strict" in err


def test_errors_fail_and_json_lists_findings_for_tools(project: Path, run):
    _break(project, "https://shorturl.at/ryDP1, (Erişim", "https://shorturl.at/ryDP2, (Erişim")
    _break(project, "a.g.e.", "a.g.e")
    code, out, _ = run(
        project, "check", "--format", "json", "--lang", "tr", "us-role-in-nato-russia-tensions"
    )
    assert code == 1
    found = json.loads(out)
    assert [set(f) for f in found] == [
        {"path", "line", "severity", "check", "message", "msgid"}
    ] * 2
    assert [(f["path"], f["line"], f["severity"], f["check"]) for f in found] == [
        (TR_PO, 314, "error", "links"),
        (TR_PO, 373, "warning", "punctuation"),
    ]
    assert found[0]["msgid"].startswith("“EU Agrees to Set $60 Price Cap")
    assert found[1]["msgid"] == "Ibid."
    code, out, _ = run(project, "check", "--format", "json", "--lang", "ru")
    assert (code, json.loads(out)) == (0, [])


def test_source_side_findings_name_the_source(project: Path, run):
    source = "content/analyses/how-nato-should-refine-its-russia-policy.md"
    last = "in the dark about his plans.\n"
    _break(
        project,
        last,
        last
        + "\nTrump must therefore clarify his Ukraine policy stance to not leave fellow NATO members in the dark about his plans.\n",
        source,
    )
    code, out, _ = run(project, "check", "how-nato-should-refine-its-russia-policy")
    assert code == 0
    assert (
        out
        == f"{source}:32: warning: paragraph repeats text of the paragraph on line 30 (printed twice?) [repeated-paragraph]\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--lang", "de"], "unknown language de"),
        (["no-such-slug"], "nothing to check named no-such-slug"),
    ],
)
def test_wrong_selection_is_a_usage_error(project: Path, run, argv, message):
    code, _, err = run(project, "check", *argv)
    assert code == 2 and "build.py check: error: " in err and message in err


def test_help_lists_checks_and_flags(capsys):
    assert main(["check", "--help"]) == 0
    out = capsys.readouterr().out
    for c in CHECKS:
        assert c.name in out
    assert "no-<check>-check" in out and "check-flags:" in out


def test_a_report_keeps_each_problem_once_in_the_order_found():
    """A build replays every analysis' problems on each run (thousands in an
    archive): a problem found again is not listed twice, whether it was added or
    given to the report when it was made."""
    first = Problem("content/analyses/a.md", 3, "warning", "one", "x")
    second = Problem("content/analyses/a.md", 1, "error", "two", "y")
    report = Report(problems=[first])
    report.extend([second, first, second])
    report.warning("content/analyses/a.md", 3, "one", "x")
    assert report.problems == [first, second]
    assert report.failed
