"""What company services return and raise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sampark.platform.db.sql import loads
from sampark.tenants.records.errors import FieldErrors, RecordNotFound, VersionConflict

__all__ = [
    "CompanyError", "CompanyNotFound", "CompanyPage", "CompanyView", "DuplicateCompanies", "VersionConflict",
    "company_from_row",
]  # fmt: skip


@dataclass(frozen=True)
class CompanyView:
    """A company as a principal may see it."""

    id: int
    name: str
    domain: str
    industry: str
    size: str
    address: dict[str, str]
    parent_id: int | None
    # None when there is no parent, or the principal may not see it.
    parent_name: str | None
    owner_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime
    # Custom field values {key: value} (tenants/customfields).
    custom: Mapping[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'


def company_from_row(row: Mapping[str, Any]) -> CompanyView:
    return CompanyView(
        id=row["id"],
        name=row["name"],
        domain=row["domain"],
        industry=row["industry"],
        size=row["size"],
        address=loads(row["address"], {}),
        parent_id=row["parent_id"],
        parent_name=row["parent_name"],
        owner_id=row["owner_id"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        custom=loads(row["custom"], {}),
    )


@dataclass(frozen=True)
class CompanyPage:
    items: list[CompanyView]
    next_cursor: str | None
    sort: str = "name"


class CompanyError(FieldErrors):
    """Invalid company input; ``errors`` maps field names to translated messages."""


class CompanyNotFound(RecordNotFound):
    """No such company, or the principal may not see it (callers answer 404)."""


@dataclass
class DuplicateCompanies(Exception):
    """Companies already use this domain; ``hidden`` counts those the principal cannot see."""

    matches: list[CompanyView] = field(default_factory=list)
    hidden: int = 0

    def __str__(self) -> str:
        return f"{len(self.matches) + self.hidden} company(ies) use this domain"
