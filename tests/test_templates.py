"""Templates' ``_()``: the toolkit's direct, memoized gettext renders exactly what
Jinja's own new-style gettext renders."""

from __future__ import annotations

import gettext

import jinja2
import pytest
from markupsafe import Markup

from pressroom.html import install_translations

# The same strings come back with values that are equal but format differently
# (a str and a Markup of the same text, 1 / 1.0 / True): a memo keyed on the values
# alone would answer the second from the first.
CASES = [
    ("By %(author)s", {"author": "<b>Ada</b>"}),
    ("By %(author)s", {"author": Markup("<b>Ada</b>")}),
    ("By %(author)s", {"author": "<b>Ada</b>"}),
    ("Back to reference %(number)s", {"number": 1}),
    ("Back to reference %(number)s", {"number": 1.0}),
    ("Back to reference %(number)s", {"number": True}),
    ("Notes", {}),
    ("100%% & more", {}),
    ("Notes", {}),
]


@pytest.mark.parametrize("autoescape", [True, False])
def test_underscore_renders_what_jinjas_gettext_renders(autoescape):
    source = "{{ _(text, **values) }}"
    ours = jinja2.Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])
    install_translations(ours, gettext.NullTranslations())
    jinjas = jinja2.Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])
    jinjas.install_gettext_translations(gettext.NullTranslations(), newstyle=True)
    for _ in range(2):  # the second round answers from the memo
        for text, values in CASES:
            expected = jinjas.from_string(source).render(text=text, values=values)
            assert ours.from_string(source).render(text=text, values=values) == expected, (text, values)


def test_undefined_values_still_fail():
    ours = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"], undefined=jinja2.StrictUndefined)
    install_translations(ours, gettext.NullTranslations())
    with pytest.raises(jinja2.UndefinedError):
        ours.from_string("{{ _('By %(author)s', author=nobody) }}").render()
