"""The tenant admin's SSO page: discovery is tested on save, the secret is sealed, write-only, never logged."""

from __future__ import annotations

import json
import logging
import secrets

import structlog
from structlog.testing import capture_logs

from sampark.platform.identity.sealing import unseal
from sampark.platform.identity.sso_config import TenantSso, client_secret, get_sso
from sampark.platform.tenancy.context import tenant_context
from sampark.tenants.audit.tables import AuditEntry
from tests.integration.sso.helpers import sso_login
from tests.support.web import make_member, post_form, sign_in


def _form(issuer: str, secret: str = "", **extra: str) -> dict[str, str]:
    return {
        "issuer": issuer,
        "client_id": "sampark-app",
        "client_secret": secret,
        "default_role": "sales",
        "allowed_domains": "",
        **extra,
    }


async def _admin(tenant, new_client):
    browser = new_client()
    await sign_in(browser, await make_member(tenant, "admin"))
    return browser


async def test_saving_checks_discovery_and_seals_a_secret_that_is_never_logged(
    app, tenant, new_client, provider, caplog
) -> None:
    admin = await _admin(tenant, new_client)
    secret = "cs-" + secrets.token_urlsafe(24)
    url = f"/t/{tenant.slug}/admin/sso"
    caplog.set_level(logging.DEBUG)
    with capture_logs() as events:
        locked_out = await post_form(admin, url, url, _form(provider.url, secret, sso_only="on"))
        assert locked_out.status_code == 400 and 'id="sso_only-error"' in locked_out.text
        assert secret not in locked_out.text
        saved = await post_form(admin, url, url, _form(provider.url, secret))
        assert saved.status_code == 303, saved.text
        page = await admin.get(url)
        # A whole sign-in uses the secret at the token endpoint.
        done = await sso_login(
            new_client(),
            tenant.slug,
            provider,
            "sam",
            email=f"s-{secrets.token_hex(3)}@example.com",
            email_verified=True,
        )
        assert done.status_code == 303
    assert secret not in page.text and "A secret is stored" in page.text
    assert secret not in repr(events) and secret not in caplog.text
    assert any(event.get("event") == "sso_login" for event in events)  # the capture did see our log lines
    [row] = await TenantSso.select().where(TenantSso.tenant == tenant.id)
    assert row["client_secret"].startswith("v1.") and secret not in row["client_secret"]
    key = app.state.settings.secret_key
    assert (
        unseal(row["client_secret"], purpose="oidc-client-secret", bound_to=str(tenant.id), secret_key=key)
        == secret
    )
    # Bound to the tenant: the same sealed value does not open for another one.
    assert (
        unseal(
            row["client_secret"], purpose="oidc-client-secret", bound_to=str(tenant.id + 1), secret_key=key
        )
        is None
    )
    settings = await get_sso(tenant.id)
    assert settings is not None and not settings.sso_only and settings.issuer == provider.url
    async with tenant_context(slug=tenant.slug):
        [entry] = await AuditEntry.select().where(AuditEntry.object_type == "settings")
    changes = json.loads(entry["changes"]) if isinstance(entry["changes"], str) else entry["changes"]
    assert changes["sso_secret_replaced"]["after"] is True and secret not in str(entry)


async def test_an_empty_secret_keeps_the_stored_one(app, tenant, new_client, provider) -> None:
    admin = await _admin(tenant, new_client)
    url = f"/t/{tenant.slug}/admin/sso"
    await post_form(admin, url, url, _form(provider.url, "first-secret"))
    again = await post_form(admin, url, url, _form(provider.url, "", allowed_domains="example.com"))
    assert again.status_code == 303
    assert await client_secret(tenant.id, app.state.settings.secret_key) == "first-secret"
    settings = await get_sso(tenant.id)
    assert settings is not None and settings.allowed_domains == ("example.com",)


async def test_an_issuer_that_does_not_answer_is_a_field_error(tenant, new_client) -> None:
    admin = await _admin(tenant, new_client)
    url = f"/t/{tenant.slug}/admin/sso"
    refused = await post_form(admin, url, url, _form("http://127.0.0.1:9/", "typed-secret"))
    assert refused.status_code == 400 and 'id="issuer-error"' in refused.text
    assert "did not answer" in refused.text and "typed-secret" not in refused.text
    assert await get_sso(tenant.id) is None


async def test_invalid_metadata_and_bad_input_are_field_errors(tenant, new_client, provider) -> None:
    admin = await _admin(tenant, new_client)
    url = f"/t/{tenant.slug}/admin/sso"
    # The provider answers, but for another issuer (a path it does not serve under): metadata invalid.
    wrong = await post_form(admin, url, url, _form(provider.url + "/oauth2", "s"))
    assert wrong.status_code == 400 and 'id="issuer-error"' in wrong.text
    plain = await post_form(
        admin, url, url, _form("http://login.example.com", "s", allowed_domains="not a domain!")
    )
    assert plain.status_code == 400
    assert "https://" in plain.text and 'id="allowed_domains-error"' in plain.text
    missing = await post_form(admin, url, url, {"issuer": "", "client_id": "", "default_role": "ghost"})
    for name in ("issuer", "client_id", "client_secret", "default_role"):
        assert f'id="{name}-error"' in missing.text


async def test_only_settings_editors_reach_the_page(tenant, new_client) -> None:
    seller = new_client()
    await sign_in(seller, await make_member(tenant, "sales"))
    assert (await seller.get(f"/t/{tenant.slug}/admin/sso")).status_code == 403


async def test_sso_only_keeps_a_break_glass_path_for_admins_with_2fa(
    app, tenant, new_client, provider
) -> None:
    from tests.integration.account.helpers import enrol, next_code

    admin_member = await make_member(tenant, "admin")
    browser = new_client()
    await sign_in(browser, admin_member)
    secret, _codes = await enrol(browser, admin_member)
    url = f"/t/{tenant.slug}/admin/sso"
    saved = await post_form(browser, url, url, _form(provider.url, "s", sso_only="on"))
    assert saved.status_code == 303
    # A fresh browser: password, then the TOTP code, then the SSO-only workspace opens.
    other = new_client()
    first = await post_form(
        other, "/login", "/login", {"email": admin_member.email, "password": admin_member.password}
    )
    assert first.status_code == 303 and first.headers["location"] == "/login/2fa"
    second = await post_form(
        other, "/login/2fa", "/login/2fa", {"code": await next_code(admin_member.id, secret)}
    )
    assert second.status_code == 303
    assert (await other.get(f"/t/{tenant.slug}/")).status_code == 200
    structlog.contextvars.clear_contextvars()
