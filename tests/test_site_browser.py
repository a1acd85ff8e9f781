"""The published site in Chromium at a phone's width (390 px) and a laptop's (1280 px):
every kind of page fits the width (no sideways scrolling) and runs no script error."""

from __future__ import annotations

import pytest
from conftest import copy_tree
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
