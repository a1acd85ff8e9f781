"""``build.py serve`` as a real process on a free port: stopping it (SIGTERM, Ctrl+C),
the address it listens on, and request bodies on a real socket.

Waits here are bounds for a test harness that must not hang, never assertions about
speed: a stop must end the process without a traceback (SIGTERM: status 0; Ctrl+C: 130).
"""

from __future__ import annotations

import json
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Self

import pytest
import requests
from conftest import copy_project
from test_editor_api import ARTICLE, TAG

from pressroom.po import entry_key

LIMIT = 120
"""Seconds a harness wait may last before the test fails (the process is then killed)."""


class Serve:
    """``python build.py serve --port 0 …`` in a project; its stderr collected."""

    def __init__(self, project: Path, *args: str):
        self.process = subprocess.Popen(
            [sys.executable, "build.py", "serve", "--port", "0", "--no-pdf", "--no-watch", *args],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = self._wait_for(r"Pressroom editor: (http://\S+?)/edit/").group(1)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def _wait_for(self, pattern: str) -> re.Match:
        deadline = time.monotonic() + LIMIT
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if found := re.search(pattern, line):
                    return found
            if self.process.poll() is not None:
                self._reader.join(5)
                pytest.fail(f"serve exited with {self.process.returncode}:\n{self.stderr}")
            time.sleep(0.05)
        pytest.fail(f"no line matching {pattern!r}:\n{self.stderr}")

    @property
    def stderr(self) -> str:
        return "".join(self.lines)

    @property
    def host_port(self) -> tuple[str, int]:
        host, port = self.url.removeprefix("http://").rsplit(":", 1)
        return host, int(port)

    def wait_built(self) -> dict:
        deadline = time.monotonic() + LIMIT
        while time.monotonic() < deadline:
            site = requests.get(f"{self.url}/edit/api/status", timeout=10).json()["site"]
            if site["state"] not in ("pending", "building"):
                return site
            time.sleep(0.1)
        pytest.fail("the first build did not finish")

    def stop(self, sig: signal.Signals) -> int:
        self.process.send_signal(sig)
        try:
            code = self.process.wait(LIMIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            pytest.fail(f"serve did not stop on {sig.name}:\n{self.stderr}")
        self._reader.join(10)
        return code

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def editor_session(url: str) -> tuple[requests.Session, dict[str, str]]:
    """A client that opened the editor: its cookies and the CSRF header."""
    session = requests.Session()
    page = session.get(f"{url}/edit/", timeout=10)
    assert page.status_code == 200
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text).group(1)
    return session, {"X-CSRF-Token": token}


# -- stopping ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "status", "said"), [(signal.SIGTERM, 0, "stopped (SIGTERM)"),
                                                      (signal.SIGINT, 130, "interrupted")], ids=["SIGTERM", "Ctrl+C"])
def test_a_signal_stops_the_server_cleanly(project: Path, sig: signal.Signals, status: int, said: str):
    with Serve(project) as serve:
        assert serve.wait_built()["result"] == "ok"
        assert requests.get(f"{serve.url}/edit/", timeout=10).status_code == 200
        code = serve.stop(sig)
        assert code == status, serve.stderr
        assert "Traceback" not in serve.stderr and "KeyboardInterrupt" not in serve.stderr
        assert serve.stderr.rstrip().endswith(said), serve.stderr


@pytest.mark.slow
def test_a_client_that_leaves_during_a_long_check_does_not_keep_the_server(project: Path):
    """The client sends a long check and closes its connection at once, without
    reading: the server still answers others, and stops cleanly."""
    with Serve(project) as serve:
        serve.wait_built()
        host, port = serve.host_port
        session, headers = editor_session(serve.url)
        cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        path = f"/edit/api/catalogs/tr/{ARTICLE}/entries/{entry_key(TAG)}/check"
        text = "In 2023, 2.1% of “GDP 10,000” went on defence.[^1] " * 4_000  # ~200 kB: under the limit
        body = json.dumps({"msgstr": text}).encode()
        with socket.create_connection((host, port), timeout=30) as sock:
            sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                         f"Content-Length: {len(body)}\r\nX-CSRF-Token: {headers['X-CSRF-Token']}\r\n"
                         f"Cookie: {cookies}\r\n\r\n".encode() + body)
        assert requests.get(f"{serve.url}/edit/api/status", timeout=LIMIT).status_code == 200
        assert serve.stop(signal.SIGTERM) == 0, serve.stderr
        assert "Traceback" not in serve.stderr


# -- the address it listens on -----------------------------------------------------------------


@pytest.mark.slow
def test_the_printed_url_works_on_any_loopback_address(project: Path):
    with Serve(project, "--host", "127.0.0.2") as serve:
        host, port = serve.host_port
        assert host == "127.0.0.2" and port != 0
        assert requests.get(f"{serve.url}/edit/", timeout=10).status_code == 200
        assert requests.get(f"{serve.url}/edit/api/status", timeout=10).json()["site"] is not None
        rebinding = requests.get(f"{serve.url}/edit/api/status", headers={"Host": f"evil.example:{port}"}, timeout=10)
        assert rebinding.status_code == 400 and "unexpected Host" in rebinding.json()["error"]
        assert serve.stop(signal.SIGTERM) == 0


# -- request bodies on a real socket -----------------------------------------------------------


def response_head(sock: socket.socket) -> tuple[int, bytes]:
    """The status of the answer on ``sock`` and what was read of it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1]), data


@pytest.mark.slow
def test_bodies_over_the_limit_are_refused_without_being_read(project: Path):
    with Serve(project) as serve:
        host, port = serve.host_port
        path = f"/edit/api/catalogs/tr/{ARTICLE}/entries/{entry_key(TAG)}/check"
        # Announced: refused on the head alone (none of the gigabyte is sent).
        with socket.create_connection((host, port), timeout=30) as sock:
            sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                         f"Content-Length: 1000000000\r\n\r\n".encode())
            status, data = response_head(sock)
            assert status == 413 and b"application/json" in data

        # Chunked, without an end: refused once past the limit, while the client still sends.
        session, headers = editor_session(serve.url)
        cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
        with socket.create_connection((host, port), timeout=30) as sock:
            sock.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                         f"Transfer-Encoding: chunked\r\nX-CSRF-Token: {headers['X-CSRF-Token']}\r\n"
                         f"Cookie: {cookies}\r\n\r\n".encode())
            piece = b'{"msgstr": "' + b"x" * 65536
            sent = 0
            try:
                while not select.select([sock], [], [], 0)[0] and sent < 64 * 1024 * 1024:
                    sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                    sent += len(piece)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered and closed: the rest was never read
            status, data = response_head(sock)
            assert status == 413, data[:300]
            body = data.split(b"\r\n\r\n", 1)[1]
            assert sent < 64 * 1024 * 1024
            if body:
                assert "too large" in json.loads(body.split(b"\r\n")[-1] or body)["error"]
        assert serve.stop(signal.SIGTERM) == 0
