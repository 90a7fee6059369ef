"""Service accounts: non-person principals of one tenant, with a role, and API keys issued to them.

A service account belongs to exactly one tenant and holds a role of that tenant (like a membership). Its keys
live in ``api_keys`` with ``service_account_id`` set and no user; they are shown once, stored as SHA-256, have
their last use stamped, and can be revoked one by one or all at once by disabling the account. A key's
permissions are the intersection of its scopes and the account's current role (web/account/tenant_access.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from piccolo.columns import BigInt, BigSerial, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from sampark.platform.db.jsonb import jsonb_value
from sampark.platform.i18n import gettext as _
from sampark.platform.identity.login_audit import app_connection
from sampark.platform.tenancy.tables import Tenant

MAX_NAME_LENGTH: Final = 100
MAX_ACCOUNTS_PER_TENANT: Final = 200
MAX_KEYS_PER_ACCOUNT: Final = 20

Permissions = dict[str, dict[str, str]]


class ServiceAccount(Table, schema="public", tablename="service_accounts"):
    """A non-person principal of one tenant (platform step v0007)."""

    id = BigSerial(primary_key=True)
    tenant = ForeignKey(Tenant, on_delete=OnDelete.cascade, db_column_name="tenant_id", index=True)
    name = Varchar(length=MAX_NAME_LENGTH)
    role = Varchar(length=32)
    created_by = BigInt(null=True, default=None)
    created_at = Timestamptz()
    disabled_at = Timestamptz(null=True, default=None)


class ServiceAccountError(ValueError):
    """``errors`` maps a form field to a translated message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


@dataclass(frozen=True)
class ServiceAccountRecord:
    id: int
    name: str
    role: str
    created_at: datetime
    live_keys: int


@dataclass(frozen=True)
class ServiceKeyRecord:
    id: int
    name: str
    prefix: str
    scopes: Permissions
    created_at: datetime
    last_used_at: datetime | None

    @property
    def scope_pairs(self) -> list[tuple[str, str]]:
        return sorted((obj, action) for obj, actions in self.scopes.items() for action in actions)


@dataclass(frozen=True)
class ServiceKeyAuth:
    """A live service-account key for the named tenant."""

    key_id: int
    service_account_id: int
    service_account_name: str
    role: str
    tenant_id: int
    scopes: Permissions
    touched: bool


_ACCOUNTS = """
SELECT a.id, a.name, a.role, a.created_at,
       (SELECT count(*) FROM public.api_keys k WHERE k.service_account_id = a.id AND k.revoked_at IS NULL)
           AS live_keys
FROM public.service_accounts a
WHERE a.tenant_id = $1 AND a.disabled_at IS NULL AND ($2::bigint IS NULL OR a.id = $2)
ORDER BY lower(a.name), a.id
"""


async def list_accounts(tenant_id: int) -> list[ServiceAccountRecord]:
    async with app_connection() as connection:
        rows = await connection.fetch(_ACCOUNTS, tenant_id, None)
    return [ServiceAccountRecord(**dict(row)) for row in rows]


async def get_account(tenant_id: int, account_id: int) -> ServiceAccountRecord | None:
    """The tenant's live account ``account_id``; None for another tenant's or a disabled one."""
    async with app_connection() as connection:
        row = await connection.fetchrow(_ACCOUNTS, tenant_id, account_id)
    return ServiceAccountRecord(**dict(row)) if row else None


async def create_account(
    tenant_id: int, name: str, role: str, *, role_keys: list[str], created_by: int | None
) -> ServiceAccountRecord:
    """Add a service account with one of the tenant's roles.

    Raises:
        ServiceAccountError: no name, too long, unknown role, or too many accounts.
    """
    name = name.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the service account a name.")
    elif len(name) > MAX_NAME_LENGTH:
        errors["name"] = _("Use at most %(count)s characters.", count=MAX_NAME_LENGTH)
    if role not in role_keys:
        errors["role"] = _("Choose a role.")
    if not errors and len(await list_accounts(tenant_id)) >= MAX_ACCOUNTS_PER_TENANT:
        errors["name"] = _("This workspace has too many service accounts.")
    if errors:
        raise ServiceAccountError(errors)
    async with app_connection() as connection:
        account_id = await connection.fetchval(
            """INSERT INTO public.service_accounts (tenant_id, name, role, created_by, created_at)
               VALUES ($1, $2, $3, $4, $5) RETURNING id""",
            tenant_id,
            name,
            role,
            created_by,
            datetime.now(UTC),
        )
    record = await get_account(tenant_id, account_id)
    assert record is not None
    return record


async def disable_account(tenant_id: int, account_id: int) -> ServiceAccountRecord | None:
    """Disable the account and revoke every key of it at once; None when not this tenant's."""
    record = await get_account(tenant_id, account_id)
    if record is None:
        return None
    now = datetime.now(UTC)
    async with app_connection() as connection, connection.transaction():
        await connection.execute(
            "UPDATE public.service_accounts SET disabled_at = $3 WHERE id = $1 AND tenant_id = $2",
            account_id,
            tenant_id,
            now,
        )
        await connection.execute(
            "UPDATE public.api_keys SET revoked_at = $2 WHERE service_account_id = $1 AND revoked_at IS NULL",
            account_id,
            now,
        )
    return record


