"""``[tool.pressroom]`` in pyproject.toml -> a frozen ``Config``.

Every option is declared once in ``OPTIONS`` with its default and help; the README's
configuration table is checked against it by the tests.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError

from .errors import ConfigError

CONFIG_FILE = "pyproject.toml"


@dataclass(frozen=True)
class Option:
    name: str
    default: Any
    help: str


OPTIONS: tuple[Option, ...] = (
    Option("site_name", "Pressroom", "Name of the site, shown in every page header (not translated)."),
    Option("languages", ["en", "tr", "ru"], "Languages the site is published in (locale codes)."),
    Option("default_language", "en", "Language that site/index.html leads to."),
    Option("base_url", "", "Absolute http:// or https:// URL of the published site; empty for relative links."),
    Option(
        "date_locales",
        {"en": "en_GB"},
        "Locale that formats dates, per language (en_GB writes '17 December 2023').",
    ),
    Option("fuzzy_cutoff", 0.6, "How close (0-1, word-level) a changed text must be to inherit a translation as fuzzy."),
    Option("template_language", "en", "Language of the UI strings in templates/ (needs no catalog)."),
    Option(
        "executor",
        "local",
        "Where `build` renders the analyses: \"local\" (processes of this machine) or \"dask\" (a Dask cluster).",
    ),
    Option("scheduler", "", "Address of the Dask scheduler (tcp://HOST:8786) when executor is \"dask\"."),
    Option("page_size", 20, "Analyses per listing page (a language's index, its year archives and topic pages)."),
    Option("feed_size", 20, "Newest analyses in each language's feed."),
    Option(
        "publish",
        "translated",
        "Which entries of the documents' catalogs the build publishes: \"translated\" (every translated entry "
        "that is not fuzzy) or \"reviewed\" (only those marked reviewed); the others show the source text.",
    ),
    Option(
        "site_update",
        "auto",
        "How `build` puts a rebuilt site into site/: \"auto\" (a small change file by file, a large one in one "
        "swap of the whole tree) or \"swap\" (always in one swap: atomic, and costs the whole site).",
    ),
    Option(
        "search_shard_size",
        100,
        "Analyses per shard of a language's search index, about: a change re-indexes only its shard.",
    ),
    Option(
        "social_image",
        "",
        "Image of link previews (Open Graph, Twitter cards): a file in templates/static/, e.g. 'card.png'; "
        "empty for none.",
    ),
)

EXECUTORS = ("local", "dask")
PUBLISH = ("translated", "reviewed")
SITE_UPDATES = ("auto", "swap")


@dataclass(frozen=True)
class Config:
    """Where the project is and what it publishes."""

    root: Path
    """The directory holding build.py: every path is relative to it."""
    site_name: str
    languages: tuple[str, ...]
    default_language: str
    base_url: str
    template_language: str
    date_locales: dict[str, str]
    fuzzy_cutoff: float
    executor: str = "local"
    """Where ``build`` renders: ``local`` or ``dask``."""
    scheduler: str = ""
    """The Dask scheduler's address (``executor = "dask"`` only)."""
    social_image: str = ""
    """Path of the link-preview image under templates/static/ (and site/static/), or empty."""
    page_size: int = 20
    """Analyses per listing page."""
    feed_size: int = 20
    """Entries of a feed: the newest analyses."""
    publish: str = "translated"
    """``translated`` or ``reviewed``: which entries of document catalogs are published."""
    site_update: str = "auto"
    """How a rebuilt site goes into site/: ``auto`` or ``swap`` (``site.publish``)."""
    search_shard_size: int = 100
    """Analyses per search index shard, about (``site.search.shard_count``)."""

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def date_locale(self, lang: str) -> str:
        return self.date_locales.get(lang, lang)

    @property
    def ui_targets(self) -> list[str]:
        """Languages that need a translation of the templates' UI strings."""
        return [lang for lang in self.languages if lang != self.template_language]

    def rel(self, path: Path) -> str:
        """``path`` relative to the project root, in POSIX form (for messages and ``#:``)."""
        if path.is_absolute() and ".." not in path.parts:
            try:  # a path made from the root: no need to ask the file system
                return path.relative_to(self.root).as_posix()
            except ValueError:
                pass
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()


def option_line(text: str, name: str) -> int | None:
    """The line of pyproject.toml (``text``) that sets ``[tool.pressroom]`` option
    ``name``: in that table, or as a dotted key (``pressroom.name`` under ``[tool]``,
    ``tool.pressroom.name`` before any table); None if it is not found."""
    table = ""
    key = re.compile(r"\s*(?:(?:\"?tool\"?\s*\.\s*)?\"?pressroom\"?\s*\.\s*)?\"?([\w-]+)\"?\s*=")
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$", line)
        if header:
            table = re.sub(r"\s*\.\s*", ".", header.group(1)).replace('"', "")
            continue
        m = key.match(line)
        if m is None or m.group(1) != name:
            continue
        dotted = line.split("=", 1)[0].replace('"', "").replace(" ", "")
        if (table, dotted) in (
            ("tool.pressroom", name), ("tool", f"pressroom.{name}"), ("", f"tool.pressroom.{name}")
        ):
            return number
    return None


_NOT_IN_URLS = '"<>\\^`{|}'
"""Characters RFC 3986 leaves out of URLs (they must be percent-encoded)."""


