"""Text a tenant writes, per locale: a base text plus ``{locale: text}`` translations, and one rule to show it.

Any tenant-written label (pipeline and stage names today, custom field labels next) is stored as two values:
the *base text* (a plain column: what was entered first, or typed in the "Name" field since) and a JSONB
``{locale: text}`` of translations, keys only from ``SUPPORTED_LOCALES``. Whoever reads it gets, first match
wins:

1. the translation for the reader's locale,
2. the translation for the tenant's default language (``Preferences.tenant_locale``),
3. the base text.

Renaming the base text drops the translations that were not edited along with it: they translated the old
name (``follow_rename``). See docs/localization.md, "Tenant-defined text".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sampark.platform.i18n.context import current_preferences
from sampark.platform.i18n.translations import SUPPORTED_LOCALES, gettext, translations_for

Translations = dict[str, str]
# Form fields of a translations fieldset are named ``<prefix>.<locale>`` (``names.hi``).
FORM_SEPARATOR = "."


def localized(base: str, translations: Mapping[str, str] | None, locale: str | None = None) -> str:
    """The text to show: the reader's locale, then the tenant's default language, then the base text."""
    if translations:
        preferences = current_preferences()
        for candidate in (locale or preferences.locale, preferences.tenant_locale):
            text = translations.get(candidate) if candidate else None
            if text:
                return text
    return base


def load(value: Any) -> Translations:
    """A JSONB value as read by asyncpg (a JSON string, a dict or None) as a clean dict."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    if not isinstance(value, Mapping):
        return {}
    return {str(key): str(text) for key, text in value.items() if key in SUPPORTED_LOCALES and text}


def dump(translations: Mapping[str, str]) -> str:
    """The JSON text to bind to a JSONB parameter (keys sorted, so equal values compare equal in SQL)."""
    return json.dumps(dict(sorted(translations.items())), ensure_ascii=False)


def clean_translations(
    raw: Mapping[str, Any] | None, *, max_length: int, field: str = "names"
) -> tuple[Translations, dict[str, str]]:
    """Validate submitted translations: shipped locales only, whitespace collapsed, empty ones dropped.

    Returns the clean dict and errors keyed ``<field>.<locale>`` (``<field>`` alone for a bad shape).
    """
    errors: dict[str, str] = {}
    if raw is None:
        return {}, errors
    if not isinstance(raw, Mapping):
        return {}, {field: gettext("Give the translations as an object of language and text.")}
    clean: Translations = {}
    for locale, value in raw.items():
        if locale not in SUPPORTED_LOCALES:
            errors[f"{field}{FORM_SEPARATOR}{locale}"[:80]] = gettext("This language is not offered.")
            continue
        text = " ".join(str(value or "").split())
        if len(text) > max_length:
            errors[f"{field}{FORM_SEPARATOR}{locale}"] = gettext(
                "Use at most %(count)d characters.", count=max_length
            )
        elif text:
            clean[locale] = text
    return clean, errors


def from_form(form: Mapping[str, Any], prefix: str = "names") -> dict[str, str] | None:
    """The translations fieldset of a form (``<prefix>.<locale>`` fields), or None when the form has none."""
    keys = [f"{prefix}{FORM_SEPARATOR}{locale}" for locale in SUPPORTED_LOCALES]
    if not any(key in form for key in keys):
        return None
    return {locale: str(form.get(key) or "") for locale, key in zip(SUPPORTED_LOCALES, keys, strict=True)}


def follow_rename(
    old_base: str, new_base: str, stored: Mapping[str, str], submitted: Mapping[str, str] | None
) -> Translations:
    """The translations to keep after an edit.

    ``submitted`` None means "not part of this edit": keep the stored ones, unless the base text changed. When
    the base text changes, a translation left as it was stored is dropped (it translated the old text); one
    edited in the same submission is kept.
    """
    wanted = dict(stored) if submitted is None else dict(submitted)
    if old_base == new_base:
        return wanted
    return {locale: text for locale, text in wanted.items() if stored.get(locale) != text}


def catalog_translations(message: str) -> Translations:
    """``message`` in every shipped locale from the gettext catalogs: the seed for built-in default names."""
    return {locale: translations_for(locale).gettext(message) for locale in SUPPORTED_LOCALES}
