"""The editor's web application through an in-process client (Starlette's TestClient):
routes and statuses, saving one entry, conflicts, failed saves, escaping, path
traversal, tokens, CSRF, machine drafts, the preview and the rebuild of site/."""

from __future__ import annotations

import argparse
import difflib
import errno
import re
import time
import warnings
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, copy_project
from libretranslate_server import FakeTranslator

from pressroom.catalogs.files import read_catalog
from pressroom.cli import main
from pressroom.commands import serve
from pressroom.config import load_config
from pressroom.editor import ROUTES, Drafts, Security, Settings, create_app
from pressroom.editor import store as store_module
from pressroom.po import PoText, entry_key

with warnings.catch_warnings():  # Starlette 1.x suggests httpx2; httpx (the test extra) works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

ARTICLE = "us-role-in-nato-russia-tensions"
TR = f"locales/tr/LC_MESSAGES/{ARTICLE}.po"
API = f"/edit/api/catalogs/tr/{ARTICLE}"
TITLE = "The US Role in NATO-Russia Tensions"
NOTES = "The February 24, 2022, Russia-Ukraine War"  # a paragraph calling notes 1, 2, 3
CITATION = "“What Was the Berlin Wall"  # footnote 2
TAG = "North Korea"


# -- helpers shared with the browser tests -----------------------------------------------


def edit_entry(project: Path, rel: str, start: str, **change) -> str:
    """Change one entry of a catalog of ``project`` on disk (as a translator's other
    tool would); returns its msgid."""
    path = project / rel
    text = PoText(path.read_text(encoding="utf-8"))
    block = next(b for b in text.entries if b.msgid.startswith(start))
    values = {"msgstr": block.msgstr, "fuzzy": block.fuzzy, "comment": None} | change
    path.write_text(text.replace_entry(block, **values), encoding="utf-8")
    return block.msgid


def prepare(project: Path) -> dict[str, str]:
    """Blank and fuzz a few entries of the Turkish catalog (the shipped ones are
    complete); returns name -> msgid."""
    return {
        "blank": edit_entry(project, TR, NOTES, msgstr=""),
        "fuzzy": edit_entry(project, TR, TITLE, fuzzy=True),
        "tag": edit_entry(project, TR, TAG, msgstr=""),
    }


def shipped(msgid: str, rel: str = TR) -> str:
    """The translation of ``msgid`` in the repository's own catalog (complete, reviewed)."""
    return PoText((ROOT / rel).read_text(encoding="utf-8")).find(msgid).msgstr


def one_entry_diff(old: str, new: str, msgid: str) -> bool:
    """Whether ``new`` differs from ``old`` in the lines of the entry ``msgid`` only."""
    block = PoText(old).find(msgid)
    matcher = difflib.SequenceMatcher(None, old.splitlines(True), new.splitlines(True), autojunk=False)
    changes = [(i1, i2) for op, i1, i2, _, _ in matcher.get_opcodes() if op != "equal"]
    return bool(changes) and all(block.start <= i1 <= i2 <= block.end for i1, i2 in changes)


# -- fixtures ----------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project")
    prepare(root)
    return root


def make_client(project: Path, **settings) -> TestClient:
    settings.setdefault("rebuild", False)
    settings.setdefault("security", Security(hosts=frozenset({"testserver"})))
    return TestClient(create_app(load_config(project), Settings(**settings)))


@pytest.fixture
def client(project: Path):
    with make_client(project) as client:
        yield client


def csrf(client: TestClient, cookie: str = "pressroom-csrf") -> dict[str, str]:
    """Open the editor as a browser does; returns the headers a state-changing request needs."""
    page = client.get("/edit/")
    token = BeautifulSoup(page.text, "html.parser").find("meta", attrs={"name": "csrf-token"})["content"]
    assert client.cookies.get(cookie) == token
    return {"X-CSRF-Token": token}


def entry(client: TestClient, start: str, api: str = API) -> dict:
    return next(e for e in client.get(api).json()["entries"] if e["msgid"].startswith(start))


