"""What deal services return and raise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sampark.platform.db.sql import loads
from sampark.platform.i18n.tenant_text import Translations, load
from sampark.tenants.currencies.conversion import BaseTotal
from sampark.tenants.pipelines.schemas import display_name
from sampark.tenants.records.errors import FieldErrors, RecordNotFound, VersionConflict

__all__ = [
    "DealError", "DealNotFound", "DealPage", "DealView", "LinkedContact", "StageMove", "VersionConflict",
    "deal_from_row",
]  # fmt: skip


@dataclass(frozen=True)
class LinkedContact:
    id: int
    name: str


@dataclass(frozen=True)
class DealView:
    """A deal as a principal may see it (company name only when that company is visible too)."""

    id: int
    name: str
    amount: Decimal
    currency: str
    expected_close_date: date | None
    owner_id: int | None
    pipeline_id: int
    pipeline_name: str
    stage_id: int
    stage_name: str
    stage_kind: str
    probability: int
    company_id: int | None
    company_name: str | None
    status: str
    lost_reason: str
    lost_note: str
    closed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
    contacts: tuple[LinkedContact, ...] = ()
    # Custom field values {key: value} (tenants/customfields).
    custom: Mapping[str, Any] = field(default_factory=dict)
    # {locale: name} translations of the stage and pipeline names (``*_label`` pick the reader's).
    stage_names: Translations = field(default_factory=dict)
    pipeline_names: Translations = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def stage_label(self) -> str:
        return display_name(self.stage_name, self.stage_names)

    @property
    def pipeline_label(self) -> str:
        return display_name(self.pipeline_name, self.pipeline_names)

    @property
    def weighted_amount(self) -> Decimal:
        return self.amount * self.probability / 100

    @property
    def contact_ids(self) -> list[int]:
        return [contact.id for contact in self.contacts]

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'


def deal_from_row(row: Mapping[str, Any], contacts: tuple[LinkedContact, ...] = ()) -> DealView:
    return DealView(
        id=row["id"],
        name=row["name"],
        amount=row["amount"],
        currency=row["currency"],
        expected_close_date=row["expected_close_date"],
        owner_id=row["owner_id"],
        pipeline_id=row["pipeline_id"],
        pipeline_name=row["pipeline_name"],
        stage_id=row["stage_id"],
        stage_name=row["stage_name"],
        stage_kind=row["stage_kind"],
        probability=row["probability"],
        company_id=row["company_id"],
        company_name=row["company_name"],
        status=row["status"],
        lost_reason=row["lost_reason"],
        lost_note=row["lost_note"],
        closed_at=row["closed_at"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        contacts=contacts,
        custom=loads(row["custom"], {}),
        stage_names=load(row.get("stage_names")),
        pipeline_names=load(row.get("pipeline_names")),
    )


@dataclass(frozen=True)
class DealPage:
    items: list[DealView]
    next_cursor: str | None
    sort: str = "-updated_at"


@dataclass(frozen=True)
class StageMove:
    """One row of a deal's stage history (names None once a stage was deleted)."""

    id: int
    from_stage_id: int | None
    from_name: str | None
    to_stage_id: int | None
    to_name: str | None
    moved_by: int | None
    moved_at: datetime
    from_names: Translations = field(default_factory=dict)
    to_names: Translations = field(default_factory=dict)

    @property
    def from_label(self) -> str | None:
        return display_name(self.from_name, self.from_names) if self.from_name is not None else None

    @property
    def to_label(self) -> str | None:
        return display_name(self.to_name, self.to_names) if self.to_name is not None else None


@dataclass(frozen=True)
class StageCount:
    """A report row: how many deals were lost from one stage (``stage_id`` None: not recorded)."""

    stage_id: int | None
    name: str | None
    count: int
    # What those deals were worth in the base currency, each at the rate of the day it closed.
    value: BaseTotal | None = None


class DealError(FieldErrors):
    """Invalid deal input; ``errors`` maps field names to translated messages."""


class DealNotFound(RecordNotFound):
    """No such deal, or the principal may not see it (callers answer 404)."""
