"""Custom field definitions and values through the services: every type's rules, audit, archive and delete."""

import pytest

from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.contacts.services import ContactError, create_contact, get_contact, update_contact
from sampark.tenants.customfields.schemas import FieldDefinitionError
from sampark.tenants.customfields.services import (
    create_field,
    delete_field,
    fields_for,
    move_field,
    set_archived,
    update_field,
)
from sampark.tenants.history.services import record_history
from tests.integration.customfields.helpers import TIER, add_field
from tests.support.web import acting_in, make_member

ALL_TYPES = [
    {"key": "nickname", "type": "text", "label": "Nickname", "max_length": "5"},
    {"key": "score", "type": "number", "label": "Score", "min_value": "0", "max_value": "10"},
    {"key": "born", "type": "date", "label": "Born", "min_value": "1900-01-01"},
    TIER,
    {"key": "topics", "type": "multi_select", "label": "Topics",
     "options": [{"key": "ai", "label": "AI"}, {"key": "crm", "label": "CRM"}]},
    {"key": "vip", "type": "boolean", "label": "VIP"},
    {"key": "site", "type": "url", "label": "Site"},
    {"key": "budget", "type": "currency", "label": "Budget", "max_value": "1000000"},
]  # fmt: skip


async def test_every_type_accepts_good_values_and_refuses_bad_ones(tenant) -> None:
    admin = await make_member(tenant)
    for data in ALL_TYPES:
        await add_field(tenant, admin, **data)
    good = {
        "nickname": " Bo  b ", "score": "7.5", "born": "1980-02-29", "tier": "gold", "topics": ["crm", "ai"],
        "vip": True, "site": "https://example.com/x", "budget": {"amount": "1200.50", "currency": "eur"},
    }  # fmt: skip
    bad = {
        "nickname": "toolong", "score": "11", "born": "1899-12-31", "tier": "platinum", "topics": ["ai", "x"],
        "vip": "perhaps", "site": "javascript:alert(1)", "budget": {"amount": "12", "currency": "ZZZ"},
    }  # fmt: skip
    async with acting_in(tenant, admin):
        contact = await create_contact({"first_name": "Ann", "custom": good})
        assert contact.custom == {
            "nickname": "Bo b", "score": 7.5, "born": "1980-02-29", "tier": "gold", "topics": ["ai", "crm"],
            "vip": True, "site": "https://example.com/x", "budget": {"amount": "1200.50", "currency": "EUR"},
        }  # fmt: skip
        with pytest.raises(ContactError) as refused:
            await create_contact({"first_name": "Bob", "custom": bad})
        assert set(refused.value.errors) == {f"custom.{key}" for key in bad}
        with pytest.raises(ContactError) as unknown:
            await create_contact({"first_name": "Bob", "custom": {"nope": "1"}})
        assert set(unknown.value.errors) == {"custom.nope"}
        # PATCH semantics: only the keys sent change; blank removes one.
        changed = await update_contact(
            contact.id, {"custom": {"score": "", "tier": "silver"}}, expected_version=1
        )
        assert "score" not in changed.custom and changed.custom["tier"] == "silver"
        assert changed.custom["nickname"] == "Bo b" and changed.version == 2


async def test_required_fields_and_history_with_labels(tenant) -> None:
    admin = await make_member(tenant)
    await add_field(
        tenant, admin, key="tier", type="select", label="Tier", required=True, options=TIER["options"]
    )
    async with acting_in(tenant, admin):
        with pytest.raises(ContactError) as missing:
            await create_contact({"first_name": "Ann"})
        assert "custom.tier" in missing.value.errors and "Tier" in missing.value.errors["custom.tier"]
        contact = await create_contact({"first_name": "Ann", "custom": {"tier": "gold"}})
        await update_contact(contact.id, {"custom": {"tier": "silver"}}, expected_version=None)
        history = await record_history("contact", contact.id)
    change = history.entries[0].changes[0]
    assert (change.field, change.before, change.after) == ("cf.tier", "gold", "silver")


async def test_definition_rules_and_permissions(tenant) -> None:
    admin, sales = await make_member(tenant), await make_member(tenant, "sales")
    async with acting_in(tenant, sales):
        with pytest.raises(PermissionDenied):
            await create_field("contacts", {"key": "x", "type": "text", "label": "X"})
    async with acting_in(tenant, admin):
        with pytest.raises(FieldDefinitionError) as refused:
            await create_field(
                "contacts",
                {"key": "Bad Key", "type": "colour", "label": "", "labels": {"xx": "?"}},
            )
        assert {"key", "type", "label", "labels.xx"} <= set(refused.value.errors)
        with pytest.raises(FieldDefinitionError) as no_options:
            await create_field("contacts", {"key": "tier", "type": "select", "label": "Tier"})
        assert "options" in no_options.value.errors
        with pytest.raises(FieldDefinitionError) as range_:
            await create_field(
                "contacts", {"key": "n", "type": "number", "label": "N", "min_value": "5", "max_value": "1"}
            )
        assert "max_value" in range_.value.errors
        tier = await create_field("contacts", TIER)
        with pytest.raises(FieldDefinitionError):
            await create_field("contacts", TIER)  # the key is taken
        other = await create_field("contacts", {"key": "note", "type": "text", "label": "Note"})
        assert [f.key for f in await fields_for("contacts")] == ["tier", "note"]
        await move_field(other.id, -1)
        assert [f.key for f in await fields_for("contacts")] == ["note", "tier"]
        contact = await create_contact({"first_name": "Ann", "custom": {"tier": "gold"}})
        # An option in use cannot be removed; the label can change; the key and type never do.
        with pytest.raises(FieldDefinitionError):
            await update_field(tier.id, {**TIER, "options": [TIER["options"][1]]}, expected_version=1)
        renamed = await update_field(
            tier.id, {**TIER, "label": "Level", "type": "text", "key": "z"}, expected_version=1
        )
        assert (renamed.label, renamed.type, renamed.key, renamed.version) == ("Level", "select", "tier", 2)
        # Archiving hides the field and keeps the value; writes to it are refused.
        await set_archived(tier.id, True, expected_version=2)
        assert [f.key for f in await fields_for("contacts")] == ["note"]
        kept = await update_contact(contact.id, {"custom": {"note": "hi"}}, expected_version=None)
        assert kept.custom == {"tier": "gold", "note": "hi"}
        await set_archived(tier.id, False, expected_version=3)
        # Deleting removes the values, and the contact's history says so.
        _deleted, cleared = await delete_field(tier.id, expected_version=4)
        assert cleared == 1
        after = await get_contact(contact.id)
        assert after is not None and after.custom == {"note": "hi"} and after.version == kept.version + 1
        history = await record_history("contact", contact.id)
    assert [(c.field, c.before, c.after) for c in history.entries[0].changes] == [("cf.tier", "gold", "")]