def save(client: TestClient, view: dict, headers: dict, api: str = API, **change):
    body = {"msgstr": view["msgstr"], "fuzzy": view["fuzzy"], "comment": view["comment"], "base": view["base"]}
    return client.put(f"{api}/entries/{view['key']}", json=body | change, headers=headers)


# -- routes ------------------------------------------------------------------------------

KEY = entry_key(TAG)
TABLE = [
    ("GET", "/edit", 307),
    ("GET", "/edit/", 200),
    ("GET", f"/edit/tr/{ARTICLE}", 200),
    ("GET", "/edit/ru/authors/zeki-talustan-gulten", 200),
    ("GET", "/edit/tr/messages", 200),
    ("GET", f"/edit/en/{ARTICLE}", 404),  # the source language has no catalog
    ("GET", f"/edit/de/{ARTICLE}", 404),
    ("GET", "/edit/tr/no-such-analysis", 404),
    ("GET", f"/edit/preview/tr/{ARTICLE}", 200),
    ("GET", "/edit/preview/ru/authors/editors", 200),
    ("GET", "/edit/preview/tr/messages", 404),  # UI strings have no page of their own
    ("GET", "/edit/static/catalog.js", 200),
    ("GET", "/edit/static/editor.css", 200),
    ("GET", "/edit/static/app.py", 404),
    ("GET", "/edit/api/status", 200),
    ("GET", "/edit/api/catalogs", 200),
    ("GET", API, 200),
    ("GET", f"{API}/version", 200),
    ("GET", "/edit/api/catalogs/tr/authors/editors", 200),
    ("GET", "/edit/api/catalogs/ru/messages", 200),
    ("GET", "/edit/api/catalogs/tr/no-such-analysis", 404),
    ("GET", "/edit/api/nothing-here", 404),
    ("PUT", f"{API}/entries/{KEY}", 200),
    ("PUT", f"{API}/entries/000000000000", 404),
    ("PUT", f"{API}/entries/not-a-key", 404),
    ("PUT", f"/edit/api/catalogs/tr/no-such-analysis/entries/{KEY}", 404),
    ("POST", f"{API}/entries/{KEY}/check", 200),
    ("POST", f"{API}/entries/000000000000/check", 404),
    ("GET", f"{API}/entries/{KEY}/check", 404),
    ("DELETE", f"{API}/entries/{KEY}", 405),
]


@pytest.mark.parametrize(("method", "path", "status"), TABLE, ids=[f"{m} {p}" for m, p, _ in TABLE])
def test_routes(client, method, path, status):
    headers = csrf(client)
    body = None
    if method == "PUT":
        body = {"msgstr": "Kuzey Kore", "fuzzy": False, "comment": "",
                "base": {"msgstr": "", "flags": [], "comment": ""}}
    elif method == "POST":
        body = {"msgstr": "Kuzey Kore"}
    response = client.request(method, path, json=body, headers=headers, follow_redirects=False)
    assert response.status_code == status, response.text[:300]
    if path.startswith("/edit/api/") and status != 405:
        assert response.headers["content-type"].startswith("application/json")


def test_every_route_and_serve_option_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Editor"):]
    section = section[: section.find("\n## ", 4)]
    for method, path in ROUTES:
        assert f"{method} {path}" in re.sub(r" +", " ", section), path
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    for action in parser._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert option in section, option


def test_dashboard_counts_each_catalog(client):
    documents = client.get("/edit/api/catalogs").json()["documents"]
    tr = next(d for d in documents if d["domain"] == ARTICLE)["catalogs"]["tr"]
    assert (tr["translated"], tr["fuzzy"], tr["untranslated"], tr["failing"]) == (24, 1, 2, 0)
    assert tr["url"] == f"/edit/tr/{ARTICLE}" and tr["path"] == TR
    assert [d["kind"] for d in documents] == ["analysis", "analysis", "author", "author", "ui"]
    ru = next(d for d in documents if d["domain"] == ARTICLE)["catalogs"]["ru"]
    assert (ru["translated"], ru["untranslated"]) == (27, 0)


