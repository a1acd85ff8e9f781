"""The editor as a translator works in it, in headless Chromium, at phone (390 px),
tablet (768, 980 px) and desktop (1280 px) widths: a translation a check keeps from
being published asks before it is saved and is then shown and counted as failing
(as ``stats`` and the build count it); a long entry fits on the screen; typing never
makes the page jump and no page scrolls sideways; Save waits for a change; the
keyboard shortcuts work and are shown.

The real server (uvicorn) on 127.0.0.1 and the fake machine translator on
127.0.0.1, as in ``test_editor_browser``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import copy_project
from libretranslate_server import FakeTranslator
from playwright.sync_api import Browser, Page, expect
from test_editor_api import ARTICLE, NOTES, TR, prepare, shipped
from test_editor_browser import (  # noqa: F401
    Server,
    card,
    has_class,
    msgstr_on_disk,
    open_catalog,
    preview_block,
    shots,
)

from pressroom.cli import main
from pressroom.editor import Drafts
from pressroom.po import PoText

pytestmark = pytest.mark.browser

LONG = (
    "The alliance's **deterrence posture** on its eastern flank was rebuilt in stages after 2014,[^1] "
    "first with the rotating battlegroups of the Enhanced Forward Presence and then, after February 2022, "
    "with brigades meant to be ready at short notice; see [the Madrid summit declaration](https://www.nato.int/madrid) "
    "for the commitments and their timetable. "
) * 5 + "Each of these steps was read in Moscow as proof of the encirclement it had long claimed.[^2]"
"""A long paragraph (about 1,500 characters) with markup, a link and note calls."""
WIDTHS = {390: 844, 768: 1024, 980: 800, 1280: 800}
"""Viewport width -> height: a phone, a tablet upright, the layout's breakpoint, a laptop."""


def add_long_paragraph(root: Path) -> None:
    source = root / f"content/analyses/{ARTICLE}.md"
    text = source.read_text(encoding="utf-8")
    at = text.index("\n[^1]: ")
    source.write_text(text[:at] + f"\n{LONG}\n" + text[at:], encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("ux") / "project")
    add_long_paragraph(root)
    assert main(["update"], project=root) == 0
    prepare(root)
    return root


@pytest.fixture(scope="module")
def server(project):
    with FakeTranslator() as fake, Server(project, Drafts("libre", fake.url)) as server:
        yield server


def new_page(browser: Browser, server: Server, width: int, errors: list[str]) -> Page:
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]}, base_url=server.url)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: errors.append(f"window dialog: {dialog.message}") or dialog.dismiss())
    return page


@pytest.fixture
def at_width(browser: Browser, server: Server):
    """Pages at a given width; no script error may happen on any."""
    errors: list[str] = []
    pages: list[Page] = []

    def make(width: int) -> Page:
        pages.append(new_page(browser, server, width, errors))
        return pages[-1]

    yield make
    for page in pages:
        page.context.close()
    assert errors == []


def in_viewport(page: Page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] \
        and box["x"] >= 0 and box["x"] + box["width"] <= size["width"]


