"""Machine pre-translation (``build.py translate``), against a local LibreTranslate
double (tests/libretranslate_server.py): no internet, deep-translator driven for real."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.catalog import Message
from conftest import FIXTURES, body_document
from libretranslate_server import FakeTranslator, fake_translation
from markdown_it.utils import read_fixture_file

from pressroom import machine
from pressroom.catalogs.files import read_catalog
from pressroom.catalogs.templates import entries
from pressroom.cli import main
from pressroom.errors import Report
from pressroom.po import Entry, read_po, serialize
from pressroom.segments.body import parse_body
from pressroom.translations import DocumentTranslation, load_translations

ARTICLE = "us-role-in-nato-russia-tensions"
TR = f"locales/tr/LC_MESSAGES/{ARTICLE}.po"
BIO = "locales/tr/LC_MESSAGES/authors/zeki-talustan-gulten.po"

TITLE = "The US Role in NATO-Russia Tensions"
NOTES = "The February 24, 2022"  # a paragraph with [^1] [^2] [^3]
CITATION = "Putin Says Biden"  # a footnote with a URL


@pytest.fixture
def server():
    with FakeTranslator() as fake:
        yield fake


# -- helpers ---------------------------------------------------------------------------


def _domain(rel: str) -> str:
    return rel.split("/LC_MESSAGES/")[1].removesuffix(".po")


def read(project: Path, rel: str = TR):
    return read_catalog(project / rel, rel, rel.split("/")[1], _domain(rel))


def entry(project: Path, start: str, rel: str = TR) -> Message:
    return next(m for m in read(project, rel) if m.id.startswith(start))


def edit(project: Path, rel: str, change: Callable[[Entry], None], *starts: str) -> list[str]:
    """Apply ``change`` to the entries whose msgid starts with one of ``starts``; write
    the catalog with the project's writer. Returns their msgids."""
    po = read_po(project / rel, rel)
    picked = [e for e in po.messages if e.msgid.startswith(starts)]
    assert len(picked) == len(starts), [e.msgid[:30] for e in picked]
    for e in picked:
        change(e)
    (project / rel).write_text(serialize(po), encoding="utf-8")
    return [e.msgid for e in picked]


def blank(project: Path, rel: str, *starts: str) -> list[str]:
    return edit(project, rel, lambda e: setattr(e, "msgstr", ""), *starts)


def snapshot(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted((project / "locales").rglob("*.po"))}


def blocks(data: bytes) -> list[str]:
    return data.decode("utf-8").split("\n\n")


def assert_only_filled_changed(before: bytes, after: bytes, filled: list[str]) -> None:
    """Every entry but the filled ones is byte-for-byte what it was."""
    old, new = blocks(before), blocks(after)
    assert len(old) == len(new)
    changed = [n for o, n in zip(old, new) if o != n]
    assert len(changed) == len(filled)
    for block in changed:
        assert "#, fuzzy" in block and "# machine translation:" in block


def stamps_during(action: Callable[[], tuple[int, str, str]]) -> tuple[tuple[int, str, str], set[str]]:
    """Run the command and give the stamp comments it may have written: the day is read
    once per run, so a run across midnight writes either day, never a mix."""
    first = dt.date.today().isoformat()
    result = action()
    last = dt.date.today().isoformat()
    return result, {f"machine translation: libre, {day}" for day in (first, last)}


def libre(server: FakeTranslator, *args: str) -> tuple[str, ...]:
    return ("translate", "--lang", "tr", "--engine", "libre", "--url", server.url, *args)


def line_of(project: Path, msgid: str, rel: str = TR) -> int:
    return next(m.lineno for m in read(project, rel) if m.id == msgid)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- masking ---------------------------------------------------------------------------

_BODY_SOURCE = "x[^1][^2][^n]\n\n[^1]: One.\n\n[^2]: Two.\n\n[^n]: N.\n\n[ref]: https://r.example/x\n"


def _mask_cases():
    return [
        pytest.param(title, text.rstrip("\n"), expected.rstrip("\n").split("\n", 1), id=f"{line}-{title}")
        for line, title, text, expected in read_fixture_file(FIXTURES / "machine" / "masking.md")
    ]


