"""The built site: pages, languages, dates, footnotes across languages, manifest,
fallbacks, and the UI catalog rule (no untranslated UI string on a translated page)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pressroom.catalogs.files import read_catalog, serialize

LANGS = ["en", "tr", "ru"]
SLUGS = ["us-role-in-nato-russia-tensions", "how-nato-should-refine-its-russia-policy"]
TR_PO = "locales/tr/LC_MESSAGES/us-role-in-nato-russia-tensions.po"


@pytest.fixture
def site(built_project: Path) -> Path:
    return built_project / "site"


def page(site: Path, rel: str) -> BeautifulSoup:
    return BeautifulSoup((site / rel).read_text(encoding="utf-8"), "html.parser")


def article(lang: str, slug: str) -> str:
    return f"{lang}/analyses/{slug}/index.html"


def test_every_page_exists_with_its_language(site):
    for lang in LANGS:
        assert page(site, f"{lang}/index.html").html["lang"] == lang
        for slug in SLUGS:
            assert page(site, article(lang, slug)).html["lang"] == lang
        for author in ["zeki-talustan-gulten", "editors"]:
            assert page(site, f"{lang}/authors/{author}/index.html").html["lang"] == lang
    root = page(site, "index.html")
    assert root.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=en/"


def test_alternates_and_language_switcher_lead_to_the_same_article(site):
    for lang in LANGS:
        doc = page(site, article(lang, SLUGS[0]))
        alternates = {x["hreflang"]: x["href"] for x in doc.find_all("link", rel="alternate", hreflang=True)}
        assert alternates == {**{x: f"../../../{x}/analyses/{SLUGS[0]}/" for x in LANGS},
                              "x-default": f"../../../en/analyses/{SLUGS[0]}/"}
        switcher = doc.find("nav", class_="languages")
        names = [x.get_text(strip=True) for x in switcher.find_all(["a", "span"])]
        assert names == ["English", "Türkçe", "Русский"]
        for link in switcher.find_all("a"):
            target = (site / article(lang, SLUGS[0])).parent / link["href"] / "index.html"
            assert target.resolve() == (site / article(link["hreflang"], SLUGS[0])).resolve()


def test_dates_in_each_locale_and_index_newest_first(site):
    expected = {"en": "17 December 2023", "tr": "17 Aralık 2023", "ru": "17 декабря 2023\u202fг."}  # CLDR: narrow no-break space
    for lang, date in expected.items():
        doc = page(site, article(lang, SLUGS[0]))
        assert doc.find("time").get_text() == date
        index = page(site, f"{lang}/index.html")
        dates = [t["datetime"] for t in index.select(".article-item time")]
        assert dates == sorted(dates, reverse=True) == ["2024-11-01", "2023-12-17"]


def test_month_dates_name_the_month_and_read_as_its_first_day(site):
    """``date: 2024-11`` is "November 2024" for people on every page that shows it, and
    the first of the month for machines (``<time datetime>``, the feed)."""
    expected = {"en": "November 2024", "tr": "Kasım 2024", "ru": "ноябрь 2024\u202fг."}
    for lang, month in expected.items():
        for rel in (article(lang, SLUGS[1]), f"{lang}/index.html", f"{lang}/authors/editors/index.html"):
            times = [t for t in page(site, rel).find_all("time") if t["datetime"] == "2024-11-01"]
            assert [t.get_text() for t in times] == [month], rel
        feed = (site / lang / "feed.xml").read_text(encoding="utf-8")
        assert "<updated>2024-11-01T00:00:00Z</updated>" in feed


def test_a_publisher_is_not_named_as_the_author(site):
    """The Editors' page says ``publisher: true``: the byline of what they publish says
    so, in every language, and claims no authorship."""
    expected = {"en": "Published by The Editors", "tr": "Yayımlayan: Editörler", "ru": "Опубликовано: Редакция"}
    for lang, byline in expected.items():
        shown = " ".join(page(site, article(lang, SLUGS[1])).select_one(".byline").get_text().split())
        assert shown.startswith(byline + " ·"), shown
        own = " ".join(page(site, article(lang, SLUGS[0])).select_one(".byline").get_text().split())
        assert not own.startswith(byline.split()[0]), own


def test_the_line_under_the_notes_is_translated_and_follows_them(site):
    """``notes_footer`` is printed once, inside the notes section after the list, in each
    language; an analysis without it has none."""
    expected = {
        "en": "Notes marked [Ed.] were added by the editors; they are not part of the original text.",
        "tr": "[Ed.] ile işaretli notlar editörler tarafından eklenmiştir; özgün metnin parçası değildir.",
        "ru": "Примечания с пометкой [Ред.] добавлены редакцией; в исходном тексте их нет.",
    }
    mark = {"en": "[Ed.] ", "tr": "[Ed.] ", "ru": "[Ред.] "}
    for lang, line in expected.items():
        doc = page(site, article(lang, SLUGS[1]))
        footers = doc.select(".notes-footer")
        assert [f.get_text() for f in footers] == [line]
        assert footers[0].find_previous_sibling("ol") is not None and footers[0].parent.name == "section"
        notes = [" ".join(li.get_text().split()) for li in doc.select("section.footnotes li")]
        assert len(notes) == 3 and all(n.startswith(mark[lang]) for n in notes), notes
        assert page(site, article(lang, SLUGS[0])).select(".notes-footer") == []


def _footnotes(doc: BeautifulSoup):
    calls = sorted(
        (a["id"], a["href"], a.get_text()) for a in doc.select("sup.footnote-ref a")
    )
    notes = []
    for li in doc.select("section.footnotes li"):
        backs = [a["href"] for a in li.select("a.footnote-backref")]
        urls = [a["href"] for a in li.select("p a")]
        notes.append((li["id"], li["value"], backs, urls))
    return calls, notes


@pytest.mark.parametrize("slug", SLUGS)
def test_footnote_numbers_anchors_and_citations_equal_in_all_languages(site, slug):
    calls, notes = _footnotes(page(site, article("en", slug)))
    assert calls and notes
    for ident, href, number in calls:
        assert href == f"#fn-{number}" and ident.startswith(f"fnref-{number}")
    assert [n[1] for n in notes] == [str(i) for i in range(1, len(notes) + 1)]
    for lang in ["tr", "ru"]:
        assert _footnotes(page(site, article(lang, slug))) == (calls, notes), lang


def test_seed_citations_kept(site):
    doc = page(site, article("en", SLUGS[0]))
    notes = doc.select("section.footnotes li")
    assert len(notes) == 11
    assert "(Date of Access: 07.08.2023)" in notes[0].get_text()
    assert notes[10].get_text(" ", strip=True).startswith("Ibid.")
    assert "Ibıd" not in doc.get_text()
    tr = page(site, article("tr", SLUGS[0])).select("section.footnotes li")
    ru = page(site, article("ru", SLUGS[0])).select("section.footnotes li")
    assert "(Erişim Tarihi: 07.08.2023)" in tr[0].get_text() and tr[10].get_text(" ", strip=True).startswith("a.g.e.")
    assert "(Дата обращения: 07.08.2023)" in ru[0].get_text() and ru[10].get_text(" ", strip=True).startswith("Там же")
    # seed 004's conclusion is printed once
    body = page(site, article("en", SLUGS[1])).select_one(".analysis-body").get_text()
    assert body.count("Ultimately, NATO will need a multilayered approach") == 1


def test_no_untranslated_ui_string_on_translated_pages(site):
    pot = read_catalog(Path("locales/templates/messages.pot").resolve(), "messages.pot", None, "messages")
    english = [re.sub(r"%\(\w+\)s", "", m.id).strip(" :") for m in pot if m.id]
    for lang in ["tr", "ru"]:
        po = read_catalog(Path(f"locales/{lang}/LC_MESSAGES/messages.po").resolve(), "x", lang, "messages")
        for rel in [article(lang, s) for s in SLUGS] + [f"{lang}/index.html"]:
            doc = page(site, rel)
            for content in doc.select(".analysis-body, .footnotes ol, h1, .summary, .tag, .article-item h2"):
                content.decompose()  # the article's own text may quote anything ("Notes from Poland")
            chrome = doc.get_text(" ") + " ".join(str(v) for t in doc.find_all(True) for v in t.attrs.values())
            chrome = chrome.replace("Pressroom Analyses", "")  # the site's name is a proper name
            for m, text in zip([m for m in pot if m.id], english):
                if po[m.id].string != m.id and len(text) > 4:
                    assert text not in chrome, (lang, rel, text)


@pytest.mark.pdf
def test_manifest(site):
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    by_slug = {a["slug"]: a for a in manifest["articles"]}
    assert set(by_slug) == set(SLUGS)
    for slug, entry in by_slug.items():
        assert entry["source_lang"] == "en"
        assert set(entry["languages"]) == set(LANGS)
        for lang, info in entry["languages"].items():
            assert info["html"] == article(lang, slug) and (site / info["html"]).is_file()
            assert info["pdf"] == f"{lang}/analyses/{slug}/{slug}.{lang}.pdf" and (site / info["pdf"]).is_file()
            assert info["translated"] == 1.0
        assert {i["footnotes"] for i in entry["languages"].values()} == {11 if slug == SLUGS[0] else 3}


def _edit_po(root: Path, rel: str, msgid_start: str, new_string: str) -> int:
    """Replace one msgstr (found by the start of its msgid); returns the entry's line."""
    path = root / rel
    cat = read_catalog(path, rel, "tr", Path(rel).stem)
    message = next(m for m in cat if m.id.startswith(msgid_start))
    message.string = new_string
    path.write_bytes(serialize(cat))
    return read_catalog(path, rel, "tr", Path(rel).stem)[message.id].lineno


