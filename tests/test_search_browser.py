"""Search end to end, in a real headless Chromium (Debian's ``chromium``, driven by
Playwright) on the site that ``python build.py serve`` builds and serves.

A reader searches each language's index: a word that only one analysis has finds that
analysis (title, date, excerpt); Turkish and Russian words are found in their
inflected forms (Pagefind's stemmers); a word in one analysis' body ranks above the
same word in another's notes; the texts of the page are the UI catalog's; the
keyboard alone is enough; nothing but the site itself is fetched; an excerpt's markup
is text.

Besides the project's two analyses, the site has two fixture analyses
(``tests/fixtures/search/``): "quokka" in the body of one and in a note of the other,
which is much shorter (so, unweighted, the note would rank first), next to an
``<img onerror>`` written as text.

Every test runs twice: on a site whose index is one shard a language, and on one cut
in shards of one analysis (``search_shard_size = 1``: shards 0 and 2 of 4 hold two
analyses each, one seed analysis and one fixture analysis), whose search page merges
the shards (Pagefind's ``mergeIndex``). There, a query's results come from both
shards, ranked together; compared with a single index of the same pages.

``PRESSROOM_SCREENSHOTS=1`` writes the README's picture of the search page to docs/.
"""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import FIXTURES, ROOT, copy_project
from playwright.sync_api import Browser, Page, expect
from test_editor_server import Serve

from pressroom.config import load_config
from pressroom.site import search as index

pytestmark = pytest.mark.browser

US_ROLE = "us-role-in-nato-russia-tensions"
REFINE = "how-nato-should-refine-its-russia-policy"
TITLES = {
    ("en", US_ROLE): "The US Role in NATO-Russia Tensions",
    ("tr", US_ROLE): "NATO-Rusya Gerginliğinde ABD'nin Rolü",
    ("ru", US_ROLE): "Роль США в напряжённости между НАТО и Россией",
    ("tr", REFINE): "NATO, Rusya Politikasını Nasıl Geliştirmeli?",
    ("ru", REFINE): "Как НАТО скорректировать политику в отношении России",
}
FOUND = {"en": "Analyses found: {}", "tr": "Bulunan analiz sayısı: {}", "ru": "Найдено анализов: {}"}


@pytest.fixture(scope="module", params=[None, 1], ids=["one-index", "shards"])
def served(tmp_path_factory, request):
    root = copy_project(tmp_path_factory.mktemp("search") / "project")
    for source in (FIXTURES / "search").glob("*.md"):
        shutil.copy(source, root / "content/analyses" / source.name)
    if request.param is not None:
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
        (root / "pyproject.toml").write_text(
            text.replace("[tool.pressroom]\n", f"[tool.pressroom]\nsearch_shard_size = {request.param}\n"),
            encoding="utf-8")
    with Serve(root) as serve:
        site = serve.wait_built()
        assert site["state"] == "ok", site
        serve.root, serve.sharded = root, request.param is not None
        yield serve


@pytest.fixture
def page(browser: Browser, served: Serve):
    """A page that may fetch from the site only: any other request is refused and
    fails the test, as do script errors and dialogs."""
    context = browser.new_context(viewport={"width": 1100, "height": 900}, base_url=served.url)
    elsewhere: list[str] = []

    def route(route) -> None:
        if route.request.url.startswith(served.url + "/"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}") or dialog.dismiss())
    yield page
    context.close()
    assert elsewhere == []
    assert errors == []


def search(page: Page, lang: str, query: str) -> None:
    page.goto(f"/{lang}/search/")
    page.fill("#search-input", query)
    page.press("#search-input", "Enter")
    # done when the status says more than "Searching…" ("Aranıyor…", "Идёт поиск…")
    page.wait_for_function("() => /[^…]$/.test(document.getElementById('search-status').textContent)",
                           timeout=20_000)


def titles(page: Page) -> list[str]:
    return page.locator(".search-result h2 a").all_inner_texts()


@pytest.mark.parametrize(
    ("lang", "query", "slug", "date"),
    [
        ("en", "Pyongyang", US_ROLE, "17 December 2023"),
        ("tr", "Macaristan", REFINE, "Kasım 2024"),
        ("ru", "Пхеньян", US_ROLE, "17 декабря 2023 г."),  # "с Пхеньяном"
    ],
)
def test_a_word_of_one_analysis_finds_it_in_its_language(page, lang, query, slug, date):
    search(page, lang, query)
    expect(page.locator("#search-status")).to_have_text(FOUND[lang].format(1))
    result = page.locator(".search-result")
    expect(result).to_have_count(1)
    title = TITLES.get((lang, slug), "The US Role in NATO-Russia Tensions")
    expect(result.locator("h2 a")).to_have_text(title)
    assert result.locator("h2 a").get_attribute("href") == f"/{lang}/analyses/{slug}/"
    expect(result.locator("time")).to_have_text(date)
    expect(result.locator(".excerpt mark").first).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == lang


@pytest.mark.parametrize(("lang", "query"), [("tr", "yaptırım"), ("ru", "санкция")])
def test_inflected_forms_are_found_by_their_stem(page, lang, query):
    """Neither word stands as written in the US Role analysis ("yaptırımlar",
    "yaptırımların"; "санкции", "санкций"); both analyses are found."""
    search(page, lang, query)
    assert sorted(titles(page)) == sorted([TITLES[lang, US_ROLE], TITLES[lang, REFINE]])
    expect(page.locator("#search-status")).to_have_text(FOUND[lang].format(2))


def test_a_word_in_the_body_ranks_above_the_same_word_in_a_note(page):
    search(page, "en", "quokka")
    assert titles(page) == ["Wardens of the Alpine Valleys", "Island Ferries"]


