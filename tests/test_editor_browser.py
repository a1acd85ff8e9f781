"""The editor end to end, in a real headless Chromium (Debian's ``chromium``, driven by
Playwright): the real server (uvicorn) on 127.0.0.1 against a copy of the project.

A translator opens the editor, translates an entry, sees the preview change and the
site rebuilt, and the catalog on disk changes by exactly that entry; two translators
on one entry get a conflict; a failed save keeps the text; markup stays text.

The README's pictures are taken here: ``PRESSROOM_SCREENSHOTS=1`` writes them to
docs/ (otherwise they go to a temporary directory, so a test run changes no file).

Also what a translator sees of the editor's defences: a text it cannot save, the site's
build status after a failed build, a token URL that stays on the server, the editor on
another loopback address, an author's new name in the preview.
"""

from __future__ import annotations

import errno
import os
import re
import socket
import threading
import time
from pathlib import Path
from typing import Self

import pytest
import uvicorn
from conftest import ROOT, copy_project
from libretranslate_server import FakeTranslator
from playwright.sync_api import Browser, Page, expect
from test_editor_api import (
    ARTICLE,
    NOTES,
    TAG,
    TITLE,
    TR,
    edit_entry,
    one_entry_diff,
    prepare,
    shipped,
)
from test_editor_server import Serve

from pressroom.cli import main
from pressroom.config import load_config
from pressroom.editor import Drafts, Security, Settings, create_app
from pressroom.editor import store as store_module
from pressroom.po import PoText, entry_key

pytestmark = pytest.mark.browser

OTHER = "how-nato-should-refine-its-russia-policy"
SCRIPT = '<script>window.pwned = 1</script>'
EDITOR_URL = f"/edit/tr/{ARTICLE}"


class Server:
    """The editor's app under uvicorn in a thread, on a free port of 127.0.0.1."""

    def __init__(self, root: Path, drafts: Drafts, tokens: dict[str, str | None] | None = None):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        hosts = frozenset({f"127.0.0.1:{self.port}"})
        security = Security(tokens=tokens or {}, hosts=hosts, port=self.port)
        settings = Settings(security=security, drafts=drafts, pdf=False)
        self.app = create_app(load_config(root), settings)
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def rebuilder(self):
        return self.app.state.editor.rebuilder

    def __enter__(self) -> Self:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        assert self.rebuilder.wait_idle(60), "the first build did not finish"
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("browser") / "project")
    source = root / f"content/analyses/{OTHER}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.rstrip("\n") + f"\n\nA hostile {SCRIPT} paragraph.\n", encoding="utf-8")
    assert main(["update"], project=root) == 0
    prepare(root)
    return root


@pytest.fixture(scope="module")
def server(project):
    with FakeTranslator() as fake, Server(project, Drafts("libre", fake.url)) as server:
        yield server


@pytest.fixture
def page(browser: Browser, server: Server):
    # bypass_csp: escaping alone must keep markup inert (the CSP is tested on its own).
    context = browser.new_context(viewport={"width": 1500, "height": 940}, base_url=server.url, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}") or dialog.dismiss())
    yield page
    context.close()
    assert errors == []


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where the README's pictures go."""
    return ROOT / "docs" if os.environ.get("PRESSROOM_SCREENSHOTS") else tmp_path_factory.mktemp("shots")


def open_catalog(page: Page, url: str = EDITOR_URL) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready]")


def card(page: Page, msgid: str):
    return page.locator(f"#entry-{entry_key(msgid)}")


def preview_block(page: Page, msgid: str):
    return page.frame_locator(".preview-frame").locator(f'[data-entry="{entry_key(msgid)}"]')


def preview_loads(page: Page) -> int:
    return int(page.locator(".preview-frame").get_attribute("data-loads") or 0)


def msgstr_on_disk(project: Path, msgid: str) -> str:
    return PoText((project / TR).read_text(encoding="utf-8")).find(msgid).msgstr


# -- the tests ---------------------------------------------------------------------------


