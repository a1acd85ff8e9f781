"""Computed styles worked out once per session, not once per document (a pinned
speed-up of WeasyPrint 70).

WeasyPrint computes each element's style lazily: ``StyleFor.set_computed_styles``
makes a ``ComputedStyle`` (a dict) from the element's cascaded declarations, its
parent's style and the root's, and each property is computed the first time layout
or drawing reads it (``ComputedStyle.__missing__``, among the costliest functions of
a PDF: docs/benchmarks.md). Within one document WeasyPrint already shares the style
of elements with the same declarations and parent; across documents it starts over,
although the analyses of an archive are made of the same few hundred kinds of
element (a paragraph in a section, a note call, a heading…).

While ``sharing(templates)`` is on, ``install()``'s ``set_computed_styles`` keeps,
per kind of element, a *template*: a ``ComputedStyle`` no document uses, made from
the same cascaded declarations, whose parent is the template of the element's parent.
The key of a template is everything a computed value depends on: the parent's
template, the pseudo-element, the base URL, the font configuration (for the root)
and the cascaded declarations with their weights, compared by value and by type (so
``1`` and ``1.0`` differ). Each document still gets its own style object for each
element, as WeasyPrint makes it, with the template's computed values copied in
(``ComputedStyle.copy`` does the same); what WeasyPrint changes in a document's
styles (footnote anchors, table wrappers, ``display`` of footnotes) stays in that
document. Properties the template does not have yet are computed by WeasyPrint in
the document, as always; when the document is finished (``sharing`` ends), the
template computes them too, with WeasyPrint's own ``__missing__`` and its own chain
of templates, for the next documents.

A template is dropped, with every template under it, if computing its values logs a
warning (a document would no longer say it), reads the page size (viewport units:
it is the document's), raises, or gives a value that can be changed in place (list,
dict, set). Templates are kept for the last ``LIMIT`` kinds used: ids and inline
styles make new kinds with every analysis.

Installed only on WeasyPrint 70.0 whose five functions involved have the audited
source; on any other WeasyPrint nothing is wrapped and every style is computed per
document, as WeasyPrint does it. Outside ``sharing()`` the wrapper is WeasyPrint's
own function. PDFs are the same bytes either way, whatever was rendered before
(tests/test_shared_styles.py).
"""

from __future__ import annotations

import itertools
import logging
import pickle
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from . import audit

AUDITED_VERSION = "70.0"
AUDITED_SHA256 = {
    "StyleFor.__init__": "b1e725a7552502aa00f0bc07aec79c1aa49365b107a889085161f8d6a4c4a836",
    "StyleFor.set_computed_styles": "b5b15856b8beff3f49e20ac0309d7b45fb2a5192d826dd65e05b3009b8285c46",
    "ComputedStyle.__init__": "ffbc48647d0d85e240e76a164638f0aafb6464cda37ef1f89690d934bafa890e",
    "ComputedStyle.__missing__": "b318d8efc8ac79d716f05cb81cc3abd65a32bd79601e363b218a32559bb3a5fb",
    "ComputedStyle.copy": "4398a49b631bf9925c8e4807d87eafaaec7f06ef28a1f15c2ee561f363568dbc",
}

LIMIT = 4096
"""Templates kept per session (the least recently used go first)."""

_TEMPLATE = "_pressroom_template"
"""Attribute of a document's ``ComputedStyle``: the template its values came from."""

_MUTABLE = (list, dict, set, bytearray)

_PROTOCOL = 5
"""Cascaded declarations are compared as pickled: by value and by type (``1``,
``1.0`` and ``True`` differ, a tuple and a named tuple too), lists included."""


class _PageSizes(dict):
    """The templates' ``initial_page_sizes``: notes whether a computation read it."""

    def __init__(self) -> None:
        super().__init__(box=None, area=None)
        self.read = False

    def __getitem__(self, key):
        self.read = True
        return super().__getitem__(key)


