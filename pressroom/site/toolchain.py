"""Installed libraries -> the versions of what shapes a build's bytes (for its cache key).

An output made by other libraries is not the same output: a page keyed only by its
inputs would be kept as "nothing to do" after an upgrade, or when a cache made on
another machine is reused. So the key of every output includes:

- ``page_toolchain()``: the Python libraries that turn sources into pages (``HTML``)
  and Python's own version and Unicode data (string methods and regular expressions
  follow them);
- ``pdf_toolchain()``, for PDF outputs only: WeasyPrint and the Python libraries it renders with
  (``PDF``); the versions of Pango, HarfBuzz and fontconfig as those libraries
  report them, opened under the names WeasyPrint opens; whether HarfBuzz's
  subsetter loads (WeasyPrint then subsets the embedded fonts with it, else with
  fontTools); and the fonts fontconfig offers (a glyph that the project's fonts lack
  is drawn from them).

It stays cheap: versions come from installed metadata (``importlib.metadata``) and
three C calls; WeasyPrint itself is never imported here, so an HTML-only build does
not load it at all.
"""

from __future__ import annotations

import ctypes
import re
import sys
import unicodedata
from importlib import metadata

HTML = ("markdown-it-py", "mdurl", "mdit-py-plugins", "linkify-it-py", "Jinja2", "MarkupSafe", "Babel", "PyYAML")
"""Distributions whose version shapes the HTML pages (Babel's CLDR data formats the dates;
PyYAML reads the front matter)."""
PDF = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5", "pyphen", "Pillow")
"""Distributions whose version shapes the PDF editions (Pillow re-encodes images; pyphen hyphenates)."""

_NATIVE = {
    "pango": ("libpango-1.0.so.0", "libpango-1.0.dylib"),
    "harfbuzz": ("libharfbuzz.so.0", "libharfbuzz.0.dylib"),
    "harfbuzz-subset": ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib"),
    "fontconfig": ("libfontconfig.so.1", "libfontconfig.1.dylib"),
}
"""The C libraries WeasyPrint 70 opens (``weasyprint/text/ffi.py``), under the names
it tries that the system's loader resolves, Linux's then macOS's."""


def page_toolchain() -> dict[str, str]:
    """Name -> version of what shapes every page."""
    found = {"python": f"{sys.implementation.name} {sys.version_info.major}.{sys.version_info.minor}",
             "unicode": unicodedata.unidata_version}
    found.update((name, _version(name)) for name in HTML)
    return found


def pdf_toolchain() -> dict[str, str]:
    """Name -> version of what shapes the PDF editions besides (fonts included)."""
    found = {name: _version(name) for name in PDF}
    found.update(_native())
    return found


_VERSION = re.compile(r"^Version:[ \t]*(\S+)", re.MULTILINE)


def _version(distribution: str) -> str:
    """The installed version, read off the metadata's headers (``metadata.version``
    parses the whole file as an e-mail message: 10 ms for fontTools' long changelog)."""
    try:
        found = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return "missing"
    text = found.read_text("METADATA") or found.read_text("PKG-INFO") or ""
    match = _VERSION.search(text.split("\n\n", 1)[0])
    return match[1] if match else "unknown"


def _open(name: str) -> ctypes.CDLL | None:
    for filename in _NATIVE[name]:
        try:
            return ctypes.CDLL(filename)
        except OSError:
            continue
    return None


def _native() -> dict[str, str]:
    """Versions of the C libraries, as they report them, and fontconfig's fonts."""
    found = {}
    pango, harfbuzz, fontconfig = _open("pango"), _open("harfbuzz"), _open("fontconfig")
    if pango is not None:
        pango.pango_version_string.restype = ctypes.c_char_p
        found["pango"] = pango.pango_version_string().decode()
    if harfbuzz is not None:
        harfbuzz.hb_version_string.restype = ctypes.c_char_p
        found["harfbuzz"] = harfbuzz.hb_version_string().decode()
    found["harfbuzz-subset"] = "loads" if _open("harfbuzz-subset") is not None else "missing"
    if fontconfig is not None:
        found["fontconfig"] = str(fontconfig.FcGetVersion())
        found["fonts"] = "\n".join(_fonts(fontconfig))
    return {name: found.get(name, "missing") for name in ("pango", "harfbuzz", "harfbuzz-subset", "fontconfig", "fonts")}


class _FontSet(ctypes.Structure):
    _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(ctypes.c_void_p))]


_FC_SET_SYSTEM = 0
_FC_RESULT_MATCH = 0


def _fonts(fc: ctypes.CDLL) -> list[str]:
    """Every font fontconfig's configuration offers (as WeasyPrint loads it): file,
    face index and font version, sorted."""
    fc.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
    fc.FcConfigGetFonts.restype = ctypes.POINTER(_FontSet)
    fc.FcConfigGetFonts.argtypes = [ctypes.c_void_p, ctypes.c_int]
    fc.FcConfigDestroy.argtypes = [ctypes.c_void_p]
    fc.FcPatternGetString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_char_p)]
    fc.FcPatternGetInteger.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
    config = fc.FcInitLoadConfigAndFonts()
    if not config:
        return ["no configuration"]
    try:
        fonts = fc.FcConfigGetFonts(config, _FC_SET_SYSTEM)
        if not fonts:
            return []
        listed = []
        for i in range(fonts.contents.nfont):
            pattern = fonts.contents.fonts[i]
            file, index, version = ctypes.c_char_p(), ctypes.c_int(), ctypes.c_int()
            if fc.FcPatternGetString(pattern, b"file", 0, ctypes.byref(file)) != _FC_RESULT_MATCH:
                continue
            fc.FcPatternGetInteger(pattern, b"index", 0, ctypes.byref(index))
            fc.FcPatternGetInteger(pattern, b"fontversion", 0, ctypes.byref(version))
            listed.append(f"{file.value.decode(errors='replace')}#{index.value} {version.value}")
        return sorted(listed)
    finally:
        fc.FcConfigDestroy(config)
