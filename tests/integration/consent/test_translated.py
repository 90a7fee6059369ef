"""The consent pages, with answers and history to show, leak no English in any other shipped locale."""

from __future__ import annotations

from typing import Any

import pytest

from sampark.platform.i18n import SUPPORTED_LOCALES
from sampark.platform.tenancy.context import tenant_connection
from sampark.tenants.consent.confirmation import confirmation_token
from sampark.tenants.contacts.services import create_contact
from sampark.web.locale.resolve import LOCALE_COOKIE
from tests.integration.consent.helpers import grant, withdraw
from tests.integration.i18n.test_every_page_translated import _untranslated_sources, _visible_text
from tests.support.web import acting_in, add_contact, make_member, sign_in


@pytest.mark.parametrize("locale", [locale for locale in SUPPORTED_LOCALES if locale != "en"])
async def test_consent_pages_are_translated(client: Any, tenant: Any, settings: Any, locale: str) -> None:
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Ann")
    async with acting_in(tenant, admin):
        await grant(contact)
        await withdraw(contact)
        waiting = await create_contact({"first_name": "Bo", "emails": ["bo@example.com"]})
        await grant(waiting.id, "email_marketing")
        row = await tenant_connection().fetchrow("SELECT id, nonce FROM consent_confirmations")
    token = confirmation_token(settings.secret_key, tenant.id, row["id"], row["nonce"])
    await sign_in(client, admin)
    client.cookies.set(LOCALE_COOKIE, locale)
    sources = _untranslated_sources(locale)
    leaks = {}
    pages = [f"/t/{tenant.slug}{path}" for path in (
        f"/contacts/{contact}/consent/", f"/contacts/{waiting.id}/consent/", "/admin/consent/",
        "/admin/consent/?status=maybe",
    )] + [f"/consent/confirm/{tenant.slug}/{token}", f"/consent/confirm/{tenant.slug}/{'x' * 43}"]  # fmt: skip
    for path in pages:
        response = await client.get(path)
        assert response.status_code == (404 if "x" * 43 in path else 400 if "maybe" in path else 200), path
        found = [source for source in sources if source in _visible_text(response.text)]
        if found:
            leaks[path] = found
    assert leaks == {}
