"""What the editor keeps between requests, and that it never goes stale or breaks:
the background build's status, machine translation engines used by several Suggests
at once, and the preview's caches (an author's new name shows without a restart)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from conftest import copy_project
from libretranslate_server import FakeTranslator
from test_editor_api import API, ARTICLE, TAG, csrf, edit_entry, entry, make_client, prepare

from pressroom.config import load_config
from pressroom.editor import Drafts
from pressroom.editor.rebuild import Rebuilder

SOURCE = f"content/analyses/{ARTICLE}.md"
AUTHOR = "content/authors/zeki-talustan-gulten.md"
AUTHOR_TR = "locales/tr/LC_MESSAGES/authors/zeki-talustan-gulten.po"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project")
    prepare(root)
    return root


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


# -- the background build ----------------------------------------------------------------


def build_once(rebuilder: Rebuilder) -> dict:
    builds = rebuilder.status["builds"]
    rebuilder.request()
    assert rebuilder.wait_idle(120), "the build did not finish"
    assert rebuilder.status["builds"] == builds + 1
    return dict(rebuilder.status)


@pytest.fixture
def rebuilder(project: Path):
    rebuilder = Rebuilder(load_config(project), pdf=False, log=lambda message: None)
    rebuilder.start(watch=False)
    assert rebuilder.wait_idle(120), "the first build did not finish"
    yield rebuilder
    rebuilder.stop()


def test_a_good_build_with_two_warnings_is_ok(project: Path, rebuilder: Rebuilder):
    append(project / SOURCE, "\n[^unused-1]: Never called.\n\n[^unused-2]: Never called either.\n")
    status = build_once(rebuilder)
    assert (status["state"], status["result"]) == ("ok", "ok"), status["problems"]
    unused = [p for p in status["problems"] if "unused-" in p]
    assert len(unused) == 2 and all(": warning: " in p for p in unused), status["problems"]
    assert status["problems"] == sorted(status["problems"], key=lambda p: (p.split(":")[0], int(p.split(":")[1])))
    assert status["warnings"] >= 2 and status["errors"] == 0


def test_a_failed_build_is_shown_and_the_next_change_is_built(project: Path, rebuilder: Rebuilder):
    source = project / SOURCE
    good = source.read_text(encoding="utf-8")
    append(source, "\nA call to a note nobody wrote.[^missing-1]\n\nAnd another.[^missing-2]\n")
    status = build_once(rebuilder)
    assert (status["state"], status["result"]) == ("failed", "failed")
    assert status["errors"] == 2 and all("missing-" in p for p in status["problems"] if ": error: " in p)
    assert all(thread.is_alive() for thread in rebuilder._threads), "the build thread died"

    source.write_text(good, encoding="utf-8")  # the author fixes it: the next build is made, and is ok
    status = build_once(rebuilder)
    assert (status["state"], status["result"], status["errors"]) == ("ok", "ok", 0)


def test_a_build_that_crashes_leaves_the_status_and_the_thread_working(project: Path, monkeypatch):
    from pressroom.editor import rebuild

    calls = []

    def build(config, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("a bug")
        return type("R", (), {"problems": []})()

    monkeypatch.setattr(rebuild, "build", build)
    rebuilder = Rebuilder(load_config(project), pdf=False, log=lambda message: None)
    rebuilder.start(watch=False)
    try:
        assert rebuilder.wait_idle(30)
        assert rebuilder.status["result"] == "failed" and "RuntimeError('a bug')" in rebuilder.status["problems"][0]
        assert build_once(rebuilder)["result"] == "ok"
    finally:
        rebuilder.stop()


# -- machine translation engines, several at once ------------------------------------------


def test_overlapping_suggests_each_get_their_own_engine_and_break_no_later_one(project: Path):
    """Two Suggests through two servers of one engine (libre) overlap: the first asks,
    the second asks while the first waits for its answer, the first gets its answer
    and finishes, then the second. Each gets its own server's answer, and a third
    Suggest afterwards still works."""
    first_asked, second_asked, second_may_answer = threading.Event(), threading.Event(), threading.Event()

    def first_hook(number: int) -> None:
        if number == 1:
            first_asked.set()
            assert second_asked.wait(30)

    def second_hook(number: int) -> None:
        second_asked.set()
        assert second_may_answer.wait(30)

    with (
        FakeTranslator(hook=first_hook) as first_server,
        FakeTranslator(hook=second_hook) as second_server,
        make_client(project, drafts=Drafts("libre", first_server.url, timeout=30)) as first,
        make_client(project, drafts=Drafts("libre", second_server.url, timeout=30)) as second,
    ):
        key = entry(first, TAG)["key"]
        ru_key = entry(second, "Russia", api=f"/edit/api/catalogs/ru/{ARTICLE}")["key"]
        results: dict[str, object] = {}

        def suggest(name, client, url):
            results[name] = client.post(url, json={}, headers=csrf(client))

        one = threading.Thread(target=suggest, args=("tr", first, f"{API}/entries/{key}/suggest"))
        two = threading.Thread(target=suggest, args=("ru", second, f"/edit/api/catalogs/ru/{ARTICLE}/entries/{ru_key}/suggest"))
        one.start()
        assert first_asked.wait(30)
        two.start()
        one.join(60)
        second_may_answer.set()
        two.join(60)

        assert results["tr"].status_code == 200, results["tr"].text
        assert results["tr"].json()["msgstr"] == "tr:North tr:Korea"
        assert results["ru"].status_code == 200, results["ru"].text
        assert results["ru"].json()["msgstr"].startswith("ru:")
        assert [r["target"] for r in first_server.requests] == ["tr"]
        assert [r["target"] for r in second_server.requests] == ["ru"]

        again = first.post(f"{API}/entries/{key}/suggest", json={}, headers=csrf(first))
        assert again.status_code == 200, again.text
        assert [r["target"] for r in first_server.requests] == ["tr", "tr"]


# -- the preview reads what changed ----------------------------------------------------------


def test_the_preview_shows_an_authors_new_name_role_and_bio_without_a_restart(project: Path):
    with make_client(project) as client:
        page = client.get(f"/edit/preview/tr/{ARTICLE}").text
        assert "Zeki Talustan Gülten" in page and "Asya-Pasifik Araştırma Asistanı" in page

        author = project / AUTHOR
        author.write_text(author.read_text(encoding="utf-8").replace("name: Zeki Talustan Gülten", "name: Zeki T. Gülten"),
                          encoding="utf-8")
        page = client.get(f"/edit/preview/tr/{ARTICLE}").text
        assert "Zeki T. Gülten" in page and "Zeki Talustan Gülten</a>" not in page

        edit_entry(project, AUTHOR_TR, "Asia-Pacific Research Assistant", msgstr="Asya-Pasifik Araştırmacısı")
        page = client.get(f"/edit/preview/tr/{ARTICLE}").text
        assert "Asya-Pasifik Araştırmacısı" in page and "Araştırma Asistanı" not in page

        author_page = client.get("/edit/preview/tr/authors/zeki-talustan-gulten").text
        assert "Zeki T. Gülten" in author_page and "Asya-Pasifik Araştırmacısı" in author_page


def test_the_preview_shows_a_changed_template_and_ui_translation(project: Path):
    with make_client(project) as client:
        assert "Pressroom-test-marker" not in client.get(f"/edit/preview/tr/{ARTICLE}").text
        template = project / "templates/article.html"
        text = template.read_text(encoding="utf-8")
        template.write_text(text.replace("</article>", "<!-- Pressroom-test-marker --></article>", 1), encoding="utf-8")
        assert "Pressroom-test-marker" in client.get(f"/edit/preview/tr/{ARTICLE}").text