@pytest.mark.parametrize(("title", "text", "expected"), _mask_cases())
def test_masking_round_trip(title, text, expected):
    body = parse_body(body_document(_BODY_SOURCE), Report())
    masked = machine.mask(text, body)
    sent = masked.render(machine.BRACKETS)
    assert sent == expected[0]
    assert machine.unmask(masked, fake_translation(sent, "tr"), machine.BRACKETS, body) == expected[1]
    for style in (machine.BRACKETS, machine.XML):  # an engine that changes nothing gives the source
        assert machine.unmask(masked, masked.render(style), style, body) == text


def test_every_shipped_entry_masks_and_restores(project):
    from pressroom.catalogs.templates import entries
    from pressroom.config import load_config
    from pressroom.project import read_project

    loaded = read_project(load_config(project), Report())
    count = 0
    for doc in loaded.content.documents:
        body = loaded.bodies[doc.path]
        for e in entries(doc, body):
            masked = machine.mask(e.msgid, body)
            assert "[^" not in masked.render(machine.BRACKETS) and "http" not in masked.render(machine.BRACKETS)
            assert machine.unmask(masked, masked.render(machine.XML), machine.XML, body) == e.msgid
            count += 1
    assert count > 40


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("tr:A tr:claim. tr:Another[X2X] [X3X]", "lost the placeholder(s) of '[^1]'"),
        ("tr:A [X1X] tr:claim.[X1X] tr:Another[X2X] [X3X]", "doubled the placeholder(s) of '[^1]'"),
        ("tr:A tr:claim.[X1X] tr:Another[X2X] [X9X]", "unknown placeholder '[X9X]'"),
        ("tr:A tr:claim.[X1X] tr:Another[X2X] [X3]", "lost the placeholder(s) of '[^n]'"),
        ("tr:A tr:claim.[X1X] tr:Another[X2X] [X3X] [^2]", "adds [^2]"),
        ("tr:A `tr:claim`.[X1X] tr:Another[X2X] [X3X]", "markup does not survive"),
    ],
)
def test_damaged_answers_are_rejected(answer, reason):
    body = parse_body(body_document(_BODY_SOURCE), Report())
    masked = machine.mask("A claim.[^1] Another[^2] [^n]", body)
    with pytest.raises(machine.Rejected, match=re.escape(reason)):
        machine.unmask(masked, answer, machine.BRACKETS, body)


def test_engines_get_their_language_codes(server):
    spec = machine.ENGINES["mymemory"]
    engine = spec.open(spec, server.url + "get", "en", "tr", 5)
    assert engine.translator.source == "en-GB" and engine.translator.target == "tr-TR"
    spec = machine.ENGINES["libre"]
    engine = spec.open(spec, server.url.rstrip("/"), "ru", "tr", 5)  # the "/" is added
    assert engine.translator._base_url == server.url
    with pytest.raises(machine.TranslateError, match="does not translate 'xx'"):
        spec.open(spec, server.url, "en", "xx", 5)


# -- the command -----------------------------------------------------------------------


