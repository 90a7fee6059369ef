"""Drive the single sign-on flow: our start page, the provider's consent form, our callback."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

import httpx
from httpx import AsyncClient, Response
from litestar import Litestar

from sampark.platform.identity.sso_config import SsoForm, save_sso
from sampark.platform.tenancy.context import TenantRecord
from tests.integration.sso.conftest import Provider
from tests.support.web import csrf_token


async def configure_sso(
    app: Litestar,
    tenant: TenantRecord,
    provider: Provider,
    *,
    client_id: str = "sampark-test",
    domains: str = "",
    sso_only: bool = False,
    role: str = "sales",
) -> None:
    form = SsoForm(provider.url, client_id, "client-secret-" + secrets.token_hex(8), role, domains, sso_only)
    await save_sso(tenant.id, form, provider.url, app.state.settings.secret_key)


async def start(client: AsyncClient, slug: str, next_path: str = "") -> str:
    """Press our "Sign in with SSO" button; return the provider URL we were sent to."""
    page = await client.get(f"/login/sso/{slug}")
    assert page.status_code == 200, page.text
    started = await client.post(
        f"/login/sso/{slug}/start", data={"_csrf_token": csrf_token(page), "next": next_path}
    )
    assert started.status_code == 303, started.text
    return started.headers["location"]


async def consent(authorize_url: str, sub: str, *, deny: bool = False) -> str:
    """Answer the provider's consent form as the person ``sub``; return where it sends the browser back."""
    data = {"action": "deny"} if deny else {"sub": sub}
    async with httpx.AsyncClient() as browser:
        answer = await browser.post(authorize_url, data=data)
    assert answer.status_code in (302, 303), answer.text
    return str(answer.headers["location"])


def local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def sso_login(
    client: AsyncClient, slug: str, provider: Provider, sub: str, **claims: object
) -> Response:
    provider.set_user(sub, **claims)
    back = await consent(await start(client, slug), sub)
    return await client.get(local(back))
