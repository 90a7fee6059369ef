"""Tenant settings rules: the region preset merged with the admin's overrides, changed only within the bounds
the preset allows, every change audited. Runs inside a tenant context.

``effective_region_settings()`` is what consent, campaign and data-request features call; it checks no
permission, because applying the tenant's rules is not reading anyone's data. Viewing and changing them on the
settings page needs the ``settings`` permissions.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

import structlog

from sampark.platform.i18n import gettext as _
from sampark.platform.regions import SETTING_KEYS, RegionPreset, get_preset
from sampark.platform.tenancy.context import current_tenant, tenant_connection
from sampark.tenants.access.policy import require
from sampark.tenants.audit.services import record_change
from sampark.tenants.settings.schemas import LocaleDefaults, RegionSettings

OBJECT = "settings"
log = structlog.get_logger("sampark.settings")

_OVERRIDES = "SELECT key, value FROM tenant_settings WHERE key = ANY($1::text[])"
_UPSERT = (
    "INSERT INTO tenant_settings (key, value, updated_by, updated_at) VALUES ($1, $2::jsonb, $3, now())"
    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by,"
    " updated_at = EXCLUDED.updated_at"
)
# The first of the member's teams (lowest id) that chose a value wins each default; one round trip, run on
# every tenant request, so the overrides for the three tenant defaults come along.
_LOCALE_DEFAULTS = """
SELECT
  (SELECT default_locale FROM teams WHERE id = ANY($1::bigint[]) AND default_locale <> '' ORDER BY id LIMIT 1)
    AS team_locale,
  (SELECT default_time_zone FROM teams WHERE id = ANY($1::bigint[]) AND default_time_zone <> '' ORDER BY id
    LIMIT 1) AS team_time_zone,
  (SELECT default_currency FROM teams WHERE id = ANY($1::bigint[]) AND default_currency <> '' ORDER BY id
    LIMIT 1) AS team_currency,
  (SELECT jsonb_object_agg(key, value) FROM tenant_settings
    WHERE key IN ('default_locale', 'default_time_zone', 'default_currency')) AS tenant_defaults
"""


class RegionSettingsError(ValueError):
    """Refused changes; ``errors`` maps setting keys to translated messages to show beside each field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


def merge(preset: RegionPreset, overrides: Mapping[str, Any]) -> RegionSettings:
    """Apply ``overrides`` (stored JSON values) to ``preset``; one outside today's bounds falls back to the
    preset, so a rule the law tightened after an admin chose a laxer value is enforced at once."""
    values = preset.defaults()
    overridden: set[str] = set()
    for key, value in overrides.items():
        if key not in SETTING_KEYS:
            continue
        rule = preset.rule(key)
        if rule.check(value) is None:
            values[key] = rule.to_json(value)
            overridden.add(key)
        else:
            log.warning("settings.override_ignored", key=key, region=preset.code)
    return RegionSettings.from_values(preset, values, frozenset(overridden))


async def _stored_overrides() -> dict[str, Any]:
    rows = await tenant_connection().fetch(_OVERRIDES, list(SETTING_KEYS))
    return {row["key"]: json.loads(row["value"]) for row in rows}


async def effective_region_settings() -> RegionSettings:
    """The current tenant's region rules, preset and overrides merged."""
    return merge(get_preset(current_tenant().region), await _stored_overrides())


async def region_settings_for_page() -> RegionSettings:
    """The same, for the settings page: the principal must be allowed to view settings.

    Raises:
        PermissionDenied: the role may not view settings.
    """
    require(OBJECT, "view", record=False)
    return await effective_region_settings()


async def locale_defaults(team_ids: Collection[int]) -> LocaleDefaults:
    """The member's team defaults and the tenant's defaults (overrides, else the region preset's)."""
    row = await tenant_connection().fetchrow(_LOCALE_DEFAULTS, list(team_ids))
    preset = get_preset(current_tenant().region)
    stored = json.loads(row["tenant_defaults"]) if row["tenant_defaults"] else {}
    tenant = merge(preset, stored)
    return LocaleDefaults(
        team_locale=row["team_locale"] or "",
        team_time_zone=row["team_time_zone"] or "",
        team_currency=row["team_currency"] or "",
        tenant_locale=tenant.default_locale,
        tenant_time_zone=tenant.default_time_zone,
        tenant_currency=tenant.default_currency,
        country=preset.country,
        cldr_region=preset.cldr_region,
    )


def _audit_value(value: Any) -> Any:
    return json.dumps(value, sort_keys=True, ensure_ascii=False) if isinstance(value, dict | list) else value


async def _apply(preset: RegionPreset, wanted: Mapping[str, Any], actor: int | None) -> RegionSettings:
    """Store ``wanted`` (clean JSON values) as overrides, dropping those equal to the preset; audit the changes."""
    connection = tenant_connection()
    # Two admins saving at once must not audit a "before" the other one has already replaced.
    await connection.execute("LOCK TABLE tenant_settings IN SHARE ROW EXCLUSIVE MODE")
    stored = await _stored_overrides()
    before = merge(preset, stored)
    defaults = preset.defaults()
    for key, value in wanted.items():
        if value == defaults[key]:
            if key in stored:
                await connection.execute("DELETE FROM tenant_settings WHERE key = $1", key)
        elif stored.get(key) != value:
            await connection.execute(_UPSERT, key, json.dumps(value), actor)
    after = merge(preset, await _stored_overrides())
    changed = [key for key in SETTING_KEYS if before.values[key] != after.values[key]]
    if changed:
        await record_change(
            "update", OBJECT, None, actor_user_id=actor,
            before={key: _audit_value(before.values[key]) for key in changed},
            after={key: _audit_value(after.values[key]) for key in changed},
        )  # fmt: skip
    return after


async def update_region_settings(changes: Mapping[str, Any]) -> RegionSettings:
    """Change some settings (``{key: value in JSON form}``); each must stay within the preset's bounds.

    A value equal to the preset's drops the override, so the tenant follows future preset changes again.

    Raises:
        PermissionDenied: the role may not edit settings.
        RegionSettingsError: a value is unknown or outside its bounds; nothing was changed.
    """
    principal = require(OBJECT, "edit", record=False)
    preset = get_preset(current_tenant().region)
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in SETTING_KEYS:
            errors[key] = _("This setting does not exist.")
            continue
        rule = preset.rule(key)
        if problem := rule.check(value):
            errors[key] = problem
        else:
            clean[key] = rule.to_json(value)
    if errors:
        raise RegionSettingsError(errors)
    return await _apply(preset, clean, principal.user_id)


async def reset_region_settings() -> RegionSettings:
    """Drop every override: the tenant follows its region preset again (audited).

    Raises:
        PermissionDenied: the role may not edit settings.
    """
    principal = require(OBJECT, "edit", record=False)
    preset = get_preset(current_tenant().region)
    return await _apply(preset, preset.defaults(), principal.user_id)