def test_fills_only_untranslated_entries_fuzzy_with_a_comment(project, run, server):
    filled = blank(project, TR, TITLE, NOTES, CITATION) + blank(project, BIO, "Zeki Talustan Gülten graduated")
    edit(project, TR, lambda e: e.set_fuzzy(True), "sanctions")  # a fuzzy draft with text
    before = snapshot(project)

    (code, out, err), stamps = stamps_during(lambda: run(project, *libre(server)))

    assert code == 0, err
    assert sorted(server.texts) == sorted(
        machine.mask(m, catalogs_body(project, m)).render(machine.BRACKETS) for m in filled
    )
    written = set()
    for rel, starts in ((TR, (TITLE, NOTES, CITATION)), (BIO, ("Zeki Talustan Gülten graduated",))):
        for start in starts:
            message = entry(project, start, rel)
            assert message.string.startswith("tr:"), message.string
            assert message.fuzzy and len(message.user_comments) == 1
            written.update(message.user_comments)
    assert len(written) == 1 and written <= stamps, written
    notes = entry(project, NOTES)
    assert [notes.string.count(f"[^{n}]") for n in (1, 2, 3)] == [1, 1, 1]
    assert "https://www.reuters.com/" in entry(project, CITATION).string
    assert entry(project, "sanctions").string == "yaptırımlar"  # fuzzy with text: left alone
    after = snapshot(project)
    assert_only_filled_changed(before[TR], after[TR], [TITLE, NOTES, CITATION])
    assert_only_filled_changed(before[BIO], after[BIO], ["Zeki"])
    assert {k: v for k, v in after.items() if k not in (TR, BIO)} == {
        k: v for k, v in before.items() if k not in (TR, BIO)
    }
    assert f"{TR}: 3 translated, 0 skipped, 0 discarded" in out
    assert "\r" not in err and "entry/s" not in err  # no progress bar without a terminal
    if shutil.which("msgfmt"):
        msgfmt = ["msgfmt", "-c", "-o", "/dev/null", str(project / TR)]
        check = subprocess.run(msgfmt, check=False, capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
    published = published_translations(project)  # drafts are fuzzy: the build does not use them
    assert not set(filled) & set(published.strings) and published.fuzzy == 4

    code, out, _ = run(project, *libre(server))  # nothing left: nothing sent, nothing written
    assert code == 0 and "nothing to translate" in out
    assert len(server.requests) == 4 and snapshot(project) == after


def published_translations(project: Path) -> DocumentTranslation:
    from pressroom.config import load_config
    from pressroom.project import read_project

    config = load_config(project)
    loaded = read_project(config, Report())
    doc = next(d for d in loaded.content.documents if d.slug == ARTICLE)
    return load_translations(config, doc, loaded.bodies[doc.path], "tr", Report())


def catalogs_body(project: Path, msgid: str):
    from pressroom.config import load_config
    from pressroom.project import read_project

    loaded = read_project(load_config(project), Report())
    for doc in loaded.content.documents:
        if msgid in {e.msgid for e in entries(doc, loaded.bodies[doc.path])}:
            return loaded.bodies[doc.path]
    raise AssertionError(msgid)


def test_markup_survives_end_to_end(project, run, server):
    """Bold, code, a link and a URL go out as placeholders and come back in place."""
    source = "A **bold** claim with `code`, a [report](https://example.org/r) and https://example.org/b (noted).[^1]"

    def add(catalog_path: Path) -> None:
        po = read_po(catalog_path, TR)
        po.entries.append(Entry(source, references=[f"content/analyses/{ARTICLE}.md:99"], auto_comments=["paragraph"]))
        catalog_path.write_text(serialize(po), encoding="utf-8")

    add(project / TR)
    code, _, err = run(project, *libre(server))
    assert code == 0, err
    assert server.texts == ["A [X1X]bold[X2X] claim with [X3X], a [X4X]report[X5X] and [X6X] (noted).[X7X]"]
    assert entry(project, "A **bold**").string == (
        "tr:A **tr:bold** tr:claim tr:with `code`, tr:a [tr:report](https://example.org/r) "
        "tr:and https://example.org/b (tr:noted).[^1]"
    )


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        ("drop", "lost the placeholder(s) of '[^1]'"),
        ("duplicate", "doubled the placeholder(s) of '[^1]'"),
        ("alter", "unknown placeholder '[X99X]'"),
        ("break", "lost the placeholder(s) of '[^1]'"),
        ("footnote", "translation adds [^1]"),
    ],
)
def test_mangled_answers_are_discarded_and_reported(project, run, server, mangle, reason):
    blank(project, TR, TITLE, NOTES)
    before = (project / TR).read_bytes()
    server.mode, server.mangle = "mangled", mangle

    code, out, err = run(project, *libre(server))

    assert code == 0, err
    notes = entry(project, NOTES)
    assert notes.string == "" and not notes.fuzzy
    line = line_of(project, notes.id)
    assert f"{TR}:{line}: warning: machine translation discarded: " in err
    assert reason in err.split(f"{TR}:{line}: ")[1].splitlines()[0]
    title = entry(project, TITLE)
    if mangle == "footnote":  # even a text without placeholders gets a footnote added
        assert title.string == "" and f"{TR}: 0 translated, 0 skipped, 2 discarded" in out
    else:
        assert title.string.startswith("tr:") and f"{TR}: 1 translated, 0 skipped, 1 discarded" in out
        assert_only_filled_changed(before, (project / TR).read_bytes(), [TITLE])