# -- a failing translation ----------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 390])
def test_a_failing_translation_asks_before_saving_then_counts_as_failing(browser: Browser, tmp_path: Path, capsys,
                                                                        width: int, shots: Path):  # noqa: F811
    root = copy_project(tmp_path / "project")
    names = prepare(root)
    paragraph, title_msgid = names["blank"], names["fuzzy"]
    before = (root / TR).read_text(encoding="utf-8")
    broken = shipped(paragraph).replace("[^3]", "")  # a note call dropped
    errors: list[str] = []
    with FakeTranslator() as fake, Server(root, Drafts("libre", fake.url)) as server:
        page = new_page(browser, server, width, errors)
        open_catalog(page)
        entry = card(page, paragraph)
        box = entry.locator("textarea.translation")
        box.fill(broken)
        blocking = entry.locator('.findings li[data-blocks="yes"]')
        expect(blocking).to_contain_text("drops [^3]")
        expect(blocking.locator(".blocks")).to_have_text("not published")

        # Save: a dialog in the page asks; "Keep editing" saves nothing.
        entry.locator("button.save").click()
        dialog = page.locator("dialog.confirm-failing")
        expect(dialog).to_be_visible()
        expect(dialog).to_contain_text("This translation will not be published")
        expect(dialog.locator(".findings li")).to_contain_text("drops [^3]")
        expect(dialog.locator("button.keep")).to_be_focused()
        assert in_viewport(page, dialog)
        if width == 1280:
            page.screenshot(path=str(shots / "editor-failing.png"))
        dialog.locator("button.keep").click()
        expect(dialog).to_have_count(0)
        expect(entry.locator(".entry-status")).to_contain_text("Not saved")
        expect(box).to_have_value(broken)
        assert (root / TR).read_text(encoding="utf-8") == before

        # Escape is "keep editing" too; Ctrl+Enter asks as the button does.
        box.press("Control+Enter")
        expect(dialog).to_be_visible()
        page.keyboard.press("Escape")
        expect(dialog).to_have_count(0)
        assert (root / TR).read_text(encoding="utf-8") == before

        # "Save anyway": saved as typed, not fuzzy, and shown as failing, not translated.
        entry.locator("button.save").click()
        dialog.locator("button.save-anyway").click()
        expect(entry.locator(".entry-status")).to_have_text("Saved")
        saved = PoText((root / TR).read_text(encoding="utf-8")).find(paragraph)
        assert saved.msgstr == broken and not saved.fuzzy
        expect(entry).to_have_attribute("data-state", "failing")
        expect(entry.locator(".badge.state")).to_have_text("Failing")
        expect(page.locator(".chip.failing .n")).to_have_text("1")
        expect(page.locator("#progress-text")).to_contain_text("1 failing")
        block = preview_block(page, paragraph)
        expect(block).to_have_class(has_class("pr-failing"))
        expect(block).to_contain_text(NOTES[:30])  # the build publishes the English text
        page.locator(".chip.failing").click()
        expect(page.locator("article.entry:visible")).to_have_count(1)
        expect(page.locator("article.entry:visible")).to_have_attribute("data-state", "failing")

        # A second failing entry saved as fuzzy instead: a draft, not failing.
        page.locator(".chip.all").click()
        title = card(page, title_msgid)
        title.locator("textarea.translation").fill("ABD'nin rolü [burada](https://example.org/)")
        expect(title.locator('.findings li[data-blocks="yes"]').first).to_be_visible()
        title.locator("button.save").click()
        dialog.locator("button.as-fuzzy").click()
        expect(title.locator(".entry-status")).to_have_text("Saved")
        expect(title).to_have_attribute("data-state", "fuzzy")
        assert PoText((root / TR).read_text(encoding="utf-8")).find(title_msgid).fuzzy

        # The dashboard counts it as `stats` and the build do.
        page.goto("/edit/")
        row = page.locator("tr", has_text="The US Role in NATO-Russia Tensions")
        expect(row.locator(".count.failing")).to_have_text("1 failing")
        expect(row.locator(".count.translated").first).to_have_text("24 translated")  # tr, then ru
        expect(page.locator(".totals .count.failing")).to_have_text("1 failing")
        page.context.close()
    assert errors == []
    capsys.readouterr()
    assert main(["stats", "--lang", "tr", "--format", "json"], project=root) == 0
    row = next(r for r in json.loads(capsys.readouterr().out) if ARTICLE in r["document"])
    assert row["entries"] == {"translated": 24, "fuzzy": 1, "untranslated": 1, "failing": 1,
                              "reviewed": 0}


# -- long entries ----------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_entry_fits_on_the_screen(at_width, width: int, shots: Path):  # noqa: F811
    page = at_width(width)
    open_catalog(page)
    entry = card(page, LONG)
    expect(entry).to_have_class(has_class("long"))
    # One rendered copy of the source; its Markdown folded away until asked for.
    expect(entry.locator(".rendered-source")).to_be_visible()
    expect(entry.locator(".raw")).to_be_hidden()
    box = entry.locator("textarea.translation")
    box.click()
    box.fill(LONG.replace("The alliance's", "İttifakın").replace("deterrence posture", "caydırıcılık duruşu"))
    expect(entry.locator(".rendered-toggle summary")).to_be_visible()
    expect(entry.locator(".rendered-translation")).to_be_hidden()
    entry.scroll_into_view_if_needed()
    height = entry.bounding_box()["height"]
    assert height <= WIDTHS[width], f"the entry is {height:.0f} px tall at {width} px"
    assert in_viewport(page, box)
    if width == 390:
        page.screenshot(path=str(shots / "editor-phone.png"))
    entry.locator(".raw-toggle summary").click()
    expect(entry.locator(".raw")).to_be_visible()
    expect(entry.locator(".raw")).to_have_text(LONG)
    entry.locator(".rendered-toggle summary").click()
    expect(entry.locator(".rendered-translation")).to_contain_text("caydırıcılık duruşu")
    # A short entry keeps its Markdown in view, as before.
    short = card(page, "The US Role in NATO-Russia Tensions")
    expect(short).not_to_have_class(has_class("long"))


