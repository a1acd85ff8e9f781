"""Templates' ``_()``: UI translations are text. Installed through Jinja's public i18n
API (new style), every translation is escaped before Jinja formats it, so markup,
quotes and character references in a msgstr are shown as typed, in text and in
attributes; a value the template passes is escaped unless it is ``Markup`` (a link
the template built). The page-footer label becomes CSS, its text never HTML-escaped."""

from __future__ import annotations

import gettext

import jinja2
import pytest
from markupsafe import Markup

from pressroom.html.fragments import css_counters, install_translations, make_environment


class Catalog(gettext.NullTranslations):
    """A catalog in memory: msgid -> msgstr (plural forms: (msgid, n) -> msgstr)."""

    def __init__(self, strings: dict):
        super().__init__()
        self.strings = strings

    def gettext(self, message):
        return self.strings.get(message, message)

    def ngettext(self, singular, plural, n):
        return self.strings.get((singular, n), singular if n == 1 else plural)

    def pgettext(self, context, message):
        return self.strings.get((context, message), message)


# (template, msgstr of its string, values, expected output), in text and attributes.
CASES = [
    ('{{ _("Notes") }}', "Dipnotlar<script>alert(1)</script>", {},
     "Dipnotlar&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('<nav aria-label="{{ _("Languages") }}">', 'Diller" onmouseover="alert(1)', {},
     '<nav aria-label="Diller&#34; onmouseover=&#34;alert(1)">'),
    ("<nav aria-label='{{ _(\"Site\") }}'>", "Site' onfocus='alert(3)", {},
     "<nav aria-label='Site&#39; onfocus=&#39;alert(3)'>"),
    ('{{ _("Analysis") }}', "<img src=x onerror=alert(2)>Analiz", {}, "&lt;img src=x onerror=alert(2)&gt;Analiz"),
    ('<title>{{ _("Analyses") }}</title>', "Analizler</title><script>alert(6)</script>", {},
     "<title>Analizler&lt;/title&gt;&lt;script&gt;alert(6)&lt;/script&gt;</title>"),
    ('<meta name="x" content="{{ _("Tags:") }}">', "&lt;b&gt;Etiketler&amp;:", {},
     '<meta name="x" content="&amp;lt;b&amp;gt;Etiketler&amp;amp;:">'),
    ('{{ _("Document") }}', "&#60;script&#62;", {}, "&amp;#60;script&amp;#62;"),
    ('<a href="/status/">{{ _("Translation status") }}</a>', "javascript:alert(5)", {},
     '<a href="/status/">javascript:alert(5)</a>'),
    ('{{ _("Untranslated") }}', "{{ 7*7 }}{{ lang }}", {}, "{{ 7*7 }}{{ lang }}"),
    # placeholders: the value is escaped unless it is Markup
    ('{{ _("By %(author)s", author=a) }}', "Yazar: %(author)s <svg onload=alert(7)>",
     {"a": Markup('<a href="/a/">Ada</a>')}, 'Yazar: <a href="/a/">Ada</a> &lt;svg onload=alert(7)&gt;'),
    ('{{ _("By %(author)s", author=a) }}', "Yazar: %(author)s", {"a": "<b>Ada</b>"}, "Yazar: &lt;b&gt;Ada&lt;/b&gt;"),
    ('<a aria-label="{{ _("Back to reference %(number)s", number=n) }}">', '%(number)s" onfocus="x', {"n": 3},
     '<a aria-label="3&#34; onfocus=&#34;x">'),
    ('{{ _("By %(author)s", author=a) }}', "Yazar (%%100): %(author)s", {"a": "Ada & Co"},
     "Yazar (%100): Ada &amp; Co"),
    # untranslated: the template's own text, escaped the same way
    ('{{ _("100%% & <more>") }}', None, {}, "100% &amp; &lt;more&gt;"),
    ('{{ _("By %(author)s", author=a) }}', None, {"a": Markup("<i>Ada</i>")}, "By <i>Ada</i>"),
    # the other forms of Jinja's i18n: trans blocks, plurals, contexts
    ("{% trans %}Notes{% endtrans %}", "<b>Dipnotlar</b>", {}, "&lt;b&gt;Dipnotlar&lt;/b&gt;"),
    ("{% trans count=n %}{{ count }} note{% pluralize %}{{ count }} notes{% endtrans %}", "<i>%(count)s</i> not",
     {"n": 2}, "&lt;i&gt;2&lt;/i&gt; not"),
    ('{{ pgettext("menu", "Notes") }}', "<u>Notlar</u>", {}, "&lt;u&gt;Notlar&lt;/u&gt;"),
]


