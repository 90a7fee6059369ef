"""Contact field rules: choices, and cleaning of e-mails, phones, tags, language and time zone.

Each ``clean_*`` returns the normalized value and records problems in ``errors`` under the field's name
(``emails.1`` for the second e-mail), with a translated message.
"""

from __future__ import annotations

import json
import zoneinfo
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import phonenumbers
from babel import Locale
from babel.core import UnknownLocaleError
from babel.support import LazyProxy

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.platform.identity.users import normalize_email, validate_email

LIFECYCLE_STAGES: Mapping[str, LazyProxy] = {
    "subscriber": lazy_gettext("Subscriber"),
    "lead": lazy_gettext("Lead"),
    "mql": lazy_gettext("Marketing qualified lead"),
    "sql": lazy_gettext("Sales qualified lead"),
    "opportunity": lazy_gettext("Opportunity"),
    "customer": lazy_gettext("Customer"),
    "evangelist": lazy_gettext("Evangelist"),
}
SOURCES: Mapping[str, LazyProxy] = {
    "website": lazy_gettext("Website"),
    "referral": lazy_gettext("Referral"),
    "event": lazy_gettext("Event"),
    "advertising": lazy_gettext("Advertising"),
    "social": lazy_gettext("Social media"),
    "email": lazy_gettext("E-mail campaign"),
    "import": lazy_gettext("Import"),
    "api": lazy_gettext("API"),
    "other": lazy_gettext("Other"),
}
PHONE_LABELS: Mapping[str, LazyProxy] = {
    "mobile": lazy_gettext("Mobile"),
    "work": lazy_gettext("Work"),
    "home": lazy_gettext("Home"),
    "other": lazy_gettext("Other"),
}
MAX_EMAILS = 10
MAX_PHONES = 10
MAX_ADDRESSES = 5
MAX_TAGS = 20
MAX_TAG_LENGTH = 40

# The country assumed for a phone number typed without "+<country code>", by tenant region. Regions spanning
# several countries (EU, GLOBAL) assume none: the form then asks for a country or an international number.
REGION_PHONE_DEFAULTS: Mapping[str, str] = {
    "UK": "GB", "US-CA": "US", "BR": "BR", "IN": "IN", "CA": "CA", "AU": "AU",
}  # fmt: skip


def default_phone_region(tenant_region: str) -> str | None:
    return REGION_PHONE_DEFAULTS.get(tenant_region)


def stage_label(stage: str) -> str:
    return str(LIFECYCLE_STAGES.get(stage, stage))


def source_label(source: str) -> str:
    return str(SOURCES.get(source, source))


def clean_emails(values: Sequence[Any], errors: dict[str, str]) -> list[str]:
    """Normalized, validated addresses without duplicates, in the given order (the first is primary)."""
    cleaned: list[str] = []
    for index, value in enumerate(values):
        text = normalize_email(str(value or ""))
        if not text:
            continue
        problem = validate_email(text)
        if problem:
            errors[f"emails.{index}"] = problem
        elif text not in cleaned:
            cleaned.append(text)
    if len(cleaned) > MAX_EMAILS:
        errors["emails"] = _("Add at most %(limit)d e-mail addresses.", limit=MAX_EMAILS)
    return cleaned


def parse_phone(text: str, region: str | None) -> str:
    """``text`` in E.164.

    Numbers of a possible length for their country are accepted (Ofcom's drama ranges included), not only
    ranges known to be assigned today.

    Raises:
        ValueError: with a translated message saying what to fix.
    """
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        if not text.lstrip().startswith("+") and region is None:
            raise ValueError(
                _("Add the country code (like +49) or choose a country for phone numbers.")
            ) from None
        raise ValueError(_("Enter a valid phone number, like +49 30 1234567.")) from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise ValueError(_("This phone number has the wrong number of digits for its country."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_phones(values: Sequence[Any], region: str | None, errors: dict[str, str]) -> list[dict[str, str]]:
    """``[{"number": E.164, "label"}]`` without duplicates; plain strings are accepted as numbers."""
    cleaned: list[dict[str, str]] = []
    for index, value in enumerate(values):
        item = value if isinstance(value, Mapping) else {"number": value}
        text, label = str(item.get("number") or "").strip(), str(item.get("label") or "").strip()
        if not text:
            continue
        if label and label not in PHONE_LABELS:
            errors[f"phones.{index}"] = _("Choose a label from the list.")
            continue
        try:
            number = parse_phone(text[:64], region)
        except ValueError as problem:
            errors[f"phones.{index}"] = str(problem)
            continue
        if all(existing["number"] != number for existing in cleaned):
            cleaned.append({"number": number, "label": label})
    if len(cleaned) > MAX_PHONES:
        errors["phones"] = _("Add at most %(limit)d phone numbers.", limit=MAX_PHONES)
    return cleaned


def clean_tags(value: str | Sequence[Any], errors: dict[str, str]) -> list[str]:
    """Lower-case tags without duplicates, from a list or a comma-separated string."""
    items = value.split(",") if isinstance(value, str) else [str(item or "") for item in value]
    tags: list[str] = []
    for item in items:
        tag = " ".join(item.split()).lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            errors["tags"] = _("Keep each tag under %(limit)d characters.", limit=MAX_TAG_LENGTH + 1)
        elif tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        errors["tags"] = _("Add at most %(limit)d tags.", limit=MAX_TAGS)
    return tags


def clean_language(value: str, errors: dict[str, str]) -> str:
    """A BCP 47 language tag Babel knows, like ``en``, ``hi`` or ``pt-BR`` ("" for none)."""
    text = value.strip().replace("_", "-")
    if not text:
        return ""
    try:
        locale = Locale.parse(text, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        errors["language"] = _("Enter a language code, like en, hi or pt-BR.")
        return text[:16]
    return "-".join(part for part in (locale.language, locale.script, locale.territory) if part)


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    return tuple(sorted(zone for zone in zoneinfo.available_timezones() if "/" in zone or zone == "UTC"))


def clean_time_zone(value: str, errors: dict[str, str]) -> str:
    text = value.strip()
    if text and text not in time_zones():
        errors["time_zone"] = _("Choose a time zone from the list, like Europe/Berlin.")
    return text


def tag_filter_value(tag: str) -> str:
    """The JSONB document a tag filter looks for (``tags @> '["vip"]'``)."""
    return json.dumps([" ".join(tag.split()).lower()])
