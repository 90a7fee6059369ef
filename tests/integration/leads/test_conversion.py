"""Converting a lead: new or linked contact and company, read-only afterwards, all or nothing, audited."""

from decimal import Decimal

import pytest

from sampark.platform.db.sql import fetch
from sampark.tenants.activities.queries import get_activity
from sampark.tenants.activities.services import create_activity
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.companies.services import create_company, get_company, list_companies
from sampark.tenants.contacts.services import create_contact, get_contact, list_contacts
from sampark.tenants.deals.services import get_deal, list_deals
from sampark.tenants.files.queries import get_file
from sampark.tenants.files.services import upload_file
from sampark.tenants.leads.conversion import (
    ConversionError,
    ConversionPlan,
    conversion_matches,
    convert_lead,
)
from sampark.tenants.leads.services import LeadConverted, create_lead, get_lead, update_lead
from sampark.tenants.records import links
from sampark.tenants.tasks.services import create_task, get_task
from tests.support.web import acting_in, make_member

LEAD = {
    "first_name": "Ann", "last_name": "Lee", "company_name": "Acme", "emails": ["ann@acme.example"],
    "phones": ["+49 30 1234567"], "website": "acme.example", "tags": ["fair"], "source": "form",
}  # fmt: skip


async def test_new_contact_and_company(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        lead = await create_lead(LEAD)
        result = await convert_lead(
            lead.id, ConversionPlan(company_mode="new"), expected_version=lead.version
        )
        assert result.created_contact and result.created_company
        contact, company = result.contact, result.company
        assert (contact.first_name, contact.last_name, contact.emails) == (
            "Ann",
            "Lee",
            ("ann@acme.example",),
        )
        assert contact.company_id == company.id and contact.source == "website" and contact.tags == ("fair",)
        assert (company.name, company.domain) == ("Acme", "acme.example")
        converted = await get_lead(lead.id)
        assert converted.status == "converted" and converted.converted_contact_id == contact.id
        assert converted.converted_company_id == company.id and converted.converted_by == admin.id
        assert converted.converted_at is not None
        rows = await fetch(
            AuditEntry,
            "SELECT object_type, action FROM audit_log WHERE action IN ('create', 'convert') ORDER BY id",
        )
        assert [(r["object_type"], r["action"]) for r in rows] == [
            ("lead", "create"), ("company", "create"), ("contact", "create"), ("lead", "convert"),
        ]  # fmt: skip
        # Read-only now, and never converted twice.
        with pytest.raises(LeadConverted):
            await update_lead(lead.id, {"title": "CEO"}, expected_version=None)
        with pytest.raises(LeadConverted):
            await convert_lead(lead.id, ConversionPlan(), expected_version=None)


async def test_links_an_existing_contact_and_company_suggested_by_matches(tenant) -> None:
    admin = await make_member(tenant)
    moved: list[tuple] = []

    async def on_convert(*args) -> None:
        moved.append(args)

    links.register_convert_hook("test-feature", on_convert)
    try:
        async with acting_in(tenant, admin):
            acme = await create_company({"name": "ACME", "domain": "www.acme.example"})
            ann = await create_contact({"first_name": "Ann", "emails": ["ann@acme.example"]})
            lead = await create_lead(LEAD, allow_duplicate=True)
            matches = await conversion_matches(lead)
            assert [c.id for c in matches.contacts] == [ann.id]
            assert [c.id for c in matches.companies] == [acme.id]
            result = await convert_lead(
                lead.id,
                ConversionPlan(contact_id=ann.id, company_mode="existing", company_id=acme.id),
                expected_version=None,
            )
            assert not result.created_contact and not result.created_company
            assert (await get_contact(ann.id)).company_id == acme.id  # linked to the chosen company
            assert len((await list_contacts()).items) == 1 and len((await list_companies()).items) == 1
        assert moved == [("lead", lead.id, "contact", ann.id)]
    finally:
        links._CONVERT_HOOKS.pop("test-feature")


async def test_a_failing_part_changes_nothing(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        # No first name: the company is created first, then the contact fails; the company must be gone too.
        lead = await create_lead({**LEAD, "first_name": ""})
        with pytest.raises(ConversionError) as problem:
            await convert_lead(lead.id, ConversionPlan(company_mode="new"), expected_version=None)
        assert "contact.first_name" in problem.value.errors
        assert (await list_companies()).items == [] and (await list_contacts()).items == []
        assert (await get_lead(lead.id)).status == "new"
        with pytest.raises(ConversionError) as problem:
            await convert_lead(lead.id, ConversionPlan(contact_id=10**9), expected_version=None)
        assert "contact_id" in problem.value.errors
        # The transaction is still usable after a rolled-back conversion.
        fixed = await update_lead(lead.id, {"first_name": "Ann"}, expected_version=None)
        done = await convert_lead(lead.id, ConversionPlan(company_mode="new"), expected_version=fixed.version)
        assert (await get_company(done.company.id)).name == "Acme"


async def test_sales_cannot_link_contacts_they_cannot_see(tenant) -> None:
    admin, seller = await make_member(tenant), await make_member(tenant, "sales")
    async with acting_in(tenant, admin):
        hidden = await create_contact({"first_name": "Admin's"})
    async with acting_in(tenant, seller):
        lead = await create_lead({"first_name": "Mine"})
        with pytest.raises(ConversionError) as problem:
            await convert_lead(lead.id, ConversionPlan(contact_id=hidden.id), expected_version=None)
        assert "contact_id" in problem.value.errors
        result = await convert_lead(lead.id, ConversionPlan(), expected_version=None)
        assert result.contact.owner_id == seller.id and result.company is None


async def test_new_contact_company_and_deal(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        lead = await create_lead(LEAD)
        deal_data = {"name": "Acme pilot", "amount": "1200.50", "currency": "EUR"}
        result = await convert_lead(
            lead.id, ConversionPlan(company_mode="new", deal=deal_data), expected_version=None
        )
        deal = result.deal
        assert deal is not None and deal.name == "Acme pilot" and deal.amount == Decimal("1200.50")
        assert deal.company_id == result.company.id and deal.contact_ids == [result.contact.id]
        assert (await get_lead(lead.id)).converted_deal_id == deal.id
        assert (await get_deal(deal.id)) is not None


async def test_an_invalid_deal_amount_creates_nothing(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        lead = await create_lead(LEAD)
        with pytest.raises(ConversionError) as problem:
            await convert_lead(
                lead.id,
                ConversionPlan(company_mode="new", deal={"name": "X", "amount": "lots"}),
                expected_version=None,
            )
        assert "deal.amount" in problem.value.errors
        assert (await list_companies()).items == [] and (await list_contacts()).items == []
        assert (await list_deals()).items == []
        assert (await get_lead(lead.id)).status == "new"


async def test_activities_tasks_and_files_follow_the_lead_to_its_contact(tenant) -> None:
    admin = await make_member(tenant)

    async def content():
        yield b"%PDF-1.4 offer"

    async with acting_in(tenant, admin):
        lead = await create_lead(LEAD)
        call = await create_activity("call", {"subject": "First call"}, links=[f"lead:{lead.id}"])
        task = await create_task(
            {"title": "Send the offer", "record_type": "lead", "record_id": str(lead.id)}
        )
        offer = await upload_file("lead", lead.id, "offer.pdf", content())
        result = await convert_lead(lead.id, ConversionPlan(), expected_version=lead.version)
        contact_id = result.contact.id
        moved_call = await get_activity(call.id)
        assert [(link.record_type, link.record_id) for link in moved_call.links] == [("contact", contact_id)]
        moved_task = await get_task(task.id)
        assert (moved_task.record_type, moved_task.record_id) == ("contact", contact_id)
        moved_file = await get_file(offer.id)
        assert (moved_file.record_type, moved_file.record_id) == ("contact", contact_id)
        # Every move is audited, with who did it.
        rows = await fetch(
            AuditEntry,
            "SELECT object_type, actor_user_id FROM audit_log WHERE action = 'update'"
            " AND object_type IN ('task', 'file', 'activity') ORDER BY id",
        )
        assert {r["object_type"] for r in rows} == {"task", "file", "activity"}
        assert {r["actor_user_id"] for r in rows} == {admin.id}
