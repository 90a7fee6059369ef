"""Userinfo end to end: a conforming provider's claims come from userinfo, whose sub must be the id_token's.

panva's oidc-provider (``pkce_provider``) runs with ``conformIdTokenClaims: true``: its id_token carries no
e-mail, so a sign-in can only succeed through userinfo. ``login_hint`` picks a test account whose userinfo
misbehaves (see provider.mjs). oidc-provider-mock (``provider``) puts the claims in the id_token: there we
must not call userinfo at all.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest
from httpx import AsyncClient
from structlog.testing import capture_logs

from sampark.platform.identity import oidc_userinfo
from sampark.platform.identity.login_audit import AuthEvent
from sampark.platform.identity.tables import Membership, User
from sampark.platform.tenancy.context import TenantRecord
from tests.integration.sso.helpers import configure_sso, local, sso_login, start
from tests.integration.sso.node_provider import NodeProvider, configure_node_provider, through_provider


async def _sign_in_as(
    browser: AsyncClient, tenant: TenantRecord, account: str, **headers: str
) -> httpx.Response:
    """Start our SSO sign-in, let the provider sign ``account`` in, and follow the answer to our callback."""
    authorize = httpx.URL(await start(browser, tenant.slug)).copy_set_param("login_hint", account)
    return await browser.get(local(await through_provider(str(authorize))), headers=headers)


async def _failed_sso_events(tenant: TenantRecord) -> int:
    return await AuthEvent.count().where(
        (AuthEvent.tenant_id == tenant.id) & (AuthEvent.event == "login_sso_failed")
    )


def _failures(events: list[dict[str, Any]]) -> list[str]:
    return [event["code"] for event in events if event.get("event") == "sso_login_failed"]


async def test_a_conforming_provider_signs_the_person_in_through_userinfo(
    app, tenant, new_client, pkce_provider: NodeProvider, caplog
):
    # Allowed domains: the account may exist already (the PKCE tests sign it in too); it is then linked.
    await configure_node_provider(app, tenant, pkce_provider, domains="example.com")
    browser = new_client()
    caplog.set_level(logging.DEBUG)
    with capture_logs() as events:
        done = await _sign_in_as(browser, tenant, "pkce-user")
    assert done.status_code == 303 and done.headers["location"] == f"/t/{tenant.slug}/", done.text
    read = [event for event in events if event.get("event") == "sso_userinfo_read"]
    assert len(read) == 1 and {"email", "email_verified", "name", "sub"} <= set(read[0]["claims"])
    user = await User.select().where(User.email == pkce_provider.email).first()
    assert user is not None and user["full_name"] == "Pat Kce"  # name and address from userinfo
    assert await Membership.exists().where((Membership.user == user["id"]) & (Membership.tenant == tenant.id))
    assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 200
    token = pkce_provider.access_tokens()[-1]
    assert token not in repr(events) and token not in caplog.text


async def test_userinfo_about_another_subject_is_refused(
    app, tenant, new_client, pkce_provider: NodeProvider
):
    await configure_node_provider(app, tenant, pkce_provider)
    browser = new_client()
    failed_before = await _failed_sso_events(tenant)
    with capture_logs() as events:
        page = await _sign_in_as(browser, tenant, "userinfo-other-sub", **{"accept-language": "es"})
    assert page.status_code == 400 and 'lang="es"' in page.text
    assert "could not be verified" not in page.text  # translated, not English
    assert _failures(events) == ["userinfo_sub_mismatch"]
    assert await _failed_sso_events(tenant) == failed_before + 1
    assert not await User.exists().where(User.email == pkce_provider.email_of("userinfo-other-sub"))
    assert not await Membership.exists().where(Membership.tenant == tenant.id)
    home = await browser.get(f"/t/{tenant.slug}/")
    assert home.status_code == 303 and home.headers["location"].startswith("/login")


@pytest.mark.parametrize("account", ["userinfo-fails", "userinfo-slow"], ids=["HTTP 500", "timeout"])
async def test_a_failing_userinfo_shows_the_error_page_not_a_500(
    app, tenant, new_client, pkce_provider: NodeProvider, caplog, monkeypatch, account
):
    if account == "userinfo-slow":  # the provider answers after 3 s; do not wait the full 5 s for it
        monkeypatch.setattr(oidc_userinfo, "HTTP_TIMEOUT_S", 0.5)
    await configure_node_provider(app, tenant, pkce_provider)
    browser = new_client()
    failed_before = await _failed_sso_events(tenant)
    caplog.set_level(logging.DEBUG)
    with capture_logs() as events:
        page = await _sign_in_as(browser, tenant, account)
    assert page.status_code == 502 and "did not send your profile" in page.text
    assert _failures(events) == ["userinfo_failed"]
    assert await _failed_sso_events(tenant) == failed_before + 1
    assert not await User.exists().where(User.email == pkce_provider.email_of(account))
    token = pkce_provider.access_tokens()[-1]  # the one we sent to userinfo
    assert token not in repr(events) and token not in caplog.text


async def test_claims_in_the_id_token_are_used_without_calling_userinfo(app, tenant, new_client, provider):
    await configure_sso(app, tenant, provider)
    email = f"in-token-{tenant.slug}@example.com"
    with capture_logs() as events:
        done = await sso_login(new_client(), tenant.slug, provider, "ivy", email=email, email_verified=True)
    assert done.status_code == 303, done.text
    assert not [event for event in events if event.get("event") == "sso_userinfo_read"]
    assert await User.exists().where(User.email == email)


async def test_an_id_token_without_email_is_completed_from_userinfo_of_the_mock_too(
    app, tenant, new_client, provider
):
    """oidc-provider-mock leaves out claims the person does not have; ours must then come from userinfo, which
    answers the same person: an address without email_verified is still refused."""
    await configure_sso(app, tenant, provider)
    email = f"no-flag-{tenant.slug}@example.com"
    with capture_logs() as events:
        done = await sso_login(new_client(), tenant.slug, provider, "jack", email=email)
    assert done.status_code == 400 and "did not confirm your e-mail" in done.text
    assert [event["event"] for event in events if event.get("event") == "sso_userinfo_read"] == [
        "sso_userinfo_read"
    ]
    assert _failures(events) == ["email_unverified"]
