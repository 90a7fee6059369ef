"""The tenant-text rule (reader's locale, tenant's language, base text) and template checks, without a database."""

from __future__ import annotations

from sampark.platform.i18n import Preferences, use_preferences
from sampark.platform.i18n.tenant_text import clean_translations, follow_rename, from_form, localized
from sampark.platform.mail.custom import MAIL_KINDS, CustomTemplate, check_template, render_template
from sampark.tenants.pipelines.seed import DEFAULT_STAGES, default_pipeline_statements, seeded_names

NAMES = {"fr": "Découverte", "pt_BR": "Descoberta"}


def test_reader_locale_then_tenant_language_then_base() -> None:
    with use_preferences(Preferences(locale="fr", tenant_locale="pt_BR")):
        assert localized("Discovery", NAMES) == "Découverte"
    with use_preferences(Preferences(locale="ja", tenant_locale="pt_BR")):
        assert localized("Discovery", NAMES) == "Descoberta"
    with use_preferences(Preferences(locale="ja", tenant_locale="en")):
        assert localized("Discovery", NAMES) == "Discovery"
        assert localized("Discovery", None) == "Discovery"


def test_translations_are_cleaned_and_a_rename_drops_the_untouched_ones() -> None:
    clean, errors = clean_translations(
        {"hi": "  बिक्री  ", "fr": "", "xx": "?", "de": "x" * 101}, max_length=100
    )
    assert clean == {"hi": "बिक्री"}
    assert set(errors) == {"names.xx", "names.de"}
    assert from_form({"names.hi": "a", "name": "b"}) == {
        "en": "", "hi": "a", "es": "", "pt_BR": "", "fr": "", "de": "", "ja": "", "ar": "",
    }  # fmt: skip
    assert from_form({"name": "b"}) is None
    stored = {"en": "Qualification", "hi": "योग्यता जाँच"}
    assert follow_rename("Qualification", "Qualification", stored, None) == stored
    assert follow_rename("Qualification", "Discovery", stored, None) == {}
    assert follow_rename("Qualification", "Discovery", stored, {**stored, "hi": "खोज"}) == {"hi": "खोज"}


def test_seeded_stage_names_come_from_every_catalog() -> None:
    names = seeded_names("Needs analysis")
    assert set(names) == {"en", "hi", "es", "pt_BR", "fr", "de", "ja", "ar"}
    assert names["de"] == "Bedarfsanalyse" and names["en"] == "Needs analysis"
    assert all(names[locale] != "Needs analysis" for locale in ("hi", "ja", "ar", "de"))
    statements = " ".join(default_pipeline_statements())
    for name, _probability, _kind in DEFAULT_STAGES:
        assert seeded_names(name)["hi"] in statements


def test_templates_refuse_syntax_errors_unknown_placeholders_and_attribute_tricks() -> None:
    kind = MAIL_KINDS["task_reminder"]
    assert check_template(kind, kind.default_subject(), kind.default_body()) == {}
    assert "Line 1" in check_template(kind, "{{ task.title", "ok")["subject"]
    assert "{{ task.owner }}" in check_template(kind, "x", "{{ task.owner }}")["body"]
    for trick in ("{{ task.__class__ }}", "{{ task['__class__'] }}", "{{ ''.__class__.__mro__ }}",
                  "{{ task.title.__class__ }}", "{{ cycler.__init__.__globals__ }}", "{{ task.items() }}",
                  "{% for x in task %}{{ x }}{% endfor %}", "{% set x = 1 %}", "{% include 'x' %}",
                  "{{ task.title|attr('__class__') }}", "{{ lipsum }}"):  # fmt: skip
        assert "body" in check_template(kind, "x", trick), trick
    assert check_template(kind, "x", "{{ task.title|upper }} {% if task.description %}y{% endif %}") == {}


def test_render_escapes_the_html_part_and_keeps_the_text_part_plain() -> None:
    kind = MAIL_KINDS["task_reminder"]
    template = CustomTemplate("Due: {{ task.title }}", "<b>Hi</b> {{ recipient.name }}\n\n{{ task.title }}")
    context = {**kind.sample(), "task": {**kind.sample()["task"], "title": "<script>alert(1)</script>"}}
    mail = render_template(kind, template, context, lang="fr")
    assert mail.subject == "Due: <script>alert(1)</script>"
    assert "<script>alert(1)</script>" in mail.text
    assert mail.html is not None and "<script>" not in mail.html and "&lt;b&gt;Hi&lt;/b&gt;" in mail.html
    assert 'lang="fr"' in mail.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in mail.html
