"""The editor under attack, in process: the hostile requests of
tests/fixtures/editor/hostile.toml, the token's redirect, the texts a save accepts,
and errors that are the editor's own bugs.

Every answer to a client's mistake is a 4xx with ``{"error": "…"}``; nothing a client
sends is written to a catalog unless a catalog can hold it.
"""

from __future__ import annotations

import json
import tomllib
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import FIXTURES
from test_editor_api import API, ARTICLE, TAG, TR, csrf, entry, make_client, save

from pressroom.commands.serve import allowed_hosts
from pressroom.editor import Security
from pressroom.editor.payload import MAX_BODY
from pressroom.po import PoText, entry_key

with warnings.catch_warnings():  # Starlette 1.x suggests httpx2; httpx (the test extra) works
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

CASES = tomllib.loads((FIXTURES / "editor" / "hostile.toml").read_text(encoding="utf-8"))["case"]
BASE_URL = "http://127.0.0.1:8000"


def loopback_client(project: Path, **settings) -> TestClient:
    """A client of the editor as ``build.py serve`` sets it up on 127.0.0.1:8000."""
    security = settings.pop("security", Security(hosts=allowed_hosts("127.0.0.1", 8000), port=8000))
    client = make_client(project, security=security, **settings)
    client.base_url = BASE_URL
    return client


def body(case: dict) -> bytes | Iterator[bytes] | None:
    if "json" in case:
        data = case["json"].encode("utf-8")
    elif "latin1" in case:
        data = case["latin1"].encode("latin-1")
    elif "filler" in case:
        data = json.dumps({"msgstr": "x" * case["filler"]}).encode()
    elif "depth" in case:
        data = b"[" * case["depth"] + b"]" * case["depth"]
    elif "digits" in case:
        data = b'{"msgstr": "Kuzey Kore", "fuzzy": 1' + b"0" * (case["digits"] - 1) + b"}"
    else:
        return None
    if case.get("chunked"):
        return (data[i : i + 16384] for i in range(0, len(data), 16384))
    return data


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_hostile_request(project: Path, case: dict):
    with loopback_client(project) as client:
        headers = {**csrf(client, cookie="pressroom-csrf-8000"), "Content-Type": "application/json",
                   **case.get("headers", {})}
        path = case["path"].format(api=API, key=entry_key(TAG))
        before = (project / TR).read_bytes()
        response = client.request(case["method"], BASE_URL + path, content=body(case), headers=headers,
                                  follow_redirects=False)
        assert response.status_code == case["status"], response.text[:500]
        assert (project / TR).read_bytes() == before, "a refused request changed the catalog"
        if case["status"] >= 400:
            assert response.headers["content-type"] == "application/json"
            error = response.json()["error"]
            assert isinstance(error, str) and case.get("error", "") in error, error
            assert "Traceback" not in response.text


def test_the_limit_is_the_documented_one():
    assert MAX_BODY == 256 * 1024
    assert all(c["filler"] + len('{"msgstr": ""}') < MAX_BODY for c in CASES if c["status"] == 200 and "filler" in c)


# -- what a save accepts ---------------------------------------------------------------


def test_tabs_and_line_breaks_are_saved_as_typed(project: Path):
    with loopback_client(project) as client:
        headers = csrf(client, cookie="pressroom-csrf-8000")
        view = entry(client, TAG)
        response = save(client, view, headers, msgstr="Kuzey\tKore\r\nve Güney", comment="iki\r\nsatır")
        assert response.status_code == 200, response.text
        saved = PoText((project / TR).read_text(encoding="utf-8")).find(TAG)
        assert (saved.msgstr, saved.comment) == ("Kuzey\tKore\nve Güney", "iki\nsatır")
        assert '"Kuzey\\tKore\\n"' in (project / TR).read_text(encoding="utf-8")


def test_a_refused_text_leaves_the_whole_file_as_it_was(project: Path):
    with loopback_client(project) as client:
        headers = csrf(client, cookie="pressroom-csrf-8000")
        before = (project / TR).read_bytes()
        view = entry(client, TAG)
        for bad in ["\x00", "a\x1bb", "\x85", "\u2028", "\ud800"]:
            data = {"msgstr": f"Kuzey{bad}Kore", "fuzzy": False, "comment": "", "base": view["base"]}
            response = client.put(f"{API}/entries/{view['key']}", content=json.dumps(data),  # ASCII: escapes
                                  headers=headers | {"Content-Type": "application/json"})
            assert response.status_code == 400, bad
        assert (project / TR).read_bytes() == before
        assert b"\x00" not in (project / TR).read_bytes()


# -- the token's redirect stays on this server ---------------------------------------------

TOKEN = "all-languages-token"
REDIRECTS = [
    ("//evil.example/x", "/evil.example/x"),
    ("///evil.example/x", "/evil.example/x"),
    ("/\\evil.example/x", None),
    ("/%2F%2Fevil.example/x", "/%2F%2Fevil.example/x"),
    ("/%5C%5Cevil.example", "/%5C%5Cevil.example"),
    ("/edit/", "/edit/"),
    (f"/edit/tr/{ARTICLE}", f"/edit/tr/{ARTICLE}"),
]


@pytest.mark.parametrize(("path", "location"), REDIRECTS)
def test_the_token_redirect_leads_to_a_path_of_this_server(project: Path, path: str, location: str | None):
    security = Security(tokens={TOKEN: None}, hosts=None, port=8000)
    with loopback_client(project, security=security) as client:
        response = client.get(f"{BASE_URL}{path}?token={TOKEN}&x=1", follow_redirects=False)
        assert response.status_code == 303
        target = response.headers["location"]
        assert target.startswith("/") and target[1:2] not in ("/", "\\"), target
        assert urlsplit(urljoin(BASE_URL + "/a/b", target)).netloc == "127.0.0.1:8000"
        assert target.endswith("?x=1") and "token" not in target
        if location is not None:
            assert target == f"{location}?x=1"
        assert client.cookies.get("pressroom-token-8000") == TOKEN


# -- the editor's own bugs ------------------------------------------------------------------


def test_a_bug_of_the_editor_is_a_json_500(project: Path):
    app = loopback_client(project).app
    app.state.editor.workspace.summary = lambda ref: 1 / 0
    # As the server sees it: an answer to the client, then the error raised for its log.
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as client:
        response = client.get("/edit/api/catalogs")
        assert response.status_code == 500
        assert response.json() == {"error": "internal error of the editor (ZeroDivisionError); see its console"}


def test_pages_and_the_site_answer_errors_in_json_too(project: Path):
    with loopback_client(project) as client:
        for path in ("/edit/tr/no-such-analysis", "/edit/preview/tr/messages", "/no-such-page.html"):
            response = client.get(path)
            assert response.status_code == 404 and isinstance(response.json()["error"], str), path