def test_dashboard_shows_progress(page: Page, shots: Path):
    page.goto("/edit/")
    row = page.locator("tr", has_text="The US Role in NATO-Russia Tensions")
    expect(row.locator(".pct").first).to_have_text("92%")
    expect(row.locator(".count.untranslated")).to_have_text("2 untranslated")
    expect(row.locator(".count.fuzzy")).to_have_text("1 fuzzy")
    expect(page.locator("#site-status")).to_contain_text("Site up to date")
    page.screenshot(path=str(shots / "editor-dashboard.png"))
    row.locator(".count.untranslated").click()
    page.wait_for_selector("body[data-ready]")
    expect(page.locator("article.entry:visible")).to_have_count(2)


def entry_msgid(project: Path, start: str) -> str:
    return next(b.msgid for b in PoText((project / TR).read_text(encoding="utf-8")).entries if b.msgid.startswith(start))


def has_class(name: str) -> re.Pattern[str]:
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def test_translate_an_entry_see_the_preview_and_the_site_change(page: Page, server: Server, project: Path,
                                                                shots: Path):
    paragraph, title = entry_msgid(project, NOTES), entry_msgid(project, TITLE)
    before = (project / TR).read_text(encoding="utf-8")
    translation = shipped(paragraph)
    open_catalog(page)
    entry = card(page, paragraph)
    expect(entry).to_have_attribute("data-state", "untranslated")
    block = preview_block(page, paragraph)
    expect(block).to_have_class(has_class("pr-untranslated"))
    expect(preview_block(page, title)).to_have_class(has_class("pr-fuzzy"))

    # Typing: the checks run and the preview shows the draft, before any save.
    box = entry.locator("textarea.translation")
    box.click()
    expect(block).to_have_class(has_class("pr-current"))
    box.fill(translation.replace("[^3]", ""))
    expect(entry.locator(".findings li.error")).to_contain_text("drops [^3]")
    expect(block).to_have_class(has_class("pr-draft"))
    expect(block).to_contain_text(translation[:30])
    page.screenshot(path=str(shots / "editor.png"))
    box.fill(translation)
    expect(entry.locator(".findings li")).to_have_count(0)
    assert (project / TR).read_text(encoding="utf-8") == before  # nothing saved yet

    # Ctrl+Enter: saved, the preview reloads from disk, the next entry needing work is focused.
    loads = preview_loads(page)
    builds = server.rebuilder.status["builds"]
    box.press("Control+Enter")
    expect(entry.locator(".entry-status")).to_have_text("Saved")
    expect(entry).to_have_attribute("data-state", "translated")
    expect(card(page, title).locator("textarea.translation")).to_be_focused()
    expect(page.locator(".preview-frame")).not_to_have_attribute("data-loads", str(loads))
    block = preview_block(page, paragraph)
    expect(block).to_have_class(has_class("pr-translated"))
    expect(block).not_to_have_class(has_class("untranslated"))
    expect(block).to_contain_text(translation[:30])
    entry.click()  # the edited paragraph is highlighted in the preview
    expect(block).to_have_class(has_class("pr-current"))
    page.frame(url=re.compile("/edit/preview/")).evaluate("window.scrollTo(0, 0)")  # the fuzzy title too
    page.locator(".preview-pane").screenshot(path=str(shots / "editor-preview.png"))

    after = (project / TR).read_text(encoding="utf-8")
    assert one_entry_diff(before, after, paragraph)
    assert PoText(after).find(paragraph).msgstr == translation

    # The site is rebuilt: a reload of the published page shows the translation.
    deadline = time.monotonic() + 30
    while server.rebuilder.status["builds"] == builds and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.rebuilder.wait_idle(60)
    site = page.context.new_page()
    site.goto(f"/tr/analyses/{ARTICLE}/")
    expect(site.locator(".analysis-body")).to_contain_text(translation[:30])
    site.close()