def test_timeout_really_times_out(project, run, server):
    blank(project, TR, TITLE, NOTES)
    before = snapshot(project)
    server.mode, server.delay = "slow", 10

    started = time.monotonic()
    code, _, err = run(project, *libre(server, "--timeout", "0.3"))

    assert time.monotonic() - started < 3
    assert code == 1
    assert f"error: libre at {server.url} did not answer within 0.3 s" in err
    assert len(server.requests) == 1  # a timeout is not retried
    assert snapshot(project) == before


@pytest.mark.parametrize("engine", ["libre", "google", "mymemory"])
def test_rate_limited_then_success(project, run, server, engine):
    blank(project, TR, TITLE, NOTES)
    server.mode, server.fail_first, server.retry_after = "rate-limited", 2, "0"
    url = server.url + {"libre": "", "google": "m", "mymemory": "get"}[engine]

    code, out, err = run(project, "translate", "--lang", "tr", "--engine", engine, "--url", url, "--retries", "2")

    assert code == 0, err
    assert len(server.requests) == 4  # 429, 429, then both entries
    assert server.texts[0] == server.texts[1] == server.texts[2]
    assert entry(project, TITLE).string == "tr:The tr:US tr:Role tr:in tr:NATO-tr:Russia tr:Tensions"
    assert entry(project, NOTES).string.startswith("tr:The tr:February 24, 2022,")
    assert f"{TR}: 2 translated" in out


def test_backoff_doubles_and_gives_up(server):
    """Without Retry-After the waits double; after the last retry the run stops."""
    spec = machine.ENGINES["libre"]
    server.mode, server.fail_first = "rate-limited", 2
    tries = machine.Machine(spec.open(spec, server.url, "en", "tr", 5), retries=3, backoff=0.01)
    assert tries.translate("Hello") == "tr:Hello"
    assert tries.waits == [0.01, 0.02]

    server.mode = "error"
    tries = machine.Machine(spec.open(spec, server.url, "en", "tr", 5), retries=2, backoff=0.01)
    with pytest.raises(machine.TranslateError, match=r"HTTP 500 \(Internal Server Error\); gave up after 3 attempt"):
        tries.translate("Hello")
    assert tries.waits == [0.01, 0.02]
    assert len(server.requests) == 3 + 3


def test_server_errors_give_up_after_bounded_retries(project, run, server):
    blank(project, TR, TITLE, NOTES)
    before = snapshot(project)
    server.mode, server.status, server.retry_after = "error", 503, "0"

    code, out, err = run(project, *libre(server, "--retries", "2"))

    assert code == 1
    assert len(server.requests) == 3
    assert f"error: libre at {server.url}: HTTP 503 (Internal Server Error); gave up after 3 attempt(s)" in err
    assert "0 machine draft(s) saved" in err and f"{TR}: 0 translated, 0 skipped, 0 discarded, 2 not reached" in out
    assert snapshot(project) == before


def test_failure_mid_run_keeps_what_was_saved_and_resumes(project, run, server):
    filled = blank(project, TR, TITLE, "Russia cited", NOTES, CITATION)
    server.mode, server.ok_count = "fail-after", 2

    code, out, err = run(project, *libre(server, "--retries", "0"))

    assert code == 1 and "2 machine draft(s) saved" in err
    done = [m for m in read(project) if m.id in filled and m.string]  # the file is valid
    assert len(done) == 2 and all(m.fuzzy for m in done)
    assert f"{TR}: 2 translated, 0 skipped, 0 discarded, 2 not reached" in out

    server.mode = "normal"
    code, out, err = run(project, *libre(server))
    assert code == 0, err
    assert len(server.requests) == 3 + 2  # the saved ones are not sent again
    assert all(entry(project, m[:20]).string.startswith("tr:") for m in filled)


def test_ctrl_c_keeps_what_was_saved(project, run, server):
    blank(project, TR, TITLE, NOTES, CITATION)
    server.mode, server.ok_count = "interrupt-after", 1

    code, _, err = run(project, *libre(server))

    assert code == 130
    assert "interrupted: 1 machine draft(s) saved" in err
    assert [bool(entry(project, s).string) for s in (TITLE, NOTES, CITATION)] == [True, False, False]


