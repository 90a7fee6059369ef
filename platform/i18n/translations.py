"""Catalog loading and the active locale, kept in a context variable so requests and jobs never mix.

The ``.po`` files are the only committed form of a catalog. Each process compiles a locale's ``.po`` in memory
the first time that locale is asked for (``babel.messages.mofile.write_mo`` into a buffer: a few milliseconds,
no subprocess, nothing written to disk), so a fresh clone, a read-only install and a catalog edited a second
ago all just work. ``make i18n`` still writes ``.mo`` files for other gettext tools; they are ignored here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DEFAULT_LOCALE = "en"
# Locales whose catalogs ship with Sampark (ids as Babel spells them: language, or language_TERRITORY).
SUPPORTED_LOCALES: tuple[str, ...] = ("en", "hi", "es", "pt_BR", "fr", "de", "ja", "ar")

_locale: ContextVar[str] = ContextVar("sampark_locale", default=DEFAULT_LOCALE)


def catalog_path(locale: str) -> Path:
    """Where the ``.po`` catalog of ``locale`` lives."""
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=32)
def translations_for(locale: str) -> NullTranslations:
    """Return the catalog for ``locale`` compiled from its ``.po``, or pass-through translations when it has none.

    English is the source language, so it needs no catalog. Fuzzy entries are left out, as gettext does.
    """
    path = catalog_path(locale)
    if locale not in SUPPORTED_LOCALES or not path.is_file():
        return NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


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


def set_locale(locale: str) -> None:
    """Switch to ``locale`` for the rest of the enclosing ``use_locale`` block (which restores the old one)."""
    _locale.set(locale)


def gettext(message: str, **variables: object) -> str:
    """Translate ``message`` into the current locale and fill ``%(name)s`` placeholders."""
    text = translations_for(_locale.get()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, count: int, **variables: object) -> str:
    """Pick the plural form the current language uses for ``count``; ``%(num)s`` is the count."""
    text = translations_for(_locale.get()).ngettext(singular, plural, count)
    return text % {"num": count, **variables}


def pgettext(context: str, message: str, **variables: object) -> str:
    """Like ``gettext`` for a word whose meaning depends on where it appears ("Home" page, "Home" phone)."""
    text = str(translations_for(_locale.get()).pgettext(context, message))
    return text % variables if variables else text


def npgettext(context: str, singular: str, plural: str, count: int, **variables: object) -> str:
    text = str(translations_for(_locale.get()).npgettext(context, singular, plural, count))
    return text % {"num": count, **variables}


def lazy_gettext(message: str, **variables: object) -> LazyProxy:
    """Translate when the string is used, not when the module is imported (for module-level constants)."""
    return LazyProxy(gettext, message, enable_cache=False, **variables)
