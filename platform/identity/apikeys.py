"""Personal API keys: issued by a user for one tenant, with a scope no wider than their role there.

A key is ``sk_`` and 43 random URL-safe characters (256 bits). It is shown once; only its SHA-256 is stored
(a fast digest is enough for a secret that long: there is nothing to guess). A key acts for its user, so it
stops working the moment the user leaves the tenant, is deactivated, or the key is revoked; its permissions
are the intersection of the key's scopes and the user's current role (computed in the web layer, which owns
the permission model). Keys of service accounts (not tied to a person) share this table, with
``service_account_id`` set and no user: see service_accounts.py.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.columns import JSONB, BigSerial, ForeignKey, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from sampark.platform.db.jsonb import jsonb_value
from sampark.platform.i18n import gettext as _
from sampark.platform.identity.login_audit import app_connection
from sampark.platform.identity.service_accounts import ServiceAccount
from sampark.platform.identity.tables import User
from sampark.platform.tenancy.tables import Tenant

KEY_PREFIX = "sk_"
MAX_NAME_LENGTH = 100
MAX_KEYS_PER_USER = 50
_SHOWN_PREFIX = 8  # characters after "sk_" kept to tell keys apart in lists (a 5% slice of the secret)
_MAX_KEY_LENGTH = 100

Permissions = dict[str, dict[str, str]]


class ApiKey(Table, schema="public", tablename="api_keys"):
    """One API key. ``scopes`` has the shape of a role's permissions (object -> action -> scope)."""

    id = BigSerial(primary_key=True)
    user = ForeignKey(User, on_delete=OnDelete.cascade, db_column_name="user_id", index=True)
    tenant = ForeignKey(Tenant, on_delete=OnDelete.cascade, db_column_name="tenant_id", index=True)
    name = Varchar(length=MAX_NAME_LENGTH)
    prefix = Varchar(length=16)
    key_hash = Varchar(length=64, unique=True)
    scopes = JSONB(default="{}")
    created_at = Timestamptz()
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    # Set (and ``user`` empty) for a service account's key (platform step v0007).
    service_account = ForeignKey(
        ServiceAccount, on_delete=OnDelete.cascade, db_column_name="service_account_id", index=True
    )


class ApiKeyError(ValueError):
    """The key cannot be created as asked; ``errors`` maps a form field to a translated message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


@dataclass(frozen=True)
class ApiKeyRecord:
    """A key as lists show it: never the key, only the first characters."""

    id: int
    name: str
    prefix: str
    tenant_id: int
    tenant_slug: str
    tenant_name: str
    scopes: Permissions
    created_at: datetime
    last_used_at: datetime | None

    @property
    def scope_pairs(self) -> list[tuple[str, str]]:
        return sorted((obj, action) for obj, actions in self.scopes.items() for action in actions)


@dataclass(frozen=True)
class KeyAuth:
    """A presented key that is live: its user (still an active member), tenant, scopes and policy."""

    key_id: int
    user_id: int
    tenant_id: int
    scopes: Permissions
    # True when this use was recorded (the first use in a minute): the caller audits it in the tenant.
    touched: bool
    tenant_requires_2fa: bool
    user_has_2fa: bool


def generate_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(key: str) -> str:
    """The first characters of a key, kept to tell keys apart in lists."""
    return key[: len(KEY_PREFIX) + _SHOWN_PREFIX]


def plausible_key(key: str) -> bool:
    return key.startswith(KEY_PREFIX) and len(key) <= _MAX_KEY_LENGTH


def requested_scopes(pairs: list[str]) -> Permissions:
    """``["contacts:view", ...]`` from a form into a permissions dict granting each pair "all".

    The role's own scope still applies when the key is used (the intersection), so "all" here means "as far
    as the role reaches".
    """
    scopes: Permissions = {}
    for pair in pairs:
        obj, _sep, action = pair.partition(":")
        if obj and action:
            scopes.setdefault(obj, {})[action] = "all"
    return scopes


def validate(name: str, scopes: Permissions, allowed: Permissions) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the key a name, so you know later what uses it.")
    elif len(name) > MAX_NAME_LENGTH:
        errors["name"] = _("Use at most %(count)s characters.", count=MAX_NAME_LENGTH)
    if not scopes:
        errors["scopes"] = _("Choose at least one permission.")
    elif any(
        allowed.get(obj, {}).get(action, "none") == "none"
        for obj, actions in scopes.items()
        for action in actions
    ):
        errors["scopes"] = _("A key cannot have a permission your role does not give you.")
    return errors


async def create_key(
    user_id: int, tenant_id: int, name: str, scopes: Permissions, allowed: Permissions
) -> tuple[ApiKeyRecord, str]:
    """Issue a key for ``user_id`` in ``tenant_id``; return it and the key itself (show once, then forget).

    Args:
        scopes: what the key may do (see ``requested_scopes``).
        allowed: the user's role permissions in that tenant; every scope must be inside them.

    Raises:
        ApiKeyError: no name, no scope, a scope beyond the role, or too many keys.
    """
    name = name.strip()
    errors = validate(name, scopes, allowed)
    if (
        not errors
        and await ApiKey.count().where((ApiKey.user == user_id) & ApiKey.revoked_at.is_null())
        >= MAX_KEYS_PER_USER
    ):
        errors["name"] = _("You have too many keys. Revoke one you no longer use first.")
    if errors:
        raise ApiKeyError(errors)
    key = generate_key()
    rows = await ApiKey.insert(
        ApiKey(
            user=user_id,
            tenant=tenant_id,
            name=name,
            prefix=key_prefix(key),
            key_hash=key_digest(key),
            scopes=scopes,
            created_at=datetime.now(UTC),
        )
    ).returning(ApiKey.id)
    record = await get_key(user_id, rows[0]["id"])
    assert record is not None
    return record, key


def _list_query() -> Any:
    return ApiKey.select(
        ApiKey.id,
        ApiKey.name,
        ApiKey.prefix,
        ApiKey.tenant.id.as_alias("tenant_id"),
        ApiKey.tenant.slug.as_alias("tenant_slug"),
        ApiKey.tenant.name.as_alias("tenant_name"),
        ApiKey.scopes,
        ApiKey.created_at,
        ApiKey.last_used_at,
    ).order_by(ApiKey.id, ascending=False)


def _record(row: dict[str, Any]) -> ApiKeyRecord:
    return ApiKeyRecord(**{**row, "scopes": jsonb_value(row["scopes"]) or {}})


async def list_keys(user_id: int) -> list[ApiKeyRecord]:
    """The user's live (unrevoked) keys, newest first."""
    rows = await _list_query().where((ApiKey.user == user_id) & ApiKey.revoked_at.is_null())
    return [_record(row) for row in rows]


