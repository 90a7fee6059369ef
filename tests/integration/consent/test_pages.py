"""Consent pages: the contact section and its form, the admin overview and its export, the audit viewer."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from httpx import AsyncClient

from sampark.platform.i18n import translations_for
from sampark.tenants.audit.tables import AuditEntry
from sampark.web.locale.resolve import LOCALE_COOKIE
from tests.integration.consent.helpers import grant, own_consent_role, withdraw
from tests.support.web import acting_in, add_contact, csrf_token, make_member, sign_in

FORM = {
    "purpose": "sms_marketing", "action": "grant", "lawful_basis": "consent", "source": "phone",
    "evidence": "Agreed on the call of 3 May to receive offers by SMS", "version_sms_marketing": "0",
}  # fmt: skip
MISSING_EVIDENCE = "Say what the contact agreed to and how, so the consent can be proven."


async def _post(client: AsyncClient, url: str, data: dict[str, str], **headers: str) -> Any:
    page = await client.get(url)
    return await client.post(url, data={**data, "_csrf_token": csrf_token(page)}, headers=headers)


async def test_the_contact_page_shows_the_section_to_those_who_may_see_consent(
    client: AsyncClient, tenant: Any
) -> None:
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Dana")
    await sign_in(client, admin)
    page = await client.get(f"/t/{tenant.slug}/contacts/{contact}")
    assert f'hx-get="/t/{tenant.slug}/contacts/{contact}/consent/"' in page.text

    sales = await make_member(tenant, "sales")
    own = await add_contact(tenant, sales, "Sam")
    await sign_in(client, sales)
    page = await client.get(f"/t/{tenant.slug}/contacts/{own}")
    assert page.status_code == 200 and "/consent/" not in page.text
    assert (await client.get(f"/t/{tenant.slug}/contacts/{own}/consent/")).status_code == 403


async def test_recording_through_the_form(client: AsyncClient, tenant: Any) -> None:
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Dana")
    await sign_in(client, admin)
    url = f"/t/{tenant.slug}/contacts/{contact}/consent/"

    section = await client.get(url)
    assert section.status_code == 200 and "No consent has been recorded for this contact yet." in section.text
    saved = await _post(client, url, FORM)
    assert saved.status_code == 303 and saved.headers["location"].endswith(f"/contacts/{contact}#consent")
    section = await client.get(url, headers={"HX-Request": "true"})
    assert 'id="consent-section"' in section.text and "<html" not in section.text
    assert "Agreed on the call of 3 May" in section.text and "Phone call" in section.text

    # With htmx the section comes back with the notice; a stale version answers 409 with the section.
    withdrawn = await _post(
        client, url, {**FORM, "action": "withdraw", "version_sms_marketing": "1"}, **{"HX-Request": "true"}
    )
    assert withdrawn.status_code == 200 and "was recorded as withdrawn" in withdrawn.text
    stale = await _post(client, url, {**FORM, "version_sms_marketing": "1"}, **{"HX-Request": "true"})
    assert stale.status_code == 409 and "Someone else changed this consent meanwhile" in stale.text


async def test_form_errors_are_shown_in_the_readers_language(client: AsyncClient, tenant: Any) -> None:
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Dana")
    await sign_in(client, admin)
    url = f"/t/{tenant.slug}/contacts/{contact}/consent/"
    refused = await _post(
        client, url, {**FORM, "evidence": "", "lawful_basis": "whim"}, **{"HX-Request": "true"}
    )
    assert refused.status_code == 400
    assert MISSING_EVIDENCE in refused.text and "Choose a lawful basis this workspace allows." in refused.text

    client.cookies.set(LOCALE_COOKIE, "de")
    german = translations_for("de").gettext(MISSING_EVIDENCE)
    assert german != MISSING_EVIDENCE
    refused = await _post(client, url, {**FORM, "evidence": ""})
    assert refused.status_code == 400 and german in refused.text and MISSING_EVIDENCE not in refused.text


async def test_forms_are_hidden_from_readers_and_other_owners_contacts_are_missing(
    client: AsyncClient, tenant: Any
) -> None:
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Dana")
    marketing = await make_member(tenant, "marketing")
    await sign_in(client, marketing)
    section = await client.get(f"/t/{tenant.slug}/contacts/{contact}/consent/")
    assert section.status_code == 200 and "consent-form" not in section.text
    assert (await _post(client, f"/t/{tenant.slug}/contacts/{contact}/consent/", FORM)).status_code == 403

    role = await own_consent_role(tenant, admin)
    field = await make_member(tenant, role)
    await sign_in(client, field)
    assert (await client.get(f"/t/{tenant.slug}/contacts/{contact}/consent/")).status_code == 404


async def test_the_admin_overview_filters_pages_and_exports(client: AsyncClient, tenant: Any) -> None:
    admin = await make_member(tenant)
    await sign_in(client, admin)
    base = f"/t/{tenant.slug}/admin/consent/"
    empty = await client.get(base)
    assert empty.status_code == 200 and "No consent has been recorded yet." in empty.text
    assert f'href="{base}" aria-current="page"' in empty.text  # linked from the admin navigation

    contact = await add_contact(tenant, admin, "Zoe")
    async with acting_in(tenant, admin):
        await grant(contact, "profiling", evidence="=HYPERLINK(evil)")
        for number in range(30):
            await withdraw(contact, evidence=f"withdrawal {number}")
            await grant(contact, evidence=f"grant {number}")
    page = await client.get(base)
    assert page.text.count('class="consent-change"') == 50 and "Older entries" in page.text
    more = re.search(r'href="([^"]*before=\d+)"', page.text)
    assert more is not None
    older = await client.get(more.group(1).replace("&amp;", "&"))
    assert older.text.count('class="consent-change"') == 11
    profiling = await client.get(base, params={"purpose": "profiling"})
    assert profiling.text.count('class="consent-change"') == 1
    withdrawn = await client.get(base, params={"purpose": "sms_marketing", "status": "withdrawn"})
    assert withdrawn.text.count('class="consent-change"') == 30
    none = await client.get(base, params={"date_to": "2001-01-01"})
    assert "No consent changes match these filters." in none.text
    bad = await client.get(base, params={"status": "maybe", "date_from": "yesterday"})
    assert bad.status_code == 400 and "Choose a status from the list." in bad.text

    export = await client.get(base + "export.csv", params={"purpose": "profiling"})
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.text)))
    assert len(rows) == 2 and rows[1][1] == str(contact) and rows[1][3] == "Profiling"
    assert rows[1][8] == "'=HYPERLINK(evil)"  # spreadsheet formulas are defused
    async with acting_in(tenant, admin):
        exported = await AuditEntry.count().where(
            (AuditEntry.object_type == "consent") & (AuditEntry.action == "export")
        )
    assert exported == 1

    marketing = await make_member(tenant, "marketing")
    await sign_in(client, marketing)
    assert (await client.get(base)).status_code == 200
    assert "export.csv" not in (await client.get(base)).text
    assert (await client.get(base + "export.csv")).status_code == 403
    await sign_in(client, await make_member(tenant, "sales"))
    assert (await client.get(base)).status_code == 403


async def test_the_audit_viewer_filters_consent(client: AsyncClient, tenant: Any) -> None:
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Yara")
    async with acting_in(tenant, admin):
        await grant(contact)
    await sign_in(client, admin)
    viewer = await client.get(f"/t/{tenant.slug}/admin/audit/", params={"object_type": "consent"})
    assert viewer.status_code == 200 and '<option value="consent" selected>' in viewer.text
    assert viewer.text.count('class="audit-entry"') == 1
    assert f'href="/t/{tenant.slug}/contacts/{contact}">consent #{contact}' in viewer.text
    assert "sms_marketing.status" in viewer.text


async def test_the_admin_link_leads_to_the_first_admin_page_the_member_may_view(
    client: AsyncClient, tenant: Any
) -> None:
    link = re.compile(rf'<a href="/t/{tenant.slug}/admin/([a-z/-]*)"[^>]*>Admin</a>')
    for role, expected in (("admin", "users/"), ("marketing", "consent/"), ("sales", None)):
        await sign_in(client, await make_member(tenant, role))
        found = link.search((await client.get(f"/t/{tenant.slug}/")).text)
        assert (found.group(1) if found else None) == expected, role
