"""Catalogs, Babel's way: templates, the pybabel entry point, update, msgfmt -c."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pressroom.catalogs.files import read_catalog
from pressroom.config import load_config
from pressroom.po import read_po, serialize, write_if_changed

ARTICLE = "content/analyses/us-role-in-nato-russia-tensions.md"
POT = "locales/templates/us-role-in-nato-russia-tensions.pot"
TR = "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po"


def _read(root: Path, rel: str, locale: str | None = "tr"):
    domain = Path(rel).stem
    return read_catalog(root / rel, rel, locale, domain)


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
    cat = read_catalog(po, "x.po", "tr", "x")
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
        cat = read_catalog(path, config.rel(path), lang, domain)
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
    cat = read_catalog(po, "x.po", "tr", "x")
    assert [cat[x].previous_id for x in "ABCDE"] == [["Old A"], [], [], ["Old D"], []]


def test_rewritten_catalog_keeps_its_mode(tmp_path):
    path = tmp_path / "x.po"
    path.write_text('msgid ""\nmsgstr ""\n"Language: tr\\n"\n\nmsgid "A"\nmsgstr "a"\n', encoding="utf-8")
    path.chmod(0o640)
    write_if_changed(path, path.read_bytes() + b'\nmsgid "B"\nmsgstr "b"\n')
    assert path.stat().st_mode & 0o777 == 0o640
    new = tmp_path / "new.po"
    write_if_changed(new, b"")
    assert new.stat().st_mode & 0o777 & 0o044 == 0o044  # readable by others, as a new file is


# -- catalog bytes and catalog inputs (every command) ------------------------------------


def test_update_is_a_no_op_whatever_babel_version(project, run, monkeypatch):
    """Catalog bytes never depend on the installed Babel: with another version, update
    on an unchanged project writes nothing; templates it creates say Pressroom made them."""
    import babel
    import babel.messages.catalog

    monkeypatch.setattr(babel, "__version__", "9.99.0")
    monkeypatch.setattr(babel.messages.catalog, "VERSION", "9.99.0")
    snapshot = {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")}
    code, _, err = run(project, "update")
    assert code == 0 and "nothing changed" in err
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")} == snapshot
    (project / POT).unlink()
    shutil.rmtree(project / "locales" / "ru")
    assert run(project, "update")[0] == 0
    for path in [project / POT, *(project / "locales" / "ru").rglob("*.po")]:
        text = path.read_text(encoding="utf-8")
        assert '"Generated-By: Pressroom\\n"' in text and "9.99" not in text, path


def test_update_removes_the_temporary_files_an_interrupted_run_left(project, run):
    """Only our pattern, and only files older than the run: a newer one may be another
    run's file being written."""
    folder = project / "locales" / "tr" / "LC_MESSAGES"
    stale = [folder / ".messages.po.a1b2c3d4.tmp", project / "locales/templates/.messages.pot.x_y9z0k1.tmp"]
    newer = folder / ".messages.po.zzzzzzzz.tmp"
    others = [folder / "notes.tmp", folder / ".messages.po.tmp", folder / ".messages.po.a1b2c3d4.bak"]
    for path in [*stale, newer, *others]:
        path.write_text("partial", encoding="utf-8")
    for path in [*stale, *others]:
        os.utime(path, (1_000_000_000, 1_000_000_000))  # 2001
    future = time.time() + 3600
    os.utime(newer, (future, future))

    code, _, _ = run(project, "update")

    assert code == 0
    assert not any(p.exists() for p in stale)
    assert newer.exists() and all(p.exists() for p in others)


BAD_CATALOGS = sorted((Path(__file__).parent / "fixtures" / "bad").glob("bad.catalog-*.po"))
COMMANDS = {
    "build": ("build", "--no-pdf"),
    "check": ("check",),
    "update": ("update",),
    "stats": ("stats",),
    "translate": ("translate", "--lang", "tr", "--dry-run"),
}


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
def test_every_command_reports_a_bad_catalog_with_its_line(project, run, command):
    """Each catalog of the bad.* corpus, in every command that reads catalogs: the
    error with path and line, exit 1, no traceback, the catalog untouched."""
    for case in BAD_CATALOGS:
        line, message = re.search(r"expect: (\d+|-): (.+)$", case.read_text(encoding="utf-8", errors="replace"),
                                  re.MULTILINE).groups()
        shutil.copyfile(case, project / TR)
        code, out, err = run(project, *COMMANDS[command])
        where = TR if line == "-" else f"{TR}:{line}"
        assert code == 1, (case.name, out, err)
        assert f"{where}: error: {message}" in out + err, (case.name, out, err)  # check reports on stdout
        assert "Traceback" not in err
        assert (project / TR).read_bytes() == case.read_bytes(), case.name


@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
def test_a_catalog_path_that_is_a_directory_is_an_error(project, run, command):
    (project / TR).unlink()
    (project / TR).mkdir()
    code, out, err = run(project, *COMMANDS[command])
    assert code == 1
    assert f"{TR}: error: not a catalog: this path is a directory" in out + err, (out, err)
    assert (project / TR).is_dir()


@pytest.mark.parametrize("command", COMMANDS, ids=list(COMMANDS))
def test_a_byte_order_mark_is_accepted_and_kept(project, run, command):
    original = (project / TR).read_bytes()
    (project / TR).write_bytes(b"\xef\xbb\xbf" + original)
    code, _, err = run(project, *COMMANDS[command])
    assert code == 0, err
    assert (project / TR).read_bytes() == b"\xef\xbb\xbf" + original


def test_each_language_gets_its_own_fuzzy_drafts(project, run):
    """One template serves every language of a document: a fuzzy draft in one
    catalog must not leak into the next (the Turkish draft was written into the
    Russian catalog, fuzzy, and the Russian translation left obsolete)."""
    first = "The February 24, 2022, Russia-Ukraine War shook the global system"
    old = {lang: next(m for m in _read(project, f"locales/{lang}/LC_MESSAGES/{Path(TR).name}", lang)
                      if m.id.startswith(first)) for lang in ("tr", "ru")}
    article = project / ARTICLE
    article.write_text(article.read_text(encoding="utf-8").replace(first, first + " deeply"), encoding="utf-8")

    assert run(project, "update")[0] == 0

    for lang, before in old.items():
        catalog = _read(project, f"locales/{lang}/LC_MESSAGES/{Path(TR).name}", lang)
        draft = next(m for m in catalog if m.id.startswith(first + " deeply"))
        assert draft.fuzzy and draft.string == before.string, lang
        assert draft.previous_id == [before.id]
        assert before.id not in catalog.obsolete, lang  # consumed by its draft
