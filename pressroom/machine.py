"""Catalog entry (inline Markdown) -> machine draft, through deep-translator.

Three parts, used by ``commands/translate.py``:

- **Masking.** ``mask(msgid, body)`` replaces what must not be translated (footnote
  references, URLs, code spans, images, escapes) and the Markdown markup (emphasis
  markers, ``[`` and ``](url)`` of links, whose text *is* translated) by numbered
  placeholders; ``unmask`` puts them back and raises ``Rejected`` when the engine lost,
  doubled or altered one, or when the restored text's footnote references or markup
  differ from the source's. Spans come from markdown-it's own parse, so what is masked
  is exactly what the build sees as markup.
- **Engines.** ``ENGINES`` names each engine, its endpoint, its length limit and its
  keys. google, mymemory and libre go through deep-translator; deepl through DeepL's
  official SDK (deep-translator's DeepL client uses a removed API). Each engine sorts
  its library's errors into ``Transient`` (retry), ``TranslateError`` (stop the run)
  and ``Rejected`` (this entry only).
- **Machine.** One engine with bounded retries and exponential backoff.

deep-translator 1.11.4 calls ``requests.get``/``requests.post`` without a timeout and
drops the HTTP status of most failures. While one of its calls runs, the ``requests``
name in that engine's module is replaced by ``_Http``, which sends the same requests
through our session with our timeout and keeps the response.
"""

from __future__ import annotations

import html
import os
import re
import socket
import sys
import time
import types
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol
from xml.sax.saxutils import escape as xml_escape

import requests
from deep_translator import GoogleTranslator, LibreTranslator, MyMemoryTranslator
from deep_translator import exceptions as dt
from deep_translator.constants import (
    GOOGLE_LANGUAGES_TO_CODES,
    LIBRE_LANGUAGES_TO_CODES,
    MY_MEMORY_LANGUAGES_TO_CODES,
)
from markdown_it.helpers import parseLinkLabel
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.image import image as _image_rule
from markdown_it.rules_inline.link import link as _link_rule
from markdown_it.token import Token
from urllib3.exceptions import NewConnectionError

from .catalogs import footnote_mismatch
from .errors import PressroomError
from .segments import MD, Body, parse_inline

TIMEOUT = 20.0
"""Seconds to wait for a connection, and then for each read of the answer."""
RETRIES = 4
"""Retries after a rate limit or a server error, before the run stops."""
BACKOFF = 1.0
"""First wait before a retry, in seconds; doubled at each retry (1, 2, 4, 8 s)."""
MAX_WAIT = 60.0
"""A server asking to wait longer than this (``Retry-After``) stops the run instead."""


class TranslateError(PressroomError):
    """Machine translation cannot go on: engine unreachable, refused, or failing."""


class Transient(Exception):
    """A failure worth retrying: rate limited (429) or a server error (5xx)."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class Rejected(Exception):
    """This entry gets no machine draft; the message says why."""


# -- masking ---------------------------------------------------------------------------

Role = Literal["open", "close", "note", "atom"]


@dataclass(frozen=True)
class Slot:
    """What one placeholder stands for."""

    markup: str
    """The source text it replaces, put back verbatim."""
    role: Role
    """``open``/``close``: emphasis and link delimiters (whitespace an engine adds inside
    the pair is dropped); ``note``: a footnote reference; ``atom``: anything else."""
    attached: bool = False
    """For a note: it follows a word without a space in the source, and stays so."""


@dataclass(frozen=True)
class Style:
    """How placeholders are written for one engine, and found in its answer."""

    name: str
    make: Callable[[int], str]
    find: re.Pattern[str]
    """Group 1 is the number; tolerant of the spaces engines insert."""
    escape: Callable[[str], str] = str
    unescape: Callable[[str], str] = str


BRACKETS = Style("brackets", lambda n: f"[X{n}X]", re.compile(r"\[\s*X\s*(\d+)\s*X\s*\]", re.IGNORECASE))
"""Weblate's form: plain text engines keep it."""
XML = Style(
    "xml",
    lambda n: f'<x id="{n}"></x>',
    re.compile(r'<x\s+id\s*=\s*"(\d+)"\s*(?:/>|>\s*</x>)', re.IGNORECASE),
    xml_escape,
    html.unescape,
)
"""For engines with XML tag handling (DeepL): tags are never translated."""

