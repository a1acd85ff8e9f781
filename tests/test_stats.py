"""Translation progress: `stats` (table and JSON), the manifest, the status pages."""

from __future__ import annotations

import json

from bs4 import BeautifulSoup

from pressroom.catalogs.files import read_catalog, serialize
from pressroom.catalogs.merge import words

TR_PO = "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po"
DOC = "content/analyses/us-role-in-nato-russia-tensions.md"


def _mark(project, changes: dict[str, str]) -> dict[str, int]:
    """Blank (``""``) or fuzz (``"fuzzy"``) entries found by the start of their msgid;
    returns the source words touched per state."""
    cat = read_catalog(project / TR_PO, TR_PO, "tr", "x")
    touched = {"fuzzy": 0, "untranslated": 0}
    for start, state in changes.items():
        message = next(m for m in cat if m.id.startswith(start))
        if state == "fuzzy":
            message.flags.add("fuzzy")
        else:
            message.string = ""
        touched["fuzzy" if state == "fuzzy" else "untranslated"] += len(words(message.id))
    (project / TR_PO).write_bytes(serialize(cat))
    return touched


def test_stats_table_and_json(project, run):
    code, out, _ = run(project, "stats")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["language", "document", "translated", "reviewed", "fuzzy", "untranslated", "failing",
                                "words", "t/f/u/x", "done", "reviewed", "words"]
    assert len(lines) == 2 + 8 and all(line.split()[-2:] == ["100%", "0%"] for line in lines[2:])

    touched = _mark(project, {"Relations between Russia and NATO": "", "Another reason for US": "fuzzy"})
    code, out, _ = run(project, "stats", "--lang", "tr", "--format", "json")
    rows = {r["document"]: r for r in json.loads(out)}
    row = rows[DOC]
    assert row["catalog"] == TR_PO
    assert row["entries"] == {"translated": 25, "fuzzy": 1, "untranslated": 1, "failing": 0, "reviewed": 0}
    assert row["words"]["fuzzy"] == touched["fuzzy"] and row["words"]["untranslated"] == touched["untranslated"]
    assert all(r["entries"]["fuzzy"] == r["entries"]["untranslated"] == 0 for d, r in rows.items() if d != DOC)
    code, out, _ = run(project, "stats", "--lang", "tr")
    line = next(line for line in out.splitlines() if "us-role" in line)
    assert line.split()[2:7] == ["25", "0", "1", "1", "0"]


def test_progress_in_manifest_and_status_page(project, run):
    touched = _mark(project, {"Relations between Russia and NATO": ""})
    assert run(project, "build", "--no-pdf")[0] == 0
    manifest = json.loads((project / "site/manifest.json").read_text())
    tr = next(a for a in manifest["articles"] if a["slug"] == "us-role-in-nato-russia-tensions")["languages"]["tr"]
    assert tr["entries"] == {"translated": 26, "fuzzy": 0, "untranslated": 1, "failing": 0, "reviewed": 0}
    assert tr["words"]["untranslated"] == touched["untranslated"]
    page = BeautifulSoup((project / "site/tr/status/index.html").read_text(), "html.parser")
    assert page.h1.get_text() == "Çeviri durumu"
    cells = [td.get_text(" ", strip=True) for td in next(
        tr for tr in page.select("tbody tr") if TR_PO in tr.get_text()).find_all("td")]
    assert cells[1:6] == ["26", "0", "0", "1", "0"]
    assert len(page.select("tbody tr")) == 4  # two analyses, two author pages
    english = BeautifulSoup((project / "site/en/status/index.html").read_text(), "html.parser")
    assert not english.select("tbody tr")  # every source is English: nothing to translate into it


def test_a_failing_translation_counts_as_failing_everywhere(project, run):
    """A translated entry that drops a note call is published in English by the build:
    `stats`, the manifest, the status page and the editor all count it as failing, not
    translated, and agree on its words."""
    from test_editor_api import make_client

    from pressroom.po import PoText

    path = project / TR_PO
    text = PoText(path.read_text(encoding="utf-8"))
    block = next(b for b in text.entries if b.msgid.startswith("The February 24, 2022, Russia-Ukraine War"))
    assert "[^3]" in block.msgstr
    path.write_text(text.replace_entry(block, msgstr=block.msgstr.replace("[^3]", ""), fuzzy=False, comment=None),
                    encoding="utf-8")
    failing_words = len(words(block.msgid))

    code, out, _ = run(project, "stats", "--lang", "tr", "--format", "json")
    row = {r["document"]: r for r in json.loads(out)}[DOC]
    assert row["entries"] == {"translated": 26, "fuzzy": 0, "untranslated": 0, "failing": 1, "reviewed": 0}
    assert row["words"]["failing"] == failing_words
    code, out, _ = run(project, "stats", "--lang", "tr")
    line = next(line for line in out.splitlines() if "us-role" in line)
    assert line.split()[2:7] == ["26", "0", "0", "0", "1"] and line.split()[-2] != "100%"

    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0 and "drops [^3]" in err
    manifest = json.loads((project / "site/manifest.json").read_text())
    tr = next(a for a in manifest["articles"] if a["slug"] == "us-role-in-nato-russia-tensions")["languages"]["tr"]
    assert tr["entries"] == row["entries"] and tr["words"] == row["words"]
    assert tr["translated"] == round(26 / 27, 4)
    page = BeautifulSoup((project / "site/tr/status/index.html").read_text(), "html.parser")
    cells = [td.get_text(" ", strip=True) for td in next(
        r for r in page.select("tbody tr") if TR_PO in r.get_text()).find_all("td")]
    assert cells[1:6] == ["26", "0", "0", "0", "1"]

    with make_client(project) as client:
        api = "/edit/api/catalogs/tr/us-role-in-nato-russia-tensions"
        data = client.get(api).json()
        entry = next(e for e in data["entries"] if e["msgid"] == block.msgid)
        assert entry["state"] == "failing"
        assert [(f["check"], f["blocks"]) for f in entry["findings"]] == [("footnote-refs", True)]
        summary = data["summary"]
        assert (summary["translated"], summary["fuzzy"], summary["untranslated"], summary["failing"]) == (26, 0, 0, 1)
        assert summary["words"] == row["words"]
        cell = next(d for d in client.get("/edit/api/catalogs").json()["documents"]
                    if d["domain"] == "us-role-in-nato-russia-tensions")["catalogs"]["tr"]
        assert (cell["translated"], cell["failing"], cell["percent"]) == (26, 1, summary["percent"])
        assert cell["percent"] == round(100 * row["words"]["translated"] / sum(row["words"].values()))
