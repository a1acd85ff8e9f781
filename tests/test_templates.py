"""Templates' ``_()``: the toolkit's direct, memoized gettext renders exactly what
Jinja's own new-style gettext renders. ``obj.name``: the toolkit's environment
answers what Jinja's answers, on dicts whose keys shadow dict's own attributes too."""

from __future__ import annotations

import gettext

import jinja2
import pytest
from markupsafe import Markup

from pressroom.html import install_translations, make_environment

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


# name lookups on plain dicts, dict subclasses and other objects; keys named like
# dict's methods (items, keys, get, __class__) must still give the method, as in Jinja
ATTRIBUTE_CASES = [
    "{{ d.title }}",
    "{{ d.items is callable }} {{ d['items'] }}",
    "{% for k in d.keys() %}{{ k }},{% endfor %}",
    "{{ d.get('title') }} {{ d.__class__.__name__ }}",
    "{{ d.nested.deep }} {{ d.nested.get('deep') }}",
    "{{ sub.title }} {{ sub.extra }}",
    "{{ s.upper() }} {{ n.real }}",
    "{% for note in notes %}{{ note.id }}={{ note.number }};{% endfor %}",
    "{{ d.missing is defined }} {{ sub.missing is defined }}",
]


class _SubDict(dict):
    extra = "class attribute"


def _attribute_context() -> dict:
    d = {"title": "T <i>", "items": "key, not method", "keys": "k", "get": "g", "__class__": "c",
         "nested": {"deep": 3}}
    return {"d": d, "sub": _SubDict(title="sub", extra="key"), "s": "abc", "n": 5,
            "notes": [{"id": "fn-1", "number": 1}, {"id": "fn-2", "number": 2}]}


@pytest.mark.parametrize("source", ATTRIBUTE_CASES)
def test_attribute_lookup_is_jinjas(tmp_path, source):
    ours = make_environment(tmp_path)
    jinjas = jinja2.Environment(autoescape=True, undefined=jinja2.Undefined)
    ours.undefined = jinja2.Undefined  # "is defined" needs a lenient undefined on both sides
    assert type(ours) is not jinja2.Environment  # the override is under test
    assert ours.from_string(source).render(_attribute_context()) == jinjas.from_string(source).render(
        _attribute_context())


def test_missing_key_is_an_error_under_strict_undefined(tmp_path):
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'missing'"):
        make_environment(tmp_path).from_string("{{ d.missing }}").render(d={"title": "T"})
