"""The sign-in audit trail: logins, failures, second-factor and password events, API key changes.

Events live in ``public.auth_events`` because most happen before any tenant is chosen. A tenant's admins see
the events of their own members that are platform-wide (no tenant) or about their tenant; never another
tenant's. No event ever carries a secret: no password, token, key or TOTP secret, not even a prefix of one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import asyncpg
from piccolo.columns import BigInt, BigSerial, Timestamptz, Varchar
from piccolo.table import Table

from sampark.platform.db.engine import get_engine
from sampark.platform.i18n import lazy_gettext

MAX_USER_AGENT = 300
MAX_IP = 64


class AuthEvent(Table, schema="public", tablename="auth_events"):
    """One authentication event. ``user_id`` is empty for a failed login with an unknown address."""

    id = BigSerial(primary_key=True)
    user_id = BigInt(null=True, default=None, index=True)
    tenant_id = BigInt(null=True, default=None, index=True)
    event = Varchar(length=32)
    ip = Varchar(length=MAX_IP, default="")
    user_agent = Varchar(length=MAX_USER_AGENT, default="")
    created_at = Timestamptz()


# The event names, and how a person reads them.
EVENTS: Final = {
    "login": lazy_gettext("Signed in"),
    "login_failed": lazy_gettext("Sign-in failed"),
    "login_2fa_failed": lazy_gettext("Two-factor code refused"),
    "login_recovery_code": lazy_gettext("Signed in with a recovery code"),
    "password_reset_requested": lazy_gettext("Password reset requested"),
    "password_reset": lazy_gettext("Password reset"),
    "2fa_enabled": lazy_gettext("Two-factor authentication turned on"),
    "2fa_disabled": lazy_gettext("Two-factor authentication turned off"),
    "recovery_codes_renewed": lazy_gettext("New recovery codes made"),
    "session_revoked": lazy_gettext("A session was signed out"),
    "sessions_revoked": lazy_gettext("Other sessions were signed out"),
    "api_key_created": lazy_gettext("API key created"),
    "api_key_revoked": lazy_gettext("API key revoked"),
    "tenant_2fa_required": lazy_gettext("Two-factor authentication made mandatory"),
    "tenant_2fa_optional": lazy_gettext("Two-factor authentication made optional"),
    "login_sso": lazy_gettext("Signed in with single sign-on"),
    "login_sso_failed": lazy_gettext("Single sign-on failed"),
    "login_sso_required": lazy_gettext("Password sign-in refused: single sign-on required"),
    "sso_configured": lazy_gettext("Single sign-on settings changed"),
    "sso_removed": lazy_gettext("Single sign-on turned off"),
    "service_account_changed": lazy_gettext("Service account changed"),
}


@asynccontextmanager
async def app_connection() -> AsyncIterator[asyncpg.Connection]:
    """A pool connection of the app role, apart from any transaction the caller has open.

    Platform rows written during a tenant request (an event, the tenant's 2FA policy) cannot go through the
    tenant's pinned connection: its role may not write the platform schema.
    """
    pool = get_engine().pool
    assert pool is not None, "the engine's pool is not started"
    async with pool.acquire() as connection:
        yield connection


@dataclass(frozen=True)
class Client:
    """Where a request came from, as recorded with events and sessions."""

    ip: str = ""
    user_agent: str = ""


@dataclass(frozen=True)
class AuthEventRecord:
    id: int
    user_id: int | None
    tenant_id: int | None
    event: str
    ip: str
    user_agent: str
    created_at: datetime
    user_email: str = ""

    @property
    def label(self) -> str:
        return str(EVENTS.get(self.event, self.event))


async def record_auth_event(
    event: str, *, user_id: int | None = None, tenant_id: int | None = None, client: Client | None = None
) -> None:
    """Append one event, on a connection of its own: it is recorded even when the request then fails, and
    even from inside a tenant transaction.

    Raises:
        ValueError: ``event`` is not one of ``EVENTS`` (a typo must not become a silent new kind of event).
    """
    if event not in EVENTS:
        raise ValueError(f"unknown auth event {event!r}")
    client = client or Client()
    async with app_connection() as connection:
        await connection.execute(
            _INSERT,
            user_id,
            tenant_id,
            event,
            client.ip[:MAX_IP],
            client.user_agent[:MAX_USER_AGENT],
            datetime.now(UTC),
        )


_INSERT = """
INSERT INTO public.auth_events (user_id, tenant_id, event, ip, user_agent, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
"""
_TENANT_EVENTS = """
SELECT e.id, e.user_id, e.tenant_id, e.event, e.ip, e.user_agent, e.created_at, u.email AS user_email
FROM public.auth_events e
JOIN public.memberships m ON m.user_id = e.user_id AND m.tenant_id = $1
JOIN public.users u ON u.id = e.user_id
WHERE (e.tenant_id IS NULL OR e.tenant_id = $1) AND ($2::bigint IS NULL OR e.id < $2)
ORDER BY e.id DESC LIMIT $3
"""


async def events_for_tenant(
    tenant_id: int, *, limit: int = 50, before: int | None = None
) -> list[AuthEventRecord]:
    """The newest events of ``tenant_id``'s members: platform-wide ones and those about this tenant."""
    async with app_connection() as connection:
        rows = await connection.fetch(_TENANT_EVENTS, tenant_id, before, limit)
    return [AuthEventRecord(**dict(row)) for row in rows]


async def events_for_user(user_id: int, *, limit: int = 20) -> list[AuthEventRecord]:
    """The user's own newest events (their account page shows them)."""
    rows: list[dict[str, Any]] = (
        await AuthEvent.select()
        .where(AuthEvent.user_id == user_id)
        .order_by(AuthEvent.id, ascending=False)
        .limit(limit)
    )
    return [AuthEventRecord(**row) for row in rows]
