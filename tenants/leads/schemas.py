"""What lead services return and raise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sampark.platform.db.sql import loads
from sampark.tenants.contacts.schemas import ContactView, Phone
from sampark.tenants.records.errors import FieldErrors, RecordNotFound
from sampark.tenants.records.errors import VersionConflict as VersionConflict  # re-exported for callers


@dataclass(frozen=True)
class LeadView:
    """A lead as a principal may see it. The first e-mail and phone are the primary ones."""

    id: int
    first_name: str
    last_name: str
    company_name: str
    title: str
    email: str
    phone: str
    emails: tuple[str, ...]
    phones: tuple[Phone, ...]
    website: str
    source: str
    status: str
    disqualify_reason: str
    owner_id: int | None
    notes: str
    tags: tuple[str, ...]
    version: int
    created_at: datetime
    updated_at: datetime
    converted_contact_id: int | None = None
    converted_company_id: int | None = None
    converted_deal_id: int | None = None
    converted_at: datetime | None = None
    converted_by: int | None = None
    # Custom field values {key: value} (tenants/customfields).
    custom: Mapping[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or self.company_name

    @property
    def converted(self) -> bool:
        return self.status == "converted"

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'


def lead_from_row(row: Mapping[str, Any]) -> LeadView:
    return LeadView(
        id=row["id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        company_name=row["company_name"],
        title=row["title"],
        email=row["email"],
        phone=row["phone"],
        emails=tuple(loads(row["emails"], [])),
        phones=tuple(
            Phone(item.get("number", ""), item.get("label", "")) for item in loads(row["phones"], [])
        ),
        website=row["website"],
        source=row["source"],
        status=row["status"],
        disqualify_reason=row["disqualify_reason"],
        owner_id=row["owner_id"],
        notes=row["notes"],
        tags=tuple(loads(row["tags"], [])),
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        converted_contact_id=row["converted_contact_id"],
        converted_company_id=row["converted_company_id"],
        converted_deal_id=row["converted_deal_id"],
        converted_at=row["converted_at"],
        converted_by=row["converted_by"],
        custom=loads(row["custom"], {}),
    )


@dataclass(frozen=True)
class LeadPage:
    items: list[LeadView]
    next_cursor: str | None
    sort: str = "-created_at"


class LeadError(FieldErrors):
    """Invalid lead input; ``errors`` maps field names (``emails.1``) to translated messages."""


class LeadNotFound(RecordNotFound):
    """No such lead, or the principal may not see it (callers answer 404)."""


class LeadConverted(Exception):
    """The lead was converted already: it is read-only and cannot be converted again (callers answer 409)."""

    def __init__(self, lead: LeadView) -> None:
        super().__init__(f"lead {lead.id} was converted")
        self.lead = lead


@dataclass
class DuplicateLeads(Exception):
    """Leads or contacts already have one of these e-mails or phones; ``hidden`` counts those not visible."""

    leads: list[LeadView] = field(default_factory=list)
    contacts: list[ContactView] = field(default_factory=list)
    hidden: int = 0

    @property
    def matches(self) -> list[LeadView | ContactView]:
        return [*self.leads, *self.contacts]

    def __str__(self) -> str:
        return f"{len(self.leads) + len(self.contacts) + self.hidden} record(s) share an e-mail or phone"