_LOOKALIKE = re.compile(r"\[\s*X\s*\d+\s*X\s*\]|\[\^[^\]\s]+\]", re.IGNORECASE)
_HARD_BREAK = re.compile(r"(?:\\| {2,})\n[ \t]*")
_SOFT_BREAK = re.compile(r"[ \t]*\n[ \t]*")


class MaskError(Exception):
    """The text's markup could not be matched to its source (a bug, not bad input)."""


@dataclass(frozen=True)
class Masked:
    """A msgid split into text to translate and placeholders."""

    source: str
    parts: tuple[str | int, ...]
    """Text, or the index of a slot."""
    slots: tuple[Slot, ...]

    def render(self, style: Style) -> str:
        """The text sent to an engine."""
        return "".join(style.escape(p) if isinstance(p, str) else style.make(p + 1) for p in self.parts)

    @property
    def has_text(self) -> bool:
        """Whether anything is left to translate."""
        return any(isinstance(p, str) and any(ch.isalpha() for ch in p) for p in self.parts)


def mask(text: str, body: Body) -> Masked:
    """Split ``text`` (inline Markdown of ``body``) for translation; raises ``MaskError``."""
    masker = _Masker(text, body)
    masker.walk(parse_inline(text, body).children or [])
    if masker.pos != len(text):
        raise MaskError(f"unmatched source text at {masker.pos}: {text[masker.pos:][:40]!r}")
    return Masked(text, tuple(masker.parts), tuple(masker.slots))


class _Masker:
    """Walks the inline tokens of a text with a cursor in its source."""

    def __init__(self, src: str, body: Body):
        self.src = src
        self.pos = 0
        self.parts: list[str | int] = []
        self.slots: list[Slot] = []
        env = {
            "references": body.env.get("references", {}),
            "footnotes": {"refs": {":" + label: -1 for label in body.notes}, "list": {}},
        }
        self.state = StateInline(src, MD, env, [])
        self.links: list[tuple[int, int]] = []
        """(label end, link end) of each open link."""

    def walk(self, children: list[Token]) -> None:
        i = 0
        while i < len(children):
            tok = children[i]
            kind = tok.type
            if kind == "text":
                self._text(tok.content)
            elif kind == "softbreak":
                self._text(self._match(_SOFT_BREAK))
            elif kind == "hardbreak":
                self._slot(self._match(_HARD_BREAK), "atom")
            elif kind == "text_special":  # backslash escape or entity
                self._slot(tok.markup, "atom")
            elif kind in ("em_open", "strong_open", "s_open"):
                self._slot(tok.markup, "open")
            elif kind in ("em_close", "strong_close", "s_close"):
                self._slot(tok.markup, "close")
            elif kind == "code_inline":
                fence = re.escape(tok.markup)
                self._slot(self._match(re.compile(rf"{fence}(?!`).*?(?<!`){fence}(?!`)", re.DOTALL)), "atom")
            elif kind == "footnote_ref":
                attached = self.pos > 0 and not self.src[self.pos - 1].isspace()
                self._slot(f"[^{tok.meta['label']}]", "note", attached)
            elif kind == "image":
                self._slot(self.src[self.pos : self._rule_end(_image_rule)], "atom")
            elif kind == "link_open":
                i = self._link(children, i)
            elif kind == "link_close":
                label_end, end = self.links.pop()
                if self.pos != label_end:
                    raise MaskError(f"link text ends at {self.pos}, expected {label_end}")
                self._slot(self.src[label_end:end], "close")
            else:
                raise MaskError(f"no masking rule for {kind} tokens")
            i += 1

    def _link(self, children: list[Token], i: int) -> int:
        """Mask the link opened at ``children[i]``; returns the index to go on from."""
        tok = children[i]
        close = next((j for j in range(i + 1, len(children)) if children[j].type == "link_close"), None)
        if close is None:
            raise MaskError("a link without its end")
        if tok.markup == "linkify":  # a bare URL, as written
            self._slot("".join(c.content for c in children[i + 1 : close]), "atom")
            return close
        if tok.markup == "autolink":  # <https://…>
            self._slot(self._match(re.compile(r"<[^<>\s]*>")), "atom")
            return close
        end = self._rule_end(_link_rule)
        label_end = parseLinkLabel(self.state, self.pos, True)
        if end - label_end <= 1 or self.src[label_end + 1 : end] == "[]":
            # [text] / [text][]: the text is the reference label, translating it breaks the link
            self._slot(self.src[self.pos : end], "atom")
            return close
        self.links.append((label_end, end))
        self._slot("[", "open")
        return i

    def _rule_end(self, rule: Callable[[StateInline, bool], bool]) -> int:
        self.state.pos, self.state.posMax = self.pos, len(self.src)
        if not rule(self.state, True):
            raise MaskError(f"markdown-it does not parse {self.src[self.pos:][:40]!r} as before")
        return self.state.pos

    def _match(self, pattern: re.Pattern[str]) -> str:
        found = pattern.match(self.src, self.pos)
        if not found:
            raise MaskError(f"expected {pattern.pattern!r} at {self.pos}")
        return found.group(0)

    def _expect(self, text: str) -> None:
        if not self.src.startswith(text, self.pos):
            raise MaskError(f"expected {text!r} at {self.pos}, found {self.src[self.pos:][:40]!r}")

    def _slot(self, markup: str, role: Role, attached: bool = False) -> None:
        self._expect(markup)
        self.parts.append(len(self.slots))
        self.slots.append(Slot(markup, role, attached))
        self.pos += len(markup)

    def _text(self, text: str) -> None:
        """Plain text; URLs without a scheme, placeholder look-alikes and undefined
        footnote references in it are masked too."""
        self._expect(text)
        spans = [(m.start(), m.end()) for m in _LOOKALIKE.finditer(text)]
        spans += [(m.index, m.last_index) for m in MD.linkify.match(text) or []]
        done = 0
        for start, end in sorted(spans):
            if start < done:
                continue
            if start > done:
                self.parts.append(text[done:start])
            self.pos += start - done
            self._slot(text[start:end], "note" if text.startswith("[^", start) else "atom")
            done = end
        if done < len(text):
            self.parts.append(text[done:])
        self.pos += len(text) - done