def test_two_translators_on_one_entry_get_a_conflict(browser: Browser, server: Server, project: Path):
    pages = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=server.url)
        pages.append(context.new_page())
    first, second = pages
    for page in pages:
        open_catalog(page)
    mine, theirs = (card(p, TAG) for p in (second, first))
    mine.locator("textarea.translation").fill("K. Kore")  # the second translator is typing…
    theirs.locator("textarea.translation").fill("Kuzey Kore")
    theirs.locator("button.save").click()  # …when the first one saves
    expect(theirs.locator(".entry-status")).to_have_text("Saved")
    mine.locator("button.save").click()
    conflict = mine.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".theirs .version-text")).to_have_text("Kuzey Kore")
    expect(conflict.locator(".yours .version-text")).to_have_text("K. Kore")
    expect(mine.locator("textarea.translation")).to_have_value("K. Kore")  # nothing lost
    assert msgstr_on_disk(project, TAG) == "Kuzey Kore"  # nothing overwritten
    conflict.locator("button.use-theirs").click()
    expect(mine.locator("textarea.translation")).to_have_value("Kuzey Kore")
    expect(conflict).to_be_hidden()
    for page in pages:
        page.context.close()


def test_a_failed_save_says_so_and_keeps_the_text(page: Page, project: Path, monkeypatch):
    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module, "write_atomic", full)
    msgid = entry_msgid(project, "United States")
    before = (project / TR).read_bytes()
    open_catalog(page)
    entry = card(page, msgid)
    box = entry.locator("textarea.translation")
    box.fill("ABD")
    box.press("Control+Enter")
    expect(entry.locator(".entry-status")).to_contain_text("Not saved")
    expect(entry.locator(".entry-status")).to_contain_text("No space left on device")
    expect(box).to_have_value("ABD")
    expect(box).to_be_focused()
    expect(entry).to_have_class(has_class("dirty"))
    assert (project / TR).read_bytes() == before


def test_suggest_fills_a_fuzzy_machine_draft(page: Page, project: Path):
    msgid = entry_msgid(project, "sanctions")
    open_catalog(page)
    entry = card(page, msgid)
    entry.locator("button.suggest").click()
    expect(entry.locator("textarea.translation")).to_have_value("tr:sanctions")
    expect(entry.locator("input.fuzzy")).to_be_checked()
    expect(entry.locator("textarea.comment-box")).to_have_value(re.compile(r"^machine translation: libre, "))
    expect(entry.locator(".entry-status")).to_contain_text("marked fuzzy")
    assert msgstr_on_disk(project, msgid) == "yaptırımlar"  # a draft, not saved


def test_filters_search_and_keyboard(page: Page, project: Path):
    open_catalog(page)
    page.locator(".chip.untranslated").click()
    expect(page.locator("article.entry:visible")).to_have_count(
        int(page.locator(".chip.untranslated .n").inner_text()))
    page.locator(".chip.fuzzy").click()
    expect(page.locator("article.entry:visible")).to_have_count(1)
    page.locator(".chip.all").click()
    page.locator("input.search").fill("pyongyang")
    expect(page).to_have_url(re.compile(r"\?q=pyongyang$"))
    texts = page.locator("article.entry:visible").evaluate_all(
        "cards => cards.map(c => c.querySelector('.raw, .rendered-source').textContent"
        " + c.querySelector('textarea.translation').value)")
    assert texts and all("pyongyang" in text.lower() for text in texts)
    page.locator("input.search").fill("")
    expect(page).not_to_have_url(re.compile(r"q="))
    expect(page.locator("article.entry:visible")).to_have_count(page.locator("article.entry").count())
    first, second = page.locator("article.entry").nth(0), page.locator("article.entry").nth(1)
    first.locator("textarea.translation").focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(second.locator("textarea.translation")).to_be_focused()
    page.keyboard.press("Alt+ArrowUp")
    expect(first.locator("textarea.translation")).to_be_focused()


def test_a_change_on_disk_shows_without_a_reload(page: Page, project: Path):
    msgid = entry_msgid(project, "Russia")
    open_catalog(page)
    edit_entry(project, TR, "Russia", msgstr="Rusya (git pull)")
    expect(card(page, msgid).locator("textarea.translation")).to_have_value("Rusya (git pull)", timeout=10_000)


