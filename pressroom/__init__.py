"""Multilingual publishing toolkit: Markdown analyses through gettext catalogs to
HTML (and PDF) in every language, with footnotes that agree across languages."""

from .cli import main

__all__ = ["main"]
__version__ = "0.1.0"