# -- layout: no jumps, no sideways scrolling ---------------------------------------------------


@pytest.mark.parametrize("width", [390, 768, 980])
def test_typing_keeps_the_box_on_screen_and_the_page_still(at_width, project: Path, width: int):
    page = at_width(width)
    open_catalog(page)
    entries = page.locator("article.entry")
    entry = entries.nth(12)
    box = entry.locator("textarea.translation")
    box.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -80)")  # the box a little below the top
    expect(page.locator(".preview-frame")).to_have_attribute("data-loads", re.compile(r"^[1-9][0-9]*$"))
    y = page.evaluate("window.scrollY")
    assert y > 0  # the page scrolls (one column), which is what could jump
    box.click()  # the preview highlights the entry: it scrolls itself, not the page
    frame = page.frame(url=re.compile("/edit/preview/"))
    page.wait_for_function("document.querySelector('.preview-frame').contentWindow.scrollY > 0")
    assert page.evaluate("window.scrollY") == y
    assert in_viewport(page, box)
    box.press("Control+a")
    for chunk in ["Türkiye ", "ve NATO ", "ilişkileri ", "[^9] ", "uzun bir ", "paragraf."]:
        box.press_sequentially(chunk, delay=15)
        assert in_viewport(page, box), chunk
        assert page.evaluate("window.scrollY") == y, chunk
    expect(entry.locator(".findings li").first).to_be_visible()  # the checks ran…
    key = entry.get_attribute("data-key")
    expect(page.frame_locator(".preview-frame").locator(f'[data-entry="{key}"]')).to_have_class(has_class("pr-draft"))
    assert frame.evaluate("window.scrollY") > 0
    assert page.evaluate("window.scrollY") == y  # …and the page stayed where it was
    assert in_viewport(page, box)
    # The next entry, by keyboard: it comes into view, the box stays on screen.
    page.keyboard.press("Alt+ArrowDown")
    following = entries.nth(13).locator("textarea.translation")
    expect(following).to_be_focused()
    assert in_viewport(page, following)


def overlaps(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] - 0.5 and b["x"] < a["x"] + a["width"] - 0.5 \
        and a["y"] < b["y"] + b["height"] - 0.5 and b["y"] < a["y"] + a["height"] - 0.5


PAGES = ["/edit/", f"/edit/tr/{ARTICLE}", "/edit/ru/authors/zeki-talustan-gulten", "/edit/tr/messages",
         f"/edit/preview/tr/{ARTICLE}"]


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_no_editor_page_scrolls_sideways_and_the_dashboard_columns_do_not_overlap(at_width, width: int):
    page = at_width(width)
    for url in PAGES:
        page.goto(url)
        if "/preview/" not in url:
            page.wait_for_selector("body[data-ready], table.matrix", state="attached")
        page.wait_for_load_state("networkidle")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= page.evaluate("innerWidth"), f"{url} is {wide} px wide at {width} px"
    page.goto("/edit/")
    rows = page.locator("table.matrix tbody tr")
    expect(rows.first).to_be_visible()
    for i in range(rows.count()):
        cells = [c.bounding_box() for c in rows.nth(i).locator("th, td").all()]
        for a in range(len(cells)):
            for b in range(a + 1, len(cells)):
                assert not overlaps(cells[a], cells[b]), (width, i, a, b)
        for cell in rows.nth(i).locator("td").all():  # nothing sticks out of its cell
            assert cell.evaluate("c => c.scrollWidth <= c.clientWidth + 1"), (width, i)
            outer = cell.bounding_box()
            for part in cell.locator(".count, .pct, .bar").all():
                inner = part.bounding_box()
                assert outer["x"] - 0.5 <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5


