"""Double opt-in end to end: grant → pending → outbox → relay → worker → mail in the sink → link → confirmed."""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from httpx import AsyncClient

from sampark.platform.config.settings import Settings
from sampark.platform.tenancy.context import tenant_connection, tenant_context
from sampark.tenants.access.policy import Principal, acting_as
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.consent.confirmation import confirm, confirmation_token, deliver_confirmation
from sampark.tenants.consent.schemas import ConsentError
from sampark.tenants.consent.services import contact_history, may_contact
from sampark.tenants.contacts.services import create_contact
from sampark.tenants.merging.services import merge_records
from sampark.tenants.settings.services import update_region_settings
from tests.integration.admin.conftest import deliver_mail, mails_to  # noqa: F401  (fixture)
from tests.integration.consent.helpers import grant, withdraw
from tests.integration.workers.conftest import broker, start_worker  # noqa: F401  (fixtures)
from tests.support.web import Member, acting_in, csrf_token, make_member

LINK = re.compile(r"(/consent/confirm/[a-z0-9-]+/[A-Za-z0-9_-]{20,})")


async def _contact_with_email(tenant: Any, admin: Member) -> tuple[int, str]:
    address = f"contact-{secrets.token_hex(4)}@example.com"
    async with acting_in(tenant, admin):
        contact = await create_contact({"first_name": "Clara", "emails": [address]})
    return contact.id, address


def _link(settings: Settings, address: str) -> str:
    [mail] = mails_to(settings, address)
    match = LINK.search(mail.body)
    assert match, mail.body
    return match.group(1)


async def test_a_grant_waits_for_the_contact_to_confirm(
    app: Any,
    client: AsyncClient,
    tenant: Any,
    settings: Settings,
    deliver_mail: Any,  # noqa: F811
) -> None:
    admin = await make_member(tenant)
    contact, address = await _contact_with_email(tenant, admin)
    async with acting_in(tenant, admin):
        pending = await grant(contact, "email_marketing")
        assert pending.status == "pending" and not pending.allowed
        assert await may_contact(contact, "email_marketing") is False
    assert mails_to(settings, address) == []  # nothing is sent before the relay and the worker run

    await deliver_mail()
    link = _link(settings, address)
    assert "Clara" in mails_to(settings, address)[0].body
    page = await client.get(link)  # opening the link (a mail scanner might) changes nothing
    assert page.status_code == 200 and "Please confirm that this was you." in page.text
    async with acting_in(tenant, admin):
        assert await may_contact(contact, "email_marketing") is False

    confirmed = await client.post(link, data={"_csrf_token": csrf_token(page)})
    assert confirmed.status_code == 200 and "Your consent is confirmed." in confirmed.text
    again = await client.post(link, data={"_csrf_token": csrf_token(page)})
    assert again.status_code == 200 and "This consent was confirmed already." in again.text
    async with acting_in(tenant, admin):
        assert await may_contact(contact, "email_marketing") is True
        history = await contact_history(contact)
        entry = (
            await AuditEntry.select()
            .where(AuditEntry.object_type == "consent")
            .order_by(AuditEntry.id, ascending=False)
            .first()
        )
        # A second delivery of the same message sends nothing (the request is marked sent).
        with acting_as(Principal.system()):
            assert await deliver_confirmation(settings, 1) is False
    assert [(event.action, event.status, event.actor_user_id) for event in history.items] == [
        ("confirm", "granted", None), ("grant", "pending", admin.id),
    ]  # fmt: skip
    assert entry is not None and entry["actor_user_id"] is None and "confirmed_by" in entry["changes"]
    assert len(mails_to(settings, address)) == 1


async def test_expired_withdrawn_and_foreign_links_are_refused(
    app: Any,
    client: AsyncClient,
    make_tenant: Any,
    settings: Settings,
    deliver_mail: Any,  # noqa: F811
) -> None:
    tenant, other = await make_tenant("EU"), await make_tenant("EU")
    admin = await make_member(tenant)
    (late, late_address), (changed, changed_address) = (
        await _contact_with_email(tenant, admin), await _contact_with_email(tenant, admin),
    )  # fmt: skip
    async with acting_in(tenant, admin):
        await grant(late, "email_marketing")
        await grant(changed, "email_marketing")
    await deliver_mail()
    expired_link, changed_link = _link(settings, late_address), _link(settings, changed_address)

    async with tenant_context(slug=tenant.slug):
        await tenant_connection().execute(
            "UPDATE consent_confirmations SET expires_at = now() - interval '1 minute' WHERE contact_id = $1",
            late,
        )
    expired = await client.get(expired_link)
    assert expired.status_code == 410 and "This confirmation link has expired." in expired.text
    refused = await client.post(expired_link, data={"_csrf_token": csrf_token(expired)})
    assert refused.status_code == 410

    async with acting_in(tenant, admin):
        await withdraw(changed, "email_marketing")  # withdrawn before confirming: the link is void
    assert (await client.get(changed_link)).status_code == 404
    foreign = changed_link.replace(f"/{tenant.slug}/", f"/{other.slug}/")
    assert (await client.get(foreign)).status_code == 404
    assert (await client.get(f"/consent/confirm/{tenant.slug}/{'x' * 43}")).status_code == 404
    assert (await client.get(f"/consent/confirm/no-such-tenant/{'x' * 43}")).status_code == 404
    async with acting_in(tenant, admin):
        assert await may_contact(late, "email_marketing") is False
        assert await may_contact(changed, "email_marketing") is False


async def test_without_an_address_or_with_double_opt_in_off(make_tenant: Any) -> None:
    tenant = await make_tenant("UK")  # double opt-in on by default, but not required by law
    admin = await make_member(tenant)
    async with acting_in(tenant, admin):
        nameless = (await create_contact({"first_name": "No mail"})).id
        with pytest.raises(ConsentError) as refused:
            await grant(nameless, "email_marketing")
        assert set(refused.value.errors) == {"purpose"}
        assert (
            await grant(nameless, "sms_marketing")
        ).status == "granted"  # only e-mail is confirmed by mail
        await update_region_settings({"double_opt_in": False})
        assert (await grant(nameless, "email_marketing")).status == "granted"


async def test_an_open_request_follows_a_merge(tenant: Any, settings: Settings) -> None:
    admin = await make_member(tenant)
    survivor, _survivor_address = await _contact_with_email(tenant, admin)
    duplicate, _address = await _contact_with_email(tenant, admin)
    async with acting_in(tenant, admin):
        await grant(duplicate, "email_marketing")
        row = await tenant_connection().fetchrow("SELECT id, nonce FROM consent_confirmations")
        await merge_records("contact", survivor, duplicate, {}, expected_version=None)
    token = confirmation_token(settings.secret_key, tenant.id, row["id"], row["nonce"])
    async with tenant_context(slug=tenant.slug):
        confirmed = await confirm(token)
    assert confirmed.state == "confirmed" and confirmed.confirmed_now
    async with acting_in(tenant, admin):
        assert await may_contact(survivor, "email_marketing") is True
