"""What every PDF of one process shares -> ``PrintSession`` (one per worker process).

Called as ``HTML(string=...).write_pdf()``, WeasyPrint starts every document from
nothing: a new Fontconfig configuration (the system's font list read again), every
``@font-face`` font fetched, written to a temporary file and registered again, a new
Pango font map whose fonts, glyph metrics and shaping plans are all cold, and the
print stylesheet fetched and parsed again. A session keeps, across the documents of
one process, through WeasyPrint's public API only:

- one ``FontConfiguration`` (``HTML.render(font_config=...)``, ``CSS(font_config=...)``).
  WeasyPrint registers an ``@font-face`` once per configuration (it skips a rule whose
  descriptors it has registered: upstream PR #1495), and its own caches in it (line
  struts, font features) are keyed by style and language;
- the parsed print stylesheets (``weasyprint.CSS``, made with that configuration and
  passed as ``stylesheets=``): fetched, parsed and their fonts registered once;
- the bytes of the files read for them (stylesheets, fonts), to tell a changed file;
- the computed styles of the kinds of element its documents are made of
  (``shared_styles``: each document still gets its own style objects).

What WeasyPrint keeps per document stays per document: the fonts of a PDF are
subset from the glyphs that PDF uses (``Document.fonts``), so a PDF's bytes are the
same whether it is the first of its process or the thousandth (tested).

Not kept: the files a document reads itself (its images), and WeasyPrint's image
cache (``cache=``): WeasyPrint caches an image that failed to load as ``None`` (its
warning would then be given for the first PDF only), an SVG image keeps the layout
context of the document that loaded it, and a worker would keep every image of the
archive in memory; a document reads each image once anyway.

A session is only as good as the files it has read: before each document
(``current``) each is checked (size and modification time, then its bytes) and, if
one has other bytes now, or appeared where it was missing, the session starts over;
so it does in a forked child. Not thread-safe: one session per thread (the build's
workers are processes that render one job at a time).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .shared_styles import StyleTemplates

__all__ = ["PrintSession", "project_fetcher"]


def project_fetcher(allowed: list[Path], files: dict[str, _Read] | None = None):
    """A WeasyPrint ``URLFetcher`` that reads files under ``allowed`` and ``data:``
    URLs and refuses everything else: a build never touches the network. Refused
    URLs are kept in ``.refused``. With ``files``, every file it reads (or fails
    to read) is noted there by URL, with its bytes."""
    # imported here, like WeasyPrint: a build without PDFs needs neither
    from weasyprint import URLFetcher

    roots = [p.resolve() for p in allowed]

    class ProjectFetcher(URLFetcher):
        refused: list[str]

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            path = Path(url2pathname(parts.path)).resolve() if parts.scheme == "file" else None
            if path is None or not any(path.is_relative_to(r) for r in roots):
                self.refused.append(url)
                raise ValueError(f"refused: not a file of the project ({url})")
            if files is None:
                return super().fetch(url, headers)
            stamp = _stamp(path)
            try:
                response = super().fetch(url, headers)
            except Exception:
                files[url] = _Read(path, stamp, None)  # the session starts over once it is there
                raise
            body = response.read()
            response.close()
            files[url] = _Read(path, stamp, body)
            return URLFetcherResponse(response.url, body, dict(response.headers.items()))

    from weasyprint.urls import URLFetcherResponse

    fetcher = ProjectFetcher(allowed_protocols={"file", "data"})
    fetcher.refused = []
    return fetcher


@dataclass(frozen=True)
class _Read:
    """A file read for the session: where, its size and time then, its bytes (None:
    it could not be read)."""

    path: Path
    stamp: tuple[int, int] | None
    body: bytes | None

    def changed(self) -> bool:
        """Whether the file has other bytes now (only read again if its size or
        time changed)."""
        if _stamp(self.path) == self.stamp:
            return False
        try:
            return self.path.read_bytes() != self.body
        except OSError:
            return self.body is not None


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


class PrintSession:
    """One font configuration and the parsed print stylesheets for every PDF a
    process renders (see the module's docstring)."""

    def __init__(self) -> None:
        self.starts = 0
        """How many times this session has started (1: never over)."""
        self.documents = 0
        """Documents rendered with it since it last started."""
        self._start()

    def _start(self) -> None:
        self._font_config = None
        self._files: dict[str, _Read] = {}
        self._sheets: dict[tuple[str, tuple[Path, ...]], tuple[object, list[str]]] = {}
        self._pid = os.getpid()
        self.styles = StyleTemplates()
        self.starts += 1
        self.documents = 0

    @property
    def font_config(self):
        """The session's ``FontConfiguration`` (made on first use: a build that makes
        no PDF does not import WeasyPrint)."""
        if self._font_config is None:
            from weasyprint.text.fonts import FontConfiguration

            self._font_config = FontConfiguration()
        return self._font_config

    def current(self) -> PrintSession:
        """This session for one more document: started over first if a file it has
        read has changed, or in another process than the one it started in (a fork
        must not share Fontconfig and Pango state)."""
        if self._pid != os.getpid() or any(read.changed() for read in self._files.values()):
            self._start()
        self.documents += 1
        return self

    def stylesheets(self, urls: list[str], allowed: list[Path]) -> tuple[list, list[str]]:
        """``weasyprint.CSS`` of each ``file:`` URL, parsed once per session with its
        font configuration (the ``@font-face`` fonts registered then); and the
        WeasyPrint warnings of parsing them (a missing font…), which each document
        repeats, as it would if it parsed them itself. Call it outside ``render``'s
        capture of warnings."""
        from weasyprint import CSS, LOGGER
        from weasyprint.urls import URLFetchingError

        from .render import _captured_warnings

        sheets, warnings = [], []
        for url in urls:
            key = (url, tuple(allowed))
            made = self._sheets.get(key)
            if made is None:
                sheet = None
                with _captured_warnings() as logged:
                    try:
                        sheet = CSS(url=url, url_fetcher=project_fetcher(allowed, self._files),
                                    font_config=self.font_config)
                    except URLFetchingError as exception:  # as WeasyPrint says it of a <link>
                        LOGGER.error("Failed to load stylesheet at %s: %s", url, exception)
                made = self._sheets[key] = (sheet, logged)
            if made[0] is not None:
                sheets.append(made[0])
            warnings.extend(made[1])
        return sheets, warnings
