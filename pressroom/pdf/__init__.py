"""Stage 6, print HTML -> PDF with WeasyPrint (``render``): the footnote layout
checked and corrected (``footnote_fix``), each footnote laid out once per place
(``footnote_reuse``), computed styles shared by a session's documents
(``shared_styles``), font subsetting with one C array type (``subset_arrays``),
Turkish hyphenation (``hyphenation``)."""
