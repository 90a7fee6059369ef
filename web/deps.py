"""Request dependencies: the signed-in user and the tenant context for ``/t/<slug>/...``."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

import structlog
from litestar import Request
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from sampark.platform.tenancy.context import TenantNotFound, TenantRecord, tenant_context
from sampark.platform.tenancy.provisioning import get_tenant
from sampark.platform.tenancy.tables import TenantStatus
from sampark.tenants.access.policy import acting_as, load_principal
from sampark.web.errors import LoginRequired
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
    """
    user: SessionUser | None = request.state.get("user")
    if user is None:
        known = await get_tenant(slug)
        if known is None or known.status != TenantStatus.ACTIVE:
            raise NotFoundException()
        raise LoginRequired()
    try:
        # One statement checks the membership, resolves the tenant and enters its context.
        async with tenant_context(slug=slug, member_user_id=user.id) as tenant:
            request.state.tenant = tenant
            structlog.contextvars.bind_contextvars(tenant=tenant.slug)
            principal = await load_principal(user.id, tenant.member_role or "")
            request.state.principal = principal
            with acting_as(principal):
                yield tenant
    except TenantNotFound:
        raise NotFoundException() from None
