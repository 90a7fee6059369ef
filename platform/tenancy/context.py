"""The tenant context: one transaction on one pinned connection, with the tenant's search_path and role."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sampark.platform.db.engine import get_engine
from sampark.platform.db.placements import database_for, has_remote_placements, is_remote, transaction_on


@dataclass(frozen=True)
class TenantRecord:
    """A tenant's registry row, as the request or actor sees it."""

    id: int
    slug: str
    name: str
    region: str
    placement: str
    status: str
    schema_name: str
    db_role: str
    schema_version: int
    # Members must have signed in with a second factor (set by the tenant's admins).
    require_2fa: bool
    # The signed-in member's role key, when the context was entered for a member (requests).
    member_role: str | None = None
    # Members sign in through the tenant's own SSO (platform step v0007; web/deps.py enforces it).
    sso_only: bool = False


class TenantNotFound(LookupError):
    """No active tenant matches. Callers answer 404 and never say whether it exists but is suspended."""


_COLUMNS = (
    "id, slug, name, region, placement, status, schema_name, db_role, schema_version, require_2fa, sso_only"
)
# Resolve the tenant (and the member's access) and enter its context in one round trip: set_config runs only for
# the matching row, so no row means no context.
_ENTER = (
    "SELECT {columns}, set_config('search_path', quote_ident(t.schema_name), true) AS _path,"
    " set_config('role', t.db_role, true) AS _role FROM public.tenants t {join}"
    " WHERE t.{key} = $1 AND t.status = 'active'"
)
_T_COLUMNS = ", ".join(f"t.{name}" for name in _COLUMNS.split(", "))
_MEMBER_JOIN = "JOIN public.memberships m ON m.tenant_id = t.id AND m.user_id = $2 AND m.is_active"
_ENTER_BY_SLUG = _ENTER.format(columns=_T_COLUMNS, join="", key="slug")
_ENTER_BY_ID = _ENTER.format(columns=_T_COLUMNS, join="", key="id")
_ENTER_AS_MEMBER = _ENTER.format(
    columns=f"{_T_COLUMNS}, m.role AS member_role", join=_MEMBER_JOIN, key="slug"
)

# A tenant on a remote placement: read the registry and membership on the home database (no transaction), then
# enter the tenant on its placement's database with the names that read returned.
_LOOKUP = "SELECT {columns} FROM public.tenants t {join} WHERE t.{key} = $1 AND t.status = 'active'"
_LOOKUP_BY_SLUG = _LOOKUP.format(columns=_T_COLUMNS, join="", key="slug")
_LOOKUP_BY_ID = _LOOKUP.format(columns=_T_COLUMNS, join="", key="id")
_LOOKUP_AS_MEMBER = _LOOKUP.format(
    columns=f"{_T_COLUMNS}, m.role AS member_role", join=_MEMBER_JOIN, key="slug"
)
_ENTER_PLACED = (
    "SELECT set_config('search_path', quote_ident($1), true) AS _path, set_config('role', $2, true) AS _role"
)
# Tenants seen on a remote placement (by slug or id), so their next entry skips the home transaction. A wrong
# guess costs a retry, never a wrong answer: the home lookup that follows is authoritative.
_remote_keys: set[str | int] = set()

_current: ContextVar[TenantRecord | None] = ContextVar("sampark_current_tenant", default=None)


def current_tenant() -> TenantRecord:
    """Return the tenant whose context is open.

    Raises:
        RuntimeError: outside a tenant context.
    """
    tenant = _current.get()
    if tenant is None:
        raise RuntimeError("no tenant context is open")
    return tenant


def current_tenant_or_none() -> TenantRecord | None:
    return _current.get()


@asynccontextmanager
async def tenant_context(
    *, slug: str | None = None, tenant_id: int | None = None, member_user_id: int | None = None
) -> AsyncIterator[TenantRecord]:
    """Open a transaction scoped to one active tenant; commit on success, roll back on error.

    Args:
        slug: the tenant's slug (requests), or
        tenant_id: its id (actors).
        member_user_id: with ``slug``, also require an active membership of this user.

    Raises:
        TenantNotFound: no active tenant matches (or the user is not an active member of it).
    """
    if (slug is None) == (tenant_id is None):
        raise ValueError("pass exactly one of slug or tenant_id")
    if member_user_id is not None and slug is None:
        raise ValueError("member_user_id goes with slug")
    key: str | int = slug if slug is not None else tenant_id  # type: ignore[assignment]
    # Look the tenant up apart first when it is known to live elsewhere, or when a transaction is already open
    # (the entry statement would set the tenant's role in it even if the tenant turned out to live elsewhere).
    joining = get_engine().current_transaction.get() is not None
    if has_remote_placements() and (key in _remote_keys or joining):
        row = await _lookup(key, member_user_id)
        if row is None:
            raise TenantNotFound(key)
        if is_remote(row["placement"]):
            _remote_keys.add(key)
            async with _enter_placed(row, member_user_id) as tenant:
                yield tenant
            return
        _remote_keys.discard(key)  # moved home: take the one-statement path
    query, args = _entry(key, member_user_id)
    async with transaction_on(get_engine()) as transaction:
        row = await transaction.connection.fetchrow(query, *args)
        if row is None:
            raise TenantNotFound(key)
        if not is_remote(row["placement"]):
            async with _entered(row, member_user_id) as tenant:
                yield tenant
            return
    # The tenant lives elsewhere: the home transaction only looked it up (its set_config ended with it).
    _remote_keys.add(key)
    async with _enter_placed(row, member_user_id) as tenant:
        yield tenant


def _entry(key: str | int, member_user_id: int | None) -> tuple[str, tuple[object, ...]]:
    if member_user_id is not None:
        return _ENTER_AS_MEMBER, (key, member_user_id)
    return (_ENTER_BY_ID, (key,)) if isinstance(key, int) else (_ENTER_BY_SLUG, (key,))


async def _lookup(key: str | int, member_user_id: int | None) -> Any:
    """The registry row (and membership) on the home database, outside any transaction: one round trip."""
    args: tuple[object, ...]
    if member_user_id is not None:
        query, args = _LOOKUP_AS_MEMBER, (key, member_user_id)
    else:
        query, args = (_LOOKUP_BY_ID, (key,)) if isinstance(key, int) else (_LOOKUP_BY_SLUG, (key,))
    async with get_engine().pool.acquire() as connection:
        return await connection.fetchrow(query, *args)


@asynccontextmanager
async def _enter_placed(row: Any, member_user_id: int | None) -> AsyncIterator[TenantRecord]:
    """Open the tenant's transaction on its placement's database and enter its schema and role there."""
    engine = database_for(row["placement"]).engine
    async with transaction_on(engine) as transaction:
        await transaction.connection.fetchrow(_ENTER_PLACED, row["schema_name"], row["db_role"])
        async with _entered(row, member_user_id) as tenant:
            yield tenant


@asynccontextmanager
async def _entered(row: Any, member_user_id: int | None) -> AsyncIterator[TenantRecord]:
    tenant = TenantRecord(
        **{name: row[name] for name in _COLUMNS.split(", ")},
        member_role=row["member_role"] if member_user_id is not None else None,
    )
    token = _current.set(tenant)
    try:
        yield tenant
    finally:
        _current.reset(token)


def tenant_connection() -> Any:
    """Return the pinned asyncpg connection of the open tenant transaction."""
    current_tenant()
    transaction = get_engine().current_transaction.get()
    if transaction is None:
        raise RuntimeError("no transaction is open")
    return transaction.connection
