"""Translations (gettext catalogs through Babel), the reader's preferences, and CLDR formatting.

Formatting helpers live in ``sampark.platform.i18n.formatting``, names and addresses in ``.people``, the
user's saved choices in ``.preferences``; see docs/localization.md.
"""

from sampark.platform.i18n.context import Preferences, current_preferences, use_preferences
from sampark.platform.i18n.negotiation import (
    choose_locale,
    html_lang,
    locale_choices,
    negotiate_accept_language,
    normalize_locale,
    text_direction,
)
from sampark.platform.i18n.translations import (
    DEFAULT_LOCALE,
    SUPPORTED_LOCALES,
    current_locale,
    gettext,
    lazy_gettext,
    ngettext,
    npgettext,
    pgettext,
    translations_for,
    use_locale,
)

__all__ = [
    "DEFAULT_LOCALE",
    "SUPPORTED_LOCALES",
    "Preferences",
    "choose_locale",
    "current_locale",
    "current_preferences",
    "gettext",
    "html_lang",
    "lazy_gettext",
    "locale_choices",
    "negotiate_accept_language",
    "ngettext",
    "normalize_locale",
    "npgettext",
    "pgettext",
    "text_direction",
    "translations_for",
    "use_locale",
    "use_preferences",
]