def test_untranslated_entry_falls_back_and_page_says_incomplete(project, run):
    _edit_po(project, TR_PO, "Relations between Russia and NATO", "")
    assert run(project, "build", "--no-pdf")[0] == 0
    doc = page(project / "site", article("tr", SLUGS[0]))
    assert doc.select_one(".notice.incomplete")
    fallback = doc.select(".analysis-body p.untranslated")
    assert len(fallback) == 1 and fallback[0]["lang"] == "en"
    assert fallback[0].get_text().startswith("Relations between Russia and NATO")
    manifest = json.loads((project / "site/manifest.json").read_text())
    tr = next(a for a in manifest["articles"] if a["slug"] == SLUGS[0])["languages"]["tr"]
    assert 0.9 < tr["translated"] < 1.0
    assert page(project / "site", "tr/index.html").select_one(".badge.incomplete")


def test_broken_footnote_translation_is_reported_and_not_published(project, run):
    line = _edit_po(project, TR_PO, "On the other hand, the US wants", "ABD %2 istiyor.[^8] Polonya %4.[^8]")
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 0
    assert f"{TR_PO}:{line}: warning: translation drops [^7] and adds [^8]" in err
    doc = page(project / "site", article("tr", SLUGS[0]))
    para = doc.select_one("p.untranslated")
    assert para.get_text().startswith("On the other hand, the US wants")
    assert _footnotes(doc) == _footnotes(page(project / "site", article("en", SLUGS[0])))
    # strict mode makes the warning fatal
    code, _, err = run(project, "build", "--no-pdf", "--strict")
    assert code == 1 and f"{TR_PO}:{line}: warning: translation drops" in err


