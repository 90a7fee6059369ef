"""Deals are records like contacts and companies: activities and files hang on them, and their timeline shows
activities next to stage changes. Deleting a deal takes its links along."""

from sampark.tenants.activities.queries import get_activity
from sampark.tenants.activities.services import create_activity
from sampark.tenants.deals.services import create_deal, delete_deal, move_stage
from sampark.tenants.pipelines.queries import default_pipeline
from sampark.tenants.records.links import resolve_link
from sampark.tenants.timeline.registry import read_timeline
from tests.support.web import acting_in, make_member, sign_in


async def test_a_deal_takes_activities_and_shows_them_with_its_stage_changes(client, tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        deal = await create_deal({"name": "Big <b>renewal</b>", "amount": "1200", "currency": "EUR"})
        pipeline = await default_pipeline()
        second = pipeline.stages[1]
        await move_stage(deal.id, second.id, expected_version=None)
        linked = await resolve_link("deal", deal.id)
        assert linked is not None and linked.path == f"/deals/{deal.id}"
        call = await create_activity(
            "call", {"subject": "Pricing call", "duration_minutes": "20", "outcome": "connected"},
            links=[f"deal:{deal.id}"],
        )  # fmt: skip
        timeline = await read_timeline("deal", deal.id)
        titles = [entry.title for entry in timeline.entries]
        # Same transaction, same moment: the order between the two is the tie-break, so check both are there.
        assert "Pricing call" in titles and "Stage changed" in titles

    await sign_in(client, admin)
    detail = await client.get(f"/t/{tenant.slug}/deals/{deal.id}")
    assert f'hx-get="/t/{tenant.slug}/timeline/deal/{deal.id}"' in detail.text
    assert "record_type=deal&amp;record_id=" in detail.text or "record_type=deal&record_id=" in detail.text
    fragment = await client.get(f"/t/{tenant.slug}/timeline/deal/{deal.id}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "Pricing call" in fragment.text
    assert "<b>renewal</b>" not in detail.text

    async with acting_in(tenant, admin):
        await delete_deal(deal.id, expected_version=None)
        # The call hung on the deal alone, so it goes with it (activities' delete hook).
        assert await get_activity(call.id) is None
        assert await resolve_link("deal", deal.id) is None