def test_entries_come_in_source_order_with_their_context(client):
    data = client.get(API).json()
    entries = data["entries"]
    assert [e["kinds"][0] for e in entries[:3]] == ["title", "summary", "tag"]
    assert [e["number"] for e in entries] == list(range(1, len(entries) + 1))
    note = next(e for e in entries if e["msgid"].startswith(CITATION))
    assert note["kinds"] == ["footnote 2"]
    assert note["locations"][0].startswith(f"content/analyses/{ARTICLE}.md:")
    assert note["state"] == "translated" and note["line"] > 0
    paragraph = next(e for e in entries if e["msgid"].startswith(NOTES))
    assert paragraph["state"] == "untranslated" and paragraph["msgstr"] == ""
    assert '<a href="#fn-1" role="doc-noteref">1</a>' in paragraph["source_html"]
    assert entries[0]["state"] == "fuzzy"
    assert data["preview"] == f"/edit/preview/tr/{ARTICLE}"


# -- saving ------------------------------------------------------------------------------


def test_a_save_writes_that_entry_only(client, project):
    headers = csrf(client)
    before = (project / TR).read_text(encoding="utf-8")
    view = entry(client, NOTES)
    text = shipped(view["msgid"])
    response = save(client, view, headers, msgstr=text)
    assert response.status_code == 200, response.text
    saved = response.json()["entry"]
    assert saved["state"] == "translated" and saved["msgstr"] == text and saved["findings"] == []
    after = (project / TR).read_text(encoding="utf-8")
    assert one_entry_diff(before, after, view["msgid"])
    assert read_catalog(project / TR, TR, "tr", ARTICLE).get(view["msgid"]).string == text
    assert response.json()["summary"]["untranslated"] == 1


def test_fuzzy_flag_and_comment_are_saved(client, project):
    headers = csrf(client)
    view = entry(client, TITLE)
    response = save(client, view, headers, fuzzy=False, comment="checked with the author")
    assert response.status_code == 200
    message = read_catalog(project / TR, TR, "tr", ARTICLE).get(view["msgid"])
    assert not message.fuzzy and message.user_comments == ["checked with the author"]
    view = response.json()["entry"]
    response = save(client, view, headers, fuzzy=True)
    assert response.json()["entry"]["state"] == "fuzzy"


def test_a_later_save_from_an_older_version_is_a_conflict_showing_both(client, project):
    headers = csrf(client)
    first = entry(client, TAG)  # both translators opened the entry
    second = dict(first)
    assert save(client, first, headers, msgstr="Kuzey Kore").status_code == 200
    response = save(client, second, headers, msgstr="K. Kore")
    assert response.status_code == 409
    data = response.json()
    assert data["theirs"]["msgstr"] == "Kuzey Kore" and data["yours"]["msgstr"] == "K. Kore"
    assert "someone else" in data["error"]
    assert PoText((project / TR).read_text(encoding="utf-8")).find(TAG).msgstr == "Kuzey Kore"
    # Choosing to overwrite, having seen both: the base is now what is on disk.
    response = save(client, second | {"base": data["base"]}, headers, msgstr="K. Kore")
    assert response.status_code == 200
    assert PoText((project / TR).read_text(encoding="utf-8")).find(TAG).msgstr == "K. Kore"


def test_the_same_save_twice_is_no_conflict(client):
    headers = csrf(client)
    view = entry(client, TAG)
    assert save(client, view, headers, msgstr="Kuzey Kore").status_code == 200
    assert save(client, view, headers, msgstr="Kuzey Kore").status_code == 200


