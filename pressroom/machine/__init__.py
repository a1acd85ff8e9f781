"""Catalog entry (inline Markdown) -> machine draft, through deep-translator.

Three parts, used by ``commands/translate.py`` and the editor's drafts:

- **Masking** (``masking.py``). ``mask(msgid, body)`` replaces what must not be
  translated (footnote references, URLs, code spans, images, escapes) and the Markdown
  markup (emphasis markers, ``[`` and ``](url)`` of links, whose text *is* translated)
  by numbered placeholders; ``unmask`` puts them back and raises ``Rejected`` when the
  engine lost, doubled or altered one, or when the restored text's footnote references
  or markup differ from the source's. Spans come from markdown-it's own parse, so what
  is masked is exactly what the build sees as markup.
- **Engines** (``engines.py``, ``adapters.py``). ``ENGINES`` names each engine, its
  endpoint, its length limit and its keys. google, mymemory and libre go through
  deep-translator; deepl through DeepL's official SDK (deep-translator's DeepL client
  uses a removed API). Each engine sorts its library's errors into ``Transient``
  (retry), ``TranslateError`` (stop the run) and ``Rejected`` (this entry only), all
  in ``errors.py``.
- **Machine** (``retries.py``). One engine with bounded retries and exponential backoff.

deep-translator 1.11.4 calls ``requests.get``/``requests.post`` without a timeout and
drops the HTTP status of most failures. The ``requests`` name in its engine modules is
replaced once by a dispatcher that sends each call through the translating engine's
session, with its timeout, keeping the response; engines in several threads at once
each use their own (``adapters.py``).
"""

from .adapters import DeepLEngine, DeepTranslatorEngine, Engine
from .engines import ENGINES, TIMEOUT, EngineSpec
from .errors import MaskError, Rejected, Transient, TranslateError
from .masking import BRACKETS, XML, Masked, Role, Slot, Style, mask, unmask
from .retries import BACKOFF, MAX_WAIT, RETRIES, Machine

__all__ = [
    "BACKOFF",
    "BRACKETS",
    "ENGINES",
    "MAX_WAIT",
    "RETRIES",
    "TIMEOUT",
    "XML",
    "DeepLEngine",
    "DeepTranslatorEngine",
    "Engine",
    "EngineSpec",
    "Machine",
    "MaskError",
    "Masked",
    "Rejected",
    "Role",
    "Slot",
    "Style",
    "Transient",
    "TranslateError",
    "mask",
    "unmask",
]
