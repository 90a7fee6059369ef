"""Tenant region settings: the preset's values, overrides within bounds only, every change audited."""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

import pytest
from httpx import AsyncClient

from sampark.platform.identity.signup import SignupForm, sign_up
from sampark.platform.identity.tables import User
from sampark.platform.regions import ConsentModel, Deadline, DeadlineUnit
from sampark.platform.tenancy.context import TenantRecord, tenant_context
from sampark.platform.tenancy.provisioning import drop_tenant, get_tenant
from sampark.tenants.access.policy import PermissionDenied, Principal, acting_as, load_principal
from sampark.tenants.audit.tables import AuditEntry
from sampark.tenants.settings.services import (
    RegionSettingsError,
    effective_region_settings,
    reset_region_settings,
    update_region_settings,
)
from sampark.tenants.settings.tables import TenantSetting
from tests.support.web import csrf_token, make_member, sign_in

EU_FORM = {
    "marketing_consent": "opt_in",
    "lawful_bases": ["consent", "contract", "legitimate_interests"],
    "unsubscribe_deadline_amount": "1",
    "unsubscribe_deadline_unit": "days",
    "dsar_deadline_amount": "20",
    "dsar_deadline_unit": "days",
    "collection_notice": "on",
    "contact_retention_months": "12",
    "default_locale": "de",
    "default_time_zone": "Europe/Berlin",
    "default_currency": "EUR",
}


async def settings_of(tenant: TenantRecord) -> Any:
    async with tenant_context(slug=tenant.slug):
        return await effective_region_settings()


async def audit_of(tenant: TenantRecord) -> list[dict[str, Any]]:
    async with tenant_context(slug=tenant.slug):
        return await AuditEntry.select().where(AuditEntry.object_type == "settings").order_by(AuditEntry.id)


async def post_region(client: AsyncClient, tenant: TenantRecord, form: dict[str, Any]) -> Any:
    page = await client.get(f"/t/{tenant.slug}/settings/region")
    assert page.status_code == 200
    return await client.post(
        f"/t/{tenant.slug}/settings/region", data={**form, "_csrf_token": csrf_token(page)}
    )


async def test_a_new_tenant_follows_its_preset(make_tenant: Any) -> None:
    settings = await settings_of(await make_tenant("UK"))
    assert settings.region == "UK" and settings.overridden == frozenset()
    assert settings.marketing_consent is ConsentModel.OPT_IN
    assert settings.dsar_deadline == Deadline(1, DeadlineUnit.MONTHS)
    assert (settings.default_locale, settings.default_currency, settings.default_time_zone) == (
        "en", "GBP", "Europe/London",
    )  # fmt: skip


async def test_the_page_shows_the_preset_and_its_bounds(client: AsyncClient, tenant: TenantRecord) -> None:
    admin = await make_member(tenant, "admin")
    await sign_in(client, admin)
    page = await client.get(f"/t/{tenant.slug}/settings/region")
    assert page.status_code == 200
    assert "European Union" in page.text and "GDPR" in page.text
    assert "The law allows at most 1 month." in page.text
    assert 'name="double_opt_in" checked' in page.text and "Required in this region." in page.text


