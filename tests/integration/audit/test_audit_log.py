"""The tenant audit-log viewer: filters, keyset pages, permissions, the CSV export and tenant isolation."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any

from sampark.platform.tenancy.context import TenantRecord, tenant_context
from sampark.tenants.audit.queries import PAGE_SIZE
from sampark.tenants.audit.tables import AuditEntry
from tests.support.web import add_contact, make_member, sign_in

_ENTRY = re.compile(r'<tr class="audit-entry">')


async def _log(tenant: TenantRecord, *entries: dict[str, Any]) -> None:
    """Append entries straight to the tenant's log (the tenant role may insert), with chosen times."""
    async with tenant_context(slug=tenant.slug):
        await AuditEntry.insert(
            *[
                AuditEntry(
                    actor_user_id=entry.get("actor"),
                    action=entry.get("action", "update"),
                    object_type=entry.get("object_type", "contact"),
                    object_id=entry.get("object_id"),
                    changes=entry.get("changes", {}),
                    created_at=entry.get("at", datetime.now(UTC)),
                )
                for entry in entries
            ]
        )


def _page(tenant: TenantRecord, query: str = "") -> str:
    return f"/t/{tenant.slug}/admin/audit/{query}"


async def test_filters_by_person_object_and_dates(client, tenant) -> None:
    admin, seller = await make_member(tenant, "admin"), await make_member(tenant, "sales")
    await _log(
        tenant,
        {"actor": admin.id, "object_type": "contact", "object_id": 910001, "at": datetime(2026, 1, 5, tzinfo=UTC),
         "changes": {"first_name": {"before": "Asha", "after": "Asha R"}}},
        {"actor": seller.id, "object_type": "company", "object_id": 910002, "at": datetime(2026, 2, 10, tzinfo=UTC)},
        {"actor": admin.id, "object_type": "role", "object_id": 910003, "at": datetime(2026, 3, 15, tzinfo=UTC)},
    )  # fmt: skip
    await sign_in(client, admin)

    everything = await client.get(_page(tenant))
    assert everything.status_code == 200
    assert all(f"#{n}" in everything.text for n in (910001, 910002, 910003))
    assert f'href="/t/{tenant.slug}/contacts/910001"' in everything.text
    assert f'href="/t/{tenant.slug}/companies/910002"' in everything.text
    assert "Asha" in everything.text and "Asha R" in everything.text
    # newest first
    assert (
        everything.text.index("#910003") < everything.text.index("#910002") < everything.text.index("#910001")
    )

    by_person = (await client.get(_page(tenant, f"?person={seller.id}"))).text
    assert "#910002" in by_person and "#910001" not in by_person and "#910003" not in by_person

    by_type = (await client.get(_page(tenant, "?object_type=role"))).text
    assert "#910003" in by_type and "#910001" not in by_type and "#910002" not in by_type

    by_id = (await client.get(_page(tenant, "?object_id=910001"))).text
    assert "#910001" in by_id and "#910002" not in by_id

    by_dates = (await client.get(_page(tenant, "?date_from=2026-02-01&date_to=2026-03-15"))).text
    assert (
        "#910001" not in by_dates and "#910002" in by_dates and "#910003" in by_dates
    )  # date_to is inclusive

    nothing = await client.get(_page(tenant, "?object_type=deal"))
    assert "No audit entries match these filters." in nothing.text


async def test_invalid_date_shows_an_inline_error(client, tenant) -> None:
    await sign_in(client, await make_member(tenant, "admin"))
    response = await client.get(_page(tenant, "?date_from=2026-13-40"))
    assert response.status_code == 400
    assert 'id="date_from-error"' in response.text and "YYYY-MM-DD" in response.text
    assert 'value="2026-13-40"' in response.text


