"""Stage 5, translated bodies -> HTML: fragments for the web page and for print
(``fragments``), page contexts and files (``pages``), listing pages (``listings``)."""
