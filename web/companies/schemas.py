"""The company API's request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from sampark.tenants.companies.schemas import CompanyView
from sampark.web.contacts.schemas import AddressBody, address_body


class CompanyCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    # Normalized: "https://www.Example.com/about" is stored as "example.com".
    domain: str = ""
    industry: str = ""
    # 1-10, 11-50, 51-200, 201-500, 501-1000, 1001-5000 or 5001+
    size: str = ""
    address: AddressBody | None = None
    parent_id: int | None = None
    # Default: the caller.
    owner_id: int | None = None
    # Custom field values by key; see docs/custom-fields.md for each type's JSON.
    custom: dict[str, Any] = msgspec.field(default_factory=dict)


class CompanyPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change; absent fields stay as they are."""

    name: str | UnsetType = UNSET
    domain: str | UnsetType = UNSET
    industry: str | UnsetType = UNSET
    size: str | UnsetType = UNSET
    address: AddressBody | UnsetType | None = UNSET
    parent_id: int | UnsetType | None = UNSET
    owner_id: int | UnsetType | None = UNSET
    # Only the keys sent change; null or "" removes a value.
    custom: dict[str, Any] | UnsetType = UNSET


class CompanyOut(msgspec.Struct):
    id: int
    name: str
    domain: str
    industry: str
    size: str
    address: AddressBody | None
    parent_id: int | None
    parent_name: str | None
    owner_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime
    custom: dict[str, Any]


class CompanyList(msgspec.Struct):
    items: list[CompanyOut]
    next_cursor: str | None


def company_out(view: CompanyView) -> CompanyOut:
    return CompanyOut(
        id=view.id,
        name=view.name,
        domain=view.domain,
        industry=view.industry,
        size=view.size,
        address=address_body(view.address) if view.address else None,
        parent_id=view.parent_id,
        parent_name=view.parent_name,
        owner_id=view.owner_id,
        version=view.version,
        created_at=view.created_at,
        updated_at=view.updated_at,
        custom=dict(view.custom),
    )
