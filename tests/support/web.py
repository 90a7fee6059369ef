"""Helpers for driving the app over HTTP in tests: CSRF tokens, sign-in, members."""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from httpx import AsyncClient, Response

from sampark.platform.identity.users import add_membership, create_user
from sampark.platform.tenancy.context import TenantRecord, tenant_context
from sampark.tenants.access.policy import acting_as, load_principal
from sampark.tenants.companies.services import create_company
from sampark.tenants.contacts.services import create_contact

_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery staple 42"


@dataclass(frozen=True)
class Member:
    id: int
    email: str
    password: str


def csrf_token(page: Response) -> str:
    match = _TOKEN.search(page.text)
    assert match, "the page has no CSRF token"
    return match.group(1)


async def post_form(client: AsyncClient, form_url: str, action: str, data: dict[str, str]) -> Response:
    """GET the page holding the form (for the CSRF cookie and token), then POST ``data`` to ``action``."""
    page = await client.get(form_url)
    return await client.post(action, data={**data, "_csrf_token": csrf_token(page)})


async def make_member(tenant: TenantRecord, role: str = "admin") -> Member:
    email = f"user-{secrets.token_hex(4)}@example.com"
    user = await create_user(email, "Test User", PASSWORD)
    await add_membership(user.id, tenant.id, role)
    return Member(user.id, email, PASSWORD)


async def sign_in(client: AsyncClient, member: Member) -> Response:
    response = await post_form(
        client, "/login", "/login", {"email": member.email, "password": member.password}
    )
    assert response.status_code == 303, response.text
    return response


async def add_contact(tenant: TenantRecord, member: Member, first_name: str) -> int:
    """Create a contact in ``tenant`` as ``member`` (through the service, so it is owned and audited)."""
    async with tenant_context(slug=tenant.slug, member_user_id=member.id) as context:
        with acting_as(await load_principal(member.id, context.member_role or "")):
            return (await create_contact({"first_name": first_name})).id


@asynccontextmanager
async def acting_in(tenant: TenantRecord, member: Member) -> AsyncIterator[TenantRecord]:
    """Run service calls in ``tenant``'s context as ``member`` (one transaction, committed on exit)."""
    async with tenant_context(slug=tenant.slug, member_user_id=member.id) as context:
        with acting_as(await load_principal(member.id, context.member_role or "")):
            yield context


async def add_company(tenant: TenantRecord, member: Member, name: str, **fields: Any) -> int:
    """Create a company in ``tenant`` as ``member`` (through the service: owned and audited)."""
    async with acting_in(tenant, member):
        return (await create_company({"name": name, **fields}, allow_duplicate=True)).id


async def api_session(client: AsyncClient, tenant: TenantRecord, member: Member) -> None:
    """Sign ``member`` in and keep the CSRF header the JSON API needs on unsafe requests with a session."""
    client.headers.pop("x-csrftoken", None)  # a previous session's token would fail the login form's check
    await sign_in(client, member)
    client.headers["x-csrftoken"] = csrf_token(await client.get(f"/t/{tenant.slug}/"))
