"""The timeline, activity and merge pages in every locale, with records on them (TENANT_PAGES lists the paths
too, but its tenant has no records, so there they answer 404)."""

import pytest

from sampark.platform.i18n import SUPPORTED_LOCALES
from sampark.tenants.activities.services import create_activity
from sampark.tenants.companies.services import create_company
from sampark.tenants.contacts.services import create_contact
from sampark.web.locale.resolve import LOCALE_COOKIE
from tests.integration.i18n.test_every_page_translated import _untranslated_sources, _visible_text
from tests.support.web import acting_in, make_member, sign_in


@pytest.mark.parametrize("locale", [locale for locale in SUPPORTED_LOCALES if locale != "en"])
async def test_activity_pages_show_no_english(client, tenant, locale: str) -> None:
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        acme = await create_company({"name": "Acme"})
        other = await create_company({"name": "Acme Two"})
        ann = await create_contact({"first_name": "Ann", "company_id": acme.id})
        bob = await create_contact({"first_name": "Bob"})
        call = await create_activity(
            "call",
            {"subject": "x", "duration_minutes": 5, "outcome": "busy", "direction": "inbound"},
            links=[f"contact:{ann.id}"],
        )
        await create_activity(
            "meeting",
            {"subject": "y", "starts_at": "2026-05-01T10:00"},
            links=[f"company:{acme.id}"],
            attendees=[ann.id],
        )
        await create_activity(
            "email",
            {"subject": "z", "email_to": "a@example.com"},
            links=[f"contact:{ann.id}", f"company:{acme.id}"],
        )
    await sign_in(client, admin)
    client.cookies.set(LOCALE_COOKIE, locale)
    sources = _untranslated_sources(locale)
    t = f"/t/{tenant.slug}"
    leaks = {}
    for path in (
        f"{t}/timeline/contact/{ann.id}", f"{t}/timeline/company/{acme.id}", f"{t}/activities/{call.id}/edit",
        f"{t}/activities/{call.id}/delete", f"{t}/contacts/{ann.id}/merge?with={bob.id}",
        f"{t}/companies/{acme.id}/merge?with={other.id}", f"{t}/contacts/{ann.id}/merge?q=zz",
        f"{t}/timeline/contact/{bob.id}",
    ):  # fmt: skip
        response = await client.get(path)
        assert response.status_code == 200, path
        found = [source for source in sources if source in _visible_text(response.text)]
        if found:
            leaks[path] = found[:5]
    assert leaks == {}
