"""A document's image references -> ``SourceImage``s: the file each one names, its
digest, its pixel size and its name in site/; problems at ``path:line``.

An image is a file of the project under content/, named by a path relative to the
source that shows it (``![Chart](chart.png)`` beside ``content/analyses/x.md``, or
``images/chart.png``). Each is read here, whole, by every command that reads the
sources (``build``, ``extract``, ``check``…), so that a missing or broken image is
an error at the line that names it, before anything is written. What is refused:

- an address with a scheme or a host (``https://…``, ``data:…``, ``//host/…``): the
  build has no network, the PDF could not embed it, and readers' browsers would
  fetch it from another site;
- an absolute path, or one that leads out of content/;
- a file that does not exist, a directory, and a file that is no PNG, JPEG, GIF or
  WebP image Pillow can read (the formats both browsers and the PDF show);
- any image on an author page (only analyses have figures).

The site holds one copy of each image, shared by every language and analysis:
``media/<name>-<digest>.<ext>`` (``SourceImage.site_file``), its name changing with
its bytes, so it may be cached for ever.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from markdown_it.token import Token

from ..errors import Report

if TYPE_CHECKING:
    from ..config import Config
    from .documents import Document

MEDIA_DIR = "media"
"""Folder of site/ that holds the images."""
WEB_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}
"""Pillow's format name -> the extension of the copy in site/."""
_ROTATED = {5, 6, 7, 8}
"""EXIF orientations that turn the picture a quarter: browsers show it width and height swapped."""
_UNSAFE = re.compile(r"[^a-z0-9_-]+")


@dataclass(frozen=True)
class SourceImage:
    """One image file a document shows."""

    path: str
    """Relative to the project, POSIX (``content/analyses/chart.png``)."""
    digest: str
    """SHA-256 of its bytes (hex)."""
    width: int
    height: int
    """Its size in CSS pixels, as a browser shows it (EXIF rotation applied)."""
    site_file: str
    """Its copy in site/: ``media/<name>-<digest prefix>.<ext>``."""


Images = dict[str, SourceImage]
"""An image token's ``src`` (as the parser gives it) -> its file."""


def image_tokens(tokens: list[Token]) -> list[tuple[Token, Token]]:
    """Every (inline token, image token) of a body, in source order."""
    return [(tok, child) for tok in tokens if tok.type == "inline"
            for child in tok.children or () if child.type == "image"]


def image_line(tok: Token, src: str, first_line: int) -> int:
    """Line of ``src`` in the source (``first_line``: the body's first line)."""
    if not tok.map:
        return first_line
    before = max(tok.content.find(src), 0)
    return first_line + tok.map[0] + tok.content.count("\n", 0, before)


def find_images(root: Path, content_dir: Path, doc_path: str, kind: str, tokens: list[Token], first_line: int,
                report: Report) -> Images:
    """Every image of a document's body (``tokens``) read and checked; what cannot
    be shown is an error at its line in ``report`` and is left out of the result."""
    found: Images = {}
    refused: set[str] = set()
    for tok, image in image_tokens(tokens):
        src = str(image.attrs.get("src") or "")
        if src in found or src in refused:
            continue
        line = image_line(tok, src, first_line)
        if kind != "analysis":
            report.error(doc_path, line, f"image {src!r}: an author page cannot show images (only analyses have "
                         "figures)", "images")
            continue
        problem, made = _read(root, content_dir, doc_path, src)
        if made is not None:
            found[src] = made
        else:
            refused.add(src)
            report.error(doc_path, line, f"image {src!r}: {problem}", "images")
    return found


def _read(root: Path, content_dir: Path, doc_path: str, src: str) -> tuple[str, SourceImage | None]:
    """The image ``src`` names, seen from ``doc_path``; or why it cannot be shown."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return ("not a file of the project: the build has no network, the PDF could not embed it and readers' "
                "browsers would fetch it from another site; save it beside the source and name it by its "
                "relative path"), None
    name = unquote(parts.path)
    if not name:
        return "no file named", None
    if name.startswith("/"):
        return "an absolute path; name the file relative to the source", None
    source_dir = (root / doc_path).parent
    path = (source_dir / name).resolve()
    if not path.is_relative_to(content_dir.resolve()):
        return "outside content/: an image must be a file under content/", None
    rel = PurePosixPath(doc_path).parent / PurePosixPath(name)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return f"no such file {rel.as_posix()}", None
    except IsADirectoryError:
        return f"{rel.as_posix()} is a directory, not an image", None
    except OSError as exc:
        return f"cannot read {rel.as_posix()}: {exc.strerror or exc}", None
    size = _pixel_size(data)
    if isinstance(size, str):
        return f"{rel.as_posix()} {size}", None
    fmt, width, height = size
    digest = hashlib.sha256(data).hexdigest()
    stem = _UNSAFE.sub("-", path.stem.lower()).strip("-") or "image"
    site_file = f"{MEDIA_DIR}/{stem}-{digest[:16]}.{WEB_FORMATS[fmt]}"
    return "", SourceImage(path.relative_to(root.resolve()).as_posix(), digest, width, height, site_file)


def _pixel_size(data: bytes) -> tuple[str, int, int] | str:
    """(format, width, height) of an image's bytes, or why they are none."""
    from PIL import Image, UnidentifiedImageError  # only commands that meet an image load Pillow

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as picture:
                picture.verify()  # checksums and structure (it must come first: the image is then spent)
            with Image.open(io.BytesIO(data)) as picture:
                fmt, (width, height) = picture.format, picture.size
                orientation = picture.getexif().get(0x0112)
    except UnidentifiedImageError:
        return "is not an image (PNG, JPEG, GIF or WebP)"
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        return f"is not an image that can be read ({exc})"
    if fmt not in WEB_FORMATS:
        return f"is a {fmt} image: browsers and the PDF show PNG, JPEG, GIF and WebP"
    if orientation in _ROTATED:
        width, height = height, width
    return fmt, width, height


def document_images(config: Config, doc: Document, tokens: list[Token], report: Report) -> Images:
    """``find_images`` for a document of ``config``'s project."""
    return find_images(config.root, config.content_dir, doc.path, doc.kind, tokens, doc.body_line, report)


def copy_images(root: Path, images: Iterable[SourceImage], out: Path) -> list[str]:
    """Copy each image into the site directory ``out`` as its ``site_file`` (once:
    a copy that exists has these bytes, its name says so); returns the files, sorted.
    The file is created exclusively, so of two jobs copying one image at once, one
    writes it (a build whose job fails mid-way is discarded whole)."""
    files = sorted({image.site_file: image for image in images}.items())
    for name, image in files:
        target = out / name
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with open(target, "xb") as f:
                f.write((root / image.path).read_bytes())
        except FileExistsError:
            continue
    return [name for name, _ in files]
