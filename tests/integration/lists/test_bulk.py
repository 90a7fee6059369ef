"""Bulk actions on companies, deals and leads: each action through the API and the page form, permission
refusals, version conflicts, the delete confirmation, audit entries per record."""

from __future__ import annotations

from sampark.tenants.companies.services import get_company
from sampark.tenants.deals.services import get_deal
from sampark.tenants.leads.services import get_lead
from sampark.tenants.pipelines.queries import default_pipeline
from tests.integration.lists.helpers import add_deal, add_lead, audit_entries
from tests.support.web import acting_in, add_company, api_session, csrf_token, make_member, sign_in


async def test_company_bulk_assign_delete_conflict_and_refusal(client, tenant) -> None:
    admin, seller = await make_member(tenant), await make_member(tenant, "sales")
    ids = [await add_company(tenant, admin, name) for name in ("Ana Co", "Ben Co", "Cy Co")]
    await api_session(client, tenant, admin)
    url = f"/t/{tenant.slug}/api/v1/companies/bulk"
    assigned = await client.post(
        url, json={"action": "assign", "ids": ids, "owner_id": seller.id, "versions": {str(ids[2]): 7}}
    )
    assert assigned.status_code == 200, assigned.text
    assert assigned.json() == {"changed": ids[:2], "skipped": [{"id": ids[2], "reason": "conflict"}]}
    async with acting_in(tenant, admin):
        assert (await get_company(ids[0])).owner_id == seller.id
        assert (await get_company(ids[2])).owner_id == admin.id
    assert len([e for e in await audit_entries(tenant, "update", "company") if e["object_id"] in ids]) == 2
    tag = await client.post(url, json={"action": "tag", "ids": ids, "tag": "x"})
    assert tag.status_code == 400 and tag.json()["error"]["code"] == "bad_request"
    deleted = await client.post(url, json={"action": "delete", "ids": [ids[2], 999_999]})
    assert deleted.json() == {"changed": [ids[2]], "skipped": [{"id": 999_999, "reason": "not_found"}]}
    assert [e["object_id"] for e in await audit_entries(tenant, "delete", "company")] == [ids[2]]

    # Sales sees every company but may not edit or delete a colleague's (only its own, now ids[0]).
    admins = await add_company(tenant, admin, "Kept Co")
    await api_session(client, tenant, seller)
    refused = await client.post(url, json={"action": "delete", "ids": [ids[0], admins]})
    assert refused.json() == {"changed": [ids[0]], "skipped": [{"id": admins, "reason": "forbidden"}]}


async def test_company_bulk_form_confirms_a_delete(client, tenant) -> None:
    admin = await make_member(tenant)
    first = await add_company(tenant, admin, "Alpha")
    await sign_in(client, admin)
    listing = f"/t/{tenant.slug}/companies/"
    page = await client.get(listing)
    assert 'form="company-bulk"' in page.text and f'value="{first}:1"' in page.text
    token = csrf_token(page)
    confirm = await client.post(
        f"{listing}bulk", data={"action": "delete", "ids": f"{first}:1", "_csrf_token": token}
    )
    assert confirm.status_code == 200 and "Delete the selected companies?" in confirm.text
    assert "Companies selected: 1" in confirm.text
    done = await client.post(
        f"{listing}bulk",
        data={"action": "delete", "ids": f"{first}:1", "confirm": "yes", "_csrf_token": csrf_token(confirm)},
    )
    assert done.status_code == 303
    async with acting_in(tenant, admin):
        assert await get_company(first) is None
    assert "Companies changed: 1." in (await client.get(listing)).text


