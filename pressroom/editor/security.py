"""Requests -> refused or let through: Host, access token, CSRF; security headers.

- **Host.** On loopback the ``Host`` header must name this server (the address it
  listens on, ``127.0.0.1``, ``localhost`` or ``[::1]``, with its port): a web page
  cannot reach the editor through a DNS name that resolves to 127.0.0.1 (DNS
  rebinding).
- **Size.** A body that says it is longer than ``payload.MAX_BODY`` is refused (413)
  before it is read; one sent in chunks, as soon as it passes the limit.
- **Token.** When the editor listens on another interface, every request needs a
  token, as Jupyter does: ``?token=…`` once (answered with a cookie and a redirect
  to the same path without it, always a path of this server: "//host/…" would lead a
  browser away), or ``Authorization: Bearer …``. A token may be restricted to one
  language: other languages' catalogs answer 403.
- **CSRF.** Every request that changes or computes something (POST, PUT, PATCH,
  DELETE) must carry ``X-CSRF-Token`` equal to the editor's cookie of that name
  (a signed random value: double submit), must not come from another site
  (``Sec-Fetch-Site``) and, when it says where it comes from (``Origin``), must come
  from this server.
- **Headers.** ``nosniff``, no referrer (a token in a URL never leaks), a strict
  content security policy for the editor (scripts from the editor only) and for
  the preview (no scripts at all), and no caching of the site (a reload shows the
  latest build).

Refusals are JSON, ``{"error": …}``, as every error of the editor is.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from hashlib import sha256
from typing import Any
from urllib.parse import quote, urlencode

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import Forbidden
from .payload import MAX_BODY, too_large

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_HEADER = "x-csrf-token"
EDITOR_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; frame-ancestors 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)
PREVIEW_CSP = (
    "default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'self'; object-src 'none'; base-uri 'self'; form-action 'none'"
)


@dataclass
class Security:
    """Who may use the editor, and how requests prove they come from it."""

    tokens: dict[str, str | None] = field(default_factory=dict)
    """Token -> the one language it may edit (None: every language). Empty: no token
    needed (loopback)."""
    hosts: frozenset[str] | None = None
    """Accepted ``Host`` headers (lowercase ``host:port``); None accepts any."""
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    """Signs CSRF tokens; new at each start."""
    port: int | str = ""
    """Part of the cookie names: two editors on one machine do not share cookies."""

    @property
    def token_cookie(self) -> str:
        return f"pressroom-token-{self.port}" if self.port else "pressroom-token"

    @property
    def csrf_cookie(self) -> str:
        return f"pressroom-csrf-{self.port}" if self.port else "pressroom-csrf"

    def new_csrf(self) -> str:
        nonce = secrets.token_urlsafe(18)
        return f"{nonce}.{self._sign(nonce)}"

    def valid_csrf(self, value: str | None) -> bool:
        if not value or "." not in value:
            return False
        nonce, _, signature = value.partition(".")
        return hmac.compare_digest(signature, self._sign(nonce))

    def _sign(self, nonce: str) -> str:
        return hmac.new(self.secret, nonce.encode(), sha256).hexdigest()[:32]

    def token_lang(self, token: str | None) -> tuple[bool, str | None]:
        """(known, language it is restricted to)."""
        for known, lang in self.tokens.items():
            if token and hmac.compare_digest(token.encode(), known.encode()):
                return True, lang
        return False, None


def allowed_lang(request: Request) -> str | None:
    """The one language the request's token may edit (None: every language)."""
    return request.scope.get("state", {}).get("token_lang")


def require_lang(request: Request, lang: str) -> None:
    only = allowed_lang(request)
    if only is not None and lang != only:
        raise Forbidden(f"this token may only edit {only}, not {lang}")


class Guard:
    """ASGI middleware applying ``Security`` to every request, site and editor alike."""

    def __init__(self, app: ASGIApp, security: Security):
        self.app = app
        self.security = security

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refusal(request)
        path = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("referrer-policy", "no-referrer")
                if path.startswith("/edit/preview/"):
                    headers.setdefault("content-security-policy", PREVIEW_CSP)
                elif path.startswith("/edit/"):
                    headers.setdefault("content-security-policy", EDITOR_CSP)
                    headers.setdefault("cache-control", "no-store")
                else:
                    headers.setdefault("cache-control", "no-cache")
            await send(message)

        await (refusal or self.app)(scope, receive, send_with_headers)

    def _refusal(self, request: Request) -> Any:
        """A response refusing the request, or None to let it through."""
        security = self.security
        host = (request.headers.get("host") or "").lower()
        if security.hosts is not None and host not in security.hosts:
            return _refuse(request, 400, f"unexpected Host header {host!r}: open the editor at its printed URL")
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            error = too_large(int(length))
            return JSONResponse(error.as_json(), status_code=error.status)
        request.scope.setdefault("state", {})["token_lang"] = None
        if security.tokens:
            refusal = self._token(request)
            if refusal is not None:
                return refusal
        if request.method in UNSAFE:
            return self._csrf(request)
        return None

    def _token(self, request: Request) -> Any:
        security = self.security
        given = request.query_params.get("token")
        if given is not None:
            known, lang = security.token_lang(given)
            if not known:
                return _refuse(request, 401, "invalid token")
            if request.method in ("GET", "HEAD"):
                query = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "token"])
                response = RedirectResponse(local_path(request) + (f"?{query}" if query else ""), status_code=303)
                response.set_cookie(security.token_cookie, given, httponly=True, samesite="lax")
                return response
        else:
            header = request.headers.get("authorization", "")
            scheme, _, value = header.partition(" ")
            given = value.strip() if scheme.lower() in ("bearer", "token") else None
            given = given or request.cookies.get(security.token_cookie)
            if not given:
                return _refuse(request, 401, "this editor needs the token printed when it started (…/edit/?token=…)")
            known, lang = security.token_lang(given)
            if not known:
                return _refuse(request, 401, "invalid token")
        request.scope["state"]["token_lang"] = lang
        return None

    def _csrf(self, request: Request) -> Any:
        site = request.headers.get("sec-fetch-site")
        if site is not None and site not in ("same-origin", "none"):
            return _refuse(request, 403, f"cross-site request refused ({site})")
        origin = request.headers.get("origin")
        if origin is not None:
            expected = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
            if origin.lower() != expected:
                return _refuse(request, 403, f"request from another origin refused ({origin})")
        header = request.headers.get(CSRF_HEADER)
        cookie = request.cookies.get(self.security.csrf_cookie)
        if not header or not cookie or not hmac.compare_digest(header, cookie) or not self.security.valid_csrf(header):
            return _refuse(request, 403, "missing or invalid CSRF token: reload the editor page")
        return None


def local_path(request: Request) -> str:
    """The request's path as a redirect target that stays on this server. A browser
    reads a ``Location`` of ``//evil.example/x`` (or ``/\\evil.example/x``, or one
    with a tab or newline inside, which it drops) as another server: leading slashes
    and backslashes become one slash, and anything but the characters of a plain
    path is percent-encoded (escapes the client sent are kept as sent)."""
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1") if raw else quote(request.url.path)
    return "/" + quote(path.lstrip("/\\"), safe="/%-._~!$&'()*+,;=:@")


def _refuse(request: Request, status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)
