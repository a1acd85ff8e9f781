"""The editor's review toggle, search across catalogs and entry history, through the
in-process client (statuses, what is written, git and journal histories)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import copy_project
from test_editor_api import (
    API,
    ARTICLE,
    NOTES,
    TAG,
    TITLE,
    TR,
    csrf,
    entry,
    make_client,
    one_entry_diff,
    save,
)

from pressroom.editor import Security
from pressroom.editor import search as search_module
from pressroom.po import PoText, entry_key
from pressroom.po.review import review_mark


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def client(project: Path):
    with make_client(project) as client:
        yield client


def _on_disk(project: Path, msgid: str):
    return PoText((project / TR).read_text(encoding="utf-8")).find(msgid)


# -- review ------------------------------------------------------------------------------


def test_marking_reviewed_writes_the_mark_and_typing_a_new_text_clears_it(client, project):
    headers = csrf(client)
    view = entry(client, TITLE)
    assert view["reviewed"] is False and client.get(API).json()["summary"]["reviewed"] == 0
    before = (project / TR).read_text(encoding="utf-8")
    response = save(client, view, headers, reviewed=True)
    assert response.status_code == 200, response.text
    saved = response.json()
    assert saved["entry"]["reviewed"] is True and saved["summary"]["reviewed"] == 1
    assert saved["entry"]["comment"] == ""  # the mark is not the translator's comment
    after = (project / TR).read_text(encoding="utf-8")
    assert one_entry_diff(before, after, TITLE)
    assert f"# {review_mark(TITLE, None, view['msgstr'])}\n" in after
    # A comment saved later keeps the mark; a new text without the toggle clears it.
    view = saved["entry"]
    view = save(client, view, headers, comment="checked with the editors").json()["entry"]
    assert view["reviewed"] and view["comment"] == "checked with the editors"
    view = save(client, view, headers, msgstr=view["msgstr"] + "!", reviewed=False).json()["entry"]
    assert not view["reviewed"] and not _on_disk(project, TITLE).reviewed
    assert "reviewed:" not in (project / TR).read_text(encoding="utf-8")
    # A client that does not know review (no "reviewed" sent): a changed text is not reviewed.
    view = save(client, view, headers, reviewed=True).json()["entry"]
    assert view["reviewed"]
    view = save(client, {k: v for k, v in view.items()}, headers, msgstr="Yeni başlık").json()["entry"]
    assert not view["reviewed"]


def test_a_fuzzy_or_empty_entry_cannot_be_reviewed(client, project):
    headers = csrf(client)
    view = entry(client, TITLE)
    assert save(client, view, headers, fuzzy=True, reviewed=True).json()["entry"]["reviewed"] is False
    view = entry(client, TAG)
    assert save(client, view, headers, msgstr="", reviewed=True).json()["entry"]["reviewed"] is False
    assert "reviewed:" not in (project / TR).read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["yes", 1, [], {}])
def test_reviewed_must_be_true_or_false(client, value):
    headers = csrf(client)
    assert save(client, entry(client, TITLE), headers, reviewed=value).status_code == 400


def test_the_dashboard_counts_reviewed_entries(client):
    headers = csrf(client)
    save(client, entry(client, TITLE), headers, reviewed=True)
    documents = client.get("/edit/api/catalogs").json()["documents"]
    counts = {lang: c["reviewed"] for d in documents if d["domain"] == ARTICLE for lang, c in d["catalogs"].items()}
    assert counts == {"tr": 1, "ru": 0}


# -- search ------------------------------------------------------------------------------


def _search(client, lang: str, q: str, **kw):
    return client.get(f"/edit/api/search/{lang}", params={"q": q}, **kw)


def test_search_finds_sources_and_translations_in_every_catalog_of_a_language(client):
    found = _search(client, "tr", "nato").json()
    catalogs = {r["catalog"] for r in found["results"]}
    assert {f"tr/{ARTICLE}", "tr/how-nato-should-refine-its-russia-policy"} <= catalogs
    assert all(r["catalog"].startswith("tr/") for r in found["results"])
    title = next(r for r in found["results"] if r["key"] == entry_key(TITLE))
    assert title["in_source"] and title["in_translation"] and title["url"] == f"/edit/tr/{ARTICLE}#entry-{title['key']}"
    assert title["source"] == TITLE and title["number"] == 1 and title["line"] > 1
    # A text only the translation has, in Turkish case: "İ" and "i", "I" and "ı".
    turkish = _search(client, "tr", "KURUCU SENEDİ").json()["results"]
    assert turkish and all(not r["in_source"] and r["in_translation"] for r in turkish)
    assert "Kurucu Senedi" in turkish[0]["translation"]
    # The UI catalog too.
    ui = _search(client, "ru", "Translation status").json()["results"]
    assert [r["catalog"] for r in ui] == ["ru/messages"]
    assert ui[0]["translation"] == "Состояние перевода"


def test_search_results_are_bounded_and_excerpted(client, monkeypatch):
    assert len(_search(client, "tr", "e").json()["results"]) > 20
    monkeypatch.setattr(search_module, "LIMIT", 20)
    found = _search(client, "tr", "e").json()
    assert len(found["results"]) == 20 and found["more"] is True
    long = next(r for r in _search(client, "tr", "Berlin Wall").json()["results"] if r["source"].startswith("…"))
    assert "Berlin Wall" in long["source"] and len(long["source"]) < 300


@pytest.mark.parametrize(("lang", "q", "status"), [
    ("tr", "", 400), ("tr", "   ", 400), ("tr", "x" * 201, 400), ("tr", "a\x00b", 400),
    ("de", "nato", 404), ("en", "nato", 404), ("..", "nato", 404),
])
def test_bad_searches_are_refused(client, lang, q, status):
    response = _search(client, lang, q)
    assert response.status_code == status and "error" in response.json()


def test_a_language_token_searches_its_language_only(project):
    security = Security(tokens={"tr-token": "tr"}, hosts=None)
    with make_client(project, security=security) as client:
        auth = {"Authorization": "Bearer tr-token"}
        assert _search(client, "tr", "nato", headers=auth).status_code == 200
        assert _search(client, "ru", "nato", headers=auth).status_code == 403
        assert _search(client, "tr", "nato").status_code == 401


# -- history -----------------------------------------------------------------------------


def _history(client, msgid: str) -> dict:
    response = client.get(f"{API}/entries/{entry_key(msgid)}/history")
    assert response.status_code == 200, response.text
    return response.json()


def test_without_git_the_history_is_the_editors_journal(client, project):
    assert _history(client, TITLE) == {"source": "none", "versions": []}
    headers = csrf(client)
    first = entry(client, TITLE)["msgstr"]
    view = save(client, entry(client, TITLE), headers, msgstr="İkinci").json()["entry"]
    view = save(client, view, headers, reviewed=True).json()["entry"]  # the same text: one version
    save(client, view, headers, msgstr="Üçüncü")
    history = _history(client, TITLE)
    assert history["source"] == "journal"
    assert [v["msgstr"] for v in history["versions"]] == ["Üçüncü", "İkinci", first]
    assert [v["current"] for v in history["versions"]] == [True, False, False]
    assert history["versions"][0]["date"] and history["versions"][-1]["date"] == ""
    # Changed back to an earlier text: the newest version is the current one, the older
    # one with that text only the same text (nothing to restore).
    save(client, entry(client, TITLE), headers, msgstr="İkinci")
    versions = _history(client, TITLE)["versions"]
    assert [(v["msgstr"], v["current"], v["same"]) for v in versions] == [
        ("İkinci", True, True), ("Üçüncü", False, False), ("İkinci", False, True), (first, False, False)]
    journal = project / ".pressroom-cache/journal/tr" / f"{ARTICLE}.jsonl"
    records = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 4 and records[1]["after"]["reviewed"] is True
    # A line cut short by a crash does not hide the others.
    with journal.open("a", encoding="utf-8") as f:
        f.write('{"time": "2026-')
    assert len(_history(client, TITLE)["versions"]) == 4
    notes = client.get(f"{API}/entries/{entry(client, NOTES)['key']}/history").json()
    assert notes == {"source": "none", "versions": []}


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
                        "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(project), "PATH": "/usr/bin:/bin",
                        "GIT_AUTHOR_DATE": f"2026-01-0{len(args) % 9 + 1} 10:00:00 +0000"})


@pytest.mark.parametrize("top", ["project", "its parent"])
def test_in_a_git_repository_the_history_is_the_catalogs_log(project, top):
    repo = project if top == "project" else project.parent  # a project in a folder of a repository
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "Catalogs as shipped")
    path = project / TR

    def commit(start: str, msgstr: str, message: str) -> None:
        text = PoText(path.read_text(encoding="utf-8"))
        block = next(b for b in text.entries if b.msgid.startswith(start))
        path.write_text(text.replace_entry(block, msgstr=msgstr, fuzzy=False), encoding="utf-8")
        _git(project, "commit", "-qam", message)

    first = _on_disk(project, TITLE).msgstr
    commit(TITLE, "NATO-Rusya gerginliği ve ABD", "Title: shorter")
    commit(NOTES, "Başka bir paragraf.", "Another entry only")
    commit(TITLE, "ABD'nin rolü", "Title: <b>again</b>")
    with make_client(project) as client:
        history = _history(client, TITLE)
        assert history["source"] == "git"
        assert [(v["msgstr"], v["subject"]) for v in history["versions"]] == [
            ("ABD'nin rolü", "Title: <b>again</b>"),
            ("NATO-Rusya gerginliği ve ABD", "Title: shorter"),
            (first, "Catalogs as shipped"),
        ]
        assert all(len(v["commit"]) == 10 and v["date"] for v in history["versions"])
        assert history["versions"][0]["current"]
        # A save in the editor, not committed yet, comes from the journal.
        headers = csrf(client)
        save(client, entry(client, TITLE), headers, msgstr="Henüz kaydedilmedi")
        versions = _history(client, TITLE)["versions"]
        assert [(v["msgstr"], v["source"]) for v in versions[:2]] == [
            ("Henüz kaydedilmedi", "journal"), ("ABD'nin rolü", "git")]
