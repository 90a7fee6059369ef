"""A tenant's role sees its own members and invitations in ``public``, and nothing of another tenant."""

import asyncpg
import pytest

from sampark.platform.db.engine import get_engine
from sampark.platform.identity.members import list_members, update_membership
from sampark.platform.identity.tables import Membership, User
from sampark.platform.tenancy.context import tenant_context
from tests.support.web import make_member


async def test_tenant_role_reads_only_its_own_members(make_tenant) -> None:
    a, b = await make_tenant(), await make_tenant()
    mine, theirs = await make_member(a, "admin"), await make_member(b, "admin")
    async with tenant_context(slug=a.slug):
        page = await list_members(a.id)
        assert [m.email for m in page.items] == [mine.email]
        # Even naming the other tenant explicitly finds nothing: the policy filters, not our WHERE.
        assert (await list_members(b.id)).items == []
        emails = await User.select(User.email).output(as_list=True)
        assert emails == [mine.email]
        assert theirs.email not in emails


async def test_tenant_role_cannot_change_another_tenants_membership(make_tenant) -> None:
    a, b = await make_tenant(), await make_tenant()
    theirs = await make_member(b, "admin")
    async with tenant_context(slug=a.slug):
        assert await update_membership(b.id, theirs.id, role="read-only") is None
        await Membership.update({Membership.role: "read-only"}).where(Membership.user == theirs.id)
    async with get_engine().transaction() as transaction:
        role = await transaction.connection.fetchval(
            "SELECT role FROM public.memberships WHERE user_id = $1", theirs.id
        )
    assert role == "admin"


async def test_tenant_role_never_reads_password_hashes(tenant) -> None:
    await make_member(tenant, "admin")
    async with tenant_context(slug=tenant.slug):
        connection = get_engine().current_transaction.get().connection
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await connection.fetch("SELECT password_hash FROM public.users")
