"""Which shipped locale a request gets: normalizing tags, reading Accept-Language, writing direction and ``lang``.

The order of preference itself (user, team, tenant, browser) is decided by the callers, which know the levels;
this module only turns each level's raw value into a shipped locale or nothing.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError

from sampark.platform.i18n.translations import DEFAULT_LOCALE, SUPPORTED_LOCALES

# Tags a browser sends, lower-cased with hyphens, mapped to the locale we ship.
_BY_TAG = {locale.lower().replace("_", "-"): locale for locale in SUPPORTED_LOCALES}
# A bare language picks our one variant of it ("pt" reads Brazilian Portuguese).
_BY_LANGUAGE = {locale.split("_")[0].lower(): locale for locale in SUPPORTED_LOCALES}
MAX_ACCEPT_LANGUAGE = 50  # entries looked at; a longer header is hostile or broken


def normalize_locale(tag: str | None) -> str | None:
    """Map a language tag (``pt-BR``, ``pt_br``, ``en-GB``, ``ar``) to a shipped locale, or None."""
    if not tag:
        return None
    clean = tag.strip().replace("_", "-").lower()
    if not clean or len(clean) > 35:
        return None
    return _BY_TAG.get(clean) or _BY_LANGUAGE.get(clean.split("-")[0])


def parse_accept_language(header: str | None) -> list[str]:
    """The tags of an Accept-Language header, best first (by q, then by order), without refused ones (q=0)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")[:MAX_ACCEPT_LANGUAGE]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(ranked)]


def negotiate_accept_language(header: str | None) -> str | None:
    """The best shipped locale the browser asks for, or None when it asks for none of ours."""
    for tag in parse_accept_language(header):
        if locale := normalize_locale(tag):
            return locale
    return None


def choose_locale(*preferences: str | None) -> str:
    """The first preference that names a shipped locale, else English."""
    for preference in preferences:
        if locale := normalize_locale(preference):
            return locale
    return DEFAULT_LOCALE


@lru_cache(maxsize=64)
def text_direction(locale: str) -> str:
    """``"rtl"`` or ``"ltr"``, from CLDR (so any right-to-left locale added later just works)."""
    try:
        return "rtl" if Locale.parse(locale).text_direction == "rtl" else "ltr"
    except (UnknownLocaleError, ValueError):
        return "ltr"


def html_lang(locale: str) -> str:
    """The BCP 47 tag for ``<html lang>``: ``pt_BR`` becomes ``pt-BR``."""
    return locale.replace("_", "-")


@lru_cache(maxsize=64)
def native_name(locale: str) -> str:
    """The language's name in itself ("Deutsch", "日本語"), first letter upper-cased where the script has case."""
    name = Locale.parse(locale).get_display_name(locale) or locale
    return name[:1].upper() + name[1:]


def locale_choices() -> list[tuple[str, str]]:
    """``(locale, native name)`` for every shipped locale, for a language switcher."""
    return [(locale, native_name(locale)) for locale in SUPPORTED_LOCALES]
