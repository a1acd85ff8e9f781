"""Translation check of terminology: a glossary's source term -> its approved translation.

Takes a ``Pair`` with the target language's ``Glossary`` (``locales/<lang>/glossary.csv``,
read by ``pressroom.glossary``); registers ``glossary``, which yields a message for
every term of the glossary that the source text uses and whose approved translation
the translation lacks (unless it keeps the term as written wherever the source has it:
a citation's title stays as published), in any inflected form (Snowball stems; Turkish suffixes after
an apostrophe and softened final consonants: "Kurucu Senedi'nin" is "Kurucu Senet").
"""

from __future__ import annotations

from collections.abc import Iterator

from .registry import Pair, register
from .text import _plain


@register("glossary", "warning")
def glossary(pair: Pair) -> Iterator[str]:
    """a term of the language's glossary (locales/<lang>/glossary.csv) has its approved translation"""
    if pair.glossary is None or not pair.glossary.terms:
        return
    source = _plain(pair.source, urls=False, code=False, ref=" ")
    found = pair.glossary.in_source(source, pair.source_lang)
    if not found:
        return
    target = _plain(pair.target, urls=False, code=False, ref=" ")
    for term, forms, count in found:
        # A term kept as written wherever the source has it (a citation's title, as
        # published) needs no translation.
        if pair.glossary.kept(term, target, pair.source_lang) < count and not pair.glossary.translated(term, target):
            note = f" ({term.note})" if term.note else ""
            yield (
                f"“{forms[0]}” is “{term.target}” in the glossary{note}, "
                f"not found in the translation ({term.where})"
            )
