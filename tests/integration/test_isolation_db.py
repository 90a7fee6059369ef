"""Tenant isolation enforced by PostgreSQL itself."""

import asyncpg
import pytest

from sampark.platform.db.engine import get_engine
from sampark.platform.tenancy.context import TenantNotFound, tenant_context
from sampark.tenants.contacts.tables import Contact


async def test_tenant_sees_only_its_own_rows(make_tenant) -> None:
    a, b = await make_tenant(), await make_tenant()
    async with tenant_context(slug=a.slug):
        await Contact.insert(Contact(first_name="Asha"))
    async with tenant_context(slug=b.slug):
        await Contact.insert(Contact(first_name="Bruno"))
        names = await Contact.select(Contact.first_name).output(as_list=True)
    assert names == ["Bruno"]


async def test_reading_another_tenants_schema_is_refused_by_postgres(make_tenant) -> None:
    a, b = await make_tenant(), await make_tenant()
    async with tenant_context(slug=a.slug) as tenant:
        connection = get_engine().current_transaction.get().connection
        assert await connection.fetchval("SELECT current_user") == tenant.db_role
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await connection.fetch(f'SELECT * FROM "{b.schema_name}"."contacts"')


async def test_query_outside_tenant_context_fails(tenant) -> None:
    with pytest.raises(asyncpg.UndefinedTableError):
        await Contact.select()
    async with get_engine().transaction() as transaction:
        assert await transaction.connection.fetchval("SHOW search_path") == "sampark_empty"


async def test_context_is_gone_after_the_transaction(tenant) -> None:
    async with tenant_context(slug=tenant.slug):
        pass
    async with get_engine().transaction() as transaction:
        connection = transaction.connection
        assert await connection.fetchval("SELECT current_user") != tenant.db_role


async def test_audit_log_is_append_only_for_the_tenant_role(tenant) -> None:
    async with tenant_context(slug=tenant.slug):
        connection = get_engine().current_transaction.get().connection
        await connection.execute("INSERT INTO audit_log (action, object_type) VALUES ('create', 'contact')")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await connection.execute("DELETE FROM audit_log")


async def test_unknown_tenant_has_no_context(database) -> None:
    with pytest.raises(TenantNotFound):
        async with tenant_context(slug="no-such-tenant"):
            pass