def test_a_change_on_disk_is_picked_up_and_conflicts(client, project):
    headers = csrf(client)
    view = entry(client, TAG)
    version = client.get(f"{API}/version").json()["version"]
    edit_entry(project, TR, TAG, msgstr="Kuzey Kore (Poedit)")  # another tool, or git pull
    assert client.get(f"{API}/version").json()["version"] != version
    assert entry(client, TAG)["msgstr"] == "Kuzey Kore (Poedit)"
    response = save(client, view, headers, msgstr="Kuzey Kore")
    assert response.status_code == 409
    assert response.json()["theirs"]["msgstr"] == "Kuzey Kore (Poedit)"


@pytest.mark.parametrize(("code", "status", "words"), [
    (errno.ENOSPC, 507, "No space left on device"),
    (errno.EACCES, 500, "Permission denied"),
])
def test_a_failed_save_says_so_and_changes_nothing(client, project, monkeypatch, code, status, words):
    headers = csrf(client)
    before = (project / TR).read_bytes()

    def failing(path, data):
        raise OSError(code, words)

    monkeypatch.setattr(store_module, "write_atomic", failing)
    response = save(client, entry(client, TAG), headers, msgstr="Kuzey Kore")
    assert response.status_code == status
    assert response.json()["error"] == f"{TR} was not saved: {words}"
    assert (project / TR).read_bytes() == before


@pytest.mark.parametrize(("body", "status"), [
    ({"fuzzy": False}, 400),
    ({"msgstr": 3, "fuzzy": False}, 400),
    ({"msgstr": "x", "fuzzy": "yes"}, 400),
    ({"msgstr": "x", "fuzzy": False, "base": {"msgstr": "x"}}, 400),
    ({"msgstr": "x", "fuzzy": False, "base": "old"}, 400),
])
def test_malformed_saves_are_refused(client, body, status):
    response = client.put(f"{API}/entries/{KEY}", json=body, headers=csrf(client))
    assert response.status_code == status


def test_a_save_must_be_json(client):
    headers = csrf(client) | {"Content-Type": "text/plain"}
    response = client.put(f"{API}/entries/{KEY}", content=b'{"msgstr": "x"}', headers=headers)
    assert response.status_code == 415


# -- checks, drafts, preview -------------------------------------------------------------


def test_checks_of_a_text_being_typed(client):
    headers = csrf(client)
    key = entry(client, NOTES)["key"]
    response = client.post(f"{API}/entries/{key}/check", json={"msgstr": "Savaş sarstı.[^1] [^2]"}, headers=headers)
    findings = response.json()["findings"]
    assert {"check": "footnote-refs", "severity": "error"}.items() <= findings[0].items()
    assert "drops [^3]" in findings[0]["message"]
    assert '<a href="#fn-2" role="doc-noteref">2</a>' in response.json()["html"]
    clean = shipped(entry(client, NOTES)["msgid"])
    assert client.post(f"{API}/entries/{key}/check", json={"msgstr": clean}, headers=headers).json()["findings"] == []


def test_flags_that_silence_nothing_are_shown_as_build_py_check_reports_them(project):
    """A comment flag naming no check, or a check that cannot be silenced: the editor
    gives the warnings of ``build.py check`` (one list of them, ``checks.flag_warnings``)."""
    edit_entry(project, TR, NOTES, comment="no-footnote-refs-check, no-numbres-check")
    with make_client(project) as client:
        key = entry(client, NOTES)["key"]
        response = client.post(f"{API}/entries/{key}/check", json={"msgstr": "Savaş sarstı.[^1] [^2]"},
                               headers=csrf(client))
    findings = response.json()["findings"]
    assert findings[0]["check"] == "footnote-refs"  # not silenced
    flags = [f for f in findings if f["check"] == "flags"]
    assert len(flags) == 2 and not any(f["blocks"] for f in flags)
    assert "flag no-footnote-refs-check silences nothing" in flags[0]["message"]
    assert flags[1]["message"].startswith("unknown flag no-numbres-check")