# -- Save waits for a change -------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 390])
def test_save_is_enabled_only_when_something_changed(at_width, project: Path, width: int):
    page = at_width(width)
    open_catalog(page)
    msgid = next(b.msgid for b in PoText((project / TR).read_text(encoding="utf-8")).entries
                 if b.msgid.startswith("Russia") and b.msgstr)
    entry = card(page, msgid)
    box, save, fuzzy = entry.locator("textarea.translation"), entry.locator("button.save"), entry.locator("input.fuzzy")
    saved = box.input_value()
    expect(save).to_be_disabled()
    box.press_sequentially("x")
    expect(save).to_be_enabled()
    box.press("Backspace")  # back to the saved text
    expect(save).to_be_disabled()
    fuzzy.check()
    expect(save).to_be_enabled()
    fuzzy.uncheck()
    expect(save).to_be_disabled()
    entry.locator("details.comment summary").click()
    entry.locator("textarea.comment-box").fill("a note")
    expect(save).to_be_enabled()
    entry.locator("textarea.comment-box").fill("")
    expect(save).to_be_disabled()
    box.fill(saved + " (gözden geçirildi)")
    save.click()
    expect(entry.locator(".entry-status")).to_have_text("Saved")
    expect(save).to_be_disabled()  # nothing new since
    assert msgstr_on_disk(project, msgid) == saved + " (gözden geçirildi)"
    box.fill(saved)
    expect(save).to_be_enabled()
    save.click()
    expect(entry.locator(".entry-status")).to_have_text("Saved")
    expect(save).to_be_disabled()
    assert msgstr_on_disk(project, msgid) == saved


# -- keyboard shortcuts ------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1280, 390])
def test_shortcuts_fuzzy_copy_source_and_suggest_are_shown_and_work(at_width, project: Path, width: int):
    page = at_width(width)
    open_catalog(page)
    msgid = next(b.msgid for b in PoText((project / TR).read_text(encoding="utf-8")).entries
                 if b.msgid.startswith("sanctions") or b.msgid == "Sanctions")
    entry = card(page, msgid)
    box, fuzzy = entry.locator("textarea.translation"), entry.locator("input.fuzzy")
    # Shown: on the controls (title, aria-keyshortcuts) and in the list of shortcuts.
    expect(entry.locator("button.copy")).to_have_attribute("aria-keyshortcuts", "Control+B")
    expect(entry.locator("button.copy")).to_have_attribute("title", re.compile(r"\(Ctrl\+B\)"))
    expect(entry.locator("button.suggest")).to_have_attribute("aria-keyshortcuts", "Control+Shift+M")
    expect(fuzzy).to_have_attribute("aria-keyshortcuts", "Control+U")
    expect(entry.locator("button.save")).to_have_attribute("aria-keyshortcuts", "Control+Enter")
    help = page.locator("details.keys")
    help.locator("summary").click()
    for keys, text in [("Ctrl+U", "fuzzy"), ("Ctrl+B", "copy the source"), ("Ctrl+Shift+M", "machine suggestion"),
                       ("Alt+1…3", "memory match"), ("Ctrl+Enter", "save")]:
        expect(help.locator("dt", has_text=keys)).to_have_count(1)
        expect(help.locator("dd", has_text=text)).to_have_count(1)

    box.click()
    box.fill("")
    page.keyboard.press("Control+b")  # copy the source
    expect(box).to_have_value(msgid)
    expect(entry.locator("button.save")).to_be_enabled()
    was = fuzzy.is_checked()
    page.keyboard.press("Control+u")  # toggle fuzzy
    expect(fuzzy).to_be_checked(checked=not was)
    page.keyboard.press("Control+u")
    expect(fuzzy).to_be_checked(checked=was)
    page.keyboard.press("Control+Shift+M")  # a machine suggestion, from the local fake engine
    expect(box).to_have_value(f"tr:{msgid}")
    expect(fuzzy).to_be_checked()
    expect(entry.locator("textarea.comment-box")).to_have_value(re.compile(r"machine translation: libre, "))
    # On a Russian layout Ctrl+U types "г": the key's place counts.
    page.evaluate("""() => document.activeElement.dispatchEvent(new KeyboardEvent("keydown",
        { key: "г", code: "KeyU", ctrlKey: true, bubbles: true, cancelable: true }))""")
    expect(fuzzy).not_to_be_checked()
    entry.locator("button.revert").click()
    expect(box).to_have_value(msgstr_on_disk(project, msgid))