async def get_key(user_id: int, key_id: int) -> ApiKeyRecord | None:
    row = (
        await _list_query()
        .where((ApiKey.user == user_id) & (ApiKey.id == key_id) & ApiKey.revoked_at.is_null())
        .first()
    )
    return _record(row) if row else None


async def revoke_key(user_id: int, key_id: int) -> ApiKeyRecord | None:
    """Revoke one of the user's keys; it is refused from the next request on. None when not theirs or gone."""
    record = await get_key(user_id, key_id)
    if record is None:
        return None
    await ApiKey.update({ApiKey.revoked_at: datetime.now(UTC)}).where(
        (ApiKey.id == key_id) & (ApiKey.user == user_id)
    )
    return record


# The key, its live membership in the named tenant and its user, and the last-use stamp, in one round trip.
# The stamp moves at most once a minute; the re-check on the row (not the snapshot) makes two concurrent
# requests record one use, not two.
_AUTHENTICATE = """
WITH live AS (
    SELECT k.id, k.user_id, k.tenant_id, k.scopes, t.require_2fa, u.totp_enabled_at IS NOT NULL AS has_2fa
    FROM public.api_keys k
    JOIN public.tenants t ON t.id = k.tenant_id AND t.slug = $2 AND t.status = 'active'
    JOIN public.memberships m ON m.tenant_id = k.tenant_id AND m.user_id = k.user_id AND m.is_active
    JOIN public.users u ON u.id = k.user_id AND u.is_active
    WHERE k.key_hash = $1 AND k.revoked_at IS NULL
), touched AS (
    UPDATE public.api_keys SET last_used_at = now() FROM live
    WHERE api_keys.id = live.id
      AND (api_keys.last_used_at IS NULL OR api_keys.last_used_at < now() - interval '1 minute')
    RETURNING api_keys.id
)
SELECT live.*, EXISTS (SELECT 1 FROM touched) AS touched FROM live
"""


async def authenticate_key(key: str, tenant_slug: str) -> KeyAuth | None:
    """The live key ``key`` for ``tenant_slug``; None for unknown, revoked, other-tenant or orphaned keys."""
    if not plausible_key(key):
        return None
    async with app_connection() as connection:
        row = await connection.fetchrow(_AUTHENTICATE, key_digest(key), tenant_slug)
    if row is None:
        return None
    return KeyAuth(
        key_id=row["id"],
        user_id=row["user_id"],
        tenant_id=row["tenant_id"],
        scopes=jsonb_value(row["scopes"]) or {},
        touched=row["touched"],
        tenant_requires_2fa=row["require_2fa"],
        user_has_2fa=row["has_2fa"],
    )
