"""Single sign-on end to end against a real OIDC provider process: JIT users, linking, refusals."""

from __future__ import annotations

import secrets
import time

import httpx
from joserfc import jwt
from joserfc.jwk import RSAKey

from sampark.platform.identity import oidc, oidc_id_token
from sampark.platform.identity.login_audit import AuthEvent
from sampark.platform.identity.tables import Membership, User
from tests.integration.sso.conftest import Provider
from tests.integration.sso.helpers import configure_sso, consent, local, sso_login, start
from tests.support.web import make_member, post_form


def _email() -> str:
    return f"sso-{secrets.token_hex(4)}@example.com"


async def test_first_sign_in_creates_the_user_and_membership_just_in_time(app, tenant, new_client, provider):
    await configure_sso(app, tenant, provider, role="sales")
    browser, email = new_client(), _email()
    done = await sso_login(
        browser, tenant.slug, provider, "alice", email=email, email_verified=True, name="Alice A"
    )
    assert done.status_code == 303 and done.headers["location"] == f"/t/{tenant.slug}/"
    user = await User.select().where(User.email == email).first()
    assert user is not None and user["full_name"] == "Alice A" and user["password_hash"] == ""
    member = await Membership.select().where(Membership.user == user["id"]).first()
    assert member["tenant_id"] == tenant.id and member["role"] == "sales" and member["is_active"]
    home = await browser.get(f"/t/{tenant.slug}/")
    assert home.status_code == 200
    events = await AuthEvent.select().where(AuthEvent.user_id == user["id"])
    assert [(e["event"], e["tenant_id"]) for e in events] == [("login_sso", tenant.id)]


async def test_an_existing_member_is_signed_in_and_the_session_rotates(app, tenant, new_client, provider):
    member = await make_member(tenant, "admin")
    await configure_sso(app, tenant, provider)
    browser = new_client()
    authorize = await start(browser, tenant.slug)
    planted = browser.cookies.get("sampark_session")
    assert planted  # the anonymous session holding state, nonce and verifier
    provider.set_user("bob", email=member.email.upper(), email_verified=True)
    done = await browser.get(local(await consent(authorize, "bob")))
    assert done.status_code == 303
    assert browser.cookies.get("sampark_session") != planted  # session fixation: a new id after sign-in
    assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 200
    assert await User.count().where(User.email == member.email) == 1  # linked, not duplicated


async def test_the_authorization_request_uses_pkce_state_and_nonce(app, tenant, new_client, provider):
    await configure_sso(app, tenant, provider, client_id="pkce-check")
    url = httpx.URL(await start(new_client(), tenant.slug))
    params = dict(url.params)
    assert url.path == "/oauth2/authorize" and params["client_id"] == "pkce-check"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert len(params["state"]) >= 40 and len(params["nonce"]) >= 40
    assert params["redirect_uri"].endswith(f"/login/sso/{tenant.slug}/callback")


async def test_an_unverified_address_is_refused(app, tenant, new_client, provider):
    await configure_sso(app, tenant, provider)
    email = _email()
    done = await sso_login(new_client(), tenant.slug, provider, "carol", email=email, email_verified=False)
    assert done.status_code == 400 and "did not confirm your e-mail" in done.text
    assert not await User.exists().where(User.email == email)


async def test_an_existing_account_outside_the_workspace_is_not_taken_over(
    app, make_tenant, new_client, provider
):
    home, other = await make_tenant(), await make_tenant()
    outsider = await make_member(other, "admin")
    await configure_sso(app, home, provider)
    done = await sso_login(
        new_client(), home.slug, provider, "mallory", email=outsider.email, email_verified=True
    )
    assert done.status_code == 400 and "already exists" in done.text
    assert not await Membership.exists().where(
        (Membership.user == outsider.id) & (Membership.tenant == home.id)
    )


async def test_an_sso_session_stays_in_its_workspace(app, make_tenant, new_client, provider):
    home, other = await make_tenant(), await make_tenant()
    member = await make_member(home, "admin")
    await configure_sso(app, home, provider, domains="example.com")
    from sampark.platform.identity.users import add_membership

    await add_membership(member.id, other.id, "admin")
    browser = new_client()
    await sso_login(browser, home.slug, provider, "dora", email=member.email, email_verified=True)
    assert (await browser.get(f"/t/{home.slug}/")).status_code == 200
    elsewhere = await browser.get(f"/t/{other.slug}/")
    assert elsewhere.status_code == 303 and elsewhere.headers["location"].startswith("/login?next=")
    api = await browser.get(f"/t/{other.slug}/api/v1/contacts/", headers={"accept": "application/json"})
    assert api.status_code == 403 and api.json()["error"]["code"] == "password_sign_in_required"
    # Nor can it mint a personal API key for the other workspace.
    from tests.integration.account.helpers import create_key

    refused = await create_key(browser, other.slug, "sneaky", ["contacts:view"])
    assert refused.status_code == 400 and "sk_" not in refused.text
    allowed = await create_key(browser, home.slug, "fine", ["contacts:view"])
    assert allowed.status_code == 200 and "sk_" in allowed.text


async def test_a_state_mismatch_is_refused_with_a_page_not_a_500(app, tenant, new_client, provider):
    await configure_sso(app, tenant, provider)
    browser = new_client()
    provider.set_user("erin", email=_email(), email_verified=True)
    back = httpx.URL(await consent(await start(browser, tenant.slug), "erin"))
    forged = back.copy_set_param("state", "forged-" + secrets.token_hex(8))
    refused = await browser.get(f"{forged.path}?{forged.query.decode()}")
    assert refused.status_code == 400 and "not valid any more" in refused.text
    # The pending login was spent by the failed attempt: the genuine answer no longer works either.
    again = await browser.get(f"{back.path}?{back.query.decode()}")
    assert again.status_code == 400
    events = await AuthEvent.select().where(
        (AuthEvent.tenant_id == tenant.id) & (AuthEvent.event == "login_sso_failed")
    )
    assert len(events) == 2


