"""The contact API's request and response bodies (msgspec structs, so Litestar documents them in OpenAPI)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from sampark.tenants.contacts.schemas import ContactView


class PhoneBody(msgspec.Struct, forbid_unknown_fields=True):
    number: str
    label: str = ""


class AddressBody(msgspec.Struct, forbid_unknown_fields=True):
    street: str = ""
    city: str = ""
    region: str = ""
    postcode: str = ""
    # ISO 3166-1 alpha-2, e.g. "DE"
    country: str = ""
    label: str = ""


class ContactCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new contact. The first e-mail and phone are the primary ones."""

    first_name: str
    last_name: str = ""
    emails: list[str] = msgspec.field(default_factory=list)
    phones: list[PhoneBody] = msgspec.field(default_factory=list)
    # Country assumed for phone numbers written without "+<country code>" (default: the tenant region's).
    phone_region: str | None = None
    addresses: list[AddressBody] = msgspec.field(default_factory=list)
    company_id: int | None = None
    # Default: the caller.
    owner_id: int | None = None
    lifecycle_stage: str = "lead"
    source: str = ""
    tags: list[str] = msgspec.field(default_factory=list)
    # BCP 47, e.g. "pt-BR"
    language: str = ""
    # IANA, e.g. "Asia/Kolkata"
    time_zone: str = ""
    # Custom field values by key; see docs/custom-fields.md for each type's JSON.
    custom: dict[str, Any] = msgspec.field(default_factory=dict)


class ContactPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change; absent fields stay as they are. Lists replace the whole list."""

    first_name: str | UnsetType = UNSET
    last_name: str | UnsetType = UNSET
    emails: list[str] | UnsetType = UNSET
    phones: list[PhoneBody] | UnsetType = UNSET
    phone_region: str | UnsetType | None = UNSET
    addresses: list[AddressBody] | UnsetType = UNSET
    company_id: int | UnsetType | None = UNSET
    owner_id: int | UnsetType | None = UNSET
    lifecycle_stage: str | UnsetType = UNSET
    source: str | UnsetType = UNSET
    tags: list[str] | UnsetType = UNSET
    language: str | UnsetType = UNSET
    time_zone: str | UnsetType = UNSET
    # Only the keys sent change; null or "" removes a value.
    custom: dict[str, Any] | UnsetType = UNSET


class ContactOut(msgspec.Struct):
    id: int
    first_name: str
    last_name: str
    display_name: str
    email: str
    phone: str
    emails: list[str]
    phones: list[PhoneBody]
    addresses: list[AddressBody]
    company_id: int | None
    company_name: str | None
    owner_id: int | None
    lifecycle_stage: str
    source: str
    tags: list[str]
    language: str
    time_zone: str
    version: int
    created_at: datetime
    updated_at: datetime
    custom: dict[str, Any]


class ContactList(msgspec.Struct):
    items: list[ContactOut]
    # Pass as ``cursor`` for the next page; null on the last page.
    next_cursor: str | None


def address_body(address: Mapping[str, str]) -> AddressBody:
    return AddressBody(**{name: str(address.get(name) or "") for name in AddressBody.__struct_fields__})


def contact_out(view: ContactView) -> ContactOut:
    """The response body for one contact (built field by field: ``asdict`` deep-copies and is slow)."""
    return ContactOut(
        id=view.id,
        first_name=view.first_name,
        last_name=view.last_name,
        display_name=view.display_name,
        email=view.email,
        phone=view.phone,
        emails=list(view.emails),
        phones=[PhoneBody(phone.number, phone.label) for phone in view.phones],
        addresses=[address_body(address) for address in view.addresses],
        company_id=view.company_id,
        company_name=view.company_name,
        owner_id=view.owner_id,
        lifecycle_stage=view.lifecycle_stage,
        source=view.source,
        tags=list(view.tags),
        language=view.language,
        time_zone=view.time_zone,
        version=view.version,
        created_at=view.created_at,
        updated_at=view.updated_at,
        custom=dict(view.custom),
    )


def body_dict(body: msgspec.Struct) -> dict[str, Any]:
    """The fields a request body set, as plain data for the service (UNSET ones left out)."""
    return {
        name: msgspec.to_builtins(value)
        for name in body.__struct_fields__
        if (value := getattr(body, name)) is not UNSET
    }
