"""Catalog loading and the active locale, kept in a context variable so requests and jobs never mix."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.support import LazyProxy, NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DEFAULT_LOCALE = "en"
# Locales whose catalogs ship with Sampark; the localization issue adds the rest.
SUPPORTED_LOCALES: tuple[str, ...] = ("en",)

_locale: ContextVar[str] = ContextVar("sampark_locale", default=DEFAULT_LOCALE)


@lru_cache(maxsize=32)
def translations_for(locale: str) -> NullTranslations:
    """Return the compiled catalog for ``locale``, or pass-through translations when none is compiled."""
    return Translations.load(str(LOCALE_DIR), [locale], DOMAIN)


def current_locale() -> str:
    return _locale.get()


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Translate everything inside the block into ``locale``."""
    token = _locale.set(locale)
    try:
        yield
    finally:
        _locale.reset(token)


def gettext(message: str, **variables: object) -> str:
    """Translate ``message`` into the current locale and fill ``%(name)s`` placeholders."""
    text = translations_for(_locale.get()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, count: int, **variables: object) -> str:
    text = translations_for(_locale.get()).ngettext(singular, plural, count)
    return text % {"num": count, **variables}


def lazy_gettext(message: str, **variables: object) -> LazyProxy:
    """Translate when the string is used, not when the module is imported (for module-level constants)."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)