def base_url_problem(value: Any) -> str | None:
    """Why ``value`` cannot be ``base_url``, or None. Every page's links start with it,
    so it is an ``http://`` or ``https://`` URL with a host (no query, no fragment,
    no space or control character), or empty for relative links."""
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    if value == "":
        return None
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F or ch in _NOT_IN_URLS for ch in value):
        return f"must be a URL without spaces, control characters or any of {_NOT_IN_URLS}, not {value!r}"
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host:
        return f"must be an http:// or https:// URL (or empty for relative links), not {value!r}"
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return f"must be the site's address, without a query or fragment, not {value!r}"
    return None


def social_image_problem(root: Path, value: Any) -> str | None:
    """Why ``value`` cannot be ``social_image``, or None: a file of templates/static/,
    named by a relative path inside it (it is published as site/static/<path>)."""
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    if value == "":
        return None
    parts = value.split("/")
    if value.startswith("/") or "\\" in value or any(part in ("", ".", "..") for part in parts):
        return f"must be a path inside templates/static/, such as 'card.png', not {value!r}"
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return f"must not hold control characters: {value!r}"
    if not (root / "templates" / "static" / value).is_file():
        return f"names no file: templates/static/{value} does not exist"
    return None


def scheduler_problem(value: Any) -> str | None:
    """Why ``value`` cannot be a Dask scheduler's address, or None. Dask itself
    judges the rest when it connects (``tcp://HOST:8786``, ``tls://…``, ``HOST:8786``)."""
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    if not value or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return f"must be an address such as tcp://HOST:8786, not {value!r}"
    return None


def load_config(root: Path) -> Config:
    """Read and validate the configuration of the project in ``root``."""
    path = root / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise ConfigError("no pyproject.toml: run the command in the project directory", CONFIG_FILE) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"pyproject.toml is not UTF-8 ({exc.reason})", CONFIG_FILE) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", CONFIG_FILE) from None
    section = data.get("tool", {}).get("pressroom", {})
    known = {o.name for o in OPTIONS}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ConfigError(f"unknown option(s) in [tool.pressroom]: {', '.join(unknown)}", CONFIG_FILE)
    values = {o.name: section.get(o.name, o.default) for o in OPTIONS}

    languages = values["languages"]
    if not isinstance(languages, list) or not languages or not all(isinstance(x, str) for x in languages):
        raise ConfigError("[tool.pressroom] languages must be a non-empty list of locale codes", CONFIG_FILE)
    for code in languages:
        try:
            Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            raise ConfigError(f"[tool.pressroom] languages: unknown locale {code!r}", CONFIG_FILE) from None
    if values["default_language"] not in languages:
        raise ConfigError(
            f"[tool.pressroom] default_language {values['default_language']!r} is not in languages",
            CONFIG_FILE,
        )
    date_locales = values["date_locales"]
    if not isinstance(date_locales, dict) or not all(isinstance(v, str) for v in date_locales.values()):
        raise ConfigError("[tool.pressroom] date_locales must map languages to locale codes", CONFIG_FILE)
    if problem := base_url_problem(values["base_url"]):
        raise ConfigError(f"[tool.pressroom] base_url {problem}", CONFIG_FILE, option_line(text, "base_url"))
    if problem := social_image_problem(root, values["social_image"]):
        raise ConfigError(f"[tool.pressroom] social_image {problem}", CONFIG_FILE, option_line(text, "social_image"))
    cutoff = values["fuzzy_cutoff"]
    if isinstance(cutoff, bool) or not isinstance(cutoff, (int, float)) or not 0 < cutoff <= 1:
        raise ConfigError("[tool.pressroom] fuzzy_cutoff must be a number between 0 and 1", CONFIG_FILE)
    for name in ("page_size", "feed_size", "search_shard_size"):
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"[tool.pressroom] {name} must be a whole number of analyses, 1 or more, "
                              f"not {value!r}", CONFIG_FILE, option_line(text, name))
    if values["publish"] not in PUBLISH:
        raise ConfigError(f"[tool.pressroom] publish must be one of {', '.join(map(repr, PUBLISH))}, "
                          f"not {values['publish']!r}", CONFIG_FILE, option_line(text, "publish"))
    if values["executor"] not in EXECUTORS:
        raise ConfigError(f"[tool.pressroom] executor must be one of {', '.join(map(repr, EXECUTORS))}, "
                          f"not {values['executor']!r}", CONFIG_FILE, option_line(text, "executor"))
    if values["site_update"] not in SITE_UPDATES:
        raise ConfigError(f"[tool.pressroom] site_update must be one of {', '.join(map(repr, SITE_UPDATES))}, "
                          f"not {values['site_update']!r}", CONFIG_FILE, option_line(text, "site_update"))
    if (values["executor"] == "dask" or "scheduler" in section) and (problem := scheduler_problem(values["scheduler"])):
        where = "scheduler" if "scheduler" in section else "executor"
        raise ConfigError(f"[tool.pressroom] scheduler {problem} (executor = \"dask\" needs it)",
                          CONFIG_FILE, option_line(text, where))
    return Config(
        root=root,
        site_name=str(values["site_name"]),
        languages=tuple(languages),
        default_language=values["default_language"],
        base_url=str(values["base_url"]).rstrip("/"),
        template_language=str(values["template_language"]),
        date_locales=dict(values["date_locales"]),
        fuzzy_cutoff=float(values["fuzzy_cutoff"]),
        executor=values["executor"],
        scheduler=values["scheduler"],
        social_image=values["social_image"],
        page_size=values["page_size"],
        feed_size=values["feed_size"],
        publish=values["publish"],
        site_update=values["site_update"],
        search_shard_size=values["search_shard_size"],
    )
