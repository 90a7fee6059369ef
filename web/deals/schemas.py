"""The deal and pipeline API's request and response bodies. Amounts travel as decimal strings ("1250.50")."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from sampark.tenants.deals.schemas import DealView
from sampark.tenants.pipelines.schemas import PipelineView


class DealCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    # A decimal string or number; at most the currency's minor digits.
    amount: Decimal = Decimal(0)
    # ISO 4217; default: the tenant region's currency.
    currency: str = ""
    expected_close_date: date | None = None
    # Default: the pipeline of ``stage_id`` when given, else the caller's default pipeline (their first team's
    # that names one, else the tenant's default pipeline) and its first open stage.
    pipeline_id: int | None = None
    stage_id: int | None = None
    company_id: int | None = None
    contact_ids: list[int] = []
    # Default: the caller.
    owner_id: int | None = None
    # Custom field values by key; see docs/custom-fields.md for each type's JSON.
    custom: dict[str, Any] = msgspec.field(default_factory=dict)


class DealPatch(msgspec.Struct, forbid_unknown_fields=True):
    """Fields to change; absent fields stay. A new stage_id moves the deal (history, status)."""

    name: str | UnsetType = UNSET
    amount: Decimal | UnsetType = UNSET
    currency: str | UnsetType = UNSET
    expected_close_date: date | UnsetType | None = UNSET
    pipeline_id: int | UnsetType = UNSET
    stage_id: int | UnsetType = UNSET
    company_id: int | UnsetType | None = UNSET
    contact_ids: list[int] | UnsetType = UNSET
    owner_id: int | UnsetType = UNSET
    # Merged: keys sent change, null removes one, keys not sent stay.
    custom: dict[str, Any] | UnsetType = UNSET


class StageMoveBody(msgspec.Struct, forbid_unknown_fields=True):
    stage_id: int


class LostBody(msgspec.Struct, forbid_unknown_fields=True):
    # price, competitor, no_budget, no_decision, timing or other
    reason: str
    note: str = ""


class DealOut(msgspec.Struct):
    id: int
    name: str
    amount: str
    currency: str
    expected_close_date: date | None
    owner_id: int | None
    pipeline_id: int
    stage_id: int
    # The stage's name in the request's language (tenant-text rule: docs/localization.md)
    stage_name: str
    probability: int
    company_id: int | None
    contact_ids: list[int]
    status: str
    lost_reason: str
    lost_note: str
    closed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime
    custom: dict[str, Any]


class DealList(msgspec.Struct):
    items: list[DealOut]
    next_cursor: str | None


def deal_out(view: DealView) -> DealOut:
    return DealOut(
        id=view.id, name=view.name, amount=str(view.amount), currency=view.currency,
        expected_close_date=view.expected_close_date, owner_id=view.owner_id, pipeline_id=view.pipeline_id,
        stage_id=view.stage_id, stage_name=view.stage_label, probability=view.probability,
        company_id=view.company_id, contact_ids=view.contact_ids, status=view.status,
        lost_reason=view.lost_reason, lost_note=view.lost_note, closed_at=view.closed_at, version=view.version,
        created_at=view.created_at, updated_at=view.updated_at, custom=dict(view.custom),
    )  # fmt: skip


class StageOut(msgspec.Struct):
    id: int
    # In the request's language: its translation, else the tenant language's, else ``base_name``
    name: str
    # The base text (what the Name field holds) and every translation by locale
    base_name: str
    names: dict[str, str]
    position: int
    probability: int
    # open, won or lost
    kind: str


class PipelineOut(msgspec.Struct):
    id: int
    name: str
    base_name: str
    names: dict[str, str]
    is_default: bool
    version: int
    stages: list[StageOut]


class PipelineCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    # Translations of the name by locale ({"hi": "बिक्री"}); shipped locales only
    names: dict[str, str] = {}


class StageBody(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    probability: int = 0
    kind: str = "open"
    names: dict[str, str] = {}


class PipelinePatch(msgspec.Struct, forbid_unknown_fields=True):
    """Rename the pipeline and/or append stages."""

    name: str | UnsetType = UNSET
    # Replaces the name's translations; absent, they stay (a rename alone drops them: they named the old text)
    names: dict[str, str] | UnsetType = UNSET
    add_stages: list[StageBody] = []


def pipeline_out(view: PipelineView) -> PipelineOut:
    return PipelineOut(
        view.id, view.label, view.name, view.names, view.is_default, view.version,
        [StageOut(s.id, s.label, s.name, s.names, s.position, s.probability, s.kind) for s in view.stages],
    )  # fmt: skip
