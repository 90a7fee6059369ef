"""Clean contact input from a form or the API into column values, collecting every problem at once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sampark.platform.i18n import gettext as _
from sampark.tenants.contacts.addresses import clean_address, country_codes, is_blank
from sampark.tenants.contacts.fields import (
    LIFECYCLE_STAGES,
    MAX_ADDRESSES,
    SOURCES,
    clean_emails,
    clean_language,
    clean_phones,
    clean_tags,
    clean_time_zone,
)

# Fields a caller may set; everything else (id, version, timestamps, the primary mirrors) is derived.
WRITABLE = (
    "first_name", "last_name", "emails", "phones", "addresses", "company_id", "owner_id",
    "lifecycle_stage", "source", "tags", "language", "time_zone",
)  # fmt: skip
NAME_LIMIT = 100


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str | Mapping):
        return [value]
    return list(value) if isinstance(value, Sequence) else [value]


as_list = _as_list  # public name for other records' validation (leads)


def optional_id(value: Any, field: str, errors: dict[str, str]) -> int | None:
    """An id from a form ("" = none) or JSON (null = none)."""
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if isinstance(value, bool) or number <= 0:
        errors[field] = _("Choose one from the list.")
        return None
    return number


def clean_contact(
    data: Mapping[str, Any], *, phone_region: str | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Cleaned values for the writable fields present in ``data``, and the problems found.

    ``email`` and ``phone`` (one value each) are accepted for ``emails`` and ``phones``. ``phone_region`` is the
    country assumed for numbers without a country code (None: such numbers are refused).
    """
    data = dict(data)
    for single, many in (("email", "emails"), ("phone", "phones")):
        if single in data and many not in data:
            data[many] = _as_list(data.pop(single))
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for name in ("first_name", "last_name"):
        if name in data:
            clean[name] = " ".join(str(data[name] or "").split())
            if len(clean[name]) > NAME_LIMIT:
                errors[name] = _("Use at most %(limit)d characters.", limit=NAME_LIMIT)
    if "first_name" in clean and not clean["first_name"]:
        errors["first_name"] = _("Enter a first name.")
    if "emails" in data:
        clean["emails"] = clean_emails(_as_list(data["emails"]), errors)
    if "phones" in data:
        region = phone_region if phone_region in country_codes() else None
        clean["phones"] = clean_phones(_as_list(data["phones"]), region, errors)
    if "addresses" in data:
        addresses = []
        for index, raw in enumerate(_as_list(data["addresses"])):
            if not isinstance(raw, Mapping):
                errors[f"addresses.{index}"] = _("An address is a set of fields.")
                continue
            address = clean_address(raw, f"addresses.{index}", errors)
            if not is_blank(address):
                addresses.append(address)
        if len(addresses) > MAX_ADDRESSES:
            errors["addresses"] = _("Add at most %(limit)d addresses.", limit=MAX_ADDRESSES)
        clean["addresses"] = addresses
    for name in ("company_id", "owner_id"):
        if name in data:
            clean[name] = optional_id(data[name], name, errors)
    if "lifecycle_stage" in data:
        clean["lifecycle_stage"] = str(data["lifecycle_stage"] or "lead").strip()
        if clean["lifecycle_stage"] not in LIFECYCLE_STAGES:
            errors["lifecycle_stage"] = _("Choose a lifecycle stage from the list.")
    if "source" in data:
        clean["source"] = str(data["source"] or "").strip()
        if clean["source"] and clean["source"] not in SOURCES:
            errors["source"] = _("Choose a source from the list.")
    if "tags" in data:
        tags = data["tags"]
        clean["tags"] = clean_tags(tags if isinstance(tags, str) else _as_list(tags), errors)
    if "language" in data:
        clean["language"] = clean_language(str(data["language"] or ""), errors)
    if "time_zone" in data:
        clean["time_zone"] = clean_time_zone(str(data["time_zone"] or ""), errors)
    return clean, errors