def unmask(masked: Masked, translated: str, style: Style, body: Body) -> str:
    """The engine's answer with the source's markup back; raises ``Rejected`` if any
    placeholder is missing, doubled or unknown, or if the result's footnote
    references or Markdown markup differ from the source's."""
    pieces: list[str | int] = []
    seen: Counter[int] = Counter()
    done = 0
    for found in style.find.finditer(translated):
        number = int(found.group(1))
        if not 1 <= number <= len(masked.slots):
            raise Rejected(f"the engine returned an unknown placeholder {found.group(0)!r}")
        seen[number - 1] += 1
        pieces += [style.unescape(translated[done : found.start()]), number - 1]
        done = found.end()
    pieces.append(style.unescape(translated[done:]))
    missing = [masked.slots[i].markup for i in range(len(masked.slots)) if not seen[i]]
    if missing:
        raise Rejected("the engine lost the placeholder(s) of " + ", ".join(map(repr, missing)))
    doubled = [masked.slots[i].markup for i, count in sorted(seen.items()) if count > 1]
    if doubled:
        raise Rejected("the engine doubled the placeholder(s) of " + ", ".join(map(repr, doubled)))

    for k, piece in enumerate(pieces):
        if isinstance(piece, str):
            continue
        slot = masked.slots[piece]
        if slot.role == "open":
            pieces[k + 1] = str(pieces[k + 1]).lstrip()
        if slot.role == "close" or (slot.role == "note" and slot.attached):
            pieces[k - 1] = str(pieces[k - 1]).rstrip()
    text = "".join(masked.slots[p].markup if isinstance(p, int) else p for p in pieces).strip()

    problem = footnote_mismatch(masked.source, text, body)
    if problem:
        raise Rejected(problem)
    source, result = _markup(masked.source, body), _markup(text, body)
    if source != result:
        lost = ", ".join(_describe(m) for m in (source - result) + (result - source))
        raise Rejected(f"the Markdown markup does not survive the translation ({lost})")
    return text