def _strings(template: str, msgstr: str | None) -> dict:
    if msgstr is None:
        return {}
    if "pluralize" in template:
        return {("%(count)s note", 2): msgstr}
    if "pgettext" in template:
        return {("menu", "Notes"): msgstr}
    msgid = template.split('_("', 1)[1].split('"', 1)[0] if '_("' in template else "Notes"
    return {msgid: msgstr}


@pytest.mark.parametrize(("template", "msgstr", "values", "expected"), CASES, ids=[c[0] for c in CASES])
def test_ui_translations_are_text(tmp_path, template, msgstr, values, expected):
    environment = make_environment(tmp_path)
    install_translations(environment, Catalog(_strings(template, msgstr)))
    assert environment.from_string(template).render(values) == expected


@pytest.mark.parametrize("autoescape", [True, False])
def test_plain_strings_render_as_jinjas_own_gettext(autoescape):
    """Without a character to escape, the result is Jinja's own new-style gettext's."""
    ours = jinja2.Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])
    jinjas = jinja2.Environment(autoescape=autoescape, extensions=["jinja2.ext.i18n"])
    translations = Catalog({"Notes": "Dipnotlar", "By %(author)s": "Yazar: %(author)s"})
    install_translations(ours, translations)
    jinjas.install_gettext_translations(translations, newstyle=True)
    for source, values in [('{{ _("Notes") }}', {}), ('{{ _("By %(author)s", author=a) }}', {"a": "Ada"}),
                           ('{{ _("By %(author)s", author=a) }}', {"a": Markup("<b>Ada</b>")}),
                           ('{{ _("Back to reference %(number)s", number=1.0) }}', {})]:
        assert ours.from_string(source).render(values) == jinjas.from_string(source).render(values)


def test_the_environment_is_jinjas_own():
    """No subclass, no patched ``_``: the templates run on Jinja's public API."""
    environment = make_environment(".")
    assert type(environment) is jinja2.Environment
    install_translations(environment, Catalog({}))
    assert environment.globals["_"].__module__ == "jinja2.ext"


def test_undefined_values_still_fail(tmp_path):
    environment = make_environment(tmp_path)
    install_translations(environment, gettext.NullTranslations())
    with pytest.raises(jinja2.UndefinedError):
        environment.from_string("{{ _('By %(author)s', author=nobody) }}").render()


def test_missing_key_is_an_error_under_strict_undefined(tmp_path):
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'missing'"):
        make_environment(tmp_path).from_string("{{ d.missing }}").render(d={"title": "T"})


# The page-footer label of the PDF ("Page %(page)s of %(pages)s") as CSS content:
# the text the translator wrote, in the order they wrote it, inert inside <style>.
COUNTER_CASES = [
    ("Page {page} of {pages}", '"Page " counter(page) " of " counter(pages) ""'),
    ("Страница {page} из {pages}", '"Страница " counter(page) " из " counter(pages) ""'),
    ("{pages} sayfanın {page}. sayfası", '"" counter(pages) " sayfanın " counter(page) ". sayfası"'),
    (Markup("Sayfa {page} / {pages} &lt;/style&gt;&lt;script&gt;"),
     '"Sayfa " counter(page) " / " counter(pages) " \\3c /style\\3e \\3c script\\3e "'),
    ('Sayfa {page}" } body { display: none', '"Sayfa " counter(page) "\\22  \\7d  body \\7b  display: none"'),
]


@pytest.mark.parametrize(("label", "css"), COUNTER_CASES)
def test_page_label_as_css_content(label, css):
    assert css_counters(label) == css