@dataclass
class StyleTemplates:
    """The templates of one session (``PrintSession.styles``), and counts. Like the
    session, for one document at a time (a build worker renders one job at a time)."""

    limit: int = LIMIT
    kept: OrderedDict = field(default_factory=OrderedDict)
    """key -> template (a ``ComputedStyle``), least recently used first."""
    made: list = field(default_factory=list)
    """(document's style, template) of the document being rendered."""
    copied: int = 0
    """Styles given a template's values."""
    started: int = 0
    """Styles given an empty template (a kind not seen yet)."""
    dropped: int = 0
    """Templates dropped (a warning, the page size, a mutable value, an error)."""
    serials: Iterator[int] = field(default_factory=itertools.count)
    page_sizes: _PageSizes = field(default_factory=_PageSizes)
    """The templates' ``initial_page_sizes``: no page, and whether one was asked for."""


_active: ContextVar[StyleTemplates | None] = ContextVar("pressroom_shared_styles", default=None)
_ComputedStyle = _InitialStyle = _PageType = None
"""WeasyPrint's classes, once installed (imported here, not on each call)."""


def _functions() -> dict:
    from weasyprint.css import ComputedStyle, StyleFor

    return {
        "StyleFor.__init__": StyleFor.__init__,
        "StyleFor.set_computed_styles": _WRAPPING.current(),
        "ComputedStyle.__init__": ComputedStyle.__init__,
        "ComputedStyle.__missing__": ComputedStyle.__missing__,
        "ComputedStyle.copy": ComputedStyle.copy,
    }


def audited() -> bool:
    """Is the installed WeasyPrint the one this module was checked against?"""
    return audit.audited(AUDITED_VERSION, ((f, AUDITED_SHA256[name]) for name, f in _functions().items()))


def install() -> bool:
    """Wrap WeasyPrint's ``StyleFor.set_computed_styles`` (idempotent); False on
    another WeasyPrint."""
    global _ComputedStyle, _InitialStyle, _PageType
    from weasyprint.css import ComputedStyle, InitialStyle
    from weasyprint.layout.page import PageType

    _ComputedStyle, _InitialStyle, _PageType = ComputedStyle, InitialStyle, PageType
    return _WRAPPING.install()


def restore() -> None:
    """Put WeasyPrint's own function back (benchmarks of raw WeasyPrint, tests)."""
    _WRAPPING.restore()


@contextmanager
def sharing(templates: StyleTemplates | None) -> Iterator[StyleTemplates | None]:
    """Share ``templates`` with the documents rendered meanwhile (in this thread or
    task), and complete them from these documents at the end. None, or another
    WeasyPrint: WeasyPrint as it is."""
    token = _active.set(templates if templates is not None and install() else None)
    try:
        yield templates
    finally:
        _active.reset(token)
        if templates is not None:
            _complete(templates)


