"""CSV export of the contacts view and bulk actions on selected contacts."""

import csv
import io
import json

from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.access.tables import Role
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.contacts.services import create_contact, get_contact
from tests.support.web import acting_in, add_contact, api_session, csrf_token, make_member, post_form, sign_in


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.text)))


async def _audit(tenant, action: str) -> list[dict]:
    async with tenant_context(slug=tenant.slug):
        return await AuditEntry.select().where(AuditEntry.action == action).order_by(AuditEntry.id)


async def test_export_follows_filters_guards_formulas_and_is_audited(client, tenant) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        await create_contact({"first_name": "=HYPERLINK(1)", "last_name": "Evil", "tags": ["vip"]})
        await create_contact({"first_name": "Plain", "last_name": "-minus", "emails": ["p@x.example"]})
        await create_contact({"first_name": "Other", "tags": ["cold"]})
    await sign_in(client, admin)
    base = f"/t/{tenant.slug}/contacts/export.csv"

    everything = _rows(await client.get(base))
    assert len(everything) == 4 and everything[0][0] == "ID"
    firsts = {row[1] for row in everything[1:]}
    assert firsts == {"'=HYPERLINK(1)", "Plain", "Other"}
    plain = next(row for row in everything if row[1] == "Plain")
    assert plain[2] == "'-minus" and plain[3] == "p@x.example"

    tagged = _rows(await client.get(base, params={"tag": "vip", "sort": "-name"}))
    assert [row[1] for row in tagged[1:]] == ["'=HYPERLINK(1)"] and tagged[1][9] == "vip"

    assert (await client.get(base, params={"colour": "red"})).status_code == 400
    assert (await client.get(base, params={"sort": "password"})).status_code == 400
    entries = await _audit(tenant, "export")
    assert len(entries) == 2  # the two successful exports, once each
    assert json.dumps(entries[-1]["changes"]).count("vip") >= 1


async def test_export_is_scoped_and_hides_fields(client, tenant) -> None:
    async with tenant_context(slug=tenant.slug):
        await Role.insert(
            Role(
                key="own-exporter",
                name="Own exporter",
                permissions={"contacts": {"view": "own", "create": "own", "export": "own"}},
                hidden_fields={"contacts": ["emails"]},
            )
        )
    exporter, colleague = await make_member(tenant, "own-exporter"), await make_member(tenant)
    async with acting_in(tenant, exporter):
        await create_contact({"first_name": "Mine", "emails": ["secret@x.example"]})
    await add_contact(tenant, colleague, "Theirs")
    await sign_in(client, exporter)
    rows = _rows(await client.get(f"/t/{tenant.slug}/contacts/export.csv"))
    assert [row[1] for row in rows[1:]] == ["Mine"]
    assert "secret@x.example" not in "".join(",".join(row) for row in rows)


async def test_read_only_may_not_export(client, tenant) -> None:
    reader = await make_member(tenant, "read-only")
    await sign_in(client, reader)
    page = await client.get(f"/t/{tenant.slug}/contacts/")
    assert page.status_code == 200 and "export.csv" not in page.text
    assert (await client.get(f"/t/{tenant.slug}/contacts/export.csv")).status_code == 403