_KEYS = """
SELECT k.id, k.name, k.prefix, k.scopes, k.created_at, k.last_used_at FROM public.api_keys k
JOIN public.service_accounts a ON a.id = k.service_account_id AND a.tenant_id = $1
WHERE k.service_account_id = $2 AND k.revoked_at IS NULL AND ($3::bigint IS NULL OR k.id = $3)
ORDER BY k.id DESC
"""


def _key(row: Any) -> ServiceKeyRecord:
    return ServiceKeyRecord(**{**dict(row), "scopes": jsonb_value(row["scopes"]) or {}})


async def list_keys(tenant_id: int, account_id: int) -> list[ServiceKeyRecord]:
    async with app_connection() as connection:
        rows = await connection.fetch(_KEYS, tenant_id, account_id, None)
    return [_key(row) for row in rows]


async def issue_key(
    tenant_id: int, account_id: int, name: str, scopes: Permissions, allowed: Permissions
) -> tuple[ServiceKeyRecord, str]:
    """Issue a key to the account; return it and the key itself (shown once, then forgotten).

    Args:
        allowed: the account's role permissions; every scope must be inside them.

    Raises:
        ApiKeyError: no name, no scope, a scope beyond the role, or too many keys.
    """
    from sampark.platform.identity.apikeys import ApiKeyError, generate_key, key_digest, key_prefix, validate

    name = name.strip()
    errors = validate(name, scopes, allowed)
    if not errors and len(await list_keys(tenant_id, account_id)) >= MAX_KEYS_PER_ACCOUNT:
        errors["name"] = _("This service account has too many keys. Revoke one first.")
    if errors:
        raise ApiKeyError(errors)
    key = generate_key()
    async with app_connection() as connection:
        key_id = await connection.fetchval(
            """INSERT INTO public.api_keys (service_account_id, tenant_id, name, prefix, key_hash, scopes, created_at)
               SELECT a.id, a.tenant_id, $3, $4, $5, $6::jsonb, $7 FROM public.service_accounts a
               WHERE a.id = $1 AND a.tenant_id = $2 AND a.disabled_at IS NULL RETURNING id""",
            account_id,
            tenant_id,
            name,
            key_prefix(key),
            key_digest(key),
            json.dumps(scopes),
            datetime.now(UTC),
        )
        row = await connection.fetchrow(_KEYS, tenant_id, account_id, key_id) if key_id else None
    if row is None:
        raise ApiKeyError({"name": _("This service account no longer exists.")})
    return _key(row), key


async def revoke_key(tenant_id: int, account_id: int, key_id: int) -> ServiceKeyRecord | None:
    """Revoke one key of the account; refused from the next request on. None when not this tenant's."""
    async with app_connection() as connection:
        row = await connection.fetchrow(_KEYS, tenant_id, account_id, key_id)
        if row is None:
            return None
        await connection.execute(
            "UPDATE public.api_keys SET revoked_at = now() WHERE id = $1 AND service_account_id = $2",
            key_id,
            account_id,
        )
    return _key(row)


# Like the personal-key check (apikeys.py): the key, its live account in the named active tenant, and the
# last-use stamp at most once a minute, in one round trip.
_AUTHENTICATE = """
WITH live AS (
    SELECT k.id, k.service_account_id, a.name, a.role, k.tenant_id, k.scopes
    FROM public.api_keys k
    JOIN public.service_accounts a ON a.id = k.service_account_id AND a.disabled_at IS NULL
    JOIN public.tenants t ON t.id = k.tenant_id AND t.id = a.tenant_id AND t.slug = $2 AND t.status = 'active'
    WHERE k.key_hash = $1 AND k.revoked_at IS NULL
), touched AS (
    UPDATE public.api_keys SET last_used_at = now() FROM live
    WHERE api_keys.id = live.id
      AND (api_keys.last_used_at IS NULL OR api_keys.last_used_at < now() - interval '1 minute')
    RETURNING api_keys.id
)
SELECT live.*, EXISTS (SELECT 1 FROM touched) AS touched FROM live
"""


async def authenticate_service_key(digest: str, tenant_slug: str) -> ServiceKeyAuth | None:
    """The live service-account key with SHA-256 ``digest`` for ``tenant_slug``, or None."""
    async with app_connection() as connection:
        row = await connection.fetchrow(_AUTHENTICATE, digest, tenant_slug)
    if row is None:
        return None
    return ServiceKeyAuth(
        key_id=row["id"],
        service_account_id=row["service_account_id"],
        service_account_name=row["name"],
        role=row["role"],
        tenant_id=row["tenant_id"],
        scopes=jsonb_value(row["scopes"]) or {},
        touched=row["touched"],
    )
