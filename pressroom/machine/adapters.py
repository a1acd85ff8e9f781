"""Translator libraries -> ``Engine``: deep-translator and DeepL's SDK behind one protocol.

Takes a deep-translator translator (``DeepTranslatorEngine``) or a DeepL key and
languages (``DeepLEngine``); gives engines whose ``translate(text)`` waits at most their
timeout and raises ``Transient``, ``TranslateError`` or ``Rejected`` instead of the
libraries' own errors (``_network_error``, ``_http_error``: messages naming the engine,
its URL and the HTTP answer).

deep-translator 1.11.4 calls ``requests.get``/``requests.post`` without a timeout and
drops the HTTP status of most failures. The ``requests`` name in each of its engine
modules is replaced, once and for good, by ``_Dispatch``, which sends a call made
while one of our engines translates through that engine's ``_Http`` (our session,
our timeout, the response kept), and any other call to ``requests`` itself. Which
``_Http`` is a context variable, so engines translating at the same time in several
threads (two Suggests) each get their own, and nothing is swapped back and forth.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar, Protocol

import requests
from deep_translator import exceptions as dt
from urllib3.exceptions import NewConnectionError

from .errors import Rejected, Transient, TranslateError


class Engine(Protocol):
    """One engine translating from one language into another."""

    name: str
    url: str
    timeout: float

    def translate(self, text: str) -> str:
        """The engine's translation; raises ``Transient``, ``TranslateError`` or ``Rejected``."""
        ...


class _Http:
    """Stands in for the ``requests`` module inside a deep-translator engine module:
    the same ``get``/``post``, through our session, with our timeout."""

    def __init__(self, session: requests.Session, timeout: float):
        self.session = session
        self.timeout = timeout
        self.response: requests.Response | None = None

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("POST", url, **kwargs)

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        kwargs["timeout"] = self.timeout
        self.response = self.session.request(method, url, **kwargs)
        return self.response

    def __getattr__(self, name: str) -> Any:  # requests.exceptions and the like
        return getattr(requests, name)


_current: ContextVar[_Http | None] = ContextVar("pressroom_http", default=None)
"""The ``_Http`` of the engine translating in this thread (or task), if any."""


