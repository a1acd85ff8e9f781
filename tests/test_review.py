"""Review: the mark in the PO file (every other byte kept, kept by GNU gettext's tools
and Babel), what clears it, and what `stats`, the build and XLIFF make of it.

The fixture catalogs in ``fixtures/review/`` hold the same entries as the project's
writer, Babel's ``write_po``, GNU ``msgcat`` and Poedit (unwrapped) write them.
"""

from __future__ import annotations

import difflib
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po as babel_read_po
from babel.messages.pofile import write_po as babel_write_po
from bs4 import BeautifulSoup
from conftest import set_option

from pressroom.catalogs.merge import words
from pressroom.po import PoText, parse
from pressroom.po.review import is_mark, review_mark

FIXTURES = Path(__file__).parent / "fixtures" / "review"
FILES = sorted(FIXTURES.glob("*.po"))
GNU = all(shutil.which(tool) for tool in ("msgcat", "msgmerge", "msgfmt", "msgfilter"))


def _cases() -> list[tuple[Path, str, str | None]]:
    return [(path, e.msgid, e.context) for path in FILES for e in parse(path.read_text(encoding="utf-8")).messages]


def _mark_all(text: str) -> str:
    """``text`` with every translated, not fuzzy entry marked reviewed."""
    for entry in PoText(text).entries:
        po = PoText(text)
        now = po.find(entry.msgid, entry.context)
        text = po.replace_entry(now, msgstr=now.msgstr, fuzzy=now.fuzzy, reviewed=True)
    return text


def _reviewed(text: str) -> set[tuple[str | None, str]]:
    return {(e.context, e.msgid) for e in parse(text).messages if e.reviewed}


def test_the_fixtures_are_what_they_say():
    assert [p.name for p in FILES] == ["msgcat.po", "ours.po", "poedit.po", "pybabel.po"]
    for path in FILES:
        assert len(parse(path.read_text(encoding="utf-8")).messages) == 6
        assert not _reviewed(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("path", "msgid", "context"), _cases(), ids=lambda v: getattr(v, "name", str(v)[:20]))
def test_marking_one_entry_adds_one_comment_line_and_unmarking_gives_the_bytes_back(path, msgid, context):
    text = path.read_text(encoding="utf-8")
    po = PoText(text)
    entry = po.find(msgid, context)
    marked = po.replace_entry(entry, msgstr=entry.msgstr, fuzzy=entry.fuzzy, reviewed=True)
    if not entry.msgstr or entry.fuzzy:
        assert marked == text  # an untranslated or fuzzy entry cannot be reviewed
        return
    added = [line for line in difflib.ndiff(text.splitlines(), marked.splitlines()) if line[:2] in ("+ ", "- ")]
    assert added == [f"+ # {review_mark(msgid, context, entry.msgstr)}"]
    assert _reviewed(marked) == {(context, msgid)}
    again = PoText(marked)
    now = again.find(msgid, context)
    assert now.reviewed
    # Marking again changes nothing; unmarking gives back every byte.
    assert again.replace_entry(now, msgstr=now.msgstr, fuzzy=False, reviewed=True) == marked
    assert again.replace_entry(now, msgstr=now.msgstr, fuzzy=False, reviewed=False) == text
    # A new translation is not reviewed: the same bytes as editing the unmarked entry.
    assert again.replace_entry(now, msgstr="Yeni çeviri", fuzzy=False) == po.replace_entry(
        entry, msgstr="Yeni çeviri", fuzzy=False)
    # Made fuzzy, it is not reviewed either.
    assert not _reviewed(again.replace_entry(now, msgstr=now.msgstr, fuzzy=True))
    # A comment edit keeps the mark, after the translator's lines.
    commented = again.replace_entry(now, msgstr=now.msgstr, fuzzy=False, comment="one\ntwo")
    after = PoText(commented).find(msgid, context)
    assert after.reviewed and after.comments == ["one", "two", review_mark(msgid, context, now.msgstr)]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_a_translation_changed_by_a_tool_that_knows_no_review_is_not_reviewed(path):
    marked = _mark_all(path.read_text(encoding="utf-8"))
    assert len(_reviewed(marked)) == 4
    # As Poedit or a text editor would change it: the msgstr only, the comment kept.
    edited = marked.replace('msgstr "Rusya"', 'msgstr "Rusya Federasyonu"')
    assert edited != marked
    assert (("tag", "Russia")) not in _reviewed(edited)
    assert len(_reviewed(edited)) == 3
    assert any(is_mark(c) for c in PoText(edited).find("Russia", "tag").comments)  # stale, counts for nothing


