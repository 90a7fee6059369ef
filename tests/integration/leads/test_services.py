"""Lead services: validation, duplicates against leads and contacts, permissions (sales = own), audit."""

import json

import pytest

from sampark.platform.db.sql import fetch
from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.contacts.services import create_contact
from sampark.tenants.leads.services import (
    DuplicateLeads,
    LeadError,
    VersionConflict,
    create_lead,
    delete_lead,
    get_lead,
    list_leads,
    update_lead,
)
from sampark.tenants.records.links import resolve_link
from tests.support.web import acting_in, make_member


async def _audit(lead_id: int) -> list[tuple[str, dict]]:
    rows = await fetch(
        AuditEntry,
        "SELECT action, changes FROM audit_log WHERE object_type = 'lead' AND object_id = $1 ORDER BY id",
        lead_id,
    )

    return [(row["action"], json.loads(row["changes"])) for row in rows]


async def test_create_cleans_fields_and_audits(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        lead = await create_lead(
            {
                "first_name": "  Ann ", "last_name": "Lee", "company_name": "Acme  Ltd", "title": "CTO",
                "emails": ["Ann@Acme.Example", "ann@acme.example"], "phones": ["+49 30 1234567"],
                "website": "https://www.acme.example/about", "source": "form", "tags": "VIP, fair",
            }
        )  # fmt: skip
        assert (lead.first_name, lead.company_name, lead.status) == ("Ann", "Acme Ltd", "new")
        assert lead.emails == ("ann@acme.example",) and lead.email == "ann@acme.example"
        assert lead.phone == "+49301234567" and lead.tags == ("vip", "fair")
        assert lead.owner_id == admin.id and lead.version == 1
        entries = await _audit(lead.id)
        assert entries[0][0] == "create" and entries[0][1]["company_name"]["after"] == "Acme Ltd"
        assert (await resolve_link("lead", lead.id)).label == "Ann Lee"


async def test_invalid_input_is_refused_field_by_field(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        with pytest.raises(LeadError) as problem:
            await create_lead(
                {"emails": ["not-an-email"], "phones": ["12"], "website": "nope", "source": "mars",
                 "status": "converted", "title": "x" * 101}
            )  # fmt: skip
        assert set(problem.value.errors) >= {
            "emails.0",
            "phones.0",
            "website",
            "source",
            "status",
            "title",
            "last_name",
        }
        with pytest.raises(LeadError) as problem:
            await create_lead({"company_name": "Acme", "status": "unqualified"})
        assert "disqualify_reason" in problem.value.errors
        lead = await create_lead(
            {"company_name": "Acme", "status": "unqualified", "disqualify_reason": "No budget"}
        )
        assert lead.display_name == "Acme"
        reopened = await update_lead(lead.id, {"status": "contacted"}, expected_version=lead.version)
        assert reopened.disqualify_reason == "" and reopened.version == 2


async def test_duplicates_against_leads_and_contacts(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        await create_contact({"first_name": "Existing", "emails": ["ann@acme.example"]})
        with pytest.raises(DuplicateLeads) as found:
            await create_lead({"first_name": "Ann", "emails": ["ANN@acme.example"]})
        assert [c.first_name for c in found.value.contacts] == ["Existing"] and found.value.leads == []
        first = await create_lead({"first_name": "Bo", "phones": ["+4930999999"]})
        with pytest.raises(DuplicateLeads) as found:
            await create_lead({"first_name": "Bo again", "phones": ["+49 30 999999"]})
        assert [lead.id for lead in found.value.leads] == [first.id]
        again = await create_lead({"first_name": "Bo again", "phones": ["+4930999999"]}, allow_duplicate=True)
        assert again.id != first.id


async def test_sales_see_and_change_only_their_own_leads(tenant) -> None:
    admin, seller = await make_member(tenant), await make_member(tenant, "sales")
    async with acting_in(tenant, admin):
        theirs = await create_lead({"first_name": "Admin's"})
    async with acting_in(tenant, seller):
        mine = await create_lead({"first_name": "Mine"})
        assert [lead.first_name for lead in (await list_leads()).items] == ["Mine"]
        assert await get_lead(theirs.id) is None
        with pytest.raises(LeadError) as problem:
            await update_lead(mine.id, {"owner_id": admin.id}, expected_version=None)
        assert "owner_id" in problem.value.errors
    async with acting_in(tenant, admin):
        seen = {lead.first_name for lead in (await list_leads()).items}
        assert seen == {"Admin's", "Mine"}


async def test_read_only_role_cannot_create(tenant) -> None:
    reader = await make_member(tenant, "read-only")
    async with acting_in(tenant, reader):
        with pytest.raises(PermissionDenied):
            await create_lead({"first_name": "X"})


async def test_version_check_and_delete_audit(tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        lead = await create_lead({"first_name": "Ann"})
        changed = await update_lead(lead.id, {"title": "CEO"}, expected_version=1)
        with pytest.raises(VersionConflict):
            await update_lead(lead.id, {"title": "CFO"}, expected_version=1)
        with pytest.raises(VersionConflict):
            await delete_lead(lead.id, expected_version=1)
        await delete_lead(lead.id, expected_version=changed.version)
        assert await get_lead(lead.id) is None
        actions = [action for action, _changes in await _audit(lead.id)]
        assert actions == ["create", "update", "delete"]
