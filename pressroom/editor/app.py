"""Project -> the editor's web application (Starlette): pages, JSON API, preview, site.

Routes (``ROUTES`` lists them for the README and the tests)::

    GET  /edit/                                            dashboard
    GET  /edit/<lang>/<domain>                             a catalog's entries
    GET  /edit/preview/<lang>/<domain>                     its page as published
    GET  /edit/api/status                                  site build, languages
    GET  /edit/api/catalogs                                progress of every catalog
    GET  /edit/api/catalogs/<lang>/<domain>                entries of one catalog
    GET  /edit/api/catalogs/<lang>/<domain>/version        its version (changed on disk?)
    PUT  /edit/api/catalogs/<lang>/<domain>/entries/<key>  save one entry
    POST /edit/api/catalogs/<lang>/<domain>/entries/<key>/check    checks of a text
    POST /edit/api/catalogs/<lang>/<domain>/entries/<key>/suggest  machine draft
    GET  /edit/api/catalogs/<lang>/<domain>/entries/<key>/memory   translation memory matches
    GET  /edit/api/catalogs/<lang>/<domain>/entries/<key>/history  earlier translations (git, journal)
    GET  /edit/api/search/<lang>?q=<text>                  entries of every catalog of a language holding a text
    GET  /edit/static/...                                  the editor's JS and CSS
    GET  /...                                              site/ (rebuilt on changes)

``<domain>`` is an analysis slug, ``authors/<slug>`` or ``messages``; ``<key>`` an
entry's key (``po.entry_key``). Request bodies are read and checked by ``payload``
before anything else sees them. Every error, on any path, is answered as
``{"error": …}`` with its status: a 4xx for anything a client sent (``EditorError``
and Starlette's own 404 and 405), a 500 only for a bug of the editor.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..config import Config
from ..html.pages import article_url, author_url, native_name
from ..po.review import is_reviewed
from .drafts import Drafts
from .errors import BadRequest, EditorError, NotFound
from .history import History
from .memory import MemoryLookup
from .payload import read_json, strings, text
from .preview import Previewer
from .rebuild import Rebuilder
from .search import search as search_catalogs
from .security import Guard, Security, allowed_lang, require_lang
from .store import CatalogRef, Workspace

HERE = Path(__file__).resolve().parent
_KEY = re.compile(r"^[0-9a-f]{12}$")
ROUTES = [
    ("GET", "/edit/"), ("GET", "/edit/<lang>/<domain>"), ("GET", "/edit/preview/<lang>/<domain>"),
    ("GET", "/edit/api/status"), ("GET", "/edit/api/catalogs"),
    ("GET", "/edit/api/catalogs/<lang>/<domain>"), ("GET", "/edit/api/catalogs/<lang>/<domain>/version"),
    ("PUT", "/edit/api/catalogs/<lang>/<domain>/entries/<key>"),
    ("POST", "/edit/api/catalogs/<lang>/<domain>/entries/<key>/check"),
    ("POST", "/edit/api/catalogs/<lang>/<domain>/entries/<key>/suggest"),
    ("GET", "/edit/api/catalogs/<lang>/<domain>/entries/<key>/memory"),
    ("GET", "/edit/api/catalogs/<lang>/<domain>/entries/<key>/history"),
    ("GET", "/edit/api/search/<lang>"),
]


@dataclass
class Settings:
    """How the editor runs (``build.py serve`` options)."""

    security: Security = field(default_factory=Security)
    drafts: Drafts = field(default_factory=Drafts)
    rebuild: bool = True
    """Build site/ at start and after every change under content/, locales/, templates/."""
    watch: bool = True
    pdf: bool = True
    jobs: int = 1


class Editor:
    """The application's state: workspace, preview, builder; one per server."""

    def __init__(self, config: Config, settings: Settings):
        self.config = config
        self.settings = settings
        self.workspace = Workspace(config)
        self.previewer = Previewer(self.workspace)
        self.memory = MemoryLookup(self.workspace)
        self.history = History(config.root)
        self.rebuilder = Rebuilder(config, pdf=settings.pdf, jobs=settings.jobs)
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
            undefined=jinja2.StrictUndefined,
        )

    # -- helpers -------------------------------------------------------------------------

    def ref(self, request: Request) -> CatalogRef:
        lang, domain = request.path_params["lang"], request.path_params["domain"]
        ref = self.workspace.ref(lang, domain)
        require_lang(request, ref.lang)
        return ref

    @staticmethod
    def key(request: Request) -> str:
        key = request.path_params["key"]
        if not _KEY.match(key):
            raise NotFound(f"no entry {key!r}")
        return key

    def languages(self, request: Request) -> list[dict[str, str]]:
        only = allowed_lang(request)
        return [
            {"code": lang, "name": native_name(lang)}
            for lang in self.config.languages
            if only is None or lang == only
        ]

    def site_url(self, ref: CatalogRef) -> str:
        if ref.doc is None:
            return f"/{ref.lang}/"
        url = article_url if ref.kind == "analysis" else author_url
        return "/" + url(ref.lang, ref.doc.slug)

    def shell(self, request: Request, view: str, title: str, **data: str) -> Response:
        """An editor page: the HTML shell its script fills; sets the CSRF cookie."""
        security = self.settings.security
        csrf = request.cookies.get(security.csrf_cookie)
        if not security.valid_csrf(csrf):
            csrf = security.new_csrf()
        html = self.templates.get_template("editor.html").render(
            view=view, title=title, csrf=csrf, data=data,
        )
        response = HTMLResponse(html)
        response.set_cookie(security.csrf_cookie, csrf, httponly=True, samesite="strict")
        return response

    # -- pages ---------------------------------------------------------------------------

    async def dashboard_page(self, request: Request) -> Response:
        return self.shell(request, "dashboard", "Translations")

    async def catalog_page(self, request: Request) -> Response:
        ref = await run_in_threadpool(self.ref, request)
        return self.shell(request, "catalog", f"{ref.title} · {native_name(ref.lang)}",
                          lang=ref.lang, domain=ref.domain)

    async def preview_page(self, request: Request) -> Response:
        ref = await run_in_threadpool(self.ref, request)
        return HTMLResponse(await run_in_threadpool(self.previewer.page, ref))

    # -- API -----------------------------------------------------------------------------

    async def status(self, request: Request) -> Response:
        return JSONResponse({
            "site": self.rebuilder.status if self.settings.rebuild else None,
            "languages": self.languages(request),
            "restricted_to": allowed_lang(request),
            "engine": self.settings.drafts.engine,
        })

    async def catalogs(self, request: Request) -> Response:
        only = allowed_lang(request)

        def collect() -> list[dict[str, Any]]:
            rows: dict[str, dict[str, Any]] = {}
            for ref in self.workspace.refs().values():
                if only is not None and ref.lang != only:
                    continue
                row = rows.setdefault(ref.domain, {
                    "domain": ref.domain, "kind": ref.kind, "title": ref.title,
                    "source_lang": ref.source_lang, "catalogs": {},
                })
                row["catalogs"][ref.lang] = {
                    "id": ref.id, "path": ref.rel, "url": f"/edit/{ref.id}", **self.workspace.summary(ref),
                }
            order = {"analysis": 0, "author": 1, "ui": 2}
            return sorted(rows.values(), key=lambda r: (order[r["kind"]], r["title"]))

        documents = await run_in_threadpool(collect)
        return JSONResponse({"languages": self.languages(request), "documents": documents})

    async def catalog(self, request: Request) -> Response:
        def collect() -> dict[str, Any]:
            ref = self.ref(request)
            loaded = self.workspace.load(ref)
            return {
                "id": ref.id, "lang": ref.lang, "lang_name": native_name(ref.lang), "domain": ref.domain,
                "kind": ref.kind, "title": ref.title, "path": ref.rel,
                "source_lang": ref.source_lang, "source_lang_name": native_name(ref.source_lang),
                "version": loaded.version,
                "preview": f"/edit/preview/{ref.id}" if ref.doc is not None else None,
                "site_url": self.site_url(ref),
                "summary": self.workspace.summary(ref),
                "entries": self.workspace.entries(ref),
                "engine": self.settings.drafts.engine,
            }

        return JSONResponse(await run_in_threadpool(collect))

    async def version(self, request: Request) -> Response:
        def collect() -> dict[str, str]:
            return {"version": self.workspace.version(self.ref(request))}

        return JSONResponse(await run_in_threadpool(collect))

    async def save(self, request: Request) -> Response:
        data = await read_json(request)
        msgstr = text(data.get("msgstr"), "msgstr")
        comment = text(data.get("comment"), "comment", optional=True)
        fuzzy, base, reviewed = data.get("fuzzy", False), data.get("base"), data.get("reviewed")
        if not isinstance(fuzzy, bool):
            raise BadRequest("fuzzy must be true or false")
        if reviewed is not None and not isinstance(reviewed, bool):
            raise BadRequest("reviewed must be true or false")
        if base is not None:
            if not (isinstance(base, dict) and isinstance(base.get("msgstr"), str)
                    and isinstance(base.get("comment"), str)):
                raise BadRequest("base must be the entry as read: {msgstr, flags, comment}")
            flags = strings(base.get("flags"), "base.flags")
            base = {"msgstr": base["msgstr"], "flags": flags, "comment": base["comment"]}

        def work() -> dict[str, Any]:
            ref = self.ref(request)
            entry = self.workspace.save(ref, self.key(request), msgstr=msgstr, fuzzy=fuzzy, comment=comment,
                                        base=base, reviewed=reviewed)
            if base is not None:
                self._journal(ref, entry, base)
            return {"entry": entry, "version": self.workspace.version(ref), "summary": self.workspace.summary(ref)}

        return JSONResponse(await run_in_threadpool(work))

    def _journal(self, ref: CatalogRef, entry: dict[str, Any], base: dict[str, Any]) -> None:
        """Record a save that changed the entry's translation, fuzzy flag or review."""
        fuzzy = "fuzzy" in base["flags"]
        before = {"msgstr": base["msgstr"], "fuzzy": fuzzy, "reviewed": is_reviewed(
            entry["msgid"], entry["msgctxt"], base["msgstr"], fuzzy, base["comment"].split("\n"))}
        after = {"msgstr": entry["msgstr"], "fuzzy": entry["fuzzy"], "reviewed": entry["reviewed"]}
        if before != after:
            self.history.record(ref, entry["key"], before, after)

    async def entry_history(self, request: Request) -> Response:
        def work() -> dict[str, Any]:
            ref = self.ref(request)
            row = self.workspace.row(ref, self.key(request))
            return self.history.versions(ref, row.key, row.block.msgstr if row.block is not None else "")

        return JSONResponse(await run_in_threadpool(work))

    async def search(self, request: Request) -> Response:
        lang = request.path_params["lang"]
        query = text(request.query_params.get("q", ""), "q")

        def work() -> dict[str, Any]:
            if lang not in self.config.languages:
                raise NotFound(f"no language {lang!r} in this project")
            require_lang(request, lang)
            return search_catalogs(self.workspace, lang, query or "")

        return JSONResponse(await run_in_threadpool(work))

    async def check(self, request: Request) -> Response:
        msgstr = text((await read_json(request)).get("msgstr"), "msgstr")

        def work() -> dict[str, Any]:
            return self.workspace.check(self.ref(request), self.key(request), msgstr)

        return JSONResponse(await run_in_threadpool(work))

    async def suggest(self, request: Request) -> Response:
        await read_json(request)

        def work() -> dict[str, Any]:
            ref = self.ref(request)
            row = self.workspace.row(ref, self.key(request))
            return self.settings.drafts.draft(row.msgid, self.workspace.body(ref), ref.source_lang, ref.lang)

        return JSONResponse(await run_in_threadpool(work))

    async def memory_matches(self, request: Request) -> Response:
        def work() -> dict[str, Any]:
            return self.memory.matches(self.ref(request), self.key(request))

        return JSONResponse(await run_in_threadpool(work))


