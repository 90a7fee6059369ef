"""Request dependencies: the signed-in user and the tenant context for ``/t/<slug>/...``."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import asyncpg
import structlog
from litestar import Request
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from sampark.platform.tenancy.context import TenantNotFound, TenantRecord, tenant_context
from sampark.platform.tenancy.provisioning import get_tenant
from sampark.platform.tenancy.tables import TenantStatus
from sampark.tenants.access.policy import acting_as, load_principal
from sampark.web.account.signin import session_has_mfa, session_sso_tenant, touch_session
from sampark.web.account.sso_access import check_sso
from sampark.web.account.tenant_access import (
    TwoFactorRequired,
    api_key_tenant,
    bearer_token,
)
from sampark.web.errors import LoginRequired
from sampark.web.locale.resolve import apply_member_preferences, user_preferences
from sampark.web.sessions import SessionUser

# Handlers under /t/<slug> take ``tenant: CurrentTenant``; asking for it is what opens the tenant context.
CurrentTenant = NamedDependency[TenantRecord]


def require_user(request: Request[Any, Any, Any]) -> SessionUser:
    user: SessionUser | None = request.state.get("user")
    if user is None:
        raise LoginRequired()
    return user


async def provide_tenant(
    slug: FromPath[str], request: Request[Any, Any, Any]
) -> AsyncGenerator[TenantRecord, None]:
    """Resolve ``slug``, check membership, and run the handler inside the tenant's transaction.

    Unknown, suspended and not-a-member all answer 404, so a tenant's existence is never revealed.
    A ``Bearer`` API key on ``/t/<slug>/api/...`` authenticates instead of the session (web/account).
    """
    if (token := bearer_token(request.scope)) is not None:
        try:
            async with api_key_tenant(slug, token, request) as keyed:
                yield keyed
        except asyncpg.PostgresError:
            await note_if_tenant_gone(request, slug)
            raise
        return
    user: SessionUser | None = request.state.get("user")
    if user is None:
        known = await get_tenant(slug)
        if known is None or known.status != TenantStatus.ACTIVE:
            raise NotFoundException()
        raise LoginRequired()
    touch_session(request)
    own_preferences = await user_preferences(request)  # public.users: read before the tenant role is set
    try:
        # One statement checks the membership, resolves the tenant and enters its context.
        async with tenant_context(slug=slug, member_user_id=user.id) as tenant:
            # The policy comes with the entry statement; acted on only now, so a non-member gets the 404 below.
            check_sso(request, tenant)  # SSO-only workspaces; SSO sessions stay in their workspace
            # The workspace's own SSO satisfies its 2FA rule: its provider is the authority it chose.
            if (
                tenant.require_2fa
                and not session_has_mfa(request)
                and session_sso_tenant(request) != tenant.id
            ):
                raise TwoFactorRequired()
            request.state.tenant = tenant
            structlog.contextvars.bind_contextvars(tenant=tenant.slug)
            principal = await load_principal(user.id, tenant.member_role or "")
            request.state.principal = principal
            await apply_member_preferences(request, own_preferences, principal.team_ids)
            with acting_as(principal):
                yield tenant
    except TenantNotFound:
        raise NotFoundException() from None
    except asyncpg.PostgresError:
        await note_if_tenant_gone(request, slug)
        raise


async def note_if_tenant_gone(request: Request[Any, Any, Any], slug: str) -> None:
    """After a database error in a tenant request: was the tenant dropped (or being dropped) meanwhile?

    A request that entered the tenant just before an operator's drop can find its tables gone ("relation does
    not exist") or lose a deadlock to the drop. Then the tenant is no longer active, and ``web/errors.py``
    answers 404 as for any unknown tenant instead of 500. The error is re-raised either way (raising another
    one here would reach Litestar as an exception group), so a real bug in a live tenant still answers 500.
    """
    known = await get_tenant(slug)
    if known is None or known.status != TenantStatus.ACTIVE:
        request.state.tenant_gone = True