async def test_override_within_bounds_is_saved_and_audited(client: AsyncClient, tenant: TenantRecord) -> None:
    admin = await make_member(tenant, "admin")
    await User.update({User.locale: "en"}).where(User.id == admin.id)  # the form moves the tenant to German
    await sign_in(client, admin)
    saved = await post_region(client, tenant, EU_FORM)
    assert saved.status_code == 303, saved.text
    settings = await settings_of(tenant)
    assert settings.dsar_deadline == Deadline(20)
    assert settings.unsubscribe_deadline == Deadline(1)
    assert settings.lawful_bases == ("consent", "contract", "legitimate_interests")
    assert settings.contact_retention_months == 12 and settings.default_locale == "de"
    assert settings.double_opt_in is True  # required in the EU: the form cannot turn it off
    assert settings.overridden == {
        "dsar_deadline", "unsubscribe_deadline", "lawful_bases", "contact_retention_months", "default_locale",
        "default_time_zone",
    }  # fmt: skip
    entries = await audit_of(tenant)
    assert len(entries) == 1 and entries[0]["actor_user_id"] == admin.id and entries[0]["action"] == "update"
    changes = json.loads(entries[0]["changes"])
    assert changes["dsar_deadline"] == {
        "before": json.dumps({"amount": 1, "unit": "months"}, sort_keys=True),
        "after": json.dumps({"amount": 20, "unit": "days"}, sort_keys=True),
    }
    assert changes["contact_retention_months"] == {"before": 24, "after": 12}
    assert "default_currency" not in changes  # unchanged settings are not audited
    # The page now says what was changed from the preset.
    assert "Changed from the region" in (await client.get(f"/t/{tenant.slug}/settings/region")).text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"dsar_deadline_amount": "2", "dsar_deadline_unit": "months"},
            "dsar_deadline",
            "The law allows at most",
        ),
        ({"dsar_deadline_amount": "29"}, "dsar_deadline", "The law allows at most"),
        ({"unsubscribe_deadline_amount": "soon"}, "unsubscribe_deadline", "Enter a whole number."),
        ({"marketing_consent": "opt_out"}, "marketing_consent", "requires opt-in consent"),
        ({"contact_retention_months": "500"}, "contact_retention_months", "Choose a number from 1 to 72."),
        ({"default_time_zone": "Mars/Olympus"}, "default_time_zone", "Choose one of the listed options."),
        ({"lawful_bases": ["consent", "business_purpose"]}, "lawful_bases", "recognises"),
    ],
)
async def test_override_outside_bounds_is_refused_inline(
    client: AsyncClient, tenant: TenantRecord, changes: dict[str, Any], field: str, message: str
) -> None:
    admin = await make_member(tenant, "admin")
    await sign_in(client, admin)
    refused = await post_region(client, tenant, {**EU_FORM, **changes})
    assert refused.status_code == 400
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', refused.text)
    assert error and message in error.group(1), refused.text
    assert 'aria-invalid="true"' in refused.text and "error-summary" in refused.text
    async with tenant_context(slug=tenant.slug):
        assert await TenantSetting.count() == 0
    assert await audit_of(tenant) == []


async def test_law_fixed_rules_cannot_be_relaxed_through_the_service(tenant: TenantRecord) -> None:
    async with tenant_context(slug=tenant.slug):
        with acting_as(Principal.system()), pytest.raises(RegionSettingsError) as refused:
            await update_region_settings(
                {"double_opt_in": False, "lawful_bases": ["contract"], "no_such_setting": 1}
            )
    assert set(refused.value.errors) == {"double_opt_in", "lawful_bases", "no_such_setting"}


async def test_reset_returns_to_the_preset_and_is_audited(tenant: TenantRecord) -> None:
    async with tenant_context(slug=tenant.slug):
        with acting_as(Principal.system()):
            await update_region_settings({"default_currency": "CHF", "collection_notice": True})
            # Saving the preset's own value stores nothing: the tenant keeps following the preset.
            assert await TenantSetting.count() == 1
            restored = await reset_region_settings()
            assert restored.overridden == frozenset() and restored.default_currency == "EUR"
            assert await TenantSetting.count() == 0
    entries = await audit_of(tenant)
    assert [json.loads(entry["changes"])["default_currency"] for entry in entries] == [
        {"before": "EUR", "after": "CHF"},
        {"before": "CHF", "after": "EUR"},
    ]


async def test_only_roles_with_settings_permissions(client: AsyncClient, tenant: TenantRecord) -> None:
    seller = await make_member(tenant, "sales")
    await sign_in(client, seller)
    assert (await client.get(f"/t/{tenant.slug}/settings/region")).status_code == 403
    home = await client.get(f"/t/{tenant.slug}/")
    posted = await client.post(
        f"/t/{tenant.slug}/settings/region", data={**EU_FORM, "_csrf_token": csrf_token(home)}
    )
    assert posted.status_code == 403
    async with tenant_context(slug=tenant.slug, member_user_id=seller.id) as context:
        with acting_as(await load_principal(seller.id, context.member_role or "")):
            # Features still read the rules for everyone: applying them is not reading anyone's data.
            assert (await effective_region_settings()).region == "EU"
            with pytest.raises(PermissionDenied):
                await update_region_settings({"default_currency": "CHF"})


async def test_sign_up_takes_the_region_from_the_registry(database: Any) -> None:
    slug, email = f"rg-{secrets.token_hex(4)}", f"user-{secrets.token_hex(4)}@example.com"
    form = SignupForm("Loja Exemplo", slug, "BR", "Ana Souza", email, "violet-kettle-harbour-42")
    tenant, user = await sign_up(form)
    try:
        assert (tenant.region, tenant.placement) == ("BR", "br")
        settings = await settings_of(tenant)
        assert (settings.default_locale, settings.default_currency, settings.default_time_zone) == (
            "pt_BR", "BRL", "America/Sao_Paulo",
        )  # fmt: skip
        assert settings.dsar_deadline == Deadline(15)
        assert (await get_tenant(slug)) is not None
    finally:
        await drop_tenant(slug)
        await User.delete().where(User.id == user.id)