def _markup(text: str, body: Body) -> Counter[tuple[str, ...]]:
    """The markup of an inline text, as a multiset (translations may reorder it)."""
    shapes: Counter[tuple[str, ...]] = Counter()
    for tok in parse_inline(text, body).children or []:
        if tok.type in ("text", "softbreak"):
            continue
        if tok.type == "footnote_ref":
            shapes[tok.type, tok.meta["label"]] += 1
        elif tok.type == "link_open":
            shapes[tok.type, str(tok.attrs.get("href", "")), tok.markup] += 1
        elif tok.type == "image":
            shapes[tok.type, str(tok.attrs.get("src", "")), tok.content] += 1
        elif tok.type == "code_inline":
            shapes[tok.type, tok.content] += 1
        else:
            shapes[tok.type, tok.markup] += 1
    return shapes


_NAMES = {"code_inline": "code", "footnote_ref": "footnote reference", "link_open": "link",
          "text_special": "escape", "em_open": "emphasis", "strong_open": "strong emphasis",
          "s_open": "strikethrough"}


def _describe(shape: tuple[str, ...]) -> str:
    """``("link_open", "https://…", "")`` -> ``link 'https://…'``."""
    kind, *detail = shape
    name = _NAMES.get(kind) or _NAMES.get(kind.replace("_close", "_open"), kind)
    if kind.endswith("_close"):
        name += " end"
    return f"{name} {detail[0]!r}" if detail and detail[0] else name


# -- engines ---------------------------------------------------------------------------


class Engine(Protocol):
    """One engine translating from one language into another."""

    name: str
    url: str
    timeout: float

    def translate(self, text: str) -> str:
        """The engine's translation; raises ``Transient``, ``TranslateError`` or ``Rejected``."""
        ...


@dataclass(frozen=True)
class EngineSpec:
    """An engine: how to open it and what it accepts."""

    name: str
    url: str
    """Default endpoint (``--url`` replaces it)."""
    limit: int | None
    """Longest text it accepts (in ``unit``); longer entries are skipped, never cut."""
    keys: str
    """Environment variables it reads, for the help."""
    style: Style
    open: Callable[[EngineSpec, str, str, str, float], Engine]
    """``(spec, url, source, target, timeout) -> Engine``; no request is made."""
    unit: str = "characters"
    measure: Callable[[str], int] = len

    def too_long(self, text: str) -> str | None:
        """Why ``text`` cannot be sent, or None."""
        size = self.measure(text)
        if self.limit is not None and size > self.limit:
            return f"{size:,} {self.unit}, over {self.name}'s limit of {self.limit:,}"
        return None


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


@contextmanager
def _requests_replaced(module: types.ModuleType, http: _Http) -> Iterator[None]:
    saved = module.requests
    module.requests = http
    try:
        yield
    finally:
        module.requests = saved


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
        if not isinstance(getattr(self.module, "requests", None), types.ModuleType):
            raise TranslateError(
                f"{self.module.__name__} no longer calls requests as deep-translator 1.11.4 did: "
                "its requests cannot be given a timeout, so it is not used"
            )
        self.session = requests.Session()

    def translate(self, text: str) -> str:
        http = _Http(self.session, self.timeout)
        try:
            with _requests_replaced(self.module, http):
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


def _code(name: str, lang: str, codes: dict[str, str]) -> str:
    """``lang`` (a locale code) as the engine spells it."""
    base, _, region = lang.replace("_", "-").partition("-")
    values = set(codes.values())
    candidates = [f"{base}-{region.upper()}" if region else "", base, f"{base}-{base.upper()}"]
    candidates += [v for v in codes.values() if v.startswith(base + "-")]  # MyMemory: en -> en-GB
    for code in candidates:
        if code in values:
            return code
    raise TranslateError(f"{name} does not translate {lang!r}")


def _open_google(spec: EngineSpec, url: str, source: str, target: str, timeout: float) -> Engine:
    codes = GOOGLE_LANGUAGES_TO_CODES
    translator = GoogleTranslator(source=_code(spec.name, source, codes), target=_code(spec.name, target, codes))
    translator._base_url = url  # deep-translator has no option for it
    return DeepTranslatorEngine(spec.name, url, translator, timeout)


