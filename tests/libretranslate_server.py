"""A LibreTranslate-compatible test double on 127.0.0.1, with failure modes.

``POST /translate`` answers as LibreTranslate does (``q``/``source``/``target`` in the
query string, a form or JSON). The same fake engine also answers as the other
services the toolkit can call, so their clients are driven for real too:
``GET /m`` as Google's mobile page (deep-translator scrapes it), ``GET /get`` as
MyMemory, ``POST /v2/translate`` as DeepL (the official SDK).

The fake translation is deterministic: every word gets the target language as a
prefix ("tr:word"); placeholders (``[X1X]``, ``<x id="1"></x>``) are kept. Modes:

``normal``        translate
``slow``          wait ``delay`` seconds, then translate
``error``         HTTP ``status`` (500) for every request (``Retry-After`` if
                  ``retry_after`` is set, as for 429)
``rate-limited``  HTTP 429 for the first ``fail_first`` requests (``Retry-After`` if
                  ``retry_after`` is set), then translate
``fail-after``    translate ``ok_count`` requests, then HTTP ``status`` for the rest
``interrupt-after`` translate ``ok_count`` requests, then send this process SIGINT
                  (as Ctrl-C would) and answer late
``mangled``       translate, then damage the placeholders (``mangle``: drop, duplicate,
                  alter, break) or add a footnote reference (``footnote``)

Every request is recorded in ``requests`` (path and parameters) before it is answered.
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

PLACEHOLDER = re.compile(r"\[X\d+X\]|<x id=\"\d+\"></x>")
WORD = re.compile(r"[^\W\d_]+")


def fake_translation(text: str, target: str) -> str:
    """Each word outside placeholders gets ``<target>:`` in front."""
    parts = PLACEHOLDER.split(text)
    keep = PLACEHOLDER.findall(text) + [""]
    return "".join(WORD.sub(lambda m: f"{target}:{m.group(0)}", p) + k for p, k in zip(parts, keep))


def mangled(text: str, how: str) -> str:
    found = PLACEHOLDER.search(text)
    if how == "footnote":
        return text + " [^1]"
    if found is None:
        return text
    first = found.group(0)
    if how == "drop":
        return text.replace(first, "", 1)
    if how == "duplicate":
        return text.replace(first, first + " " + first, 1)
    if how == "alter":
        return text.replace(first, re.sub(r"\d+", "99", first), 1)
    if how == "break":
        return text.replace(first, first[:-2] + "]", 1)  # [X1X] -> [X1]
    raise ValueError(how)


@dataclass
class FakeTranslator:
    """The server; a context manager (``with FakeTranslator() as server: server.url``)."""

    mode: str = "normal"
    delay: float = 5.0
    status: int = 500
    fail_first: int = 2
    retry_after: str | None = None
    ok_count: int = 2
    mangle: str = "drop"
    hook: Callable[[int], None] | None = None
    """Called with the request's number (from 1) before it is answered."""
    requests: list[dict[str, Any]] = field(default_factory=list)
    _served: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._handle(self)

            def do_POST(self) -> None:
                fake._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    @property
    def texts(self) -> list[str]:
        """The texts received, in order."""
        return [r["text"] for r in self.requests]

    # -- one request -------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        split = urlsplit(handler.path)
        params = {k: v[-1] for k, v in parse_qs(split.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        if raw and "json" in (handler.headers.get("Content-Type") or ""):
            params.update(json.loads(raw))
        elif raw:
            params.update({k: v[-1] for k, v in parse_qs(raw.decode()).items()})
        route = split.path
        if route == "/languages":
            return self._send(handler, 200, [{"code": c, "name": c} for c in ("en", "tr", "ru")])
        texts = params.get("text") if route == "/v2/translate" else params.get("q")
        text = texts[0] if isinstance(texts, list) else (texts or "")
        target = (params.get("target") or params.get("tl") or params.get("target_lang") or "").lower()
        if route == "/get":
            target = params.get("langpair", "|").split("|")[1].lower()
        with self._lock:
            self.requests.append({"path": route, **{k: v for k, v in params.items() if k != "q"}, "text": text})
            self._served += 1
            number = self._served

        if self.hook is not None:
            self.hook(number)
        headers = {"Retry-After": self.retry_after} if self.retry_after is not None else {}
        if self.mode == "slow":
            self._stop.wait(self.delay)
        elif self.mode == "error" or (self.mode == "fail-after" and number > self.ok_count):
            return self._send(handler, self.status, {"error": "Internal Server Error"}, headers)
        elif self.mode == "rate-limited" and number <= self.fail_first:
            return self._send(handler, 429, {"error": "Too many requests"}, headers)
        elif self.mode == "interrupt-after" and number > self.ok_count:
            os.kill(os.getpid(), signal.SIGINT)
            self._stop.wait(self.delay)

        result = fake_translation(text, target.split("-")[0])
        if self.mode == "mangled":
            result = mangled(result, self.mangle)
        if route == "/m":
            page = f'<html><body><div class="result-container">{escape(result)}</div></body></html>'
            return self._send(handler, 200, page)
        if route == "/get":
            return self._send(handler, 200, {"responseData": {"translatedText": result, "match": 1},
                                             "responseStatus": 200, "responseDetails": "", "matches": []})
        if route == "/v2/translate":
            source = str(params.get("source_lang") or "EN")
            return self._send(handler, 200, {"translations": [
                {"detected_source_language": source, "text": result, "billed_characters": len(text)}]})
        return self._send(handler, 200, {"translatedText": result})

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = (body if isinstance(body, str) else json.dumps(body)).encode("utf-8")
        kind = "text/html" if isinstance(body, str) else "application/json"
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", f"{kind}; charset=utf-8")
            handler.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to answer
