"""Stage 2, a document -> its body: the Markdown dialect (``dialect``), translatable
units and numbered notes (``body``), and the plain-prose shortcut of the inline parser
(``plain_prose``)."""