@pytest.mark.skipif(not GNU, reason="GNU gettext tools are not installed")  # the Makefile's system-deps installs them
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_gnu_gettext_and_babel_keep_the_mark(path, tmp_path):
    marked = _mark_all(path.read_text(encoding="utf-8"))
    wanted = _reviewed(marked)
    assert len(wanted) == 4
    po = tmp_path / "marked.po"
    po.write_text(marked, encoding="utf-8")

    def tool(*argv: str) -> str:
        done = subprocess.run(argv, capture_output=True, text=True, check=True, cwd=tmp_path)
        return done.stdout

    assert _reviewed(tool("msgcat", str(po))) == wanted
    assert _reviewed(tool("msgcat", "--no-wrap", str(po))) == wanted
    pot = tmp_path / "template.pot"
    pot.write_text(tool("msgfilter", "--keep-header", "-i", str(po), "sed", "-e", "s/.*//"), encoding="utf-8")
    assert _reviewed(tool("msgmerge", "--quiet", str(po), str(pot))) == wanted
    # msgfmt judges the marked file as it judges the file (Babel's python-format on "2.1%" fails its check).
    original = tmp_path / "original.po"
    original.write_bytes(path.read_bytes())
    assert [subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(f)], capture_output=True).returncode
            for f in (original, po)] == [1 if path.name == "pybabel.po" else 0] * 2
    # A changed source: msgmerge makes the entry fuzzy, and its mark no longer counts.
    pot.write_text(pot.read_text(encoding="utf-8").replace('msgid "Russia"', 'msgid "The Russian Federation"'),
                   encoding="utf-8")
    assert _reviewed(tool("msgmerge", "--quiet", str(po), str(pot))) == wanted - {("tag", "Russia")}
    # Babel (pybabel update, the project's catalogs read through Babel).
    buffer = io.BytesIO()
    babel_write_po(buffer, babel_read_po(io.BytesIO(marked.encode("utf-8"))), width=76)
    assert _reviewed(buffer.getvalue().decode("utf-8")) == wanted


# -- stats, the build, XLIFF -----------------------------------------------------------

TR_PO = "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po"
DOC = "content/analyses/us-role-in-nato-russia-tensions.md"
FIRST_PARAGRAPH = "The February 24, 2022, Russia-Ukraine War"


def _review(project: Path, *starts: str, reviewed: bool = True) -> list[str]:
    """Mark the entries of TR_PO whose msgid starts with one of ``starts``; their msgids."""
    path = project / TR_PO
    text = path.read_text(encoding="utf-8")
    done = []
    for start in starts:
        po = PoText(text)
        entry = next(e for e in po.entries if e.msgid.startswith(start))
        text = po.replace_entry(entry, msgstr=entry.msgstr, fuzzy=entry.fuzzy, reviewed=reviewed)
        done.append(entry.msgid)
    path.write_text(text, encoding="utf-8")
    return done


def _stats(run, project: Path) -> dict:
    code, out, _ = run(project, "stats", "--lang", "tr", "--format", "json")
    assert code == 0
    return {r["document"]: r for r in json.loads(out)}[DOC]


def _page(project: Path, lang: str = "tr") -> BeautifulSoup:
    path = project / f"site/{lang}/analyses/us-role-in-nato-russia-tensions/index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_stats_count_reviewed_entries_and_words(project, run):
    assert _stats(run, project)["entries"]["reviewed"] == 0
    title, paragraph = _review(project, "The US Role", FIRST_PARAGRAPH)
    row = _stats(run, project)
    assert row["entries"] == {"translated": 27, "fuzzy": 0, "untranslated": 0, "failing": 0, "reviewed": 2}
    assert row["words"]["reviewed"] == len(words(title)) + len(words(paragraph))
    code, out, _ = run(project, "stats", "--lang", "tr")
    line = next(line for line in out.splitlines() if "us-role" in line)
    assert line.split()[2:6] == ["27", "2", "0", "0"]
    # A translation changed by hand (as in Poedit) is not reviewed any more.
    path = project / TR_PO
    path.write_text(path.read_text(encoding="utf-8").replace("ABD'nin", "Amerika'nın", 1), encoding="utf-8")
    assert _stats(run, project)["entries"]["reviewed"] == 1


