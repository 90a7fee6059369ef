"""Every shipped catalog translates every message in the source tree, with the same placeholders.

The template is extracted fresh from the source here (babel.cfg, the same mapping ``make i18n`` uses), so a
string added anywhere fails this test until it is translated into every shipped language.
"""

from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog

from sampark.platform.i18n import SUPPORTED_LOCALES
from sampark.platform.i18n.catalogs import check, extract_template, load_catalog, placeholders
from sampark.platform.i18n.translations import catalog_path


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract_template()


def test_the_template_finds_messages_in_python_and_templates(template: Catalog) -> None:
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in template}
    assert "Skip to content" in ids  # web/templates/base.html
    assert "European Union" in ids  # lazy_gettext in platform/regions/presets.py
    assert "%(num)d day" in ids  # ngettext in platform/regions/model.py


def test_every_catalog_is_complete(template: Catalog) -> None:
    problems = check(template)
    assert problems == [], (
        f"{len(problems)} catalog problems (run `make i18n`, then translate):\n" + "\n".join(problems[:60])
    )


@pytest.mark.parametrize("locale", [locale for locale in SUPPORTED_LOCALES if locale != "en"])
def test_catalog_headers_carry_the_cldr_plural_rule(locale: str) -> None:
    catalog = load_catalog(locale)
    expected = {"ar": 6, "ja": 1}.get(locale, 2)
    assert catalog.num_plurals == expected
    assert catalog_path(locale).read_text(encoding="utf-8").count("#, fuzzy") == 0


def test_the_checker_catches_what_it_should() -> None:
    assert placeholders("%(name)s has %(count)d of %%") == ["%(count)", "%(name)"]
    assert placeholders("%s and %d") == ["%d", "%s"]


def test_the_checker_reports_fuzzy_untranslated_and_broken_placeholders() -> None:
    from sampark.platform.i18n.catalogs import message_problems

    catalog = Catalog(locale="ar")
    catalog.add("Hello %(name)s", "مرحبا %(name)s")
    catalog.add("Fuzzy", "ضبابي", flags=["fuzzy"])
    catalog.add("Empty", "")
    catalog.add("Lost %(name)s", "ضائع")
    catalog.add(
        ("%(num)d day", "%(num)d days"),
        ("لا أيام", "يوم واحد", "يومان", "%(num)d أيام", "%(num)d يومًا", "%(num)d يوم"),
    )
    catalog.add(
        ("%(num)d file", "%(num)d files"),
        ("لا ملفات", "ملف واحد", "ملفان", "%(num)d ملفات", "ملفًا", "%(num)d ملف"),
    )
    catalog.add(("%(num)d note", "%(num)d notes"), ("a", "b"))

    def problems(key: str) -> list[str]:
        return list(message_problems("ar", catalog, catalog[key]))

    assert problems("Hello %(name)s") == []
    assert any("fuzzy" in p for p in problems("Fuzzy"))
    assert any("untranslated" in p for p in problems("Empty"))
    assert any("placeholders differ" in p for p in problems("Lost %(name)s"))
    assert problems("%(num)d day") == []  # zero, one and two may spell the number out
    assert any("form 4" in p for p in problems("%(num)d file"))  # 11..99 may not
    assert any("untranslated" in p for p in problems("%(num)d note"))  # too few forms
