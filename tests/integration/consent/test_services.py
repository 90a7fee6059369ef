"""Consent rules against the real database: the contact rule per consent model, validation, history that
cannot be rewritten, deletes and merges, permissions, audit and tenant isolation."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import pytest

from sampark.platform.tenancy.context import tenant_connection, tenant_context
from sampark.tenants.access.policy import PermissionDenied, Principal, acting_as
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.consent.schemas import ConsentConflict, ConsentError, ConsentNotFound
from sampark.tenants.consent.services import contact_consents, contact_history, may_contact
from sampark.tenants.consent.tables import Consent
from sampark.tenants.contacts.services import delete_contact
from sampark.tenants.merging.services import merge_records
from sampark.tenants.settings.services import update_region_settings
from tests.integration.consent.helpers import grant, own_consent_role, withdraw
from tests.support.web import acting_in, add_contact, make_member


async def test_opt_out_counts_silence_as_allowed_until_withdrawn(make_tenant: Any) -> None:
    tenant = await make_tenant("US-CA")
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Avery")
    async with acting_in(tenant, admin):
        assert await may_contact(contact, "email_marketing") is True
        await withdraw(contact, "email_marketing")
        assert await may_contact(contact, "email_marketing") is False
        assert await may_contact(contact, "sms_marketing") is True
        await grant(contact, "email_marketing", lawful_basis="business_purpose")
        assert await may_contact(contact, "email_marketing") is True
    # The admin tightens the workspace to opt-in: silence no longer counts.
    async with acting_in(tenant, admin):
        await update_region_settings({"marketing_consent": "opt_in"})
        assert await may_contact(contact, "sms_marketing") is False
        assert await may_contact(contact, "email_marketing") is True


async def test_opt_in_counts_only_a_grant(make_tenant: Any) -> None:
    tenant = await make_tenant("EU")
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Lena")
    async with acting_in(tenant, admin):
        assert await may_contact(contact, "sms_marketing") is False
        granted = await grant(contact)
        assert granted.status == "granted" and granted.allowed and granted.version == 1
        assert await may_contact(contact, "sms_marketing") is True
        withdrawn = await withdraw(contact)
        # A withdrawal without a basis keeps the one recorded with the grant.
        assert (
            withdrawn.status == "withdrawn" and withdrawn.lawful_basis == "consent" and withdrawn.version == 2
        )
        assert await may_contact(contact, "sms_marketing") is False
        states = {view.purpose: view for view in await contact_consents(contact)}
        assert list(states) == [
            "email_marketing", "sms_marketing", "phone_marketing", "profiling", "third_party_sharing",
        ]  # fmt: skip
        assert states["sms_marketing"].status == "withdrawn" and not states["profiling"].recorded
        with pytest.raises(ValueError):
            await may_contact(contact, "carrier_pigeons")


async def test_lawful_basis_and_fields_are_checked(make_tenant: Any) -> None:
    tenant = await make_tenant("IN")  # DPDP: consent and legitimate use only
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Meera")
    async with acting_in(tenant, admin):
        with pytest.raises(ConsentError) as refused:
            await grant(contact, lawful_basis="contract")
        assert set(refused.value.errors) == {"lawful_basis"}
        with pytest.raises(ConsentError) as refused:
            await grant(contact, "newsletter_by_fax", source="telepathy", evidence="x" * 2001)
        assert set(refused.value.errors) == {"purpose", "source", "evidence"}
        with pytest.raises(ConsentError) as refused:
            await grant(contact, lawful_basis="", evidence="  ")
        assert set(refused.value.errors) == {"lawful_basis", "evidence"}
        assert (await grant(contact, lawful_basis="legitimate_use")).lawful_basis == "legitimate_use"
        assert await Consent.count() == 1


async def test_a_stale_version_is_refused(tenant: Any) -> None:
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Jonas")
    async with acting_in(tenant, admin):
        await grant(contact, expected_version=0)
        with pytest.raises(ConsentConflict) as stale:
            await withdraw(contact, expected_version=0)
        assert stale.value.current.version == 1 and stale.value.current.status == "granted"
        assert (await withdraw(contact, expected_version=1)).version == 2


async def test_history_cannot_be_rewritten_by_the_tenant_role(tenant: Any) -> None:
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Ines")
    async with acting_in(tenant, admin):
        await grant(contact)
    for statement in ("UPDATE consent_events SET evidence = 'forged'", "DELETE FROM consent_events"):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            async with tenant_context(slug=tenant.slug):
                await tenant_connection().execute(statement)
    async with acting_in(tenant, admin):
        page = await contact_history(contact)
    assert [event.evidence for event in page.items] == ["Ticked the newsletter box on the signup form"]


async def test_changes_are_audited_with_before_and_after(tenant: Any) -> None:
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Noor")
    async with acting_in(tenant, admin):
        await grant(contact)
        await withdraw(contact)
        entries = await AuditEntry.select().where(AuditEntry.object_type == "consent").order_by(AuditEntry.id)
    assert [(entry["action"], entry["object_id"], entry["actor_user_id"]) for entry in entries] == [
        ("create", contact, admin.id), ("update", contact, admin.id),
    ]  # fmt: skip
    changes = json.loads(entries[1]["changes"])
    assert changes["sms_marketing.status"] == {"before": "granted", "after": "withdrawn"}
    assert changes["sms_marketing.evidence"]["after"] == "Replied STOP"


async def test_a_deleted_contact_takes_its_consent_and_leaves_the_proof(tenant: Any) -> None:
    admin = await make_member(tenant)
    contact = await add_contact(tenant, admin, "Omar")
    async with acting_in(tenant, admin):
        await withdraw(contact)
        await delete_contact(contact, expected_version=None)
        assert await Consent.count() == 0
        events = await tenant_connection().fetch(
            "SELECT action, status FROM consent_events WHERE contact_id = $1 ORDER BY id", contact
        )
        deleted = await AuditEntry.count().where(
            (AuditEntry.object_type == "consent") & (AuditEntry.action == "delete")
        )
    assert [tuple(event) for event in events] == [("withdraw", "withdrawn"), ("delete", "withdrawn")]
    assert deleted == 1


async def test_a_merge_keeps_the_most_protective_answer(tenant: Any) -> None:
    admin = await make_member(tenant)
    survivor, duplicate = await add_contact(tenant, admin, "Priya"), await add_contact(tenant, admin, "Priya")
    async with acting_in(tenant, admin):
        await grant(survivor, "sms_marketing")
        await withdraw(survivor, "phone_marketing")
        await withdraw(duplicate, "sms_marketing", evidence="Asked us to stop by phone")
        await grant(duplicate, "phone_marketing")
        await grant(duplicate, "profiling", evidence="Agreed to tailored offers at the counter")
        await merge_records("contact", survivor, duplicate, {}, expected_version=None)
        states = {view.purpose: view for view in await contact_consents(survivor)}
        history = await contact_history(survivor, limit=50)
        assert await Consent.count().where(Consent.contact == duplicate) == 0
    assert states["sms_marketing"].status == "withdrawn"  # the duplicate's withdrawal wins
    assert states["sms_marketing"].evidence == "Asked us to stop by phone"
    assert states["phone_marketing"].status == "withdrawn"  # the survivor's withdrawal stays
    assert states["profiling"].status == "granted"  # only the duplicate had it: it moves over
    assert states["profiling"].evidence == "Agreed to tailored offers at the counter"
    # The survivor's history holds the duplicate's own events and the merge.
    assert {(event.contact_id, event.action) for event in history.items} >= {
        (duplicate, "withdraw"), (survivor, "merge"), (survivor, "grant"),
    }  # fmt: skip


async def test_permissions_follow_the_contact_owner(tenant: Any) -> None:
    admin = await make_member(tenant)
    role = await own_consent_role(tenant, admin)
    field, other = await make_member(tenant, role), await make_member(tenant, role)
    mine, theirs = await add_contact(tenant, field, "Mine"), await add_contact(tenant, other, "Theirs")
    async with acting_in(tenant, field):
        assert (await grant(mine)).recorded_by == field.id
        with pytest.raises(ConsentNotFound):  # another's contact does not exist for this user
            await contact_consents(theirs)
        with pytest.raises(ConsentNotFound):
            await grant(theirs)
    sales = await make_member(tenant, "sales")
    own_contact = await add_contact(tenant, sales, "Sales own")
    async with acting_in(tenant, sales):
        with pytest.raises(PermissionDenied):  # built-in Sales has no consent rights at all
            await contact_consents(own_contact)
    marketing = await make_member(tenant, "marketing")
    async with acting_in(tenant, marketing):
        assert len(await contact_consents(mine)) == 5  # Marketing may view every contact's consent...
        with pytest.raises(PermissionDenied):  # ...but not change it
            await grant(mine)


async def test_another_tenant_cannot_reach_the_consent(make_tenant: Any) -> None:
    first, second = await make_tenant("EU"), await make_tenant("EU")
    admin = await make_member(first)
    contact = await add_contact(first, admin, "Sofia")
    async with acting_in(first, admin):
        await grant(contact)
    async with tenant_context(slug=second.slug):
        with acting_as(Principal.system()):
            with pytest.raises(ConsentNotFound):
                await contact_consents(contact)
            with pytest.raises(ConsentNotFound):
                await grant(contact)
            assert await Consent.count() == 0