def test_publish_reviewed_publishes_only_reviewed_entries(project, run):
    _review(project, "The US Role")
    assert run(project, "build", "--no-pdf")[0] == 0
    page = _page(project)
    assert not page.select(".untranslated") and not page.select(".notice.incomplete")  # default: every translation

    set_option(project, 'publish = "reviewed"')
    assert run(project, "build", "--no-pdf")[0] == 0
    page = _page(project)
    assert page.h1.get_text(strip=True) == "NATO-Rusya Gerginliğinde ABD'nin Rolü"  # reviewed: published
    first = next(p for p in page.select("p.untranslated") if p.get_text().startswith(FIRST_PARAGRAPH))
    assert first["lang"] == "en"  # not reviewed: the source, as an untranslated entry
    assert page.select_one(".notice.incomplete")
    manifest = json.loads((project / "site/manifest.json").read_text(encoding="utf-8"))
    tr = next(a for a in manifest["articles"] if a["slug"] == "us-role-in-nato-russia-tensions")["languages"]["tr"]
    assert tr["incomplete"] and tr["translated"] < 0.1
    assert tr["entries"] == {"translated": 27, "fuzzy": 0, "untranslated": 0, "failing": 0, "reviewed": 1}
    status = BeautifulSoup((project / "site/tr/status/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [th.get_text() for th in status.select("th")][-1] == "Onaylanıp yayımlanan sözcükler"
    row = next(tr for tr in status.select("tbody tr") if TR_PO in tr.get_text())
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[1:6] == ["27", "1", "0", "0", "0"]
    assert cells[6].endswith(" 1%")  # 6 of 1150 words reviewed

    # Reviewing one more entry is a change the incremental build sees.
    _review(project, FIRST_PARAGRAPH)
    assert run(project, "build", "--no-pdf")[0] == 0
    assert not any(p.get_text().startswith(FIRST_PARAGRAPH) for p in _page(project).select("p.untranslated"))
    status = BeautifulSoup((project / "site/tr/status/index.html").read_text(encoding="utf-8"), "html.parser")
    row = next(tr for tr in status.select("tbody tr") if TR_PO in tr.get_text())
    assert [td.get_text(strip=True) for td in row.find_all("td")][2] == "2"  # the status page follows


def test_a_bad_publish_value_is_an_error_at_its_line(project, run):
    set_option(project, 'publish = "approved"')
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 1
    line = next(i for i, text in enumerate((project / "pyproject.toml").read_text().splitlines(), 1)
                if text.startswith("publish ="))
    assert f"pyproject.toml:{line}: error: [tool.pressroom] publish must be one of 'translated', 'reviewed', " \
        "not 'approved'" in err
    assert "Traceback" not in err


def test_xliff_signs_off_reviewed_entries_and_imports_the_sign_off(project, run):
    _review(project, "The US Role")
    xlf = project / "tr.xlf"
    assert run(project, "export", "--format", "xliff", "--lang", "tr", "-o", str(xlf),
               "us-role-in-nato-russia-tensions")[0] == 0
    text = xlf.read_text(encoding="utf-8")
    assert text.count('state="signed-off"') == 1 and text.count('state="translated"') == 26
    before = (project / TR_PO).read_bytes()
    assert run(project, "import", str(xlf))[0] == 0
    assert (project / TR_PO).read_bytes() == before  # a round trip changes nothing
    # A changed target that is not signed off: not reviewed any more; a unit signed off
    # in the CAT tool: reviewed after the import.
    text = text.replace('state="signed-off"', 'state="translated"')
    text = text.replace("ABD'nin Rolü</target>", "ABD'nin Rolü (gözden geçirildi)</target>")
    head, second, tail = text.split('state="translated"', 2)
    text = head + 'state="translated"' + second + 'state="signed-off"' + tail
    xlf.write_text(text, encoding="utf-8")
    assert run(project, "import", str(xlf))[0] == 0
    entries = parse((project / TR_PO).read_text(encoding="utf-8")).messages
    title = next(e for e in entries if e.msgid == "The US Role in NATO-Russia Tensions")
    assert title.msgstr.endswith("(gözden geçirildi)") and not title.reviewed
    signed = [e for e in entries if e.reviewed]
    signed_off = re.findall(r'<trans-unit[^>]* id="([0-9a-f]+)"', text.split('state="signed-off"')[0])[-1]
    assert [e.key for e in signed] == [signed_off] and signed_off != title.key