async def test_pages_across_more_than_one_page(client, tenant) -> None:
    admin = await make_member(tenant, "admin")
    await _log(tenant, *[{"object_type": "probe", "object_id": 920000 + n} for n in range(PAGE_SIZE + 7)])
    await sign_in(client, admin)

    first = await client.get(_page(tenant, "?object_type=probe"))
    assert len(_ENTRY.findall(first.text)) == PAGE_SIZE
    older = re.search(r'hx-get="([^"]+before=\d+[^"]*)"', first.text)
    assert older, "no Older link"
    more = await client.get(older.group(1).replace("&amp;", "&"), headers={"HX-Request": "true"})
    assert more.status_code == 200
    assert len(_ENTRY.findall(more.text)) == 7 and "<html" not in more.text and "hx-get" not in more.text
    seen_first = set(re.findall(r"#(92\d{4})", first.text))
    seen_more = set(re.findall(r"#(92\d{4})", more.text))
    assert not seen_first & seen_more and len(seen_first | seen_more) == PAGE_SIZE + 7


async def test_sales_cannot_view_or_export(client, tenant) -> None:
    await sign_in(client, await make_member(tenant, "sales"))
    assert (await client.get(_page(tenant))).status_code == 403
    assert (await client.get(_page(tenant, "export.csv"))).status_code == 403
    async with tenant_context(slug=tenant.slug):
        assert await AuditEntry.count().where(AuditEntry.action == "export") == 0


async def test_export_streams_guarded_csv_and_is_audited(client, tenant) -> None:
    admin = await make_member(tenant, "admin")
    contact_id = await add_contact(tenant, admin, "Ravi")
    await _log(
        tenant,
        {"actor": admin.id, "action": "=HYPERLINK(\"http://x\")", "object_type": "@SUM(A1)", "object_id": 5,
         "changes": {"note": {"before": None, "after": "+1"}}},
    )  # fmt: skip
    await sign_in(client, admin)

    response = await client.get(_page(tenant, "export.csv"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["Time (UTC)", "Actor id", "Actor", "Action", "Object type", "Object id", "Changes"]
    created = [row for row in rows[1:] if row[3] == "create" and row[5] == str(contact_id)]
    assert len(created) == 1
    assert created[0][1] == str(admin.id) and created[0][2] == "Test User" and created[0][4] == "contact"
    assert created[0][0].endswith("+00:00") and '"first_name"' in created[0][6] and "Ravi" in created[0][6]
    injected = next(row for row in rows[1:] if row[5] == "5")
    assert injected[3] == '\'=HYPERLINK("http://x")' and injected[4] == "'@SUM(A1)"
    assert '"+1"' in injected[6]  # the JSON cell starts with "{", so it stays as it is

    filtered = await client.get(_page(tenant, "export.csv?object_type=contact&date_from=2026-01-01"))
    lines = list(csv.reader(io.StringIO(filtered.text)))[1:]
    assert lines and all(line[4] == "contact" for line in lines)

    async with tenant_context(slug=tenant.slug):
        exports = await AuditEntry.select().where(AuditEntry.action == "export").order_by(AuditEntry.id)
    assert len(exports) == 2
    assert all(entry["actor_user_id"] == admin.id and entry["object_type"] == "audit" for entry in exports)
    assert "object_type" in str(exports[1]["changes"]) and "contact" in str(exports[1]["changes"])


async def test_a_tenant_never_sees_another_tenants_entries(client, make_tenant) -> None:
    ours, theirs = await make_tenant(), await make_tenant()
    admin = await make_member(ours, "admin")
    # Both logs start their ids at 1: the same ids, different tenants.
    await _log(
        ours,
        {
            "object_type": "contact",
            "object_id": 1,
            "changes": {"name": {"before": "a", "after": "ours-value"}},
        },
    )
    await _log(
        theirs,
        {
            "object_type": "contact",
            "object_id": 1,
            "changes": {"name": {"before": "b", "after": "theirs-secret"}},
        },
    )
    await sign_in(client, admin)

    page = (await client.get(_page(ours))).text
    assert "ours-value" in page and "theirs-secret" not in page
    export = (await client.get(_page(ours, "export.csv"))).text
    assert "ours-value" in export and "theirs-secret" not in export
    assert (await client.get(_page(theirs))).status_code == 404
