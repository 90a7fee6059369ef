"""Language tags to shipped locales, Accept-Language, text direction."""

from __future__ import annotations

import pytest

from sampark.platform.i18n import (
    SUPPORTED_LOCALES,
    choose_locale,
    html_lang,
    locale_choices,
    negotiate_accept_language,
    normalize_locale,
    text_direction,
)
from sampark.platform.i18n.negotiation import parse_accept_language
from sampark.web.locale.resolve import browser_locale, cookie_value


def test_the_shipped_locales() -> None:
    assert SUPPORTED_LOCALES == ("en", "hi", "es", "pt_BR", "fr", "de", "ja", "ar")


@pytest.mark.parametrize(
    ("tag", "locale"),
    [
        ("pt-BR", "pt_BR"), ("pt_br", "pt_BR"), ("PT", "pt_BR"), ("en-GB", "en"), ("ar-EG", "ar"),
        ("hi-IN", "hi"), ("ja", "ja"), ("zh-CN", None), ("", None), (None, None), ("x" * 80, None),
    ],
)  # fmt: skip
def test_normalize_locale(tag: str | None, locale: str | None) -> None:
    assert normalize_locale(tag) == locale


def test_accept_language_is_ranked_by_quality_then_order() -> None:
    assert parse_accept_language("fr;q=0.5, de, ja;q=0.9, es;q=0") == ["de", "ja", "fr"]
    assert negotiate_accept_language("zh-CN, ar;q=0.8, en;q=0.5") == "ar"
    assert negotiate_accept_language("zh, ko") is None
    assert negotiate_accept_language("*") is None
    assert negotiate_accept_language("de;q=bogus, fr") == "fr"


def test_choose_locale_takes_the_first_usable_preference() -> None:
    assert choose_locale(None, "", "klingon", "pt-BR", "de") == "pt_BR"
    assert choose_locale() == "en"


def test_browser_level_choice_cookie_beats_accept_language() -> None:
    assert cookie_value("a=1; sampark_locale=ja; b=2") == "ja"
    assert browser_locale("sampark_locale=ja", "de") == "ja"
    assert browser_locale("sampark_locale=evil", "de") == "de"
    assert browser_locale(None, None) == "en"


def test_direction_and_lang_attribute() -> None:
    assert text_direction("ar") == "rtl"
    assert [loc for loc in SUPPORTED_LOCALES if text_direction(loc) == "rtl"] == ["ar"]
    assert text_direction("he") == "rtl"  # any right-to-left locale, from CLDR
    assert text_direction("nonsense") == "ltr"
    assert html_lang("pt_BR") == "pt-BR"


def test_switcher_names_each_language_in_itself() -> None:
    names = dict(locale_choices())
    assert names["de"] == "Deutsch" and names["ja"] == "日本語" and names["ar"] == "العربية"
    assert names["hi"] == "हिन्दी" and names["pt_BR"].startswith("Português")