async def test_deal_bulk_move_assign_delete(client, tenant) -> None:
    admin, seller = await make_member(tenant), await make_member(tenant, "sales")
    deals = [await add_deal(tenant, admin, name) for name in ("One", "Two")]
    ids = [deal.id for deal in deals]
    async with acting_in(tenant, admin):
        pipeline = await default_pipeline()
    assert pipeline is not None
    target = pipeline.stages[1]
    await api_session(client, tenant, admin)
    url = f"/t/{tenant.slug}/api/v1/deals/bulk"
    moved = await client.post(
        url, json={"action": "move", "ids": ids, "stage_id": target.id, "versions": {str(ids[1]): 99}}
    )
    assert moved.json() == {"changed": [ids[0]], "skipped": [{"id": ids[1], "reason": "conflict"}]}
    again = await client.post(url, json={"action": "move", "ids": ids[:1], "stage_id": target.id})
    assert again.json()["skipped"] == [{"id": ids[0], "reason": "unchanged"}]
    async with acting_in(tenant, admin):
        one = await get_deal(ids[0])
    assert one.stage_id == target.id and one.version == 2
    unknown = await client.post(url, json={"action": "move", "ids": ids, "stage_id": 999_999})
    assert unknown.status_code == 422 and "stage_id" in unknown.json()["error"]["details"]
    assigned = await client.post(url, json={"action": "assign", "ids": ids, "owner_id": seller.id})
    assert assigned.json() == {"changed": ids, "skipped": []}
    updates = [e for e in await audit_entries(tenant, "update", "deal") if e["object_id"] in ids]
    assert len(updates) == 3

    # The seller now owns both; another seller sees neither (own scope): not found, untouched.
    stranger = await make_member(tenant, "sales")
    await api_session(client, tenant, stranger)
    hidden = await client.post(url, json={"action": "delete", "ids": ids})
    assert hidden.json()["skipped"] == [
        {"id": ids[0], "reason": "not_found"},
        {"id": ids[1], "reason": "not_found"},
    ]
    await api_session(client, tenant, seller)
    gone = await client.post(url, json={"action": "delete", "ids": ids})
    assert gone.json() == {"changed": ids, "skipped": []}
    assert len(await audit_entries(tenant, "delete", "deal")) == 2


async def test_deal_bulk_form_moves(client, tenant) -> None:
    admin = await make_member(tenant)
    deal = await add_deal(tenant, admin, "Form deal")
    async with acting_in(tenant, admin):
        pipeline = await default_pipeline()
    await sign_in(client, admin)
    listing = f"/t/{tenant.slug}/deals/"
    page = await client.get(listing)
    assert 'name="stage_id"' in page.text and f'value="{deal.id}:1"' in page.text
    answer = await client.post(
        f"{listing}bulk",
        data={"action": "move", "ids": f"{deal.id}:1", "stage_id": str(pipeline.stages[2].id),
              "_csrf_token": csrf_token(page)},
    )  # fmt: skip
    assert answer.status_code == 303
    stale = await client.post(
        f"{listing}bulk",
        data={"action": "move", "ids": f"{deal.id}:1", "stage_id": str(pipeline.stages[3].id),
              "_csrf_token": csrf_token(page)},
    )  # fmt: skip
    assert stale.status_code == 303
    text = (await client.get(listing)).text
    assert "changed by someone else meanwhile" in text
    async with acting_in(tenant, admin):
        assert (await get_deal(deal.id)).stage_id == pipeline.stages[2].id


async def test_lead_bulk_tag_and_untag(client, tenant) -> None:
    admin = await make_member(tenant)
    ids = [(await add_lead(tenant, admin, name)).id for name in ("Ann", "Bob")]
    await api_session(client, tenant, admin)
    url = f"/t/{tenant.slug}/api/v1/leads/bulk"
    tagged = await client.post(url, json={"action": "tag", "ids": ids, "tag": " Hot "})
    assert tagged.json() == {"changed": ids, "skipped": []}
    untagged = await client.post(url, json={"action": "untag", "ids": ids[:1], "tag": "hot"})
    assert untagged.json() == {"changed": ids[:1], "skipped": []}
    async with acting_in(tenant, admin):
        assert (await get_lead(ids[0])).tags == () and (await get_lead(ids[1])).tags == ("hot",)
    bad = await client.post(url, json={"action": "tag", "ids": ids, "tag": "x" * 60})
    assert bad.status_code == 422
    empty = await client.post(url, json={"action": "tag", "ids": ids, "tag": ""})
    assert empty.status_code == 400


async def test_bulk_on_another_tenants_ids_touches_nothing(client, tenant, make_tenant) -> None:
    other = await make_tenant()
    stranger = await make_member(other)
    foreign_company = await add_company(other, stranger, "Foreign")
    foreign_deal = (await add_deal(other, stranger, "Foreign")).id
    foreign_lead = (await add_lead(other, stranger, "Foreign")).id
    admin = await make_member(tenant)
    await api_session(client, tenant, admin)
    for obj, record_id in (("companies", foreign_company), ("deals", foreign_deal), ("leads", foreign_lead)):
        answer = await client.post(
            f"/t/{tenant.slug}/api/v1/{obj}/bulk", json={"action": "delete", "ids": [record_id]}
        )
        assert answer.json()["skipped"] == [{"id": record_id, "reason": "not_found"}], obj
    async with acting_in(other, stranger):
        assert await get_company(foreign_company) is not None and await get_deal(foreign_deal) is not None
