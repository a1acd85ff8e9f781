"""Review, search across catalogs and entry history in a real headless Chromium, against
the real server on 127.0.0.1, at a laptop's width (1280 px) and a phone's (390 px).

The project is a git repository made for the test: the title's translation was changed
in two commits, so its history has three versions.

The README's pictures of search and history are taken here, at 1280 px:
``PRESSROOM_SCREENSHOTS=1`` writes them to docs/ (otherwise to a temporary directory).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from libretranslate_server import FakeTranslator
from playwright.sync_api import Browser, Page, expect
from test_editor_api import ARTICLE, TITLE, TR
from test_editor_browser import Server

from pressroom.cli import main
from pressroom.editor import Drafts
from pressroom.po import PoText, entry_key

pytestmark = pytest.mark.browser

OTHER = "how-nato-should-refine-its-russia-policy"
HOSTILE = '<img src=x onerror="window.pwned=1">'
WIDTHS = [1280, 390]
KEY = entry_key(TITLE)


def _git(root: Path, *args: str) -> None:
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(root), "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def _set(root: Path, msgid: str, msgstr: str) -> None:
    path = root / TR
    po = PoText(path.read_text(encoding="utf-8"))
    block = po.find(msgid)
    path.write_text(po.replace_entry(block, msgstr=msgstr, fuzzy=False), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("review-browser") / "project")
    source = root / f"content/analyses/{OTHER}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.rstrip("\n") + f"\n\nA hostile {HOSTILE} paragraph.\n", encoding="utf-8")
    assert main(["update"], project=root) == 0
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Catalogs as shipped")
    _set(root, TITLE, "ABD ve NATO-Rusya gerginliği")
    _git(root, "commit", "-qam", "Title: a first try <b>bold</b>")
    _set(root, TITLE, "NATO-Rusya Gerginliğinde ABD'nin Rolü")
    _git(root, "commit", "-qam", "Title: as published")
    return root


@pytest.fixture(scope="module")
def server(project):
    with FakeTranslator() as fake, Server(project, Drafts("libre", fake.url)) as server:
        yield server


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    """Where the README's pictures go."""
    return ROOT / "docs" if os.environ.get("PRESSROOM_SCREENSHOTS") else tmp_path_factory.mktemp("shots")


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def page(request, browser: Browser, server: Server):
    context = browser.new_context(viewport={"width": request.param, "height": 860}, base_url=server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}") or dialog.dismiss())
    yield page
    context.close()
    assert not errors


def _open(page: Page, url: str = f"/edit/tr/{ARTICLE}", ready: str = "body[data-ready=true]") -> None:
    page.goto(url)
    expect(page.locator(ready)).to_be_attached(timeout=20_000)


def _within_width(page: Page, selector: str, column: str | None = None) -> None:
    """The element fits in the viewport's width (nothing of it off the side) or, on a
    catalog's page, in its entry's column (whose own width is the page layout's)."""
    box = page.locator(selector).first.bounding_box()
    if column is None:
        left, right = 0, page.viewport_size["width"]
    else:
        outer = page.locator(column).first.bounding_box()
        left, right = outer["x"], outer["x"] + outer["width"]
    assert box is not None and box["x"] >= left - 1 and box["x"] + box["width"] <= right + 1, (selector, box, right)


def _on_screen(page: Page, selector: str) -> None:
    """The element is wholly on screen: inside the viewport, neither off its side nor
    above or below it (the page may scroll, but the element must be where it scrolled)."""
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    assert box is not None and box["x"] >= -1 and box["x"] + box["width"] <= size["width"] + 1 \
        and box["y"] >= -1 and box["y"] + box["height"] <= size["height"] + 1, (selector, box, size)


def test_reviewed_toggle_filter_and_save(page: Page, project: Path):
    _open(page)
    entry = page.locator(f"#entry-{KEY}")
    toggle = entry.locator("input.reviewed")
    expect(toggle).to_be_enabled()
    expect(toggle).not_to_be_checked()
    _within_width(page, f"#entry-{KEY} .toggle.review", f"#entry-{KEY} .target")
    toggle.check()
    entry.locator("button.save").click()
    expect(entry.locator(".entry-status")).to_contain_text("Saved", timeout=10_000)
    expect(entry.locator(".badge.state")).to_have_text("Reviewed")
    assert PoText((project / TR).read_text(encoding="utf-8")).find(TITLE).reviewed

    # The filters: one reviewed entry; the other translated ones await review.
    page.locator(".chip.reviewed").click()
    expect(page.locator(".entry:not([hidden])")).to_have_count(1)
    expect(page.locator(".chip.reviewed .n")).to_have_text("1")
    page.locator(".chip.unreviewed").click()
    expect(page.locator(f"#entry-{KEY}")).to_be_hidden()
    assert "filter=unreviewed" in page.url
    page.locator(".chip.all").click()

    # Typing a new text clears the toggle; a fuzzy entry cannot be reviewed.
    box = entry.locator("textarea.translation")
    box.press("End")
    box.type("!")
    expect(toggle).not_to_be_checked()
    entry.locator("input.fuzzy").check()
    expect(toggle).to_be_disabled()
    entry.locator("button.revert").click()
    expect(toggle).to_be_checked()

    # Saved unchecked: the mark leaves the file.
    toggle.uncheck()
    entry.locator("button.save").click()
    expect(entry.locator(".badge.state")).to_have_text("Translated", timeout=10_000)
    assert "reviewed:" not in (project / TR).read_text(encoding="utf-8")