class _Dispatch:
    """Stands in for ``requests`` in a deep-translator module, for good: its calls go
    through the ``_Http`` of the engine translating in this context, or to
    ``requests`` when none is."""

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        http = _current.get()
        return http.get(url, **kwargs) if http is not None else requests.get(url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        http = _current.get()
        return http.post(url, **kwargs) if http is not None else requests.post(url, **kwargs)

    def __getattr__(self, name: str) -> Any:  # requests.exceptions and the like
        return getattr(requests, name)


_install_lock = threading.Lock()


def _install(module: types.ModuleType) -> None:
    """Put ``_Dispatch`` in place of ``module.requests`` (once; idempotent)."""
    with _install_lock:
        current = getattr(module, "requests", None)
        if isinstance(current, _Dispatch):
            return
        if current is not requests:
            raise TranslateError(
                f"{module.__name__} no longer calls requests as deep-translator 1.11.4 did: "
                "its requests cannot be given a timeout, so it is not used"
            )
        module.requests = _Dispatch()


@contextmanager
def _requests_through(http: _Http) -> Iterator[None]:
    token = _current.set(http)
    try:
        yield
    finally:
        _current.reset(token)


class DeepTranslatorEngine:
    """An engine of deep-translator, with real timeouts and its errors sorted."""

    def __init__(
        self,
        name: str,
        url: str,
        translator: Any,
        timeout: float,
        check: Callable[[requests.Response], None] | None = None,
        key_env: str = "",
    ):
        """``check`` looks at each successful answer (MyMemory's quota warnings);
        ``key_env`` names the key's variable in messages about a refused key."""
        self.name, self.url, self.translator, self.timeout = name, url, translator, timeout
        self.check = check
        self.key_env = key_env
        self.module = sys.modules[type(translator).__module__]
        _install(self.module)
        self.session = requests.Session()

    def translate(self, text: str) -> str:
        http = _Http(self.session, self.timeout)
        try:
            with _requests_through(http):
                result = self.translator.translate(text)
        except requests.exceptions.JSONDecodeError:
            raise TranslateError(f"{self.name} at {self.url} sent an answer that is not JSON") from None
        except requests.RequestException as exc:
            raise _network_error(self, exc) from None
        except dt.TooManyRequests:
            raise Transient("HTTP 429 (too many requests)", _retry_after(http.response)) from None
        except (dt.RequestError, dt.ServerException, dt.AuthorizationException):
            raise _http_error(self, http.response) from None
        except dt.TranslationNotFound:
            raise Rejected(f"{self.name} found no translation") from None
        except dt.NotValidLength as exc:
            raise Rejected(f"{self.name} refuses the text's length ({exc.message.strip()})") from None
        except (KeyError, TypeError, AttributeError, StopIteration) as exc:  # an answer of another shape
            raise TranslateError(f"{self.name} at {self.url} sent an answer deep-translator cannot read ({exc!r})") from None
        if self.check and http.response is not None:
            self.check(http.response)
        if not isinstance(result, str) or not result.strip():
            raise Rejected(f"{self.name} returned an empty translation")
        return result


def _retry_after(response: requests.Response | None) -> float | None:
    value = response.headers.get("Retry-After", "") if response is not None else ""
    return float(value) if value.strip().isdigit() else None


def _http_error(engine: DeepTranslatorEngine, response: requests.Response | None) -> Exception:
    status = response.status_code if response is not None else None
    if status is None:
        return TranslateError(f"{engine.name} at {engine.url} failed without an HTTP answer")
    answer = f"HTTP {status} ({_detail(response) or response.reason or 'no reason given'})"
    if status == 429 or status >= 500:
        return Transient(answer, _retry_after(response))
    if status in (401, 403):
        key = f"; check the key in {engine.key_env}" if engine.key_env else ""
        return TranslateError(f"{engine.name} at {engine.url} refused the request: {answer}{key}")
    hint = " (is --url right?)" if status == 404 else ""
    return TranslateError(f"{engine.name} at {engine.url} answered {answer}{hint}")


def _detail(response: requests.Response) -> str:
    """The error message of an answer, if it has a short one (JSON ``error``/``message``)."""
    try:
        data = response.json()
    except ValueError:
        return ""
    text = (data.get("error") or data.get("message") or "") if isinstance(data, dict) else ""
    return " ".join(str(text).split())[:200]


def _network_error(engine: Engine, exc: BaseException) -> Exception:
    """A requests exception as the user should see it."""
    chain = list(_causes(exc))
    if any(isinstance(e, requests.ConnectTimeout) for e in chain):
        return TranslateError(f"cannot reach {engine.name} at {engine.url}: no connection within {engine.timeout:g} s")
    if any(isinstance(e, (NewConnectionError, socket.gaierror, ConnectionRefusedError)) for e in chain):
        return TranslateError(f"cannot reach {engine.name} at {engine.url}: {_reason(chain)}")
    if any(isinstance(e, requests.Timeout) for e in chain):
        return TranslateError(f"{engine.name} at {engine.url} did not answer within {engine.timeout:g} s (see --timeout)")
    if any(isinstance(e, requests.ConnectionError) for e in chain):
        return Transient(f"connection lost ({_reason(chain)})")
    return TranslateError(f"request to {engine.name} at {engine.url} failed: {_reason(chain)}")


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and everything it wraps (requests -> urllib3 -> socket errors)."""
    todo, seen = [exc], set()
    while todo:
        e = todo.pop(0)
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        linked = [getattr(e, "reason", None), e.__cause__, e.__context__, *e.args]
        todo += [x for x in linked if isinstance(x, BaseException)]


def _reason(chain: list[BaseException]) -> str:
    for e in chain:
        if isinstance(e, socket.gaierror):
            return f"host name not resolved ({e.strerror})"
        if isinstance(e, ConnectionRefusedError):
            return "connection refused"
    for e in reversed(chain):
        if isinstance(e, OSError) and e.strerror:
            return e.strerror
    return str(chain[-1]) or type(chain[-1]).__name__


class DeepLEngine:
    """DeepL through its official SDK (``pip install 'pressroom[deepl]'``)."""

    _TARGETS: ClassVar[dict[str, str]] = {"en": "EN-GB", "pt": "PT-PT", "zh": "ZH-HANS"}

    def __init__(self, name: str, url: str | None, source: str, target: str, timeout: float):
        """``url`` None: the SDK chooses the free or the paid API from the key."""
        try:
            import deepl
        except ImportError:
            raise TranslateError(
                "the deepl engine needs DeepL's SDK: pip install 'pressroom[deepl]' (or pip install deepl)"
            ) from None
        key = os.environ.get("DEEPL_AUTH_KEY", "")
        if not key:
            raise TranslateError("the deepl engine needs an API key in DEEPL_AUTH_KEY")
        self.deepl, self.name, self.timeout = deepl, name, timeout
        base, _, region = target.replace("_", "-").partition("-")
        self.source = source.replace("_", "-").partition("-")[0].upper()
        self.target = f"{base}-{region}".upper() if region else self._TARGETS.get(base, base.upper())
        self.client = deepl.Translator(key, server_url=url)
        self.url = self.client.server_url

    def translate(self, text: str) -> str:
        deepl = self.deepl
        client = deepl.http_client
        saved = client.max_network_retries, client.min_connection_timeout
        # Our retries and timeout, not the SDK's (5 retries, 10 s); its documented settings.
        client.max_network_retries, client.min_connection_timeout = 0, self.timeout
        try:
            result = self.client.translate_text(
                text, source_lang=self.source, target_lang=self.target, tag_handling="xml", ignore_tags=["x"]
            )
        except deepl.QuotaExceededException:
            raise TranslateError(f"deepl at {self.url}: the quota of this billing period is used up") from None
        except deepl.AuthorizationException:
            raise TranslateError(f"deepl at {self.url} refused the key in DEEPL_AUTH_KEY") from None
        except deepl.ConnectionException as exc:
            raise _network_error(self, exc.__cause__ or exc) from None
        except deepl.DeepLException as exc:
            status = exc.http_status_code
            if status is not None and (status == 429 or status >= 500):
                raise Transient(f"HTTP {status}") from None
            raise TranslateError(f"deepl at {self.url}: {exc}") from None
        finally:
            client.max_network_retries, client.min_connection_timeout = saved
        if not result.text.strip():
            raise Rejected("deepl returned an empty translation")
        return result.text
