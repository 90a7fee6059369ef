"""The consent pages, with answers and history to show, leak no English in any other shipped locale."""

from __future__ import annotations

from typing import Any

import pytest

from sampark.platform.i18n import SUPPORTED_LOCALES
from sampark.web.locale.resolve import LOCALE_COOKIE
from tests.integration.consent.helpers import grant, withdraw
from tests.integration.i18n.test_every_page_translated import _untranslated_sources, _visible_text
from tests.support.web import acting_in, add_contact, make_member, sign_in


@pytest.mark.parametrize("locale", [locale for locale in SUPPORTED_LOCALES if locale != "en"])
async def test_consent_pages_are_translated(client: Any, tenant: Any, locale: str) -> None:
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Ann")
    async with acting_in(tenant, admin):
        await grant(contact)
        await withdraw(contact)
    await sign_in(client, admin)
    client.cookies.set(LOCALE_COOKIE, locale)
    sources = _untranslated_sources(locale)
    leaks = {}
    for path in (f"/contacts/{contact}/consent/", "/admin/consent/", "/admin/consent/?status=maybe"):
        response = await client.get(f"/t/{tenant.slug}{path}")
        assert response.status_code in (200, 400), path
        found = [source for source in sources if source in _visible_text(response.text)]
        if found:
            leaks[path] = found
    assert leaks == {}