def test_a_catalog_changed_during_the_run_is_not_overwritten(project, run, server):
    blank(project, TR, TITLE, NOTES)

    def translator_saves(number: int) -> None:
        if number == 2:
            with (project / TR).open("a", encoding="utf-8") as f:
                f.write("\n# saved by Poedit meanwhile\n")

    server.hook = translator_saves
    code, _, err = run(project, *libre(server))

    assert code == 1
    assert f"{TR}: error: changed on disk during the run: stopped without overwriting it" in err
    text = (project / TR).read_text(encoding="utf-8")
    assert text.endswith("# saved by Poedit meanwhile\n") and "machine translation: libre" in text


def test_offline_gives_a_clear_error(project, run):
    blank(project, TR, TITLE)
    before = snapshot(project)
    url = f"http://127.0.0.1:{free_port()}/"

    code, _, err = run(project, "translate", "--lang", "tr", "--engine", "libre", "--url", url)

    assert code == 1
    assert f"error: cannot reach libre at {url}: connection refused" in err
    assert snapshot(project) == before


def test_dry_run_sends_and_writes_nothing(project, run, server):
    blank(project, TR, TITLE, NOTES)
    blank(project, BIO, "Zeki Talustan Gülten graduated")
    before = snapshot(project)

    code, out, _ = run(project, *libre(server, "--dry-run"))

    assert code == 0
    assert server.requests == []
    assert snapshot(project) == before
    notes = machine.mask(entry(project, NOTES).id, catalogs_body(project, entry(project, NOTES).id))
    chars = len(TITLE) + len(notes.render(machine.BRACKETS))
    assert f"{TR}: 2 entries, {chars:,} characters (en -> tr)" in out
    assert f"{BIO}: 1 entries" in out
    assert "nothing sent, nothing written" in out


def test_entries_over_the_engine_limit_are_skipped_not_cut(project, run, server):
    long = next(m.id for m in read(project) if len(m.id.encode()) > 500)
    blank(project, TR, TITLE, long[:30])

    code, out, err = run(project, "translate", "--lang", "tr", "--engine", "mymemory", "--url", server.url + "get")

    assert code == 0, err
    assert [r["langpair"] for r in server.requests] == ["en-GB|tr-TR"]
    assert entry(project, long[:30]).string == ""
    assert f"{TR}:{line_of(project, long)}: warning: not sent: " in err and "over mymemory's limit of 500" in err
    assert f"{TR}: 1 translated, 1 skipped, 0 discarded" in out


def test_only_the_named_documents(project, run, server):
    blank(project, TR, TITLE)
    blank(project, BIO, "Zeki Talustan Gülten graduated")

    code, _, err = run(project, *libre(server, "zeki-talustan-gulten"))

    assert code == 0, err
    assert entry(project, TITLE).string == ""
    assert entry(project, "Zeki Talustan Gülten graduated", BIO).string.startswith("tr:")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("--lang", "de"), 2, "unknown language de"),
        (("--lang", "tr", "no-such-slug"), 2, "no such document: no-such-slug"),
        (("--lang", "en", ARTICLE), 2, "is written in en"),
        (("--lang", "tr", "--engine", "deepl"), 1, "needs an API key in DEEPL_AUTH_KEY"),
        (("--lang", "tr", "--engine", "libre"), 1, "needs an API key in LIBRE_API_KEY"),
    ],
)
def test_usage_errors(project, run, monkeypatch, args, code, message):
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    monkeypatch.delenv("LIBRE_API_KEY", raising=False)
    blank(project, TR, TITLE)
    status, _, err = run(project, "translate", *args)
    assert status == code and message in err


def test_deepl_through_its_sdk(project, run, server, monkeypatch):
    pytest.importorskip("deepl")
    monkeypatch.setenv("DEEPL_AUTH_KEY", "test-key:fx")
    blank(project, TR, NOTES)

    code, _, err = run(project, "translate", "--lang", "tr", "--engine", "deepl", "--url", server.url)

    assert code == 0, err
    (request,) = server.requests
    assert request["path"] == "/v2/translate" and request["target_lang"] == "TR"
    assert request["tag_handling"] == "xml" and '<x id="1"></x>' in request["text"]
    assert entry(project, NOTES).string.startswith("tr:The tr:February")