def test_an_excerpt_is_text(page):
    search(page, "en", "ferry log")
    excerpt = page.locator(".search-result .excerpt").first
    expect(excerpt).to_contain_text("<img src=x onerror=alert(1)>")
    assert page.locator(".search-results img").count() == 0
    assert set(excerpt.evaluate("e => [...e.children].map(c => c.tagName)")) <= {"MARK"}


def test_nothing_found_says_so_in_the_language(page):
    search(page, "ru", "зюзюзю")
    expect(page.locator("#search-status")).to_have_text("По запросу «зюзюзю» ничего не найдено.")
    expect(page.locator(".search-result")).to_have_count(0)


def test_the_keyboard_alone_finds_and_opens_an_analysis(page):
    """From an article page: Tab to the header's search link, type, move through the
    results with the arrows, back to the box with Escape, open one with Enter."""
    page.goto(f"/tr/analyses/{REFINE}/")
    link = page.locator(".site-nav a", has_text="Ara")
    for _ in range(10):
        page.keyboard.press("Tab")
        if link.evaluate("e => e === document.activeElement"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/tr/search/")
    expect(page.locator("#search-input")).to_be_focused()  # autofocus
    page.keyboard.type("NATO")
    expect(page.locator(".search-result")).to_have_count(2, timeout=20_000)
    first, second = page.locator(".search-result h2 a").all()
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(second).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#search-input")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(page.locator("#search-input")).to_be_focused()
    page.keyboard.press("ArrowDown")
    target, title = first.get_attribute("href"), first.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{target}")
    expect(page.locator("h1")).to_have_text(title)


def test_a_search_is_a_link(page):
    """The query is in the address, so a search can be bookmarked, shared and
    reloaded (with the texts of the page's language)."""
    search(page, "tr", "yaptırım")
    assert "q=yapt" in page.url
    page.reload()
    expect(page.locator("#search-input")).to_have_value("yaptırım")
    expect(page.locator(".search-result")).to_have_count(2, timeout=20_000)
    expect(page.locator("h1")).to_have_text("Analizlerde ara")
    expect(page.locator("button[type=submit]")).to_have_text("Ara")


def test_every_page_links_to_its_languages_search(page):
    for path, lang in [("/en/", "en"), (f"/ru/analyses/{US_ROLE}/", "ru"), ("/tr/status/", "tr"),
                       ("/ru/authors/editors/", "ru")]:
        page.goto(path)
        link = page.locator(".site-nav a[href$='/search/']")
        expect(link).to_have_text({"en": "Search", "tr": "Ara", "ru": "Поиск"}[lang])
        link.click()
        page.wait_for_url(f"**/{lang}/search/")


def test_screenshot_of_the_search_page(page, tmp_path):
    search(page, "tr", "yaptırım")
    expect(page.locator(".search-result")).to_have_count(2)
    out = ROOT / "docs" if os.environ.get("PRESSROOM_SCREENSHOTS") else tmp_path
    page.screenshot(path=str(out / "search-tr.png"))


@pytest.mark.parametrize("width", [390, 1280])
def test_results_fit_the_width_of_a_phone_and_a_desktop(page, width):
    page.set_viewport_size({"width": width, "height": 800})
    search(page, "ru", "санкция")
    expect(page.locator(".search-result")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


SHARDED = {0: ("alpine-wardens", REFINE), 2: ("island-ferries", US_ROLE)}

# The merged shards, and a single index of the same pages (made by the test, beside
# them, as shard 99: its own pagefind.js, so its own Pagefind instance), asked the
# same query from a page of the language; each returns [url, score] in its order.
COMPARE = """async ([query, merged, single]) => {
  const ask = async (bundles) => {
    const pagefind = await import(bundles[0] + "pagefind.js");
    await pagefind.options({ baseUrl: "/" });
    for (const other of bundles.slice(1)) await pagefind.mergeIndex(other, { baseUrl: "/" });
    const answer = await pagefind.search(query);
    return Promise.all(answer.results.map(async (r) => [(await r.data()).url, r.score]));
  };
  return [await ask(merged), await ask(single)];
}"""


@pytest.mark.parametrize(("lang", "query", "expected"), [
    ("en", "quokka", ["/en/analyses/alpine-wardens/", "/en/analyses/island-ferries/"]),
    ("tr", "NATO", [f"/tr/analyses/{US_ROLE}/", f"/tr/analyses/{REFINE}/"]),
    ("ru", "санкция", [f"/ru/analyses/{REFINE}/", f"/ru/analyses/{US_ROLE}/"]),
])
def test_shards_answer_together_ranked_as_one_index(page, served, lang, query, expected):
    """A query whose pages are in two shards finds them all, ranked by score across
    the shards, in the order a single index of the same pages gives (on the one-index
    site, the same comparison with nothing to merge)."""
    site = served.root / "site"
    single = index.bundle_dir(lang, 99)
    if not (site / single).exists():
        index.write_index(load_config(served.root), site, lang, 99,
                          [slug for part in SHARDED.values() for slug in part], primary=True)
    shards = sorted(int(p.name) for p in (site / lang / index.BUNDLE).iterdir() if p.name != "99")
    assert shards == (list(SHARDED) if served.sharded else [0])
    page.goto(f"/{lang}/")
    merged, alone = page.evaluate(COMPARE, [query, [f"/{index.bundle_dir(lang, k)}/" for k in shards],
                                            [f"/{single}/"]])
    assert [url for url, _ in merged] == expected, merged
    assert [url for url, _ in alone] == expected, alone
    print(f"{lang} {query!r}: merged {merged}, single index {alone}")
    assert [score for _, score in merged] == sorted((score for _, score in merged), reverse=True)
    search(page, lang, query)  # and the search page shows them so
    assert [a.get_attribute("href") for a in page.locator(".search-result h2 a").all()] == expected
