"""Who a validated id_token signs in: find the user by verified e-mail, or create them just in time.

Rules (docs/authentication.md, "Single sign-on"):
- ``email_verified`` must be true, and the address must be in the tenant's allowed domains when it has any.
- A user who is already an active member signs in. A deactivated user or membership is refused: the
  provider cannot undo a tenant admin's decision.
- An existing account that is not a member yet is linked (membership with the default role) only when the
  tenant restricts domains and the address is in one of them. Otherwise any tenant's provider could claim
  any existing account on the platform just by asserting its address.
- A new address gets an account without a password and a membership with the default role, in one
  transaction.
- Password sign-in is refused for a person whose every workspace is SSO-only, unless they are an admin of
  one of them with 2FA on (break-glass).
"""

from __future__ import annotations

from typing import Any

from sampark.platform.db.engine import get_engine
from sampark.platform.identity.login_audit import app_connection
from sampark.platform.identity.sso_config import SsoSettings
from sampark.platform.identity.tables import Membership
from sampark.platform.identity.users import (
    EmailTaken,
    IdentityError,
    UserRecord,
    add_membership,
    create_user,
    get_user_by_email,
    normalize_email,
    validate_email,
)

BREAK_GLASS_ROLE = "admin"


class SsoRefused(Exception):
    """The provider vouched for someone we will not sign in. ``code`` is stable; pages translate it."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def verified_email(claims: dict[str, Any]) -> str:
    """The address in the claims (the id_token's, or userinfo's) when the provider says it is verified.

    Raises:
        SsoRefused: ``email_unverified`` (missing, unverified or malformed address).
    """
    email = claims.get("email")
    verified = claims.get("email_verified")
    if not isinstance(email, str) or not (verified is True or verified == "true"):
        raise SsoRefused("email_unverified")
    email = normalize_email(email)
    if validate_email(email) is not None:
        raise SsoRefused("email_unverified")
    return email


def _display_name(claims: dict[str, Any], email: str) -> str:
    name = claims.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()[:200]
    parts = [claims.get("given_name"), claims.get("family_name")]
    joined = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return joined[:200] or email.partition("@")[0]


async def _membership_state(user_id: int, tenant_id: int) -> bool | None:
    """True: an active member; False: a deactivated one; None: never a member."""
    row = (
        await Membership.select(Membership.is_active)
        .where((Membership.user == user_id) & (Membership.tenant == tenant_id))
        .first()
    )
    return None if row is None else bool(row["is_active"])


async def sso_user(settings: SsoSettings, claims: dict[str, Any]) -> tuple[UserRecord, bool]:
    """The user the claims sign in to ``settings``' tenant, and whether they were just created.

    Raises:
        SsoRefused: ``email_unverified``, ``domain_not_allowed``, ``account_inactive`` or ``link_refused``.
    """
    email = verified_email(claims)
    if not settings.domain_allowed(email):
        raise SsoRefused("domain_not_allowed")
    for _attempt in range(2):  # a racing first sign-in may create the account between our look and insert
        user = await get_user_by_email(email)
        if user is not None:
            return await _existing(settings, user), False
        try:
            async with get_engine().transaction():
                user = await create_user(email, _display_name(claims, email), None)
                await add_membership(user.id, settings.tenant_id, settings.default_role)
            return user, True
        except EmailTaken:
            continue
        except IdentityError:
            raise SsoRefused("email_unverified") from None
    raise SsoRefused("account_inactive")


async def _existing(settings: SsoSettings, user: UserRecord) -> UserRecord:
    if not user.is_active:
        raise SsoRefused("account_inactive")
    state = await _membership_state(user.id, settings.tenant_id)
    if state is False:
        raise SsoRefused("account_inactive")
    if state is None:
        if not settings.allowed_domains:
            raise SsoRefused("link_refused")
        await add_membership(user.id, settings.tenant_id, settings.default_role)
    return user


_LOCAL_SIGNIN_QUERY = """
SELECT NOT EXISTS (
           SELECT 1 FROM public.memberships m JOIN public.tenants t ON t.id = m.tenant_id
           WHERE m.user_id = $1 AND m.is_active AND t.status = 'active')
       OR EXISTS (
           SELECT 1 FROM public.memberships m JOIN public.tenants t ON t.id = m.tenant_id
           JOIN public.users u ON u.id = m.user_id
           WHERE m.user_id = $1 AND m.is_active AND t.status = 'active'
             AND (NOT t.sso_only OR (m.role = $2 AND u.totp_enabled_at IS NOT NULL)))
"""


async def password_login_allowed(user_id: int) -> bool:
    """False when every workspace of the user is SSO-only and none offers them the break-glass path."""
    async with app_connection() as connection:
        return bool(await connection.fetchval(_LOCAL_SIGNIN_QUERY, user_id, BREAK_GLASS_ROLE))


async def sso_only_workspaces(user_id: int) -> list[tuple[str, str]]:
    """(slug, name) of the user's SSO-only workspaces, to point them at the right sign-in page."""
    async with app_connection() as connection:
        rows = await connection.fetch(
            """SELECT t.slug, t.name FROM public.memberships m JOIN public.tenants t ON t.id = m.tenant_id
               WHERE m.user_id = $1 AND m.is_active AND t.status = 'active' AND t.sso_only ORDER BY t.name""",
            user_id,
        )
    return [(row["slug"], row["name"]) for row in rows]