def _open_mymemory(spec: EngineSpec, url: str, source: str, target: str, timeout: float) -> Engine:
    codes = MY_MEMORY_LANGUAGES_TO_CODES
    translator = MyMemoryTranslator(
        source=_code(spec.name, source, codes),
        target=_code(spec.name, target, codes),
        email=os.environ.get("MYMEMORY_EMAIL") or None,
    )
    translator._base_url = url
    return DeepTranslatorEngine(spec.name, url, translator, timeout, _check_mymemory)


def _check_mymemory(response: requests.Response) -> None:
    """MyMemory says "quota used up" with HTTP 200 and the warning as the translation."""
    try:
        data = response.json()
    except ValueError:
        raise TranslateError("mymemory sent an answer that is not JSON") from None
    status = str(data.get("responseStatus", "200"))
    detail = str(data.get("responseDetails") or (data.get("responseData") or {}).get("translatedText") or "")
    if status == "429" or "MYMEMORY WARNING" in detail:
        raise TranslateError(f"mymemory: quota used up ({detail.strip()[:200]}); set MYMEMORY_EMAIL for a larger one")
    if status != "200":
        raise TranslateError(f"mymemory answered {status}: {detail.strip()[:200]}")


def _open_libre(spec: EngineSpec, url: str, source: str, target: str, timeout: float) -> Engine:
    url = url if url.endswith("/") else url + "/"  # deep-translator appends "translate"
    key = os.environ.get("LIBRE_API_KEY", "")
    if not key and url == spec.url:
        raise TranslateError(f"libre at {url} needs an API key in LIBRE_API_KEY (or --url of your own server)")
    codes = LIBRE_LANGUAGES_TO_CODES
    translator = LibreTranslator(
        source=_code(spec.name, source, codes),
        target=_code(spec.name, target, codes),
        api_key=key or "unused",  # deep-translator demands one, a self-hosted server ignores it
        custom_url=url,
    )
    return DeepTranslatorEngine(spec.name, url, translator, timeout, key_env="LIBRE_API_KEY")


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


def _open_deepl(spec: EngineSpec, url: str, source: str, target: str, timeout: float) -> Engine:
    return DeepLEngine(spec.name, None if url == spec.url else url, source, target, timeout)


ENGINES: dict[str, EngineSpec] = {
    spec.name: spec
    for spec in (
        EngineSpec("google", "https://translate.google.com/m", 4999, "none", BRACKETS, _open_google),
        # MyMemory counts UTF-8 bytes (500); deep-translator checks characters.
        EngineSpec("mymemory", "https://api.mymemory.translated.net/get", 500,
                   "MYMEMORY_EMAIL (optional: a larger free daily quota)", BRACKETS, _open_mymemory,
                   "bytes", lambda text: len(text.encode("utf-8"))),
        EngineSpec("libre", "https://libretranslate.com/", None,
                   "LIBRE_API_KEY (needed by libretranslate.com, not by a self-hosted server)",
                   BRACKETS, _open_libre),
        EngineSpec("deepl", "https://api.deepl.com/ (api-free.deepl.com for a free key)", 100_000,
                   "DEEPL_AUTH_KEY (required)", XML, _open_deepl),
    )
}
"""The engines ``--engine`` offers, by name."""


# -- retries ---------------------------------------------------------------------------


@dataclass
class Machine:
    """An engine with bounded retries and exponential backoff."""

    engine: Engine
    retries: int = RETRIES
    backoff: float = BACKOFF
    sleep: Callable[[float], None] = time.sleep
    waits: list[float] = field(default_factory=list)
    """Every wait before a retry, in seconds."""

    def translate(self, text: str) -> str:
        """The engine's translation of ``text``; raises ``TranslateError`` or ``Rejected``."""
        attempt = 0
        while True:
            try:
                return self.engine.translate(text)
            except Transient as exc:
                where = f"{self.engine.name} at {self.engine.url}"
                if attempt >= self.retries:
                    raise TranslateError(f"{where}: {exc}; gave up after {attempt + 1} attempt(s)") from None
                wait = exc.retry_after if exc.retry_after is not None else self.backoff * 2**attempt
                if wait > MAX_WAIT:
                    raise TranslateError(f"{where}: {exc}, and asks to wait {wait:.0f} s: run again later") from None
                self.waits.append(wait)
                self.sleep(wait)
                attempt += 1
