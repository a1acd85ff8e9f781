"""Topics: a page per tag and language, an overview, links from analyses and the index,
the PDF's title block, and one translation per tag and language."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from conftest import copy_tree

from pressroom.catalogs.files import read_catalog
from pressroom.config import load_config
from pressroom.errors import Report
from pressroom.html.pages import topic_slug
from pressroom.po.editor import PoText
from pressroom.sources.documents import load_content

LANGS = ("en", "tr", "ru")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def tags_of(root: Path) -> dict[str, list[str]]:
    """tag -> the analyses (slugs) that have it, from the sources."""
    content = load_content(load_config(root), Report())
    found: dict[str, list[str]] = {}
    for doc in content.analyses:
        for tag in doc.meta.get("tags", []):
            found.setdefault(tag, []).append(doc.slug)
    return found


def own_tags(root: Path, slug: str) -> list[str]:
    content = load_content(load_config(root), Report())
    return next(d for d in content.analyses if d.slug == slug).meta["tags"]


def translation(root: Path, lang: str, slug: str, msgid: str) -> str:
    if lang == "en":
        return msgid
    rel = f"locales/{lang}/LC_MESSAGES/{slug}.po"
    return read_catalog(root / rel, rel, lang, slug).get(msgid).string


@pytest.mark.parametrize("lang", LANGS)
def test_every_tag_has_a_topic_page_listing_its_analyses_by_their_translated_name(built_project, lang):
    site = built_project / "site"
    overview = soup(site / lang / "topics/index.html")
    listed = {a["href"].strip("/").split("/")[-1]: a.text for a in overview.select(".topic-list a")}
    tags = tags_of(built_project)
    assert set(listed) == {topic_slug(t) for t in tags}
    for tag, slugs in tags.items():
        name = translation(built_project, lang, slugs[0], tag)
        assert listed[topic_slug(tag)] == name
        page = soup(site / lang / "topics" / topic_slug(tag) / "index.html")
        assert page.h1.text == name and page.html["lang"] == lang
        links = {a["href"].rstrip("/").split("/")[-1] for a in page.select(".article-list h2 a")}
        assert links == set(slugs)
        count = overview.find("a", string=name).find_next_sibling("span", class_="count").text
        assert count == f"({len(slugs)})"


@pytest.mark.parametrize("lang", LANGS)
def test_analyses_and_the_index_link_their_topics_and_every_link_resolves(built_project, lang):
    site = built_project / "site"
    pages = [site / lang / "index.html", *sorted((site / lang / "analyses").glob("*/index.html")),
             *sorted((site / lang / "topics").rglob("index.html"))]
    seen = 0
    for page in pages:
        html = soup(page)
        for a in html.select("a.topic, .topic-list a, link[rel=alternate][hreflang]"):
            target = (page.parent / unquote(a["href"])).resolve()
            assert (target / "index.html").is_file() or target.is_file(), (page, a["href"])
            seen += 1
    assert seen > 20
    article = soup(site / lang / "analyses/us-role-in-nato-russia-tensions/index.html")
    names = [a.text for a in article.select(".tags a.topic")]
    tags = own_tags(built_project, "us-role-in-nato-russia-tensions")
    assert names == [translation(built_project, lang, "us-role-in-nato-russia-tensions", t) for t in tags]


@pytest.mark.pdf
def test_the_pdf_title_block_lists_the_topics(built_project):
    import pdfplumber

    for lang in LANGS:
        pdf = built_project / f"site/{lang}/analyses/us-role-in-nato-russia-tensions/us-role-in-nato-russia-tensions.{lang}.pdf"
        with pdfplumber.open(pdf) as document:
            first = " ".join(document.pages[0].extract_text().split())
        label = {"en": "Topics:", "tr": "Konular:", "ru": "Темы:"}[lang]
        names = [translation(built_project, lang, "us-role-in-nato-russia-tensions", t)
                 for t in own_tags(built_project, "us-role-in-nato-russia-tensions")]
        assert f"{label} {' · '.join(names)}" in first, first[:400]


def test_a_tag_translated_two_ways_is_reported_at_its_line_and_the_topic_keeps_one_name(tmp_path, built_project, run):
    root = copy_tree(built_project, tmp_path / "project")
    slug = "us-role-in-nato-russia-tensions"
    rel = f"locales/tr/LC_MESSAGES/{slug}.po"
    po = PoText((root / rel).read_text(encoding="utf-8"), rel)
    entry = po.find("sanctions")
    (root / rel).write_text(po.replace_entry(entry, msgstr="yaptırım", fuzzy=False), encoding="utf-8")
    code, out, err = run(root, "build", "--no-pdf")
    assert code == 0
    other = "how-nato-should-refine-its-russia-policy"
    names = {s: translation(root, "tr", s, "sanctions") for s in (slug, other)}
    assert names == {slug: "yaptırım", other: "yaptırımlar"}
    # one each: the newest analysis' name stands; the other is reported where it is
    newest = max((slug, other), key=lambda s: tags_date(root, s))
    shown = soup(root / "site/tr/topics/sanctions/index.html").h1.text
    assert shown == names[newest]
    older = other if newest == slug else slug
    line = read_catalog(root / f"locales/tr/LC_MESSAGES/{older}.po", "x", "tr", older).get("sanctions").lineno
    assert re.search(rf"^locales/tr/LC_MESSAGES/{older}\.po:{line}: warning: tag 'sanctions' is "
                     rf"'{names[older]}' here but '{names[newest]}'.*\[topics\]$", err, re.MULTILINE), err
    # the same warning on a build with nothing to do, and --strict makes it fatal
    code, _, err = run(root, "build", "--no-pdf")
    assert code == 0 and "[topics]" in err and "nothing to do" in err + _
    assert run(root, "build", "--no-pdf", "--strict")[0] == 1
    # a build that renders a page but no topic page reports it again (its cached group keeps it)
    body = f"locales/ru/LC_MESSAGES/{older}.po"
    po = PoText((root / body).read_text(encoding="utf-8"), body)
    paragraph = next(e for e in po.entries if "paragraph" in e.auto_comments and e.msgstr)
    (root / body).write_text(po.replace_entry(paragraph, msgstr=paragraph.msgstr + " Правка.", fuzzy=False),
                             encoding="utf-8")
    code, _, err = run(root, "build", "--no-pdf")
    assert code == 0 and "rendering 1 page(s)" in err and "[topics]" in err, err
    assert run(root, "build", "--no-pdf", "--strict")[0] == 1
    # one name again: no warning
    po = PoText((root / rel).read_text(encoding="utf-8"), rel)
    (root / rel).write_text(po.replace_entry(po.find("sanctions"), msgstr="yaptırımlar", fuzzy=False),
                            encoding="utf-8")
    code, _, err = run(root, "build", "--no-pdf", "--strict")
    assert code == 0 and "[topics]" not in err, err


def tags_date(root: Path, slug: str) -> str:
    text = (root / f"content/analyses/{slug}.md").read_text(encoding="utf-8")
    return re.search(r"^date: (\S+)", text, re.MULTILINE)[1]
