"""Translations (gettext catalogs through Babel) and the locale of the current request or job."""

from sampark.platform.i18n.translations import (
    DEFAULT_LOCALE,
    SUPPORTED_LOCALES,
    current_locale,
    gettext,
    lazy_gettext,
    ngettext,
    translations_for,
    use_locale,
)

__all__ = [
    "DEFAULT_LOCALE",
    "SUPPORTED_LOCALES",
    "current_locale",
    "gettext",
    "lazy_gettext",
    "ngettext",
    "translations_for",
    "use_locale",
]
