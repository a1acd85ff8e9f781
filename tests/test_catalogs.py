"""Catalogs, Babel's way: templates, the pybabel entry point, update, msgfmt -c."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pressroom import catalogs
from pressroom.config import load_config
from pressroom.po import read_po, serialize

ARTICLE = "content/analyses/us-role-in-nato-russia-tensions.md"
POT = "locales/templates/us-role-in-nato-russia-tensions.pot"
TR = "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po"


def _read(root: Path, rel: str, locale: str | None = "tr"):
    domain = Path(rel).stem
    return catalogs.read_catalog(root / rel, rel, locale, domain)


def test_extract_locations_kinds_and_merged_duplicates(project, run):
    shutil.rmtree(project / "locales" / "templates")
    code, _, _ = run(project, "extract")
    assert code == 0
    pot = _read(project, POT, None)
    source = (project / ARTICLE).read_text(encoding="utf-8").splitlines()
    for message in pot:
        if not message.id:
            continue
        assert message.auto_comments, message.id
        for path, line in message.locations:
            assert path == ARTICLE
            text = source[line - 1]
            field = {"title": "title:", "summary": "summary:", "tag": "tags:"}.get(message.auto_comments[0])
            assert (field or message.id.split()[0]) in text, (line, message.id)
        assert not message.flags & {"python-format", "python-brace-format"}, message.id
    # notes 9 and 10 cite the same article: one entry, two locations, two kinds
    reuters = [m for m in pot if m.id.startswith("Putin Says Biden")]
    assert len(reuters) == 1
    assert [line for _, line in reuters[0].locations] == [49, 51]
    assert reuters[0].auto_comments == ["footnote 9", "footnote 10"]
    kinds = {c for m in pot for c in m.auto_comments}
    assert {"title", "summary", "tag", "paragraph", "footnote 1", "footnote 11"} <= kinds
    assert "Ibid." in pot and "Ibıd." not in pot


def test_percent_prose_never_gets_python_format(project):
    """A correct Turkish "%2'sini" must pass msgfmt -c: no python-format flag on prose."""
    text = (project / TR).read_text(encoding="utf-8")
    assert "%2'sini" in text
    assert "python-format" not in text
    pot = (project / POT).read_text(encoding="utf-8")
    assert "python-format" not in pot


def test_msgfmt_check_accepts_every_catalog(project):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext's msgfmt is needed (Makefile installs it)"
    files = sorted((project / "locales").rglob("*.po"))
    assert len(files) == 10
    for path in files:
        result = subprocess.run([msgfmt, "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, (path, result.stderr)


def test_pybabel_extract_with_mapping_file(project):
    """The Markdown extractor is a Babel entry point: pybabel finds it by name."""
    (project / "babel.cfg").write_text("[pressroom_markdown: content/analyses/**.md]\n", encoding="utf-8")
    out = project / "pybabel.pot"
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-o", str(out), "."],
        cwd=project, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    from babel.messages.pofile import read_po

    with out.open("rb") as f:
        extracted = read_po(f)
    ours = _read(project, POT, None)
    ids = {m.id for m in extracted if m.id and any(p.endswith("us-role-in-nato-russia-tensions.md") for p, _ in m.locations)}
    assert ids == {m.id for m in ours if m.id}
    title = extracted["The US Role in NATO-Russia Tensions"]
    assert title.auto_comments == ["title"]
    assert [(Path(p).as_posix(), n) for p, n in title.locations] == [(ARTICLE, 2)]


def _translated(root: Path) -> dict[str, str]:
    """Every non-empty translation of the catalog, active or obsolete."""
    cat = _read(root, TR)
    found = {m.id: m.string for m in cat if m.id and m.string}
    found.update({m.id: m.string for m in cat.obsolete.values() if m.string})
    return found


def test_update_lifecycle_loses_nothing_and_is_idempotent(project, run):
    article = project / ARTICLE
    original = article.read_text(encoding="utf-8")
    first = "The February 24, 2022, Russia-Ukraine War shook the global system"
    removed = "Relations between Russia and NATO have historically been tense and complex."
    old_tr = _translated(project)

    # change one paragraph, remove another, add a new one
    changed = original.replace(first, "The February 24, 2022, Russia-Ukraine War shook the whole global system")
    paragraph = next(p for p in changed.split("\n\n") if p.startswith(removed))
    changed = changed.replace(paragraph + "\n\n", "")
    changed = changed.replace("[^1]: “February", "A brand new paragraph.\n\n[^1]: “February", 1)
    article.write_text(changed, encoding="utf-8")
    code, _, _ = run(project, "update")
    assert code == 0

    cat = _read(project, TR)
    new_first = next(m for m in cat if m.id.startswith("The February 24, 2022, Russia-Ukraine War shook the whole"))
    assert new_first.fuzzy
    old_first = next(k for k in old_tr if k.startswith(first))
    assert new_first.previous_id == [old_first]
    assert new_first.string == old_tr[old_first]
    text = (project / TR).read_text(encoding="utf-8")
    assert "#| msgid " in text and "#~ msgid " in text
    obsolete = next(m for m in cat.obsolete.values() if m.id.startswith(removed))
    assert obsolete.string == old_tr[obsolete.id]
    assert cat["A brand new paragraph."].string == ""
    for msgid, string in old_tr.items():  # every old translation is still in the file
        assert string in _translated(project).values(), msgid

    # running it again changes nothing, byte for byte
    snapshot = {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")}
    code, _, err = run(project, "update")
    assert code == 0 and "nothing changed" in err
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")} == snapshot

    # the paragraph comes back: its obsolete translation is used again, not fuzzy
    article.write_text(original, encoding="utf-8")
    run(project, "update")
    cat = _read(project, TR)
    assert cat[obsolete.id].string == old_tr[obsolete.id]
    assert not cat[obsolete.id].fuzzy
    assert obsolete.id not in cat.obsolete


def test_update_creates_catalogs_for_every_target(project, run):
    shutil.rmtree(project / "locales" / "tr")
    (project / "content/analyses/written-in-turkish.md").write_text(
        "---\ntitle: Türkçe yazıldı\ndate: 2024-02-01\nauthor: editors\nlang: tr\nsummary: Özet.\n---\n\nMetin.\n",
        encoding="utf-8",
    )
    code, _, _ = run(project, "update")
    assert code == 0
    for rel in [TR, "locales/tr/LC_MESSAGES/messages.po", "locales/en/LC_MESSAGES/written-in-turkish.po",
                "locales/ru/LC_MESSAGES/written-in-turkish.po"]:
        assert (project / rel).exists(), rel
    assert not (project / "locales/tr/LC_MESSAGES/written-in-turkish.po").exists()
    header = (project / TR).read_text(encoding="utf-8")
    assert re.search(r'"Language: tr\\n"', header) and "Plural-Forms: nplurals=2" in header


def test_previous_msgid_survives_reading_and_writing(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: tr\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        '#. paragraph\n#: content/analyses/x.md:3\n#, fuzzy\n#| msgid "Old "\n#| "text."\n'
        'msgid "New text."\nmsgstr "Eski metin."\n',
        encoding="utf-8",
    )
    cat = catalogs.read_catalog(po, "x.po", "tr", "x")
    assert cat["New text."].previous_id == ["Old text."]
    assert cat["New text."].lineno == 11
    assert '#| msgid "Old text."' in serialize(read_po(po, "x.po"))


@pytest.mark.parametrize("lang", ["tr", "ru"])
def test_shipped_translations_are_complete(lang):
    """The published catalogs: every entry translated, none fuzzy, UI included."""
    root = Path(__file__).resolve().parent.parent
    config = load_config(root)
    for path in sorted((config.locales_dir / lang).rglob("*.po")):
        domain = path.relative_to(config.locales_dir / lang / "LC_MESSAGES").with_suffix("").as_posix()
        cat = catalogs.read_catalog(path, config.rel(path), lang, domain)
        for message in cat:
            if message.id:
                assert message.string and not message.fuzzy, (config.rel(path), message.lineno)


def test_previous_msgid_belongs_to_its_entry_only(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: tr\\n"\n\n'
        '#, fuzzy\n#| msgid "Old A"\nmsgid "A"\nmsgstr "a"\n\n'
        '#, fuzzy\nmsgid "B"\nmsgstr "b"\n\n'
        'msgid "C"\nmsgstr "c"\n\n'
        '#| msgid "Old D"\nmsgid "D"\nmsgstr "d"\n'
        'msgid "E"\nmsgstr "e"\n',
        encoding="utf-8",
    )
    cat = catalogs.read_catalog(po, "x.po", "tr", "x")
    assert [cat[x].previous_id for x in "ABCDE"] == [["Old A"], [], [], ["Old D"], []]


def test_rewritten_catalog_keeps_its_mode(tmp_path):
    path = tmp_path / "x.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: tr\\n"\n\nmsgid "A"\nmsgstr "a"\n', encoding="utf-8")
    path.chmod(0o640)
    catalogs.write_if_changed(path, path.read_bytes() + b'\nmsgid "B"\nmsgstr "b"\n')
    assert path.stat().st_mode & 0o777 == 0o640
    new = tmp_path / "new.po"
    catalogs.write_if_changed(new, b"")
    assert new.stat().st_mode & 0o777 & 0o044 == 0o044  # readable by others, as a new file is
