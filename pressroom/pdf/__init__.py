"""Stage 6, print HTML -> PDF with WeasyPrint (``render``): the footnote layout
checked and corrected (``footnote_fix``), Turkish hyphenation (``hyphenation``)."""
