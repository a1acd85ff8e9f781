"""Where the catalogs of a project live, and how they are read and written as Babel
catalogs.

Layout (one domain per document)::

    locales/templates/<slug>.pot               template of an analysis
    locales/templates/authors/<slug>.pot       template of an author page
    locales/templates/messages.pot             UI strings of templates/
    locales/<lang>/LC_MESSAGES/<domain>.po     one catalog per document and target

Reading, writing and editing PO files is ``pressroom.po``; this module only knows
where the files are and which domain is the UI's (its entries carry format flags).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from ..config import Config
from ..po import PoFile, encode_po, read_po, to_catalog, to_pofile
from ..po import serialize as po_text

TEMPLATES = "templates"
UI_DOMAIN = "messages"


def serialize(catalog: PoFile | Catalog) -> bytes:
    """The bytes of a catalog in the project's format; a Babel catalog that
    ``read_catalog`` gave is written with the header it was read with."""
    po = catalog if isinstance(catalog, PoFile) else to_pofile(catalog)
    return encode_po(po, po_text(po))


def read_catalog(path: Path, rel: str, locale: str | None, domain: str) -> Catalog:
    """A PO/POT file as a Babel ``Catalog`` (for the checks, the UI translations, the
    editor); any malformation raises ``CatalogError`` naming its line."""
    return to_catalog(read_po(path, rel), locale, domain, format_flags=domain == UI_DOMAIN)


def template_path(config: Config, domain: str) -> Path:
    return config.locales_dir / TEMPLATES / f"{domain}.pot"


def catalog_path(config: Config, lang: str, domain: str) -> Path:
    return config.locales_dir / lang / "LC_MESSAGES" / f"{domain}.po"
