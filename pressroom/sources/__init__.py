"""Stage 1, content/ -> documents: Markdown sources with validated front matter
(``documents``), the front matter read with its lines and dates (``frontmatter``)."""