def test_suggest_gives_a_fuzzy_machine_draft(project):
    with FakeTranslator() as server, make_client(project, drafts=Drafts("libre", server.url)) as client:
        headers = csrf(client)
        view = entry(client, TAG)
        response = client.post(f"{API}/entries/{view['key']}/suggest", json={}, headers=headers)
        assert response.status_code == 200, response.text
        draft = response.json()
        assert draft == {"msgstr": "tr:North tr:Korea", "fuzzy": True, "engine": "libre",
                         "comment": draft["comment"]}
        assert draft["comment"].startswith("machine translation: libre, ")
        assert server.requests[0]["source"] == "en" and server.requests[0]["target"] == "tr"
        assert entry(client, TAG)["msgstr"] == ""  # a draft is not saved until the translator saves it


def test_suggest_reports_an_unreachable_engine(project):
    with make_client(project, drafts=Drafts("libre", "http://127.0.0.1:9/", timeout=2)) as client:
        response = client.post(f"{API}/entries/{KEY}/suggest", json={}, headers=csrf(client))
        assert response.status_code == 502
        assert "cannot reach libre" in response.json()["error"]


def test_preview_is_the_published_page_marked_for_the_editor(client):
    headers = csrf(client)
    page = BeautifulSoup(client.get(f"/edit/preview/tr/{ARTICLE}").text, "html.parser")
    assert page.html["lang"] == "tr"
    assert page.find("base")["href"] == f"/tr/analyses/{ARTICLE}/"
    blank = page.find(attrs={"data-entry": entry_key(entry(client, NOTES)["msgid"])})
    assert blank.name == "p" and "pr-untranslated" in blank["class"] and "untranslated" in blank["class"]
    note = page.find(attrs={"data-entry": entry_key(entry(client, CITATION)["msgid"])})
    assert note.find_parent("li")["id"] == "fn-2" and "pr-translated" in note["class"]
    assert page.find("section", class_="footnotes")
    view = entry(client, NOTES)
    save(client, view, headers, msgstr="Savaş sarstı.[^1] Rekabet[^2] döndü.[^3]", fuzzy=True)
    page = BeautifulSoup(client.get(f"/edit/preview/tr/{ARTICLE}").text, "html.parser")
    fuzzy = page.find(attrs={"data-entry": view["key"]})
    assert "pr-fuzzy" in fuzzy["class"] and "Savaş" not in fuzzy.text  # fuzzy: published in English
    save(client, entry(client, NOTES), headers, fuzzy=False)
    page = BeautifulSoup(client.get(f"/edit/preview/tr/{ARTICLE}").text, "html.parser")
    assert page.find(attrs={"data-entry": view["key"]}).text.startswith("Savaş sarstı.")


def test_preview_keeps_templates_and_ui_translations_while_they_do_not_change(client):
    previewer = client.app.state.editor.previewer
    client.get(f"/edit/preview/tr/{ARTICLE}")
    renderer = previewer._renderer
    client.get(f"/edit/preview/ru/{ARTICLE}")
    assert previewer._renderer is renderer  # templates compiled once, not per preview


def test_preview_is_a_build_of_its_own_and_shows_an_authors_new_name(client, project):
    author = project / "content/authors/zeki-talustan-gulten.md"
    page = BeautifulSoup(client.get(f"/edit/preview/tr/{ARTICLE}").text, "html.parser")
    assert "Zeki Talustan Gülten" in page.select_one(".author-box").text
    text = author.read_text(encoding="utf-8")
    author.write_text(text.replace("name: Zeki Talustan Gülten", "name: Zeki T. Gülten"), encoding="utf-8")
    page = BeautifulSoup(client.get(f"/edit/preview/tr/{ARTICLE}").text, "html.parser")
    assert "Zeki T. Gülten" in page.select_one(".author-box").text