def test_script_in_a_translation_is_text(project, run):
    _edit_po(project, TR_PO, "Relations between Russia and NATO", "<script>alert('x')</script> Metin.")
    _edit_po(project, TR_PO, "The US Role in NATO-Russia Tensions", "<script>alert('t')</script>")
    assert run(project, "build", "--no-pdf")[0] == 0
    html = (project / "site" / article("tr", SLUGS[0])).read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt; Metin." in html
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in html


def test_missing_ui_translation_fails_the_build(project, run):
    rel = "locales/tr/LC_MESSAGES/messages.po"
    cat = read_catalog(project / rel, rel, "tr", "messages")
    cat["Notes"].string = ""
    (project / rel).write_bytes(serialize(cat))
    line = read_catalog(project / rel, rel, "tr", "messages")["Notes"].lineno
    code, _, err = run(project, "build", "--no-pdf")
    assert code == 1
    assert f"{rel}:{line}: error: missing UI translation of 'Notes' (used in templates/article.html:" in err
    assert not (project / "site").exists()


def test_a_copy_of_the_project_builds_on_its_own(project, tmp_path):
    """build.py works on the directory that holds it, whatever the current directory."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([sys.executable, str(project / "build.py"), "build", "--no-pdf"], cwd=elsewhere,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert (project / "site/tr/index.html").is_file()
    assert not (elsewhere / "site").exists()


def test_build_never_rewrites_catalogs(project, run):
    before = {p: p.read_bytes() for p in (project / "locales").rglob("*") if p.is_file()}
    assert run(project, "build", "--no-pdf")[0] == 0
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*") if p.is_file()} == before


def test_article_written_in_turkish_translates_to_english_and_russian(project, run):
    (project / "content/analyses/turkce-analiz.md").write_text(
        "---\ntitle: Türkçe bir analiz\ndate: 2025-01-10\nauthor: editors\nlang: tr\nsummary: Özet.\n---\n\n"
        "Birinci paragraf.[^1]\n\n[^1]: Kaynak.\n",
        encoding="utf-8",
    )
    assert run(project, "update")[0] == 0
    en = project / "locales/en/LC_MESSAGES/turkce-analiz.po"
    cat = read_catalog(en, "en.po", "en", "turkce-analiz")
    for message, text in zip([m for m in cat if m.id], ["A Turkish analysis", "Summary.", "First paragraph.[^1]", "Source."]):
        message.string = text
    en.write_bytes(serialize(cat))
    assert run(project, "build", "--no-pdf")[0] == 0
    doc = page(project / "site", article("en", "turkce-analiz"))
    assert doc.h1.get_text() == "A Turkish analysis"
    assert doc.select_one(".translation-note").get_text() == "Original language: Turkish"
    tr = page(project / "site", article("tr", "turkce-analiz"))
    assert tr.h1.get_text() == "Türkçe bir analiz" and not tr.select_one(".translation-note")
    ru = page(project / "site", article("ru", "turkce-analiz"))
    assert ru.select_one(".notice.incomplete") and ru.select_one("p.untranslated")["lang"] == "tr"


@pytest.mark.parametrize("slug", SLUGS)
def test_identity_catalog_renders_exactly_the_source_article(project, run, slug):
    """Every msgstr = msgid in the Turkish catalog: the Turkish article body and notes
    are byte-identical to the English ones."""
    rel = f"locales/tr/LC_MESSAGES/{slug}.po"
    cat = read_catalog(project / rel, rel, "tr", slug)
    for message in cat:
        if message.id and "tag" not in message.auto_comments:  # a tag is also a topic's name
            message.string = message.id
    (project / rel).write_bytes(serialize(cat))
    assert run(project, "build", "--no-pdf", "--strict")[0] == 0
    en = page(project / "site", article("en", slug))
    tr = page(project / "site", article("tr", slug))
    for selector in [".analysis-body", "section.footnotes ol", "h1", ".summary"]:
        a, b = str(en.select_one(selector)), str(tr.select_one(selector))
        # back-link labels are UI text in the page's language; everything else is equal
        a = re.sub(r'aria-label="[^"]*"', "", a)
        b = re.sub(r'aria-label="[^"]*"', "", b)
        assert a == b, selector
    assert not tr.select(".untranslated") and not tr.select_one(".notice.incomplete")


def test_a_build_spaces_garbage_collections_and_restores_the_collector(project, run, monkeypatch):
    """Fewer collections while the build holds its large data (``build.COLLECT_EVERY``);
    the process's own settings again after it, whether it succeeded or failed."""
    import gc

    from pressroom.site import build

    seen = []
    real = build.load_state
    monkeypatch.setattr(build, "load_state", lambda config: (seen.append(gc.get_threshold()), real(config))[1])
    before = gc.get_threshold()
    assert run(project, "build", "--no-pdf")[0] == 0
    assert seen == [(build.COLLECT_EVERY, *before[1:])] and gc.get_threshold() == before
    rel = "locales/tr/LC_MESSAGES/messages.po"  # then a build that fails
    cat = read_catalog(project / rel, rel, "tr", "messages")
    cat["Notes"].string = ""
    (project / rel).write_bytes(serialize(cat))
    assert run(project, "build", "--no-pdf")[0] == 1
    assert len(seen) == 2 and gc.get_threshold() == before
