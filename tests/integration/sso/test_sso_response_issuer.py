"""RFC 9207: the authorization response's ``iss`` must name the provider we sent the browser to.

panva's oidc-provider (``pkce_provider``) advertises ``authorization_response_iss_parameter_supported`` and
sends ``iss`` on every answer: there a missing or different ``iss`` is refused before the code is used.
oidc-provider-mock (``provider``) does not advertise it: an ``iss`` that is present is still compared.
"""

from __future__ import annotations

import httpx
import pytest
from structlog.testing import capture_logs

from sampark.platform.identity import oidc
from sampark.platform.identity.login_audit import AuthEvent
from sampark.platform.identity.tables import Membership
from sampark.web.auth.sso import PENDING_KEY
from tests.integration.sso.helpers import configure_sso, consent, local, start
from tests.integration.sso.node_provider import (
    RP_BASE,
    NodeProvider,
    configure_node_provider,
    through_provider,
)


def _failures(events: list[dict[str, object]]) -> list[object]:
    return [event["code"] for event in events if event.get("event") == "sso_login_failed"]


@pytest.mark.parametrize("tamper", ["another issuer", "trailing slash", "missing"])
async def test_an_advertised_iss_that_is_missing_or_different_is_refused_before_the_code_is_used(
    app, tenant, new_client, pkce_provider: NodeProvider, tamper
):
    await configure_node_provider(app, tenant, pkce_provider)
    metadata = await oidc.discover(pkce_provider.url)
    assert metadata.iss_parameter_supported
    browser = new_client()
    authorize = await start(browser, tenant.slug)
    session = await app.state.sessions.load(browser.cookies.get("sampark_session"))
    verifier = session.data[PENDING_KEY]["verifier"]
    back = httpx.URL(await through_provider(authorize))
    assert back.params["iss"] == pkce_provider.url  # the provider does send it
    if tamper == "missing":
        back = back.copy_remove_param("iss")
    else:
        other = "http://127.0.0.1:1" if tamper == "another issuer" else pkce_provider.url + "/"
        back = back.copy_set_param("iss", other)
    failed_before = await AuthEvent.count().where(AuthEvent.event == "login_sso_failed")

    with capture_logs() as events:
        page = await browser.get(local(str(back)))

    assert page.status_code == 400 and "did not come from this workspace" in page.text
    assert _failures(events) == ["issuer_mismatch"]
    assert await AuthEvent.count().where(AuthEvent.event == "login_sso_failed") == failed_before + 1
    assert not await Membership.exists().where(Membership.tenant == tenant.id)
    # We never sent the code to the token endpoint: it is still unspent, and redeemable once.
    async with httpx.AsyncClient() as http:
        token = await http.post(
            f"{pkce_provider.url}/token",
            data={
                "grant_type": "authorization_code",
                "code": back.params["code"],
                "redirect_uri": f"{RP_BASE}/login/sso/{tenant.slug}/callback",
                "code_verifier": verifier,
            },
            auth=(pkce_provider.client_id, pkce_provider.client_secret),
        )
    assert token.status_code == 200 and "access_token" in token.json()


async def test_the_iss_page_is_translated(app, tenant, new_client, pkce_provider: NodeProvider):
    await configure_node_provider(app, tenant, pkce_provider)
    browser = new_client()
    back = httpx.URL(await through_provider(await start(browser, tenant.slug)))
    page = await browser.get(
        local(str(back.copy_set_param("iss", "https://idp.example"))), headers={"accept-language": "ja"}
    )
    assert page.status_code == 400 and 'lang="ja"' in page.text
    assert "このワークスペースの ID プロバイダーから送られたものではありません" in page.text


@pytest.mark.parametrize(("iss", "accepted"), [("wrong", False), ("same", True)])
async def test_an_iss_the_provider_does_not_advertise_is_still_compared(
    app, tenant, new_client, provider, iss, accepted
):
    assert not (await oidc.discover(provider.url)).iss_parameter_supported
    await configure_sso(app, tenant, provider)
    provider.set_user("kim", email=f"kim-{tenant.slug}@example.com", email_verified=True)
    browser = new_client()
    back = httpx.URL(await consent(await start(browser, tenant.slug), "kim"))
    assert "iss" not in back.params
    back = back.copy_set_param("iss", provider.url if iss == "same" else "https://evil.example")
    with capture_logs() as events:
        page = await browser.get(local(str(back)))
    if accepted:
        assert page.status_code == 303 and page.headers["location"] == f"/t/{tenant.slug}/", page.text
    else:
        assert page.status_code == 400 and _failures(events) == ["issuer_mismatch"]
        assert not await Membership.exists().where(Membership.tenant == tenant.id)