@pytest.mark.parametrize("lang", ["tr", "ru"])  # previews are of catalogs: no "en"
def test_an_authors_preview_lists_the_analyses_as_the_built_page_does(client, project, lang):
    assert main(["build", "--no-pdf"], project=project) == 0
    built = (project / f"site/{lang}/authors/zeki-talustan-gulten/index.html").read_text(encoding="utf-8")
    preview = client.get(f"/edit/preview/{lang}/authors/zeki-talustan-gulten").text
    rows = [BeautifulSoup(html, "html.parser").select(".article-list li") for html in (built, preview)]
    assert rows[0] and [str(li) for li in rows[1]] == [str(li) for li in rows[0]]



# -- translation memory ------------------------------------------------------------------

OTHER = "how-nato-should-refine-its-russia-policy"


def exactly(client, msgid: str, domain: str = ARTICLE) -> dict:
    return next(e for e in client.get(f"/edit/api/catalogs/tr/{domain}").json()["entries"] if e["msgid"] == msgid)


def memory(client, msgid: str, domain: str = ARTICLE) -> list[dict]:
    key = exactly(client, msgid, domain)["key"]
    response = client.get(f"/edit/api/catalogs/tr/{domain}/entries/{key}/memory")
    assert response.status_code == 200
    return response.json()["matches"]


def test_memory_offers_the_other_analysis_translation_of_a_shared_text(client, project):
    [match] = [m for m in memory(client, "sanctions") if m["score"] == 1]
    assert match["target"] == "yaptırımlar" and match["origin"].startswith(f"{OTHER}:")
    assert match["diff"] == [["=", "sanctions"]]
    assert all(not m["origin"].startswith(f"{ARTICLE}:") for m in memory(client, "sanctions"))  # never itself


def test_memory_offers_a_near_match_with_its_word_diff_and_follows_saves(client, project):
    rel = f"locales/tr/LC_MESSAGES/{OTHER}.po"
    catalog = read_catalog(project / rel, rel, "tr", OTHER)
    source = next(m.id for m in catalog if m.id and len(m.id.split()) > 12 and "[^" not in m.id and m.string)
    words = source.split()
    revised = " ".join(words[:-1] + ["indeed " + words[-1]])
    body = (project / f"content/analyses/{ARTICLE}.md").read_text(encoding="utf-8")
    (project / f"content/analyses/{ARTICLE}.md").write_text(body + f"\n{revised}\n", encoding="utf-8")
    assert main(["update"], project=project) == 0
    [best, *_] = memory(client, revised)
    assert best["target"] == catalog.get(source).string and 0.9 < best["score"] < 1
    assert ["+", "indeed "] in best["diff"] and "".join(t for op, t in best["diff"] if op != "+") == source
    # a translation saved in the other catalog is the memory from then on
    headers, other = csrf(client), f"/edit/api/catalogs/tr/{OTHER}"
    assert save(client, exactly(client, source, OTHER), headers, other, msgstr="Yeni çeviri.").status_code == 200
    assert memory(client, revised)[0]["target"] == "Yeni çeviri."
    # a fuzzy one is not
    assert save(client, exactly(client, source, OTHER), headers, other, msgstr="Taslak.", fuzzy=True).status_code == 200
    assert all(m["target"] != "Taslak." for m in memory(client, revised))