async def _error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EditorError)
    return JSONResponse(exc.as_json(), status_code=exc.status)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 and 405, as JSON."""
    assert isinstance(exc, HTTPException)
    return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def _bug(request: Request, exc: Exception) -> Response:
    """A bug of the editor: a JSON 500 for the client (Starlette then raises the
    exception again, and the server prints its traceback on the console)."""
    return JSONResponse({"error": f"internal error of the editor ({type(exc).__name__}); see its console"},
                        status_code=500)


def create_app(config: Config, settings: Settings | None = None) -> Starlette:
    """The editor and the site of the project ``config`` describes."""
    settings = settings or Settings()
    editor = Editor(config, settings)
    catalog = "/catalogs/{lang}/{domain:path}"
    api = [
        Route("/status", editor.status),
        Route("/catalogs", editor.catalogs),
        Route(catalog + "/version", editor.version),
        Route(catalog + "/entries/{key}/check", editor.check, methods=["POST"]),
        Route(catalog + "/entries/{key}/suggest", editor.suggest, methods=["POST"]),
        Route(catalog + "/entries/{key}/memory", editor.memory_matches),
        Route(catalog + "/entries/{key}/history", editor.entry_history),
        Route("/search/{lang}", editor.search),
        Route(catalog + "/entries/{key}", editor.save, methods=["PUT"]),
        Route(catalog, editor.catalog),
    ]
    routes = [
        Route("/edit", lambda request: RedirectResponse("/edit/", status_code=307)),
        Route("/edit/", editor.dashboard_page),
        Mount("/edit/api", routes=api),
        Mount("/edit/static", StaticFiles(directory=HERE / "static"), name="editor-static"),
        Route("/edit/preview/{lang}/{domain:path}", editor.preview_page),
        Route("/edit/{lang}/{domain:path}", editor.catalog_page),
        Mount("/", SiteFiles(directory=config.site_dir, html=True, check_dir=False), name="site"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        if settings.rebuild:
            editor.rebuilder.start(watch=settings.watch)
        try:
            yield
        finally:
            if settings.rebuild:
                editor.rebuilder.stop()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, security=settings.security)],
        exception_handlers={EditorError: _error, HTTPException: _http_error, Exception: _bug},
        lifespan=lifespan,
    )
    app.state.editor = editor
    return app


class SiteFiles(StaticFiles):
    """site/, which may not exist until the first build has finished (404 until then).
    Paths resolve inside it or not at all (symbolic links included)."""

    async def check_config(self) -> None:
        return None

    async def get_response(self, path: str, scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 404:  # html mode answers with site/404.html: the editor's errors are JSON
            raise HTTPException(status_code=404)
        return response