def test_search_across_catalogs_links_to_the_entry_and_shows_text_as_text(page: Page, shots: Path):
    _open(page, "/edit/", ".search-panel")
    panel = page.locator(".search-panel")
    expect(panel).to_be_visible()
    _within_width(page, ".search-form")
    panel.locator("select.search-lang").select_option("tr")
    panel.locator("input.search-all").fill("kurucu senedi")
    results = panel.locator(".search-result")
    expect(results.first).to_be_visible(timeout=10_000)
    assert results.count() >= 1
    expect(results.first.locator("mark").first).to_have_text("Kurucu Senedi", ignore_case=True)
    assert "q=kurucu+senedi" in page.url or "q=kurucu%20senedi" in page.url
    if page.viewport_size["width"] == 1280:
        panel.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "editor-search.png"))

    # The hostile paragraph is found as text; its markup does nothing.
    panel.locator("input.search-all").fill("onerror")
    expect(panel.locator(".search-source").first).to_contain_text(HOSTILE, timeout=10_000)
    assert panel.locator(".search-result img").count() == 0
    assert page.evaluate("window.pwned") is None
    _within_width(page, ".search-result")

    # A result opens the catalog at that entry.
    panel.locator("input.search-all").fill("ABD'nin Rolü")
    link = panel.locator(".search-result a", has_text="The US Role")
    expect(link.first).to_be_visible(timeout=10_000)
    link.first.click()
    expect(page.locator("body[data-ready=true]")).to_be_attached(timeout=20_000)
    assert page.url.endswith(f"/edit/tr/{ARTICLE}#entry-{KEY}")
    target = page.locator(f"#entry-{KEY}")
    expect(target.locator("textarea.translation")).to_be_focused()
    assert "current" in target.get_attribute("class")
    _on_screen(page, f"#entry-{KEY} textarea.translation")


def test_history_lists_the_commits_and_restore_fills_the_box(page: Page, project: Path, shots: Path):
    _open(page)
    entry = page.locator(f"#entry-{KEY}")
    history = entry.locator("details.history")
    history.locator("summary").click()
    versions = history.locator(".history-version")
    expect(versions).to_have_count(3, timeout=10_000)
    expect(versions.nth(0).locator(".subject")).to_have_text("Title: as published")
    expect(versions.nth(1).locator(".subject")).to_have_text("Title: a first try <b>bold</b>")
    assert history.locator(".subject b").count() == 0  # a commit subject is text
    expect(versions.nth(0).locator(".tag.current")).to_be_visible()
    expect(history.locator(".history-status")).to_contain_text("git")
    _within_width(page, f"#entry-{KEY} .history-version", f"#entry-{KEY} .target")
    _on_screen(page, f"#entry-{KEY} details.history summary")
    _on_screen(page, f"#entry-{KEY} .history-version >> nth=0")
    expect(entry.locator(".toggle.review")).to_be_visible()
    if page.viewport_size["width"] == 1280:  # taller for the picture, so the entries' pane holds the whole entry
        page.set_viewport_size({"width": 1280, "height": 1100})
        entry.scroll_into_view_if_needed()
        entry.screenshot(path=str(shots / "editor-history.png"))
        page.set_viewport_size({"width": 1280, "height": 860})

    before = (project / TR).read_bytes()
    versions.nth(1).locator("button.restore").click()
    expect(entry.locator("textarea.translation")).to_have_value("ABD ve NATO-Rusya gerginliği")
    expect(entry.locator(".entry-status")).to_contain_text("not saved until you save")
    _on_screen(page, f"#entry-{KEY} textarea.translation")  # the restored text is in sight
    assert (project / TR).read_bytes() == before  # nothing is written until Save
    entry.locator("button.revert").click()
    expect(entry.locator("textarea.translation")).to_have_value("NATO-Rusya Gerginliğinde ABD'nin Rolü")