# -- escaping ----------------------------------------------------------------------------

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A project whose source and translation hold markup that must stay text."""
    root = copy_project(tmp_path / "hostile")
    source = root / f"content/analyses/{ARTICLE}.md"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("\n\n[^1]:", f"\n\nSee {SCRIPT} here.\n\n[^1]:", 1), encoding="utf-8")
    assert main(["update"], project=root) == 0
    edit_entry(root, TR, "See <script>", msgstr=f'Bakınız {SCRIPT} <img src=x onerror="alert(1)">.')
    return root


def test_markup_in_msgid_and_msgstr_is_text_everywhere(hostile):
    with make_client(hostile) as client:
        headers = csrf(client)
        view = entry(client, "See <script>")
        assert "<script>" not in view["source_html"] and "&lt;script&gt;" in view["source_html"]
        assert "<img" not in view["translation_html"] and "&lt;img" in view["translation_html"]
        response = client.post(f"{API}/entries/{view['key']}/check", json={"msgstr": SCRIPT}, headers=headers)
        assert response.json()["html"] == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        preview = client.get(f"/edit/preview/tr/{ARTICLE}")
        assert "<script" not in preview.text and "<img" not in preview.text
        assert "&lt;script&gt;" in preview.text
        assert "script-src 'none'" in preview.headers["content-security-policy"]
        shell = client.get(f"/edit/tr/{ARTICLE}")
        assert shell.text.count("<script") == 1  # the editor's own module only
        assert "script-src 'self'" in shell.headers["content-security-policy"]


# -- path traversal ----------------------------------------------------------------------

TRAVERSALS = [
    "/%2e%2e/pyproject.toml",
    "/..%2fpyproject.toml",
    "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/..%2f..%2fpyproject.toml",
    "/edit/static/..%2fapp.py",
    "/edit/static/%2e%2e/%2e%2e/project.py",
    "/edit/api/catalogs/tr/..%2f..%2f..%2fpyproject",
    "/edit/api/catalogs/tr/..%2Ftr%2FLC_MESSAGES%2Fmessages",
    "/edit/api/catalogs/..%2f..%2fcontent/analyses",
    "/edit/api/catalogs/tr/authors%2f..%2f..%2f..%2fpyproject",
    f"/edit/preview/tr/..%2f..%2fcontent%2fanalyses%2f{ARTICLE}",
    "/edit/tr/%2e%2e%2f%2e%2e%2fpyproject",
    "/leak.toml",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_paths_never_reach_outside_locales_and_site(project, path):
    (project / "site").mkdir()
    (project / "site/index.html").write_text("<p>site</p>", encoding="utf-8")
    (project / "site/leak.toml").symlink_to(project / "pyproject.toml")
    with make_client(project) as client:
        assert client.get("/").text == "<p>site</p>"
        response = client.get(path)
        assert response.status_code in (400, 404), path
        assert "[tool.pressroom]" not in response.text and "root:" not in response.text
        headers = csrf(client)
        response = client.put(path + f"/entries/{KEY}", json={"msgstr": "x", "fuzzy": False}, headers=headers)
        assert response.status_code in (400, 404, 405)


# -- tokens ------------------------------------------------------------------------------

TOKENS = {"all-languages-token": None, "turkish-only-token": "tr"}


@pytest.fixture
def guarded(project: Path):
    security = Security(tokens=dict(TOKENS), hosts=None)
    with make_client(project, security=security) as client:
        yield client


@pytest.mark.parametrize(("path", "headers", "status"), [
    ("/edit/", {}, 401),
    ("/edit/api/catalogs", {}, 401),
    ("/", {}, 401),
    (f"/edit/preview/tr/{ARTICLE}", {}, 401),
    ("/edit/?token=wrong", {}, 401),
    ("/edit/api/catalogs", {"Authorization": "Bearer wrong"}, 401),
    ("/edit/api/catalogs", {"Authorization": "Bearer all-languages-token"}, 200),
    ("/edit/api/catalogs", {"Authorization": "token turkish-only-token"}, 200),
    (API, {"Authorization": "Bearer turkish-only-token"}, 200),
    ("/edit/api/catalogs/ru/messages", {"Authorization": "Bearer turkish-only-token"}, 403),
    (f"/edit/ru/{ARTICLE}", {"Authorization": "Bearer turkish-only-token"}, 403),
    (f"/edit/preview/ru/{ARTICLE}", {"Authorization": "Bearer turkish-only-token"}, 403),
    ("/edit/api/catalogs/ru/messages", {"Authorization": "Bearer all-languages-token"}, 200),
])
def test_tokens(guarded, path, headers, status):
    assert guarded.get(path, headers=headers, follow_redirects=False).status_code == status


def test_a_token_in_the_url_becomes_a_cookie(guarded):
    response = guarded.get("/edit/?token=turkish-only-token&x=1", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/edit/?x=1"
    assert "httponly" in response.headers["set-cookie"].lower()
    assert guarded.get("/edit/").status_code == 200
    languages = guarded.get("/edit/api/status").json()["languages"]
    assert [lang["code"] for lang in languages] == ["tr"]
    documents = guarded.get("/edit/api/catalogs").json()["documents"]
    assert {lang for d in documents for lang in d["catalogs"]} == {"tr"}
    headers = csrf(guarded)
    ru = f"/edit/api/catalogs/ru/{ARTICLE}/entries/{KEY}"
    response = guarded.put(ru, json={"msgstr": "x", "fuzzy": False}, headers=headers)
    assert response.status_code == 403 and "only edit tr" in response.json()["error"]


# -- CSRF and Host -----------------------------------------------------------------------


def test_state_changing_requests_need_the_csrf_token(client, project):
    headers = csrf(client)
    good = headers["X-CSRF-Token"]
    nonce = good.split(".")[0]
    url = f"{API}/entries/{KEY}"
    body = {"msgstr": "Kuzey Kore", "fuzzy": False, "comment": "", "base": {"msgstr": "", "flags": [], "comment": ""}}
    before = (project / TR).read_bytes()
    refusals = [
        {},
        {"X-CSRF-Token": "forged"},
        {"X-CSRF-Token": good, "Origin": "http://evil.example"},
        {"X-CSRF-Token": good, "Origin": "null"},
        {"X-CSRF-Token": good, "Sec-Fetch-Site": "cross-site"},
        {"X-CSRF-Token": good, "Sec-Fetch-Site": "same-site"},
    ]
    for extra in refusals:
        response = client.put(url, json=body, headers=extra)
        assert response.status_code == 403, extra
        response = client.post(f"{url}/check", json={"msgstr": "x"}, headers=extra)
        assert response.status_code == 403, extra
    forged = f"{nonce}.{'0' * 32}"
    client.cookies.set("pressroom-csrf", forged)
    assert client.put(url, json=body, headers={"X-CSRF-Token": forged}).status_code == 403
    client.cookies.delete("pressroom-csrf")
    assert client.put(url, json=body, headers=headers).status_code == 403  # no cookie
    assert (project / TR).read_bytes() == before
    client.cookies.set("pressroom-csrf", good)
    ok = {"X-CSRF-Token": good, "Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    assert client.put(url, json=body, headers=ok).status_code == 200


def test_an_unknown_host_is_refused(client):
    """DNS rebinding: a page of evil.example resolving to 127.0.0.1 gets nothing."""
    assert client.get("/edit/api/catalogs", headers={"Host": "evil.example:8000"}).status_code == 400
    assert client.get("/", headers={"Host": "evil.example:8000"}).status_code == 400


def test_security_headers(client):
    response = client.get("/edit/")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]


# -- the site, rebuilt on changes ---------------------------------------------------------


def test_the_site_is_served_and_rebuilt_when_a_catalog_changes(project):
    with make_client(project, rebuild=True, pdf=False) as client:
        editor = client.app.state.editor
        assert editor.rebuilder.wait_idle(60)
        assert editor.rebuilder.status["result"] == "ok"
        page = client.get(f"/tr/analyses/{ARTICLE}/")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-cache"
        assert '<span class="tag">North Korea</span>' in page.text  # blanked: published in English
        builds = editor.rebuilder.status["builds"]
        response = save(client, entry(client, TAG), csrf(client), msgstr="Kuzey Kore")
        assert response.status_code == 200
        deadline = time.monotonic() + 20
        while editor.rebuilder.status["builds"] == builds and time.monotonic() < deadline:
            time.sleep(0.1)
        assert editor.rebuilder.wait_idle(60)
        assert '<span class="tag">Kuzey Kore</span>' in client.get(f"/tr/analyses/{ARTICLE}/").text
        status = client.get("/edit/api/status").json()["site"]
        assert status["result"] == "ok" and status["builds"] >= builds + 1
