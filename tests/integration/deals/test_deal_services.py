"""Deal services: defaults, stage history, won/lost/reopen, probability, owner rules, audit, version checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sampark.platform.db.sql import fetch
from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.deals.services import (
    DealError,
    VersionConflict,
    create_deal,
    delete_deal,
    get_deal,
    list_deals,
    lost_per_stage,
    mark_lost,
    mark_won,
    move_stage,
    reopen_deal,
    stage_history,
    update_deal,
)
from sampark.tenants.deals.tables import Deal
from sampark.tenants.pipelines.queries import default_pipeline
from tests.support.web import acting_in, add_company, make_member


async def _audit(deal_id: int) -> list[tuple[str, dict]]:
    import json

    rows = await fetch(
        Deal,
        "SELECT action, changes FROM audit_log WHERE object_type = 'deal' AND object_id = $1 ORDER BY id",
        deal_id,
    )
    return [(row["action"], json.loads(row["changes"])) for row in rows]


async def test_a_new_tenant_has_the_default_pipeline_and_a_deal_lands_in_its_first_stage(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        pipeline = await default_pipeline()
        assert pipeline is not None
        assert [(s.name, s.probability, s.kind) for s in pipeline.stages] == [
            ("Qualification", 10, "open"), ("Needs analysis", 25, "open"), ("Proposal", 50, "open"),
            ("Negotiation", 75, "open"), ("Won", 100, "won"), ("Lost", 0, "lost"),
        ]  # fmt: skip
        deal = await create_deal(
            {"name": "  Big   order ", "amount": "1250.50", "expected_close_date": "2026-03-31"}
        )
        assert deal.name == "Big order"
        assert deal.amount == Decimal("1250.50") and isinstance(deal.amount, Decimal)
        assert deal.currency == "EUR"  # the EU region's currency
        assert deal.stage_id == pipeline.stages[0].id and deal.status == "open"
        assert deal.owner_id == admin.id
        assert deal.expected_close_date == date(2026, 3, 31)
        assert deal.weighted_amount == Decimal("125.05")
        history = await stage_history(deal.id)
        assert [(m.from_stage_id, m.to_stage_id) for m in history] == [(None, pipeline.stages[0].id)]
        audit = await _audit(deal.id)
        assert audit[0][0] == "create" and audit[0][1]["amount"]["after"] == "1250.500"


async def test_stage_moves_keep_history_and_won_lost_set_and_clear_status(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        pipeline = await default_pipeline()
        assert pipeline is not None
        qualification, needs, proposal = pipeline.stages[:3]
        won, lost = pipeline.first_of("won"), pipeline.first_of("lost")
        assert won and lost
        deal = await create_deal({"name": "Deal", "amount": 100})
        deal = await move_stage(deal.id, needs.id, expected_version=deal.version)
        deal = await move_stage(deal.id, proposal.id, expected_version=deal.version)
        assert deal.probability == 50 and deal.weighted_amount == Decimal(50)
        deal = await mark_won(deal.id, expected_version=deal.version)
        assert (deal.status, deal.stage_id) == ("won", won.id) and deal.closed_at is not None
        deal = await reopen_deal(deal.id, expected_version=deal.version)
        assert (deal.status, deal.stage_id, deal.closed_at) == ("open", proposal.id, None)
        with pytest.raises(DealError) as refused:
            await mark_lost(deal.id, "", expected_version=deal.version)
        assert "lost_reason" in refused.value.errors
        deal = await mark_lost(deal.id, "price", "Too dear", expected_version=deal.version)
        assert (deal.status, deal.stage_id, deal.lost_reason, deal.lost_note) == (
            "lost",
            lost.id,
            "price",
            "Too dear",
        )
        moves = [(m.from_stage_id, m.to_stage_id) for m in reversed(await stage_history(deal.id))]
        assert moves == [
            (None, qualification.id), (qualification.id, needs.id), (needs.id, proposal.id), (proposal.id, won.id),
            (won.id, proposal.id), (proposal.id, lost.id),
        ]  # fmt: skip
        report = await lost_per_stage(pipeline.id)
        assert [(row.stage_id, row.count) for row in report] == [(proposal.id, 1)]
        # Moving a lost deal back to an open stage reopens it and clears the reason.
        deal = await move_stage(deal.id, needs.id, expected_version=deal.version)
        assert (deal.status, deal.lost_reason, deal.closed_at) == ("open", "", None)
        with pytest.raises(DealError):
            await move_stage(deal.id, 999999, expected_version=deal.version)


async def test_version_conflicts_and_validation(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        deal = await create_deal({"name": "Deal", "amount": "10", "currency": "JPY"})
        with pytest.raises(VersionConflict):
            await update_deal(deal.id, {"name": "Other"}, expected_version=deal.version + 1)
        with pytest.raises(VersionConflict):
            await move_stage(deal.id, deal.stage_id, expected_version=0)
        with pytest.raises(DealError) as refused:
            await update_deal(
                deal.id, {"amount": "10.5", "currency": "JPY", "expected_close_date": "31/03/2026"},
                expected_version=deal.version,
            )  # fmt: skip
        assert set(refused.value.errors) == {"amount", "expected_close_date"}
        with pytest.raises(DealError) as refused:
            await create_deal({"name": "", "amount": "-1", "currency": "XXQ", "company_id": 99999})
        assert set(refused.value.errors) == {"name", "amount", "currency", "company_id"}
        updated = await update_deal(
            deal.id, {"amount": "12", "name": "Renamed"}, expected_version=deal.version
        )
        assert updated.version == deal.version + 1 and updated.amount == Decimal(12)
        audit = await _audit(deal.id)
        assert audit[-1][0] == "update" and audit[-1][1]["name"] == {"before": "Deal", "after": "Renamed"}
        with pytest.raises(VersionConflict):
            await delete_deal(deal.id, expected_version=deal.version)
        await delete_deal(deal.id, expected_version=updated.version)
        assert await get_deal(deal.id) is None
        assert (await _audit(deal.id))[-1][0] == "delete"


async def test_sales_sees_and_changes_only_own_deals(tenant) -> None:
    admin = await make_member(tenant)
    ann = await make_member(tenant, "sales")
    bob = await make_member(tenant, "sales")
    company = await add_company(tenant, admin, "Acme")
    async with acting_in(tenant, ann):
        mine = await create_deal({"name": "Ann's", "company_id": company})
        with pytest.raises(DealError) as refused:
            await create_deal({"name": "For Bob", "owner_id": bob.id})
        assert "owner_id" in refused.value.errors
    async with acting_in(tenant, admin):
        theirs = await create_deal({"name": "Bob's", "owner_id": bob.id})
    async with acting_in(tenant, ann):
        assert await get_deal(theirs.id) is None
        assert [deal.id for deal in (await list_deals()).items] == [mine.id]
        with pytest.raises(Exception) as missing:
            await move_stage(theirs.id, theirs.stage_id, expected_version=None)
        assert type(missing.value).__name__ == "DealNotFound"
    async with acting_in(tenant, await make_member(tenant, "read-only")):
        with pytest.raises(PermissionDenied):
            await move_stage(mine.id, mine.stage_id, expected_version=None)


async def test_global_search_finds_deals_within_scope(tenant) -> None:
    from sampark.tenants.search.services import search

    admin, seller = await make_member(tenant), await make_member(tenant, "sales")
    async with acting_in(tenant, admin):
        await create_deal({"name": "Zephyr renewal"})
        assert [deal.name for deal in (await search("zeph")).deals] == ["Zephyr renewal"]
    async with acting_in(tenant, seller):
        assert (await search("zeph")).deals == []