def test_deepl_without_its_sdk(project, run, monkeypatch):
    monkeypatch.setitem(sys.modules, "deepl", None)  # as if not installed
    monkeypatch.setenv("DEEPL_AUTH_KEY", "test-key:fx")
    blank(project, TR, TITLE)
    code, _, err = run(project, "translate", "--lang", "tr", "--engine", "deepl")
    assert code == 1 and "pip install 'pressroom[deepl]'" in err


def test_previous_msgids_and_obsolete_entries_survive(project, run, server):
    """Entries with ``#|`` and obsolete entries are written back exactly."""
    po = read_po(project / TR, TR)
    fuzzy = next(e for e in po.messages if e.msgid.startswith("sanctions"))
    fuzzy.set_fuzzy(True)
    fuzzy.previous = "sanction"
    po.entries.append(Entry("Gone", "Gitti", obsolete=True))
    po.find(TITLE).msgstr = ""
    (project / TR).write_text(serialize(po), encoding="utf-8")
    before = (project / TR).read_bytes()
    assert b'#| msgid "sanction"' in before and b'#~ msgid "Gone"' in before

    code, _, err = run(project, *libre(server))

    assert code == 0, err
    after = (project / TR).read_bytes()
    assert after.count(b"#| msgid") == 1
    assert_only_filled_changed(before, after, [TITLE])


def _written_by(project: Path, rel: str, tool: str) -> None:
    """Rewrite a catalog as ``tool`` writes catalogs (the real tool, on the real file)."""
    path = project / rel
    pot = project / "locales" / "templates" / f"{_domain(rel)}.pot"
    command = {
        "pybabel update": [sys.executable, "-m", "babel.messages.frontend", "-q", "update", "-i", str(pot),
                           "-o", str(path), "-l", "tr", "--no-fuzzy-matching"],
        "msgmerge": ["msgmerge", "-q", "--previous", "--no-fuzzy-matching", "-o", str(path), str(path), str(pot)],
        "Poedit (msgcat --no-wrap)": ["msgcat", "--no-wrap", "-o", str(path), str(path)],
    }.get(tool)
    if command is not None:
        subprocess.run(command, check=True, capture_output=True)
    elif tool == "Weblate (translate-toolkit)":
        from translate.storage.po import pofile

        path.write_bytes(bytes(pofile(path.read_bytes())))
    else:
        assert tool == "this project", tool


@pytest.mark.parametrize(
    "tool", ["this project", "pybabel update", "msgmerge", "Poedit (msgcat --no-wrap)", "Weblate (translate-toolkit)"]
)
def test_fills_a_catalog_whoever_wrote_it(project, run, server, tool):
    """The same fill on the same catalog in each tool's serialization: only the filled
    entries change, every other byte stays, and the file stays valid for msgfmt."""
    blank(project, TR, TITLE, NOTES, CITATION)
    ours = (project / TR).read_bytes()
    _written_by(project, TR, tool)
    before = (project / TR).read_bytes()
    assert (before != ours) == (tool != "this project"), "the tool writes its own way"

    (code, out, err), stamps = stamps_during(lambda: run(project, *libre(server)))

    assert code == 0, err
    assert f"{TR}: 3 translated, 0 skipped, 0 discarded" in out
    after = (project / TR).read_bytes()
    assert_only_filled_changed(before, after, [TITLE, NOTES, CITATION])
    written = set()
    for start in (TITLE, NOTES, CITATION):
        message = entry(project, start)
        assert message.string.startswith("tr:") and message.fuzzy
        assert len(message.user_comments) == 1
        written.update(message.user_comments)
    assert len(written) == 1 and written <= stamps, written
    check = subprocess.run(["msgfmt", "-o", "/dev/null", str(project / TR)], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only(project, server, monkeypatch):
    blank(project, TR, TITLE, NOTES)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(list(libre(server)), project=project) == 0
    assert "2/2" in terminal.getvalue() and "\r" in terminal.getvalue()
