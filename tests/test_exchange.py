"""CAT exchange: ``build.py export --format xliff`` and ``build.py import``.

Data-first: tests/fixtures/exchange/codes.txt says how an entry's Markdown travels
(text and protected inline codes); tests/fixtures/exchange/bad.*.xlf is one bad XLIFF
file each (broken XML, XLIFF 2, a unit the catalog lacks, a tampered inline code, a
wrong target language, a footnote call dropped…), each with the message it must give
at its line, ``<!-- expect: LINE: message -->``. They name entries of the real seed
catalogs and are imported into a copy of the project: exit status 1, no traceback,
and no byte of any catalog changes.

Then the round trip: export and import with no edits change no byte of any catalog
(every seed catalog, both languages, with fuzzy and untranslated entries too), and
edits made as a CAT tool makes them change exactly their entries.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, copy_project
from test_editor_api import ARTICLE, NOTES, TITLE, TR, one_entry_diff, prepare

from pressroom.exchange import ExportFile, ExportUnit, align, join, split, write_xliff
from pressroom.po import PoText, entry_key
from pressroom.segments.body import Body

CASES = FIXTURES / "exchange"
BAD = sorted(CASES.glob("bad.*.xlf"))
EXPECT = re.compile(r"<!-- expect: (\d+): (.+?) -->")
OTHER = "how-nato-should-refine-its-russia-policy"
BODY = Body("case.md", [], {"references": {"REF": {"href": "https://ref.org", "title": ""},
                                           "SHORTCUT": {"href": "https://s.org", "title": ""}}}, ["1", "2", "3"])


def _catalogs(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "locales").rglob("*.po"))}


def _source_xml(segments) -> str:
    data = write_xliff([ExportFile("f.po", "en", "tr", [ExportUnit("k", segments, (), False, "")])]).decode()
    return re.search(r"<source>(.*)</source>", data, re.DOTALL).group(1)


def _codes_cases():
    blocks = (CASES / "codes.txt").read_text(encoding="utf-8").split("=====\n")[1:]
    for block in blocks:
        title, text, dot, xml = block.rstrip("\n").split("\n")
        assert dot == "."
        yield pytest.param(text, xml, id=title)


# -- inline codes ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "xml"), list(_codes_cases()))
def test_codes(text, xml):
    segments = split(text, BODY)
    assert join(segments) == text
    assert _source_xml(segments) == xml


def test_every_seed_text_splits_and_joins_back():
    texts = 0
    for path in sorted((ROOT / "locales").rglob("*.po")):
        for entry in PoText(path.read_text(encoding="utf-8")).entries:
            for text in (entry.msgid, entry.msgstr):
                assert join(split(text, BODY)) == text
                texts += 1
    assert texts > 200


def test_a_translation_takes_the_ids_of_the_source_codes():
    source = split("See [the report](https://x.org)[^1] and **this**[^2].", BODY)
    target = align(source, split("**Bunu**[^2] ve [raporu](https://x.org)[^1] görün, *ayrıca*.", BODY))
    ids = {(c.kind, c.markup): c.id for c in target if not isinstance(c, str)}
    assert ids == {("bpt", "**"): "3", ("ept", "**"): "3", ("ph", "[^2]"): "4", ("bpt", "["): "1",
                   ("ept", "](https://x.org)"): "1", ("ph", "[^1]"): "2", ("bpt", "*"): "5", ("ept", "*"): "5"}


# -- the round trip ----------------------------------------------------------------------


@pytest.mark.parametrize("prepared", [False, True], ids=["seeds", "with-fuzzy-and-untranslated"])
def test_a_round_trip_without_edits_changes_no_byte(tmp_path: Path, run, prepared: bool):
    root = copy_project(tmp_path / "project")
    if prepared:
        prepare(root)
    before = _catalogs(root)
    for lang in ("tr", "ru"):
        out = tmp_path / f"{lang}.xlf"
        code, _, err = run(root, "export", "--format", "xliff", "--lang", lang, "-o", str(out))
        assert code == 0, err
        text = out.read_text(encoding="utf-8")
        assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2"')
        assert text.count("<file ") == 4 and "messages.po" not in text
        code, _, err = run(root, "import", str(out))
        assert code == 0, err
        assert "nothing changed" in err
    assert _catalogs(root) == before


def test_export_is_deterministic_and_marks_states(tmp_path: Path, run):
    root = copy_project(tmp_path / "project")
    prepare(root)
    code, first, _ = run(root, "export", "--lang", "tr", ARTICLE, "-o", "-")
    assert code == 0
    assert run(root, "export", "--lang", "tr", ARTICLE, "-o", "-")[1] == first
    unit = re.search(rf'<trans-unit [^>]*id="{entry_key(TITLE)}"[^>]*>.*?</trans-unit>', first, re.DOTALL).group(0)
    assert 'approved="no"' in unit and '<target state="needs-review-translation">' in unit
    blank = re.search(rf'<trans-unit [^>]*id="[0-9a-f]+"[^>]*>\s*<source>{re.escape(NOTES)}.*?</trans-unit>', first, re.DOTALL)
    assert "<target" not in blank.group(0)
    assert '<note from="developer">paragraph\ncontent/analyses/us-role-in-nato-russia-tensions.md:' in blank.group(0)
    assert first.count("<file ") == 1


def _set_target(xliff: str, msgid: str, target: str | None = None, state: str | None = None) -> str:
    """The XLIFF text with the unit of ``msgid`` given a new target (as a CAT tool saves it)."""
    key = entry_key(msgid)
    unit = re.search(rf'<trans-unit [^>]*id="{key}"[^>]*>.*?</trans-unit>', xliff, re.DOTALL).group(0)
    new = unit
    if target is not None:
        if "<target" in new:
            new = re.sub(r"<target[^>]*>.*?</target>", f'<target state="translated">{target}</target>', new, flags=re.DOTALL)
        else:
            new = new.replace("</source>", f'</source>\n        <target state="translated">{target}</target>', 1)
    if state is not None:
        new = re.sub(r'<target state="[^"]*"', f'<target state="{state}"', new)
    return xliff.replace(unit, new)


def test_edits_change_exactly_their_entries(tmp_path: Path, run):
    root = copy_project(tmp_path / "project")
    names = prepare(root)
    out = tmp_path / "tr.xlf"
    assert run(root, "export", "--lang", "tr", "-o", str(out))[0] == 0
    xliff = out.read_text(encoding="utf-8")
    source = re.search(rf'id="{entry_key(names["blank"])}"[^>]*>\s*<source>(.*?)</source>', xliff, re.DOTALL).group(1)
    codes = re.findall(r"<ph [^>]*>[^<]*</ph>", source)
    assert [re.sub(r"<[^>]+>", "", c) for c in codes] == ["[^1]", "[^2]", "[^3]"]
    # A CAT tool's translation: the codes moved where Turkish wants them, the text its own.
    translated = f"Savaş küresel sistemi sarstı{codes[0]}; 1989{codes[1]} ve 1991{codes[2]} sonrasının en büyük gerilimi."
    xliff = _set_target(xliff, names["blank"], translated)
    xliff = _set_target(xliff, names["fuzzy"], state="translated")  # approved as it stands
    out.write_text(xliff, encoding="utf-8")
    before = (root / TR).read_text(encoding="utf-8")

    code, _, err = run(root, "import", str(out))
    assert code == 0, err
    assert f"wrote {TR}: 2 entries" in err
    after = (root / TR).read_text(encoding="utf-8")
    po = PoText(after)
    assert po.find(names["blank"]).msgstr == "Savaş küresel sistemi sarstı[^1]; 1989[^2] ve 1991[^3] sonrasının en büyük gerilimi."
    assert not po.find(names["blank"]).fuzzy
    assert not po.find(names["fuzzy"]).fuzzy and po.find(names["fuzzy"]).msgstr == PoText(before).find(names["fuzzy"]).msgstr
    # every other line as it was: undo one edit, and what is left is the other alone
    undone = po.replace_entry(po.find(names["fuzzy"]), msgstr=po.find(names["fuzzy"]).msgstr, fuzzy=True)
    assert one_entry_diff(before, undone, names["blank"])
    # importing the same file again changes nothing
    assert run(root, "import", str(out))[0] == 0
    assert (root / TR).read_text(encoding="utf-8") == after


def test_segment_markers_and_xliff_1_1_are_read(tmp_path: Path, run):
    root = copy_project(tmp_path / "project")
    names = prepare(root)
    out = tmp_path / "tr.xlf"
    assert run(root, "export", "--lang", "tr", ARTICLE, "-o", str(out))[0] == 0
    xliff = out.read_text(encoding="utf-8").replace("document:1.2", "document:1.1").replace('version="1.2"', 'version="1.1"')
    xliff = _set_target(xliff, names["tag"], '<mrk mtype="seg" mid="1">Kuzey Kore</mrk>')
    out.write_text(xliff, encoding="utf-8")
    code, _, err = run(root, "import", str(out))
    assert code == 0, err
    assert PoText((root / TR).read_text(encoding="utf-8")).find(names["tag"]).msgstr == "Kuzey Kore"


def test_good_units_are_imported_and_bad_ones_reported(tmp_path: Path, run):
    root = copy_project(tmp_path / "project")
    names = prepare(root)
    out = tmp_path / "tr.xlf"
    assert run(root, "export", "--lang", "tr", ARTICLE, "-o", str(out))[0] == 0
    xliff = _set_target(out.read_text(encoding="utf-8"), names["tag"], "Kuzey Kore")
    xliff = _set_target(xliff, names["blank"], "Savaş sistemi sarstı.")  # its three notes dropped
    out.write_text(xliff, encoding="utf-8")
    line = next(i for i, text in enumerate(xliff.splitlines(), 1) if "Savaş sistemi sarstı." in text)
    before = PoText((root / TR).read_text(encoding="utf-8")).find(names["blank"])

    code, _, err = run(root, "import", str(out))
    assert code == 1
    assert f"{out}:{line}: error: unit '{entry_key(names['blank'])}' of {TR}: translation drops [^1], [^2], [^3]" in err
    assert "the entry is left as it was [footnote-refs]" in err
    assert "Traceback" not in err
    po = PoText((root / TR).read_text(encoding="utf-8"))
    assert po.find(names["tag"]).msgstr == "Kuzey Kore"
    assert (po.find(names["blank"]).msgstr, po.find(names["blank"]).fuzzy) == (before.msgstr, before.fuzzy) == ("", False)


# -- bad files ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bad_project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("exchange") / "project")


@pytest.mark.parametrize("case", BAD, ids=[p.name for p in BAD])
def test_bad_file(case: Path, bad_project: Path, tmp_path: Path, run):
    line, message = EXPECT.search(case.read_text(encoding="utf-8")).groups()
    file = tmp_path / case.name
    shutil.copyfile(case, file)
    before = _catalogs(bad_project)
    code, out, err = run(bad_project, "import", str(file))
    assert code == 1, err
    lines = [text for text in err.splitlines() if text.startswith(f"{file}:{line}: error: ")]
    assert any(message in text for text in lines), err
    assert "Traceback" not in err
    assert _catalogs(bad_project) == before


def test_bad_corpus_covers_the_cases():
    names = {p.name.split(".")[1] for p in BAD}
    assert {"broken-xml", "unit-unknown", "code-tampered", "wrong-target-language", "code-dropped"} <= names


# -- the command line --------------------------------------------------------------------


@pytest.mark.parametrize(("argv", "message"), [
    (["export", "--lang", "de"], "--lang: unknown language de"),
    (["export", "--lang", "tr", "no-such-slug"], "no such document: no-such-slug"),
    (["export", "--lang", "en", OTHER], "is written in en: it has no en catalog"),
    (["export", "--lang", "tr", "--format", "po"], "invalid choice: 'po'"),
    (["import"], "the following arguments are required: FILE"),
])
def test_usage_errors(project: Path, run, argv, message):
    code, _, err = run(project, *argv)
    assert code == 2
    assert message in err


def test_import_of_a_missing_file(project: Path, run, tmp_path: Path):
    code, _, err = run(project, "import", str(tmp_path / "nope.xlf"))
    assert code == 1
    assert f"{tmp_path / 'nope.xlf'}: error: cannot be read: No such file or directory" in err


def test_export_writes_lang_xlf_by_default(project: Path, run, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(project, "export", "--lang", "ru", OTHER)
    assert code == 0
    assert "wrote ru.xlf: 1 catalog(s), 19 unit(s), XLIFF 1.2" in err
    assert 'target-language="ru"' in (tmp_path / "ru.xlf").read_text(encoding="utf-8")
