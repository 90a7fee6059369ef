"""A Sales user with "own" scope never sees a colleague's contact: list, count, page, API."""

import pytest

from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.access.tables import Role, Team, TeamMember
from tests.support.web import add_contact, make_member, post_form, sign_in


async def test_sales_sees_only_own_contacts_everywhere(client, tenant) -> None:
    admin = await make_member(tenant, "admin")
    seller, other = await make_member(tenant, "sales"), await make_member(tenant, "sales")
    mine = await add_contact(tenant, seller, "Mine")
    theirs = await add_contact(tenant, other, "Theirs")
    await add_contact(tenant, admin, "Admins")

    await sign_in(client, seller)
    listing = (await client.get(f"/t/{tenant.slug}/api/v1/contacts/")).json()
    assert [item["first_name"] for item in listing["items"]] == ["Mine"]
    assert (await client.get(f"/t/{tenant.slug}/api/v1/contacts/{mine}")).status_code == 200
    assert (await client.get(f"/t/{tenant.slug}/api/v1/contacts/{theirs}")).status_code == 404
    assert (await client.get(f"/t/{tenant.slug}/contacts/{theirs}")).status_code == 404
    home = await client.get(f"/t/{tenant.slug}/")
    assert "Theirs" not in home.text and "Admins" not in home.text
    await post_form(client, f"/t/{tenant.slug}/", "/logout", {})

    await sign_in(client, admin)
    names = {
        item["first_name"]
        for item in (await client.get(f"/t/{tenant.slug}/api/v1/contacts/")).json()["items"]
    }
    assert names == {"Mine", "Theirs", "Admins"}


async def test_team_scope_reaches_team_mates_only(client, tenant) -> None:
    manager, mate, outsider = [await make_member(tenant, "team-lead") for _ in range(3)]
    async with tenant_context(slug=tenant.slug):
        await Role.insert(
            Role(
                key="team-lead", name="Team lead", permissions={"contacts": {"view": "team", "create": "own"}}
            )
        )
        team = (await Team.insert(Team(name="West")).returning(Team.id))[0]["id"]
        await TeamMember.insert(
            TeamMember(team=team, user_id=manager.id), TeamMember(team=team, user_id=mate.id)
        )
    await add_contact(tenant, mate, "Mate's")
    await add_contact(tenant, outsider, "Outsider's")
    await sign_in(client, manager)
    names = [
        item["first_name"]
        for item in (await client.get(f"/t/{tenant.slug}/api/v1/contacts/")).json()["items"]
    ]
    assert names == ["Mate's"]


async def test_read_only_cannot_create(tenant) -> None:
    reader = await make_member(tenant, "read-only")
    with pytest.raises(PermissionDenied):
        await add_contact(tenant, reader, "Nope")


async def test_a_teams_manager_shares_it_with_its_members(client, tenant) -> None:
    """The manager need not be listed as a member: they reach the members' records, and the members theirs."""
    async with tenant_context(slug=tenant.slug):
        await Role.insert(
            Role(
                key="team-view", name="Team view", permissions={"contacts": {"view": "team", "create": "own"}}
            )
        )
    manager, member, outsider = [await make_member(tenant, "team-view") for _ in range(3)]
    async with tenant_context(slug=tenant.slug):
        team = (await Team.insert(Team(name="East", manager_user_id=manager.id)).returning(Team.id))[0]["id"]
        await TeamMember.insert(TeamMember(team=team, user_id=member.id))
    await add_contact(tenant, member, "Member's")
    await add_contact(tenant, manager, "Manager's")
    await add_contact(tenant, outsider, "Outsider's")

    async def names(who) -> set[str]:
        client.cookies.clear()
        await sign_in(client, who)
        listed = (await client.get(f"/t/{tenant.slug}/api/v1/contacts/")).json()["items"]
        return {item["first_name"] for item in listed}

    assert await names(manager) == {"Member's", "Manager's"}
    assert await names(member) == {"Member's", "Manager's"}
    assert await names(outsider) == {"Outsider's"}
