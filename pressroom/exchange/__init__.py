"""CAT-tool exchange: catalogs -> XLIFF 1.2 (``export``) and back (``import``).

- ``codes``: an entry's inline Markdown -> text runs and protected inline codes
  (footnote calls, links, emphasis, code, URLs), and back, byte for byte;
- ``xliff``: export files -> an XLIFF 1.2 document and a document -> its units,
  with their lines (translate-toolkit's XLIFF store, lxml);
- ``apply``: the project's catalogs -> export files; imported units -> one-entry
  edits of the catalogs, checked as ``build.py check`` checks them.
"""

from .apply import Catalog, catalogs_of, export_files, import_units
from .codes import Code, align, join, split
from .xliff import ExportFile, ExportUnit, ImportFile, ImportUnit, read_xliff, write_xliff

__all__ = [
    "Catalog", "Code", "ExportFile", "ExportUnit", "ImportFile", "ImportUnit", "align", "catalogs_of",
    "export_files", "import_units", "join", "read_xliff", "split", "write_xliff",
]
