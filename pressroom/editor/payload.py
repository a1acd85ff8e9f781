"""Request bodies -> plain data the store may use: a JSON object of bounded size whose
texts a catalog can hold.

Everything a client sends is checked here, before it reaches the store, the checks or
a PO file, and every refusal is an ``EditorError`` with a 4xx status:

- the body is at most ``MAX_BODY`` bytes, whether it says its length or is sent in
  chunks (413, read no further);
- it is ``application/json`` (415), UTF-8 (400) and a JSON object (400), nested no
  deeper than Python's parser goes (400, where it raised ``RecursionError``);
- a text (``msgstr``, ``comment``) is a string without lone surrogates (a browser
  never sends one; UTF-8 cannot encode it) and without control characters other
  than tab and line feed: a NUL or an escape would be written raw into the PO file
  and published. A CR LF is read as a line feed, as the browser's textarea means it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request

from .errors import BadRequest, EditorError

MAX_BODY = 256 * 1024
"""Bytes a request body may hold: a paragraph and its comment many times over."""

_FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
"""Control characters but tab and line feed, the line and paragraph separators (line
breaks to some readers of PO files, invisible to translators) and lone surrogates."""


class TooLarge(EditorError):
    status = 413


async def read_body(request: Request) -> bytes:
    """The body, refused (413) as soon as it passes ``MAX_BODY``."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY:
        raise too_large(int(length))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise too_large(None)
        chunks.append(chunk)
    return b"".join(chunks)


def too_large(size: int | None) -> TooLarge:
    got = f" ({size:,} bytes)" if size is not None else ""
    return TooLarge(f"the request body is too large{got}: at most {MAX_BODY // 1024} kB", limit=MAX_BODY)


async def read_json(request: Request) -> dict[str, Any]:
    """The body as a JSON object."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        raise EditorError("send JSON (Content-Type: application/json)", status=415)
    data = await read_body(request)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the request body is not UTF-8 (byte {exc.start})") from None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise BadRequest(f"the request body is not valid JSON ({exc})") from None
    except RecursionError:
        raise BadRequest("the request body is not valid JSON (nested too deeply)") from None
    if not isinstance(value, dict):
        raise BadRequest("the request body must be a JSON object")
    return value


def text(value: Any, name: str, *, optional: bool = False) -> str | None:
    """``value`` as a text a catalog may hold (CR LF read as LF), or a ``BadRequest``
    naming the field and the first character it cannot hold."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be a string")
    value = value.replace("\r\n", "\n")
    if found := _FORBIDDEN.search(value):
        char = found.group()
        kind = "a lone surrogate" if "\ud800" <= char <= "\udfff" else "a control character"
        raise BadRequest(
            f"{name} holds {kind} (U+{ord(char):04X}, character {found.start() + 1}): "
            "only text, tabs and line breaks can be saved",
            field=name, position=found.start(),
        )
    return value


def strings(value: Any, name: str) -> list[str]:
    """``value`` as a list of strings (the flags of an entry)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadRequest(f"{name} must be a list of strings")
    return value
