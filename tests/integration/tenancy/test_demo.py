"""``sampark up --demo`` seeding: a tenant, its admin and contacts, made once; the password kept 0600."""

from __future__ import annotations

import stat
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from sampark.platform.identity.tables import User
from sampark.platform.identity.users import authenticate
from sampark.platform.tenancy.context import tenant_context
from sampark.platform.tenancy.provisioning import drop_tenant, get_tenant
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.consent.tables import Consent
from sampark.tenants.contacts.tables import Contact
from sampark.tenants.demo import DEMO_ADMIN_EMAIL, DEMO_CONTACTS, DEMO_SLUG, seed_contacts, seed_demo
from tests.support.web import make_member


@pytest.fixture
async def no_demo(database) -> AsyncIterator[None]:
    assert await get_tenant(DEMO_SLUG) is None, "a demo tenant already exists in the test database"
    yield
    await drop_tenant(DEMO_SLUG)
    await User.delete().where(User.email == DEMO_ADMIN_EMAIL)


async def test_seeding_twice_makes_one_demo_with_one_password(no_demo, tmp_path: Path) -> None:
    first = await seed_demo(tmp_path)
    assert first.created
    assert first.contacts_added == len(DEMO_CONTACTS) >= 25
    assert first.password
    password_file = tmp_path / "demo-admin.txt"
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert first.password in password_file.read_text()
    assert await authenticate(DEMO_ADMIN_EMAIL, first.password) is not None

    second = await seed_demo(tmp_path)
    assert not second.created
    assert second.contacts_added == 0
    assert second.password == first.password
    async with tenant_context(slug=DEMO_SLUG):
        names = await Contact.select(Contact.first_name, Contact.last_name).output(as_list=False)
    assert len(names) == len(DEMO_CONTACTS)
    assert any(not row["last_name"].isascii() for row in names)  # realistic international names survive
    async with tenant_context(slug=DEMO_SLUG):
        answers = (
            await Consent.select(Consent.purpose, Consent.status).order_by(Consent.id).output(as_list=False)
        )
    # The EU demo requires double opt-in: the e-mail grant waits for confirmation; the SMS withdrawal stands.
    assert {(row["purpose"], row["status"]) for row in answers} == {
        ("email_marketing", "pending"), ("sms_marketing", "granted"), ("sms_marketing", "withdrawn"),
        ("phone_marketing", "granted"),
    }  # fmt: skip
    assert len(answers) == 4


async def test_contacts_are_added_only_to_an_empty_tenant(tenant) -> None:
    member = await make_member(tenant)
    assert await seed_contacts(tenant.slug, owner_email=member.email) == len(DEMO_CONTACTS)
    assert await seed_contacts(tenant.slug, owner_email=member.email) == 0
    async with tenant_context(slug=tenant.slug):
        owners = await Contact.select(Contact.owner_id).output(as_list=True)
        audited = await AuditEntry.count().where(AuditEntry.object_type == "contact")
    assert owners == [member.id] * len(DEMO_CONTACTS)
    assert audited == len(DEMO_CONTACTS)
