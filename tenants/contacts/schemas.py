"""What contact services return and raise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sampark.platform.db.sql import loads
from sampark.tenants.records.errors import FieldErrors, RecordNotFound
from sampark.tenants.records.errors import VersionConflict as VersionConflict  # re-exported for callers


@dataclass(frozen=True)
class Phone:
    number: str
    label: str = ""


@dataclass(frozen=True)
class ContactView:
    """A contact as a principal may see it. The first e-mail and phone are the primary ones."""

    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    owner_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime
    emails: tuple[str, ...] = ()
    phones: tuple[Phone, ...] = ()
    addresses: tuple[dict[str, str], ...] = ()
    company_id: int | None = None
    # None when there is no company, or the principal may not see it.
    company_name: str | None = None
    lifecycle_stage: str = "lead"
    source: str = ""
    tags: tuple[str, ...] = ()
    language: str = ""
    time_zone: str = ""
    # Custom field values {key: value} (tenants/customfields).
    custom: Mapping[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def etag(self) -> str:
        """The strong entity tag of this version (``If-Match`` carries it back)."""
        return f'"v{self.version}"'


def contact_from_row(row: Mapping[str, Any]) -> ContactView:
    return ContactView(
        id=row["id"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        email=row["email"],
        phone=row["phone"],
        owner_id=row["owner_id"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        emails=tuple(loads(row["emails"], [])),
        phones=tuple(
            Phone(item.get("number", ""), item.get("label", "")) for item in loads(row["phones"], [])
        ),
        addresses=tuple(loads(row["addresses"], [])),
        company_id=row["company_id"],
        company_name=row["company_name"],
        lifecycle_stage=row["lifecycle_stage"],
        source=row["source"],
        tags=tuple(loads(row["tags"], [])),
        language=row["language"],
        time_zone=row["time_zone"],
        custom=loads(row["custom"], {}),
    )


@dataclass(frozen=True)
class ContactPage:
    items: list[ContactView]
    # Pass back as ``cursor`` for the next page; None on the last page.
    next_cursor: str | None
    sort: str = "name"


class ContactError(FieldErrors):
    """Invalid contact input; ``errors`` maps field names (``emails.1`` for the second e-mail) to messages."""


class ContactNotFound(RecordNotFound):
    """No such contact, or the principal may not see it (callers answer 404)."""


@dataclass
class DuplicateContacts(Exception):
    """Contacts already have one of these e-mails or phones. ``hidden`` counts matches the principal cannot see."""

    matches: list[ContactView] = field(default_factory=list)
    hidden: int = 0

    def __str__(self) -> str:
        return f"{len(self.matches) + self.hidden} contact(s) share an e-mail or phone"
