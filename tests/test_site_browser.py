"""The published site in Chromium at a phone's width (390 px) and a laptop's (1280 px):
every kind of page fits the width (no sideways scrolling) and runs no script error.
``PRESSROOM_SCREENSHOTS=1`` writes the README's picture of a topic page to docs/."""

from __future__ import annotations

import os

import pytest
from conftest import ROOT, copy_tree
from playwright.sync_api import Browser
from test_editor_browser import Server

from pressroom.editor import Drafts

pytestmark = pytest.mark.browser

SLUG = "us-role-in-nato-russia-tensions"
PAGES = ["{lang}/", f"{{lang}}/analyses/{SLUG}/", "{lang}/authors/zeki-talustan-gulten/", "{lang}/topics/",
         "{lang}/topics/nato/", "{lang}/status/"]
WIDTHS = [390, 1280]


@pytest.fixture(scope="module")
def server(built_project, tmp_path_factory):
    root = copy_tree(built_project, tmp_path_factory.mktemp("site") / "project")
    with Server(root, Drafts("libre", "http://127.0.0.1:9/")) as server:  # no drafts asked for
        yield server


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "tr", "ru"])
def test_every_kind_of_page_fits_the_width(browser: Browser, server, width, lang):
    context = browser.new_context(viewport={"width": width, "height": 800}, base_url=server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    checked = 0
    for path in PAGES:
        url = "/" + path.format(lang=lang)
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow} px at {width} px"
        checked += 1
    context.close()
    assert checked == len(PAGES) and errors == []


def test_screenshot_of_a_topic_page(browser: Browser, server, tmp_path):
    context = browser.new_context(viewport={"width": 1100, "height": 760}, base_url=server.url)
    page = context.new_page()
    assert page.goto("/en/topics/nato/").status == 200
    assert page.locator("h1").inner_text() == "NATO"
    assert page.locator(".article-item").count() == 2  # the two seeds, newest first
    out = ROOT / "docs" if os.environ.get("PRESSROOM_SCREENSHOTS") else tmp_path
    page.screenshot(path=str(out / "topic-en.png"))
    context.close()
    assert (out / "topic-en.png").stat().st_size > 10_000
