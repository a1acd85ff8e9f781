"""Engine name -> ``EngineSpec`` -> an opened ``Engine``: the engines ``--engine`` offers.

Gives ``ENGINES`` (by name: default endpoint, length limit, keys read, placeholder
``Style``, and how to open it) and ``TIMEOUT``. ``spec.open(spec, url, source, target,
timeout)`` spells the languages as the engine does, reads its keys from the environment
and gives an ``Engine`` without making a request; ``TranslateError`` if it cannot be
opened (no key, a language it does not translate).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import requests
from deep_translator import GoogleTranslator, LibreTranslator, MyMemoryTranslator
from deep_translator.constants import (
    GOOGLE_LANGUAGES_TO_CODES,
    LIBRE_LANGUAGES_TO_CODES,
    MY_MEMORY_LANGUAGES_TO_CODES,
)

from .adapters import DeepLEngine, DeepTranslatorEngine, Engine
from .errors import TranslateError
from .masking import BRACKETS, XML, Style

TIMEOUT = 20.0
"""Seconds to wait for a connection, and then for each read of the answer."""


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
