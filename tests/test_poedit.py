"""The one-entry PO editor (``pressroom.po.editor``): data-first edit cases, and on real
catalogs in three formats (the project's, Poedit unwrapped, msgcat wrapped) a
one-entry edit changes that entry's lines and nothing else."""

from __future__ import annotations

import difflib
import json
import os
import stat
from pathlib import Path

import pytest
from babel.messages.pofile import read_po as babel_read_po
from conftest import FIXTURES, ROOT
from markdown_it.utils import read_fixture_file

from pressroom.po import PoText, entry_key, files, write_atomic

EDITOR = FIXTURES / "editor"
CATALOGS = [
    ROOT / "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po",
    ROOT / "locales/ru/LC_MESSAGES/messages.po",
    EDITOR / "poedit-unwrapped.po",
    EDITOR / "msgcat-wrapped.po",
]


def _cases():
    return [
        pytest.param(*case[1:], id=f"edits.md:{case[0] + 1}")
        for case in read_fixture_file(EDITOR / "edits.md")
    ]


@pytest.mark.parametrize(("title", "case", "expected"), _cases())
def test_edit_cases(title, case, expected):
    first, _, po = case.partition("\n")
    edit = json.loads(first.removeprefix("=== edit "))
    text = PoText(po)
    block = text.find(edit["msgid"], edit.get("msgctxt"))
    assert block is not None, "the case edits an entry that is not there"
    got = text.replace_entry(
        block, msgstr=edit["msgstr"], fuzzy=edit.get("fuzzy", block.fuzzy), comment=edit.get("comment")
    )
    assert got == expected


def _domain(path: Path) -> str:
    return "messages" if path.stem == "messages" else path.stem


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.name)
def test_blocks_read_as_babel_reads_them(path):
    with path.open("rb") as f:
        catalog = babel_read_po(f, "tr", _domain(path))
    text = PoText(path.read_text(encoding="utf-8"))
    messages = [m for m in catalog if m.id]
    assert [(b.msgid, b.context) for b in text.entries] == [(m.id, m.context) for m in messages]
    for message in messages:
        block = text.find(message.id, message.context)
        assert block.msgstr == message.string
        assert [c.strip() for c in block.comments] == message.user_comments
        assert block.auto_comments == message.auto_comments
        assert block.msgid_line + 1 == message.lineno
        assert block.fuzzy == message.fuzzy
        assert set(block.flags) - {"python-format"} == message.flags - {"python-format"}


def _changed_lines(old: str, new: str) -> list[tuple[int, int]]:
    """``[i1, i2)`` ranges of the old text's lines a diff touches (insertions: i1 == i2)."""
    matcher = difflib.SequenceMatcher(None, old.splitlines(True), new.splitlines(True), autojunk=False)
    return [(i1, i2) for op, i1, i2, _, _ in matcher.get_opcodes() if op != "equal"]


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.name)
def test_every_one_entry_edit_touches_that_entry_only(path):
    original = path.read_text(encoding="utf-8")
    text = PoText(original)
    for block in text.entries:
        edits = [
            {"msgstr": block.msgstr + " (düzeltildi)", "fuzzy": block.fuzzy},
            {"msgstr": block.msgstr, "fuzzy": not block.fuzzy},
            {"msgstr": block.msgstr, "fuzzy": block.fuzzy, "comment": "checked\nby two"},
            {"msgstr": "Tamamen yeni bir çeviri " * 6, "fuzzy": True, "comment": ""},
        ]
        for edit in edits:
            new = text.replace_entry(block, **edit)
            changed = _changed_lines(original, new)
            assert changed, (block.msgid, edit)
            for i1, i2 in changed:
                assert block.start <= i1 <= i2 <= block.end, (path.name, block.msgid[:40], edit, changed)
            after = PoText(new)
            for old, now in zip(text.blocks, after.blocks, strict=True):
                if old is not block:
                    assert (old.msgid, old.msgstr, old.flags, old.comments) == (
                        now.msgid, now.msgstr, now.flags, now.comments)
            edited = after.find(block.msgid, block.context)
            assert edited.msgstr == edit["msgstr"] and edited.fuzzy == edit["fuzzy"]


@pytest.mark.parametrize("path", CATALOGS[:3], ids=lambda p: p.name)
def test_editing_back_restores_the_file_byte_for_byte(path):
    """The new msgstr is wrapped as the file wraps (the project's 76 columns, or not at
    all): editing an entry and editing it back gives the original bytes. (GNU's
    wrapping, msgcat's and Poedit's default, is not Babel's: there only the edited
    entry's lines may differ, as the test above shows.)"""
    original = path.read_text(encoding="utf-8")
    text = PoText(original)
    for block in text.entries:
        if not block.msgstr:
            continue
        changed = PoText(text.replace_entry(block, msgstr="x", fuzzy=block.fuzzy))
        back = changed.replace_entry(changed.find(block.msgid, block.context), msgstr=block.msgstr, fuzzy=block.fuzzy)
        assert back == original, block.msgid[:40]


def test_entry_keys_are_short_stable_and_tell_contexts_apart():
    assert entry_key("May") == entry_key("May")
    assert entry_key("May") != entry_key("May", "month")
    assert len(entry_key("x" * 1000)) == 12


def test_write_atomic_keeps_permissions_and_syncs(tmp_path, monkeypatch):
    target = tmp_path / "x.po"
    target.write_bytes(b"old")
    target.chmod(0o644)
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(files.os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert len(synced) == 2  # the file, then its directory
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]


def test_a_failed_write_leaves_the_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "x.po"
    target.write_bytes(b"old")

    def full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]