async def test_denied_consent_shows_a_translated_page(app, tenant, new_client, provider):
    await configure_sso(app, tenant, provider)
    browser = new_client()
    back = await consent(await start(browser, tenant.slug), "frank", deny=True)
    assert "error=access_denied" in back
    page = await browser.get(local(back), headers={"accept-language": "de"})
    assert page.status_code == 400 and 'lang="de"' in page.text
    assert "The sign-in was cancelled" not in page.text  # translated, not English


async def test_an_expired_id_token_is_refused_end_to_end(app, tenant, new_client, expiring_provider):
    await configure_sso(app, tenant, expiring_provider)
    email = _email()
    done = await sso_login(
        new_client(), tenant.slug, expiring_provider, "gina", email=email, email_verified=True
    )
    assert done.status_code == 400 and "could not be verified" in done.text
    assert not await User.exists().where(User.email == email)


async def _real_token(provider: Provider, client_id: str, nonce: str) -> str:
    """A code flow run by hand against the provider: an id_token it really signed, for ``client_id``."""
    provider.set_user("henry", email=_email(), email_verified=True)
    authorize = httpx.URL(
        f"{provider.url}/oauth2/authorize",
        params={
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": "http://rp.test/cb",
            "scope": "openid email",
            "state": "s",
            "nonce": nonce,
        },
    )
    code = httpx.URL(await consent(str(authorize), "henry")).params["code"]
    async with httpx.AsyncClient() as http:
        token = await http.post(
            f"{provider.url}/oauth2/token",
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": "http://rp.test/cb"},
            auth=(client_id, "secret"),
        )
    return str(token.json()["id_token"])


async def test_a_token_for_another_audience_is_refused(provider):
    metadata = await oidc.discover(provider.url)
    raw = await _real_token(provider, "some-other-app", "n-1")
    claims = await oidc_id_token.validate_id_token(raw, metadata, client_id="some-other-app", nonce="n-1")
    assert claims["aud"] == ["some-other-app"]  # the same token is valid for the client it was issued to
    try:
        await oidc_id_token.validate_id_token(raw, metadata, client_id="sampark", nonce="n-1")
    except oidc.OidcError as refused:
        assert refused.code == "invalid_id_token" and str(refused).endswith("aud")
    else:
        raise AssertionError("a token for another audience was accepted")


async def test_a_wrong_nonce_is_refused(provider):
    metadata = await oidc.discover(provider.url)
    raw = await _real_token(provider, "sampark", "the-nonce")
    try:
        await oidc_id_token.validate_id_token(raw, metadata, client_id="sampark", nonce="another-nonce")
    except oidc.OidcError as refused:
        assert str(refused).endswith("nonce")
    else:
        raise AssertionError("a replayed token was accepted")


async def test_a_token_signed_with_a_key_the_provider_does_not_publish_is_refused(provider):
    metadata = await oidc.discover(provider.url)
    published = (await oidc.key_set(metadata)).keys[0]
    forger = RSAKey.generate_key(2048, parameters={"kid": published.kid})  # same kid, other key
    now = int(time.time())
    claims = {
        "iss": metadata.issuer,
        "aud": "sampark",
        "sub": "x",
        "iat": now,
        "exp": now + 300,
        "nonce": "n",
        "email": "x@example.com",
        "email_verified": True,
    }
    forged = jwt.encode({"alg": "RS256", "kid": published.kid}, claims, forger)
    try:
        await oidc_id_token.validate_id_token(forged, metadata, client_id="sampark", nonce="n")
    except oidc.OidcError as refused:
        assert refused.code == "invalid_id_token" and "signature" in str(refused)
    else:
        raise AssertionError("a forged signature was accepted")


async def test_password_login_is_refused_for_sso_only_members(app, tenant, new_client, provider):
    seller = await make_member(tenant, "sales")
    await configure_sso(app, tenant, provider, sso_only=True)
    refused = await post_form(
        new_client(), "/login", "/login", {"email": seller.email, "password": seller.password}
    )
    assert refused.status_code == 403 and f"/login/sso/{tenant.slug}" in refused.text
    events = await AuthEvent.select().where(AuthEvent.user_id == seller.id)
    assert [e["event"] for e in events] == ["login_sso_required"]
    # The same person through the workspace's SSO gets in.
    browser = new_client()
    await sso_login(browser, tenant.slug, provider, "ivan", email=seller.email, email_verified=True)
    assert (await browser.get(f"/t/{tenant.slug}/")).status_code == 200


async def test_a_member_of_another_workspace_signs_in_by_password_but_not_into_the_sso_only_one(
    app, make_tenant, new_client, provider
):
    strict, relaxed = await make_tenant(), await make_tenant()
    person = await make_member(strict, "sales")
    from sampark.platform.identity.users import add_membership

    await add_membership(person.id, relaxed.id, "sales")
    await configure_sso(app, strict, provider, sso_only=True)
    browser = new_client()
    signed = await post_form(
        browser, "/login", "/login", {"email": person.email, "password": person.password}
    )
    assert signed.status_code == 303
    assert (await browser.get(f"/t/{relaxed.slug}/")).status_code == 200
    gated = await browser.get(f"/t/{strict.slug}/contacts/")
    assert gated.status_code == 303 and gated.headers["location"].startswith(
        f"/login/sso/{strict.slug}?next="
    )
