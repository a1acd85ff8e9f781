"""A page and the site's configuration -> what its ``<head>`` tells search engines,
feed readers and link previews; an analysis' address -> its share links.

``HeadMeta`` holds links as site-relative URLs, like every page context (the
template turns them into links with ``link(url)``: absolute when ``base_url`` is
set, relative otherwise); the Open Graph locales and the social image are written
as they are. Share links need the page's absolute address, so they exist only when
``base_url`` is set.

x-default (the page for readers whose language the site does not have): each
language's index has the root page, the language choice, as its x-default; every
other page has its version in the default language.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TypedDict
from urllib.parse import quote

from babel import Locale
from babel.core import get_global

from ..config import Config


class HeadMeta(TypedDict):
    """What base.html and root.html put in a page's head besides its title."""

    canonical: str | None
    """The page itself (site-relative), or None for a page not to index (404)."""
    x_default: str | None
    """The page for readers of other languages (site-relative), or None."""
    feed: str
    """The Atom feed of the page's language (site-relative)."""
    locale: str
    """``og:locale`` of the page's language ("en_GB", "tr_TR")."""
    locale_alternates: list[str]
    """``og:locale:alternate``: the other languages' locales, in the site's order."""
    absolute: bool
    """``base_url`` is set: links are absolute, so ``og:url`` and the image may be given."""
    image: str | None
    """The social image's absolute URL, or None (no ``social_image``, or no ``base_url``)."""


class ShareLink(TypedDict):
    network: str
    """``email``, ``x``, ``linkedin``, ``telegram`` or ``whatsapp`` (the template labels it)."""
    href: str


def feed_url(lang: str) -> str:
    return f"{lang}/feed.xml"


@cache
def og_locale(lang: str, date_locale: str) -> str:
    """A language as Open Graph names it, language_TERRITORY: the configured date
    locale when it names a territory (en_GB), else the language's likely one (tr_TR)."""
    locale = Locale.parse(date_locale)
    if locale.territory:
        return f"{locale.language}_{locale.territory}"
    likely = Locale.parse(get_global("likely_subtags").get(lang, lang))
    return f"{likely.language}_{likely.territory}" if likely.territory else likely.language


def x_default(config: Config, url_for: Callable[[str], str]) -> str:
    """The x-default of the page whose language versions ``url_for`` gives."""
    default = url_for(config.default_language)
    return "" if default == f"{config.default_language}/" else default


def head_meta(config: Config, lang: str, url: str, url_for: Callable[[str], str] | None) -> HeadMeta:
    """The head of the page at ``url`` in ``lang``; ``url_for`` gives its versions in
    the site's languages, ``None`` for a page not to index (a 404 page)."""
    image = None
    if config.base_url and config.social_image:
        image = f"{config.base_url}/static/{quote(config.social_image)}"
    return HeadMeta(
        canonical=url if url_for is not None else None,
        x_default=x_default(config, url_for) if url_for is not None else None,
        feed=feed_url(lang),
        locale=og_locale(lang, config.date_locale(lang)),
        locale_alternates=[og_locale(other, config.date_locale(other)) for other in config.languages if other != lang],
        absolute=bool(config.base_url),
        image=image,
    )


def _q(text: str) -> str:
    """``text`` as one URL query value: every reserved character percent-encoded
    (spaces as %20, which mailto: needs, RFC 6068)."""
    return quote(text, safe="")


def share_links(address: str, title: str) -> list[ShareLink]:
    """Plain links that share the page at the absolute ``address`` under ``title``
    (no script of anyone's): e-mail, X, LinkedIn, Telegram, WhatsApp. Empty without
    an address."""
    if not address:
        return []
    url, text = _q(address), _q(title)
    return [
        ShareLink(network="email", href=f"mailto:?subject={text}&body={text}%0D%0A%0D%0A{url}"),
        ShareLink(network="x", href=f"https://x.com/intent/tweet?text={text}&url={url}"),
        ShareLink(network="linkedin", href=f"https://www.linkedin.com/sharing/share-offsite/?url={url}"),
        ShareLink(network="telegram", href=f"https://t.me/share/url?url={url}&text={text}"),
        ShareLink(network="whatsapp", href=f"https://wa.me/?text={text}%20{url}"),
    ]