async def test_bulk_api_assign_tag_untag_delete(client, tenant) -> None:
    admin, seller = await make_member(tenant), await make_member(tenant, "sales")
    ids = [await add_contact(tenant, admin, name) for name in ("Ana", "Ben", "Cy")]
    await api_session(client, tenant, admin)
    url = f"/t/{tenant.slug}/api/v1/contacts/bulk"

    assigned = await client.post(url, json={"action": "assign", "ids": ids, "owner_id": seller.id})
    assert assigned.status_code == 200, assigned.text
    assert assigned.json() == {"changed": ids, "skipped": []}
    tagged = await client.post(url, json={"action": "tag", "ids": ids[:2], "tag": " VIP "})
    assert tagged.json()["changed"] == ids[:2]
    again = await client.post(url, json={"action": "tag", "ids": [*ids[:1], 999_999], "tag": "vip"})
    assert again.json()["skipped"] == [
        {"id": ids[0], "reason": "unchanged"},
        {"id": 999_999, "reason": "not_found"},
    ]
    untagged = await client.post(url, json={"action": "untag", "ids": ids[1:], "tag": "vip"})
    assert untagged.json() == {"changed": [ids[1]], "skipped": [{"id": ids[2], "reason": "unchanged"}]}
    async with acting_in(tenant, admin):
        first, second, third = [await get_contact(contact_id) for contact_id in ids]
    assert {first.owner_id, second.owner_id, third.owner_id} == {seller.id}
    assert first.tags == ("vip",) and second.tags == () and third.tags == ()
    assert (first.version, second.version, third.version) == (3, 4, 2)

    deleted = await client.post(url, json={"action": "delete", "ids": ids[2:]})
    assert deleted.json() == {"changed": [ids[2]], "skipped": []}
    async with acting_in(tenant, admin):
        assert await get_contact(ids[2]) is None
    updates = [e for e in await _audit(tenant, "update") if e["object_id"] in ids]
    assert len(updates) == 3 + 2 + 1
    assert [e["object_id"] for e in await _audit(tenant, "delete")] == [ids[2]]

    too_many = await client.post(url, json={"action": "delete", "ids": list(range(1, 502))})
    assert too_many.status_code == 400 and too_many.json()["error"]["code"] == "too_many"
    bad = await client.post(url, json={"action": "explode", "ids": ids[:1]})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_request"
    nobody = await client.post(url, json={"action": "assign", "ids": ids[:1], "owner_id": 999_999})
    assert nobody.status_code == 422 and "owner_id" in nobody.json()["error"]["details"]


async def test_sales_bulk_delete_skips_a_colleagues_contact(client, tenant) -> None:
    seller, colleague = await make_member(tenant, "sales"), await make_member(tenant, "sales")
    mine, theirs = await add_contact(tenant, seller, "Mine"), await add_contact(tenant, colleague, "Theirs")
    await api_session(client, tenant, seller)
    answer = await client.post(
        f"/t/{tenant.slug}/api/v1/contacts/bulk", json={"action": "delete", "ids": [mine, theirs]}
    )
    assert answer.json() == {"changed": [mine], "skipped": [{"id": theirs, "reason": "not_found"}]}
    async with acting_in(tenant, colleague):
        assert await get_contact(theirs) is not None
    refused = await client.post(
        f"/t/{tenant.slug}/api/v1/contacts/bulk",
        json={"action": "assign", "ids": [theirs], "owner_id": colleague.id},
    )
    assert refused.status_code == 422  # "own" scope: a Sales user cannot hand contacts away


async def test_bulk_form_needs_csrf_and_flashes_the_result(client, tenant) -> None:
    admin, other = await make_member(tenant), await make_member(tenant, "sales")
    first, second = await add_contact(tenant, admin, "Ana"), await add_contact(tenant, other, "Ben")
    await sign_in(client, admin)
    listing = f"/t/{tenant.slug}/contacts/"
    action = f"/t/{tenant.slug}/contacts/bulk"
    page = await client.get(listing)
    assert 'form="contact-bulk"' in page.text and "export.csv?" in page.text

    forged = await client.post(action, data={"action": "tag", "ids": [str(first)], "tag": "x"})
    assert forged.status_code == 403
    done = await post_form(
        client, listing, action, {"action": "tag", "ids": [str(first), str(second), "424242"], "tag": "hot"}
    )
    assert done.status_code == 303 and done.headers["location"] == listing
    shown = await client.get(listing)
    assert "Contacts changed: 2." in shown.text and "#424242 (not found)" in shown.text
    async with acting_in(tenant, admin):
        assert (await get_contact(first)).tags == ("hot",) and (await get_contact(second)).tags == ("hot",)


async def test_bulk_delete_from_the_form_asks_first(client, tenant) -> None:
    admin = await make_member(tenant)
    first, second = await add_contact(tenant, admin, "Ana"), await add_contact(tenant, admin, "Ben")
    await sign_in(client, admin)
    listing, action = f"/t/{tenant.slug}/contacts/", f"/t/{tenant.slug}/contacts/bulk"
    asked = await post_form(client, listing, action, {"action": "delete", "ids": [str(first), str(second)]})
    assert asked.status_code == 200 and "Delete the selected contacts?" in asked.text
    assert "Contacts selected: 2" in asked.text
    async with acting_in(tenant, admin):
        assert await get_contact(first) is not None and await get_contact(second) is not None
    confirm = {"action": "delete", "confirm": "yes", "ids": [str(first), str(second)]}
    done = await client.post(action, data={**confirm, "_csrf_token": csrf_token(asked)})
    assert done.status_code == 303
    async with acting_in(tenant, admin):
        assert await get_contact(first) is None and await get_contact(second) is None
