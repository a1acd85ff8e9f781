"""Stage 3, bodies -> gettext catalogs: where they live (``files``), templates
(``templates``: ``extract``), target catalogs (``update``, with msgmerge's semantics in
``merge``), and catalogs no source uses (``orphans``). PO bytes are ``pressroom.po``."""