def test_markup_in_source_and_translation_stays_text(page: Page, project: Path):
    open_catalog(page, f"/edit/tr/{OTHER}")
    entry = page.locator("article.entry", has_text="A hostile")
    expect(entry.locator(".rendered-source")).to_contain_text(SCRIPT)
    box = entry.locator("textarea.translation")
    box.fill(f"Düşmanca {SCRIPT} <img src=x onerror=window.pwned=2> paragraf.")
    draft = page.frame_locator(".preview-frame").locator(f'[data-entry="{entry.get_attribute("data-key")}"]')
    expect(draft).to_have_class(has_class("pr-draft"))
    expect(draft).to_contain_text("<img src=x onerror=window.pwned=2>")
    box.press("Control+Enter")
    expect(entry.locator(".entry-status")).to_have_text(re.compile("Saved"))
    frame = page.frame_locator(".preview-frame")
    expect(frame.locator("body")).to_contain_text(f"Düşmanca {SCRIPT}")
    assert page.locator(".entries script, .entries img").count() == 0
    assert frame.locator(".analysis-body script, .analysis-body img").count() == 0
    assert page.evaluate("window.pwned") is None
    assert page.evaluate("document.querySelector('.preview-frame').contentWindow.pwned") is None


# -- what a translator sees of the editor's defences --------------------------------------


def test_a_text_with_a_control_character_is_not_saved_and_stays(page: Page, project: Path):
    msgid = entry_msgid(project, "United States")
    before = (project / TR).read_bytes()
    open_catalog(page)
    entry = card(page, msgid)
    box = entry.locator("textarea.translation")
    box.fill("ABD ve AB\u0007")  # a bell, pasted from a terminal
    expect(entry.locator(".findings li.error")).to_contain_text("control character (U+0007, character 10)")
    box.press("Control+Enter")
    expect(entry.locator(".entry-status")).to_contain_text("Not saved: msgstr holds a control character (U+0007")
    expect(box).to_have_value("ABD ve AB\u0007")
    expect(entry).to_have_class(has_class("dirty"))
    assert (project / TR).read_bytes() == before


def test_a_text_over_the_size_limit_is_not_saved_and_stays(page: Page, project: Path):
    msgid = entry_msgid(project, "United States")
    before = (project / TR).read_bytes()
    open_catalog(page)
    entry = card(page, msgid)
    box = entry.locator("textarea.translation")
    huge = "Ukrayna " * 40_000  # 320 kB
    box.fill(huge)
    box.press("Control+Enter")
    expect(entry.locator(".entry-status")).to_contain_text("Not saved: the request body is too large")
    expect(entry.locator(".entry-status")).to_contain_text("at most 256 kB")
    assert box.input_value() == huge
    assert (project / TR).read_bytes() == before


@pytest.fixture
def own_project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "own")


def test_the_top_bar_shows_a_failed_build_and_then_the_fixed_one(browser: Browser, own_project: Path):
    source = own_project / f"content/analyses/{ARTICLE}.md"
    good = source.read_text(encoding="utf-8")
    with FakeTranslator() as fake, Server(own_project, Drafts("libre", fake.url)) as server:
        context = browser.new_context(base_url=server.url)
        page = context.new_page()
        page.goto("/edit/")
        status = page.locator("#site-status")
        expect(status).to_contain_text("Site up to date")

        source.write_text(good + "\nOne note nobody wrote.[^missing-1] Another.[^missing-2]\n", encoding="utf-8")
        expect(status).to_contain_text("Site build failed (2 errors)", timeout=60_000)
        assert "missing-1" in status.get_attribute("title") and "missing-2" in status.get_attribute("title")

        source.write_text(good + "\n[^unused-1]: Never called.\n\n[^unused-2]: Nor this.\n", encoding="utf-8")
        expect(status).to_contain_text(re.compile(r"Site up to date · .* · 2 warnings"), timeout=60_000)
        assert "unused-1" in status.get_attribute("title") and "unused-2" in status.get_attribute("title")
        context.close()


