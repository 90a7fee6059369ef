"""The lead API's request and response bodies (msgspec structs, documented in OpenAPI)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from sampark.tenants.leads.conversion import ConversionPlan
from sampark.tenants.leads.schemas import LeadView
from sampark.web.contacts.schemas import PhoneBody


class LeadCreate(msgspec.Struct, forbid_unknown_fields=True):
    """A new lead: a first or last name, or a company name, is required. The first e-mail and phone are primary."""

    first_name: str = ""
    last_name: str = ""
    company_name: str = ""
    title: str = ""
    emails: list[str] = msgspec.field(default_factory=list)
    phones: list[PhoneBody] = msgspec.field(default_factory=list)
    # Country assumed for phone numbers without "+<country code>" (default: the tenant region's).
    phone_region: str | None = None
    website: str = ""
    # form, manual, website, referral, event, advertising, social, email, import, api, other
    source: str = "api"
    # new, contacted, qualified or unqualified (with disqualify_reason)
    status: str = "new"
    disqualify_reason: str = ""
    # Default: the caller.
    owner_id: int | None = None
    notes: str = ""
    tags: list[str] = msgspec.field(default_factory=list)
    # Custom field values by key; see docs/custom-fields.md for each type's JSON.
    custom: dict[str, Any] = msgspec.field(default_factory=dict)


class LeadPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change; absent fields stay as they are. Lists replace the whole list."""

    first_name: str | UnsetType = UNSET
    last_name: str | UnsetType = UNSET
    company_name: str | UnsetType = UNSET
    title: str | UnsetType = UNSET
    emails: list[str] | UnsetType = UNSET
    phones: list[PhoneBody] | UnsetType = UNSET
    phone_region: str | UnsetType | None = UNSET
    website: str | UnsetType = UNSET
    source: str | UnsetType = UNSET
    status: str | UnsetType = UNSET
    disqualify_reason: str | UnsetType = UNSET
    owner_id: int | UnsetType | None = UNSET
    notes: str | UnsetType = UNSET
    tags: list[str] | UnsetType = UNSET
    # Merged: keys sent change, null removes one, keys not sent stay.
    custom: dict[str, Any] | UnsetType = UNSET


class LeadOut(msgspec.Struct):
    id: int
    first_name: str
    last_name: str
    display_name: str
    company_name: str
    title: str
    email: str
    phone: str
    emails: list[str]
    phones: list[PhoneBody]
    website: str
    source: str
    status: str
    disqualify_reason: str
    owner_id: int | None
    notes: str
    tags: list[str]
    converted_contact_id: int | None
    converted_company_id: int | None
    converted_deal_id: int | None
    converted_at: datetime | None
    converted_by: int | None
    version: int
    created_at: datetime
    updated_at: datetime
    custom: dict[str, Any]


class LeadList(msgspec.Struct):
    items: list[LeadOut]
    # Pass as ``cursor`` for the next page; null on the last page.
    next_cursor: str | None


class DealBody(msgspec.Struct, forbid_unknown_fields=True):
    """The deal to create: default name the lead's company, default stage the default pipeline's first."""

    name: str = ""
    # A decimal as text, like "1200.50".
    amount: str = "0"
    # ISO 4217; default: the tenant region's currency.
    currency: str = ""
    pipeline_id: int | None = None
    stage_id: int | None = None
    expected_close_date: date | None = None


class ConvertBody(msgspec.Struct, forbid_unknown_fields=True):
    """How to convert: ``contact_id`` null creates a contact; ``company`` is "new", "existing" (with
    ``company_id``) or "none"; ``deal`` null creates no deal."""

    contact_id: int | None = None
    company: str = "none"
    company_id: int | None = None
    company_name: str = ""
    deal: DealBody | None = None

    def plan(self) -> ConversionPlan:
        deal = None
        if self.deal is not None:
            deal = {
                name: value
                for name, value in msgspec.to_builtins(self.deal).items()
                if value not in (None, "")
            }
        return ConversionPlan(
            contact_id=self.contact_id, company_mode=self.company, company_id=self.company_id,
            company_name=self.company_name, deal=deal,
        )  # fmt: skip


class ConvertOut(msgspec.Struct):
    lead: LeadOut
    contact_id: int
    company_id: int | None
    deal_id: int | None
    created_contact: bool
    created_company: bool


def lead_out(view: LeadView) -> LeadOut:
    return LeadOut(
        id=view.id, first_name=view.first_name, last_name=view.last_name, display_name=view.display_name,
        company_name=view.company_name, title=view.title, email=view.email, phone=view.phone,
        emails=list(view.emails), phones=[PhoneBody(phone.number, phone.label) for phone in view.phones],
        website=view.website, source=view.source, status=view.status, disqualify_reason=view.disqualify_reason,
        owner_id=view.owner_id, notes=view.notes, tags=list(view.tags),
        converted_contact_id=view.converted_contact_id, converted_company_id=view.converted_company_id,
        converted_deal_id=view.converted_deal_id, converted_at=view.converted_at, converted_by=view.converted_by,
        version=view.version, created_at=view.created_at, updated_at=view.updated_at, custom=dict(view.custom),
    )  # fmt: skip
