"""Time zone and currency: the user's, then the team's, then the tenant's (its settings, else its preset)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from sampark.platform.i18n import Preferences, current_locale, current_preferences, use_preferences
from sampark.platform.i18n.preferences import UserPreferences
from sampark.platform.tenancy.context import TenantRecord, tenant_context
from sampark.tenants.access.policy import Principal, acting_as
from sampark.tenants.access.tables import Team
from sampark.tenants.settings.services import update_region_settings
from sampark.web.locale.resolve import apply_member_preferences


def request(**headers: str) -> Request[Any, Any, Any]:
    raw = [(name.replace("_", "-").lower().encode(), value.encode()) for name, value in headers.items()]
    scope: Any = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": raw,
        "state": {},
        "query_string": b"",
    }
    return Request(scope)


async def resolve(
    tenant: TenantRecord, user: UserPreferences | None, team_ids: list[int], **headers: str
) -> Any:
    with use_preferences(Preferences()):  # as the middleware does: restores whatever the request switched to
        async with tenant_context(slug=tenant.slug):
            return await apply_member_preferences(request(**headers), user, team_ids)


async def test_time_zone_and_currency_levels(make_tenant: Any) -> None:
    tenant = await make_tenant("IN")
    preset = await resolve(tenant, None, [])
    assert (preset.locale, preset.time_zone, preset.currency) == ("en", "Asia/Kolkata", "INR")
    assert (preset.country, preset.cldr_region) == ("IN", "IN")

    async with tenant_context(slug=tenant.slug):
        with acting_as(Principal.system()):
            await update_region_settings({"default_time_zone": "Asia/Dubai", "default_currency": "AED"})
        quiet = (await Team.insert(Team(name="Quiet")).returning(Team.id))[0]["id"]
        gulf = (
            await Team.insert(
                Team(
                    name="Gulf", default_locale="ar", default_time_zone="Asia/Riyadh", default_currency="SAR"
                )
            ).returning(Team.id)
        )[0]["id"]
    tenant_level = await resolve(tenant, None, [quiet])
    assert (tenant_level.time_zone, tenant_level.currency) == ("Asia/Dubai", "AED")
    team_level = await resolve(tenant, None, [quiet, gulf])
    assert (team_level.locale, team_level.time_zone, team_level.currency) == ("ar", "Asia/Riyadh", "SAR")
    own = await resolve(tenant, UserPreferences(locale="de", time_zone="Europe/Berlin"), [gulf])
    assert (own.locale, own.time_zone, own.currency) == ("de", "Europe/Berlin", "SAR")
    # A user's choice this machine cannot use falls through to the next level.
    broken = await resolve(tenant, UserPreferences(locale="xx", time_zone="Mars/Olympus"), [gulf])
    assert (broken.locale, broken.time_zone) == ("ar", "Asia/Riyadh")
    # The cookie (the switcher's choice on this browser) stands in for a user who saved none.
    cookie = await resolve(tenant, UserPreferences(), [gulf], cookie="sampark_locale=ja")
    assert cookie.locale == "ja"


async def test_preferences_stay_for_the_rest_of_the_request(tenant: TenantRecord) -> None:
    with use_preferences(Preferences(locale="en")):
        async with tenant_context(slug=tenant.slug):
            await apply_member_preferences(request(), UserPreferences("fr", "Europe/Paris"), [])
        # The tenant transaction is over, but an error page rendered now still speaks French.
        assert current_locale() == "fr" and current_preferences().time_zone == "Europe/Paris"
    assert current_locale() == "en" and current_preferences().time_zone == "UTC"