def _set_computed_styles(self, element, parent, root=None, pseudo_type=None, base_url=None, target_collector=None):
    """``StyleFor.set_computed_styles``, with the values of the element's template."""
    templates = _active.get()
    if templates is None or (type(element) is not Element and type(element) is not _PageType):
        return _WRAPPING.original(self, element, parent, root, pseudo_type, base_url, target_collector)
    ComputedStyle, InitialStyle = _ComputedStyle, _InitialStyle

    computed_styles = self.get_computed_styles()
    if element == root and pseudo_type is None:
        parent_style, root_style = None, InitialStyle(self.font_config)
        parent_template, root_template, above = None, None, ("root", id(self.font_config))
    else:
        parent_style, root_style = computed_styles[parent, None], computed_styles[root, None]
        parent_template = getattr(parent_style, _TEMPLATE, None)
        root_template = getattr(root_style, _TEMPLATE, None)
        if parent_template is None or root_template is None:
            return _WRAPPING.original(self, element, parent, root, pseudo_type, base_url, target_collector)
        above = parent_template._pressroom_serial
    cascaded = self.get_cascaded_styles().get((element, pseudo_type), {})
    try:
        key = (above, pseudo_type, base_url, pickle.dumps(tuple(cascaded.items()), _PROTOCOL))
    except Exception:  # noqa: BLE001 - a value pickle cannot write: computed per document
        return _WRAPPING.original(self, element, parent, root, pseudo_type, base_url, target_collector)
    template = templates.kept.get(key)
    if template is None:
        template = ComputedStyle(parent_template, dict(cascaded), pseudo_type,
                                 root_template if parent_template is not None else InitialStyle(self.font_config),
                                 base_url, self.font_config, templates.page_sizes)
        template._pressroom_serial = next(templates.serials)
        template._pressroom_key = key
        template._pressroom_dropped = False
        templates.kept[key] = template
        if len(templates.kept) > templates.limit:
            templates.kept.popitem(last=False)
        templates.started += 1
    else:
        templates.kept.move_to_end(key)
        templates.copied += 1
    computed = computed_styles[element, pseudo_type] = ComputedStyle(
        parent_style, cascaded, pseudo_type, root_style, base_url, self.font_config, self.initial_page_sizes)
    computed.update(template)
    computed.specified = template.specified.copy()
    setattr(computed, _TEMPLATE, template)
    templates.made.append((computed, template))
    if target_collector and computed["anchor"]:
        target_collector.collect_anchor(computed["anchor"])


class _Warned(logging.Filter):
    """Drops WeasyPrint's log records (a template's, not a document's) and notes them."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = False

    def filter(self, record: logging.LogRecord) -> bool:
        self.seen = True
        return False


def _complete(templates: StyleTemplates) -> None:
    """Give each template used by the finished document the properties the document
    computed and the template has not (parents before their children, as they were
    made); drop those that cannot be shared. WeasyPrint's log records meanwhile are the
    templates', not a document's: noted and dropped."""
    made, templates.made = templates.made, []
    logger = logging.getLogger("weasyprint")
    warned = _Warned()
    logger.addFilter(warned)
    try:
        for style, template in made:
            _fill(templates, style, template, warned)
    finally:
        logger.removeFilter(warned)


def _fill(templates: StyleTemplates, style, template, warned: _Warned) -> None:
    """``template`` given what ``style`` has and it has not, or dropped."""
    if template._pressroom_dropped:
        return
    if template.parent_style is not None and template.parent_style._pressroom_dropped:
        _drop(templates, template)
        return
    missing = style.keys() - template.keys()
    if not missing:
        return
    # computing a template's property may compute its ancestors' too (inherited
    # values, em and rem): what each of them had before tells what is new
    line = [template]
    while line[-1].parent_style is not None:
        line.append(line[-1].parent_style)
    had = [set(t) for t in line]
    warned.seen = templates.page_sizes.read = False
    try:
        for key in sorted(missing):  # the same order in every process
            template[key]
    except Exception:  # noqa: BLE001 - what WeasyPrint raised, the document did not
        warned.seen = True
    for t, before in zip(line, had, strict=True):
        new = t.keys() - before
        if new and (warned.seen or templates.page_sizes.read or any(_mutable(t[key]) for key in new)):
            _drop(templates, t)


def _drop(templates: StyleTemplates, template) -> None:
    """No more documents get ``template`` (nor, through their keys, its descendants)."""
    if template._pressroom_dropped:
        return
    template._pressroom_dropped = True
    templates.dropped += 1
    if templates.kept.get(template._pressroom_key) is template:
        del templates.kept[template._pressroom_key]


def _mutable(value) -> bool:
    if isinstance(value, _MUTABLE):
        return True
    return isinstance(value, tuple) and any(_mutable(item) for item in value)


_WRAPPING = audit.Wrapping("weasyprint.css", "StyleFor.set_computed_styles", _set_computed_styles, audited)