def test_the_preview_shows_an_authors_new_name(page: Page, project: Path):
    author = project / "content/authors/zeki-talustan-gulten.md"
    text = author.read_text(encoding="utf-8")
    open_catalog(page)
    box = page.frame_locator(".preview-frame").locator(".author-box")
    expect(box).to_contain_text("Zeki Talustan Gülten")
    try:
        author.write_text(text.replace("name: Zeki Talustan Gülten", "name: Zeki T. Gülten"), encoding="utf-8")
        page.reload()
        page.wait_for_selector("body[data-ready]")
        expect(box).to_contain_text("Zeki T. Gülten")
    finally:
        author.write_text(text, encoding="utf-8")


def test_a_token_url_with_a_protocol_relative_path_stays_on_this_server(browser: Browser, own_project: Path):
    with FakeTranslator() as fake, Server(own_project, Drafts("libre", fake.url), {"the-token": None}) as server:
        context = browser.new_context()
        page = context.new_page()
        for path in ("//evil.example/x", "/\\evil.example/x", "/%2F%2Fevil.example/x"):
            response = page.goto(f"{server.url}{path}?token=the-token")
            assert page.url.startswith(f"{server.url}/"), (path, page.url)
            assert response.status == 404 and "error" in response.json()
        page.goto(f"{server.url}/edit/?token=the-token")
        assert page.url == f"{server.url}/edit/"
        expect(page.locator("#site-status")).to_contain_text("Site")
        context.close()


@pytest.mark.slow
def test_the_editor_opens_at_its_printed_url_on_another_loopback_address(browser: Browser, own_project: Path):
    with Serve(own_project, "--host", "127.0.0.2") as serve:
        assert serve.url.startswith("http://127.0.0.2:")
        context = browser.new_context()
        page = context.new_page()
        response = page.goto(f"{serve.url}/edit/")
        assert response.status == 200
        expect(page.locator("tr", has_text="The US Role in NATO-Russia Tensions")).to_be_visible()
        context.close()


def test_memory_matches_of_the_current_entry_one_key_to_use(browser: Browser, own_project: Path):
    rel = f"locales/tr/LC_MESSAGES/{OTHER}.po"
    po = PoText((own_project / rel).read_text(encoding="utf-8"), rel)
    other = next(e for e in po.entries if len(e.msgid.split()) > 12 and "[^" not in e.msgid and e.msgstr
                 and not e.fuzzy)
    words = other.msgid.split()
    revised = " ".join(words[:-1] + ["indeed " + words[-1]])
    source = own_project / f"content/analyses/{ARTICLE}.md"
    source.write_text(source.read_text(encoding="utf-8") + f"\n{revised}\n", encoding="utf-8")
    assert main(["update"], project=own_project) == 0
    with FakeTranslator() as fake, Server(own_project, Drafts("libre", fake.url)) as server:
        context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        open_catalog(page)
        entry = card(page, revised)
        entry.locator("textarea.translation").click()
        match = entry.locator(".memory-match").first
        expect(match.locator(".score")).to_have_text(re.compile(r"^9\d%$"))
        expect(match.locator("ins")).to_have_text("indeed ")
        expect(match.locator(".memory-target")).to_have_text(other.msgstr)
        expect(match.locator(".memory-origin")).to_have_text(f"{OTHER}:{other.line}")
        page.keyboard.press("Alt+1")
        expect(entry.locator("textarea.translation")).to_have_value(other.msgstr)
        expect(entry.locator("input.fuzzy")).to_be_checked()  # a near match is a draft
        expect(entry.locator(".entry-status")).to_contain_text("marked fuzzy")
        entry.locator("button.save").click()
        expect(entry.locator(".entry-status")).to_contain_text("Saved")
        context.close()
    message = PoText((own_project / TR).read_text(encoding="utf-8"), TR).find(revised)
    assert message.msgstr == other.msgstr and message.fuzzy
