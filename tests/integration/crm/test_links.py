"""The record-link registry: what activities, tasks and files may point at, and how they follow deletions."""

from sampark.tenants.companies.services import create_company, delete_company
from sampark.tenants.contacts.services import create_contact, delete_contact
from sampark.tenants.records import links
from tests.support.web import acting_in, make_member


async def test_resolve_link_finds_visible_records_only(tenant, make_tenant) -> None:
    admin = await make_member(tenant)
    seller = await make_member(tenant, role="sales")
    async with acting_in(tenant, admin):
        ann = await create_contact({"first_name": "Ann", "last_name": "Lee"})
        acme = await create_company({"name": "Acme"})
        found = await links.resolve_link("contact", ann.id)
        assert found is not None and found.label == "Ann Lee" and found.path == f"/contacts/{ann.id}"
        assert found.url(tenant.slug) == f"/t/{tenant.slug}/contacts/{ann.id}"
        assert (await links.resolve_link("company", acme.id)).label == "Acme"
        assert await links.resolve_link("contact", 10**9) is None
        assert await links.resolve_link("spaceship", ann.id) is None
        assert await links.resolve_link("contact", -1) is None
    async with acting_in(tenant, seller):
        # Sales see their own contacts only: the admin's contact cannot be linked, companies are visible to all.
        assert await links.resolve_link("contact", ann.id) is None
        assert await links.resolve_link("company", acme.id) is not None
    other = await make_tenant()
    stranger = await make_member(other)
    async with acting_in(other, stranger):
        assert await links.resolve_link("contact", ann.id) is None


async def test_deleting_a_record_runs_every_delete_hook_in_its_transaction(tenant) -> None:
    admin = await make_member(tenant)
    seen: list[tuple[str, int]] = []

    async def forget(record_type: str, record_id: int) -> None:
        seen.append((record_type, record_id))

    async def move(record_type: str, from_id: int, into_id: int) -> None:
        seen.append((record_type, from_id * 1000 + into_id))

    links.register_link_hooks("test-feature", on_delete=forget, on_merge=move)
    try:
        async with acting_in(tenant, admin):
            ann = await create_contact({"first_name": "Ann"})
            acme = await create_company({"name": "Acme"})
            await delete_contact(ann.id, expected_version=None)
            await delete_company(acme.id, expected_version=None)
            await links.record_merged("contact", 2, 3)
        assert seen == [("contact", ann.id), ("company", acme.id), ("contact", 2003)]
    finally:
        links._DELETE_HOOKS.pop("test-feature")
        links._MERGE_HOOKS.pop("test-feature")
