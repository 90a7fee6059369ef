"""``/t/<slug>/settings/region``: the region preset's rules, and the admin's overrides within its bounds."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect

from sampark.platform.i18n import current_locale
from sampark.platform.i18n import gettext as _
from sampark.platform.regions import get_preset
from sampark.tenants.access.policy import current_principal
from sampark.tenants.settings.schemas import RegionSettings
from sampark.tenants.settings.services import (
    RegionSettingsError,
    region_settings_for_page,
    reset_region_settings,
    update_region_settings,
)
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render
from sampark.web.settings.forms import FormData, choice_lists, parse_region_form, setting_views


def _page(
    request: Request[Any, Any, Any],
    settings: RegionSettings,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[str]:
    preset = settings.preset
    return render(
        request,
        "settings/region.html",
        {
            "preset": preset,
            "settings": settings,
            "views": setting_views(preset, {**settings.values, **(values or {})}, settings.overridden),
            "choices": choice_lists(preset, current_locale()),
            "errors": errors or {},
            "can_edit": current_principal().can("settings", "edit"),
        },
        status_code=status_code,
    )


class RegionSettingsController(Controller):
    path = "/settings/region"
    include_in_schema = False

    @get("/")
    async def show(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        return _page(request, await region_settings_for_page())

    @post("/", status_code=303)
    async def save(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        preset = get_preset(tenant.region)
        changes, errors = parse_region_form(preset, FormData(await request.form()))
        if not errors:
            try:
                await update_region_settings(changes)
            except RegionSettingsError as refused:
                errors = refused.errors
        if errors:
            current = await region_settings_for_page()
            return _page(request, current, values=changes, errors=errors, status_code=400)
        flash(request, _("Region settings saved."), "success")
        return Redirect(path=f"/t/{tenant.slug}/settings/region", status_code=303)

    @post("/reset", status_code=303)
    async def reset(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        await reset_region_settings()
        flash(request, _("Region settings restored to the preset."), "success")
        return Redirect(path=f"/t/{tenant.slug}/settings/region", status_code=303)
