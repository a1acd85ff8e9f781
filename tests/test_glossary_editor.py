"""The glossary in the editor: the API's ``terms`` of an entry and the ``glossary``
check as the translator types (in-process client), then the page in Chromium: the
terms marked in the rendered source with their approved translation, and whether the
translation being typed uses it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import copy_project
from playwright.sync_api import Browser, Page, expect
from test_editor_api import csrf, make_client
from test_editor_browser import Server

from pressroom.editor import Drafts
from pressroom.po import entry_key

ARTICLE = "how-nato-should-refine-its-russia-policy"
API = f"/edit/api/catalogs/tr/{ARTICLE}"
SUMMARY = "Nuclear exercises and sanctions are not enough"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def _entry(client, start: str) -> dict:
    return next(e for e in client.get(API).json()["entries"] if e["msgid"].startswith(start))


def test_terms_of_an_entry_and_as_typed(project: Path):
    with make_client(project) as client:
        summary = _entry(client, SUMMARY)
        terms = {t["source"]: t for t in summary["terms"]}
        assert set(terms) == {"Founding Act", "sanctions"}
        assert terms["Founding Act"] | {"note": ""} == {
            "source": "Founding Act", "target": "Kurucu Senet", "note": "", "pos": "proper-noun",
            "forms": ["Founding Act"], "used": True, "where": "locales/tr/glossary.csv:2",
        }
        assert summary["findings"] == []
        typed = client.post(f"{API}/entries/{summary['key']}/check", headers=csrf(client),
                            json={"msgstr": "Yaptırımlar yetmez; 1997 Kuruluş Yasası hakkında bir karar gerekir."})
        result = typed.json()
        assert [t["used"] for t in result["terms"] if t["source"] == "Founding Act"] == [False]
        assert [t["used"] for t in result["terms"] if t["source"] == "sanctions"] == [True]
        assert [(f["check"], f["severity"]) for f in result["findings"]] == [("glossary", "warning")]


def test_a_changed_glossary_is_read_again(project: Path):
    with make_client(project) as client:
        assert _entry(client, SUMMARY)["findings"] == []
        path = project / "locales/tr/glossary.csv"
        path.write_text(path.read_text(encoding="utf-8") + "body,organ,,,noun\n", encoding="utf-8")
        os.utime(path, ns=(1, 1))  # another mtime, whatever the clock's resolution
        summary = _entry(client, SUMMARY)
        assert [t["target"] for t in summary["terms"] if t["source"] == "body"] == ["organ"]
        assert [f["check"] for f in summary["findings"]] == ["glossary"]


# -- in Chromium -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser_project(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("glossary") / "project")
    path = root / "locales/tr/glossary.csv"
    path.write_text(path.read_text(encoding="utf-8") + "Trump administration,Trump yönetimi,<script>window.pwned=1</script>,,\n",
                    encoding="utf-8")
    return root


@pytest.mark.browser
def test_terms_are_marked_with_their_translation(browser_project: Path, browser: Browser):
    with Server(browser_project, Drafts()) as server:
        page: Page = browser.new_page(viewport={"width": 1400, "height": 900}, base_url=server.url)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"/edit/tr/{ARTICLE}")
        page.wait_for_selector("body[data-ready]")
        msgid = next(m for m in _msgids(browser_project) if m.startswith(SUMMARY))
        entry = page.locator(f"#entry-{entry_key(msgid)}")
        marks = entry.locator(".rendered-source mark.term-mark")
        expect(marks).to_have_text(["sanctions", "sanctions", "Founding Act"])
        expect(marks.nth(2)).to_have_attribute("title", "Glossary: Kurucu Senet (" + _note(browser_project) + ")")
        term = entry.locator(".terms .term", has_text="Founding Act")
        expect(term.locator(".term-target")).to_have_text("Kurucu Senet")
        expect(term).to_have_attribute("data-used", "yes")
        expect(term.locator(".term-state")).to_have_text("used")

        box = entry.locator("textarea.translation")
        box.fill("Nükleer tatbikatlar ve yaptırımlar yetmez; 1997 Kuruluş Yasası hakkında bir karar gerekir.")
        expect(term).to_have_attribute("data-used", "no")
        expect(term.locator(".term-state")).to_have_text("not in the translation")
        expect(entry.locator(".findings li.warning .check")).to_have_text("glossary")
        box.fill("Nükleer tatbikatlar ve yaptırımlar yetmez; 1997 Kurucu Senedi'ne dair bir karar gerekir.")
        expect(term).to_have_attribute("data-used", "yes")
        expect(entry.locator(".findings li")).to_have_count(0)

        # a note is text: the markup in the file shows as typed, nothing runs
        last = page.locator("article.entry", has_text="forthcoming Trump administration")
        expect(last.locator(".terms .term-note")).to_have_text("<script>window.pwned=1</script>")
        assert page.evaluate("window.pwned") is None
        if os.environ.get("PRESSROOM_SCREENSHOTS"):
            entry.screenshot(path=str(Path(__file__).resolve().parent.parent / "docs" / "editor-glossary.png"))
        page.close()
        assert errors == []


def _msgids(root: Path) -> list[str]:
    from pressroom.po import PoText

    text = (root / f"locales/tr/LC_MESSAGES/{ARTICLE}.po").read_text(encoding="utf-8")
    return [e.msgid for e in PoText(text).entries]


def _note(root: Path) -> str:
    from pressroom.glossary import read_glossary

    glossary, _ = read_glossary((root / "locales/tr/glossary.csv").read_bytes(), "g", "tr")
    return next(t.note for t in glossary.terms if t.source == "Founding Act")
