"""Stage 7, everything -> site/: input digests and the build cache (``fingerprints``,
``toolchain``), one analysis' job (``jobs``) and its typed result (``results``), the
build itself (``build``) and the swap of a finished site into place (``publish``)."""
