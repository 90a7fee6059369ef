"""PKCE proven end to end against a provider that enforces it: panva's oidc-provider, run by Node on loopback.

oidc-provider-mock (the other SSO tests) ignores code_challenge and code_verifier, so there a sign-in only
shows that we send a challenge. The provider in ``tests/support/oidc_provider/`` requires S256 PKCE on every
authorization request and checks the verifier at the token endpoint, so a sign-in that succeeds here proves
our verifier matches our challenge, and a tampered one must be refused by the provider itself.

The provider and its fixture (``pkce_provider``) are in ``node_provider.py`` and ``conftest.py``; Node and the
provider's ``node_modules`` are prerequisites (``make test`` runs ``npm ci``): without them these tests fail,
they never skip.
"""

from __future__ import annotations

import secrets
from typing import Any

import httpx
import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from httpx import AsyncClient
from litestar import Litestar

from sampark.platform.identity import oidc
from sampark.platform.identity.login_audit import AuthEvent
from sampark.platform.identity.tables import Membership, User
from sampark.platform.tenancy.context import TenantRecord
from sampark.web.auth.sso import PENDING_KEY
from tests.integration.sso.helpers import local, start
from tests.integration.sso.node_provider import RP_BASE, configure_node_provider, through_provider


async def _pending(app: Litestar, browser: AsyncClient) -> tuple[str, dict[str, Any]]:
    """The browser's server-side session id and its pending SSO login (state, nonce, verifier)."""
    session_id = browser.cookies.get("sampark_session")
    session = await app.state.sessions.load(session_id)
    assert session_id and session is not None and PENDING_KEY in session.data
    return session_id, session.data


async def _failed_sso_events(tenant: TenantRecord) -> int:
    return await AuthEvent.count().where(
        (AuthEvent.tenant_id == tenant.id) & (AuthEvent.event == "login_sso_failed")
    )


async def _assert_not_signed_in(browser: AsyncClient, tenant: TenantRecord) -> None:
    home = await browser.get(f"/t/{tenant.slug}/")
    assert home.status_code == 303 and home.headers["location"].startswith("/login")


async def test_a_sign_in_succeeds_against_a_provider_that_enforces_pkce(
    app, tenant, new_client, pkce_provider
):
    # Allowed domains: the account may exist already (test_sso_userinfo signs it in too); it is then linked.
    await configure_node_provider(app, tenant, pkce_provider, domains="example.com")
    browser = new_client()
    authorize = await start(browser, tenant.slug)
    assert httpx.URL(authorize).params["code_challenge_method"] == "S256"
    refused_before = pkce_provider.refusals()
    done = await browser.get(local(await through_provider(authorize)))
    assert done.status_code == 303 and done.headers["location"] == f"/t/{tenant.slug}/", done.text
    assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 200
    user = await User.select().where(User.email == pkce_provider.email).first()
    assert user is not None and user["full_name"] == "Pat Kce"
    assert await Membership.exists().where(
        (Membership.user == user["id"]) & (Membership.tenant == tenant.id) & (Membership.role == "sales")
    )
    assert pkce_provider.refusals() == refused_before


def _another_challenge() -> str:
    return str(create_s256_code_challenge(secrets.token_urlsafe(64)))


@pytest.mark.parametrize("tampered", ["verifier in our session", "challenge sent to the provider"])
async def test_a_tampered_pkce_pair_is_refused_by_the_provider(
    app, tenant, new_client, pkce_provider, tampered
):
    await configure_node_provider(app, tenant, pkce_provider)
    browser = new_client()
    authorize = httpx.URL(await start(browser, tenant.slug))
    if tampered == "verifier in our session":
        session_id, data = await _pending(app, browser)
        data[PENDING_KEY]["verifier"] = secrets.token_urlsafe(64)  # well formed, but not the challenge's
        assert await app.state.sessions.save(session_id, data)
    else:
        authorize = authorize.copy_set_param("code_challenge", _another_challenge())
    refused_before, failed_before = pkce_provider.refusals(), await _failed_sso_events(tenant)
    back = await through_provider(str(authorize))
    assert "code=" in back  # the provider issued a code: only the token exchange can catch the mismatch

    page = await browser.get(local(back), headers={"accept-language": "fr"})

    assert page.status_code == 400 and 'lang="fr"' in page.text
    assert "The identity provider refused the sign-in" not in page.text  # translated, not English
    assert pkce_provider.refusals() == refused_before + 1  # refused for PKCE, not for anything else
    assert await _failed_sso_events(tenant) == failed_before + 1
    assert not await Membership.exists().where(Membership.tenant == tenant.id)  # nobody was let in
    await _assert_not_signed_in(browser, tenant)


@pytest.mark.parametrize(
    "downgrade",
    [{"code_challenge": None, "code_challenge_method": None}, {"code_challenge_method": "plain"}],
    ids=["no PKCE", "plain"],
)
async def test_an_authorization_request_without_s256_pkce_is_refused_by_the_provider(
    app, tenant, new_client, pkce_provider, downgrade
):
    await configure_node_provider(app, tenant, pkce_provider)
    browser = new_client()
    params = dict(httpx.URL(await start(browser, tenant.slug)).params)
    for name, value in downgrade.items():
        if value is None:
            params.pop(name)
        else:
            params[name] = value
    back = httpx.URL(await through_provider(str(httpx.URL(f"{pkce_provider.url}/auth", params=params))))
    assert back.params["error"] == "invalid_request" and "code" not in back.params
    page = await browser.get(local(str(back)))
    assert page.status_code == 400 and "cancelled at the identity provider" in page.text
    await _assert_not_signed_in(browser, tenant)


async def test_every_authorization_url_we_build_carries_the_s256_challenge_of_our_verifier(
    app, tenant, new_client, pkce_provider
):
    await configure_node_provider(app, tenant, pkce_provider)
    challenges = set()
    for _attempt in range(3):
        browser = new_client()
        url = httpx.URL(await start(browser, tenant.slug))
        _, data = await _pending(app, browser)
        assert url.params["code_challenge_method"] == "S256"
        assert url.params["code_challenge"] == create_s256_code_challenge(data[PENDING_KEY]["verifier"])
        challenges.add(url.params["code_challenge"])
    assert len(challenges) == 3  # a fresh verifier for every sign-in
    metadata = await oidc.discover(pkce_provider.url)
    built = httpx.URL(oidc.authorization_url(metadata, "any", f"{RP_BASE}/cb", oidc.new_pending()))
    assert built.params["code_challenge_method"] == "S256" and len(built.params["code_challenge"]) == 43
