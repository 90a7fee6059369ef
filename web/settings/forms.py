"""The region settings form: HTML fields to setting values and back, and what the page says about bounds."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from babel.numbers import get_currency_name

from sampark.platform.i18n import current_locale, locale_choices
from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.context import currency_codes, time_zone_names
from sampark.platform.regions import SETTING_KEYS, Deadline, RegionPreset
from sampark.platform.regions.labels import CONSENT_MODELS, DEADLINE_UNITS, LAWFUL_BASES, SETTINGS
from sampark.platform.regions.model import (
    BasesRule,
    ConsentModel,
    ConsentRule,
    DeadlineRule,
    FlagRule,
    RangeRule,
)

DEADLINE_KEYS = ("dsar_deadline", "unsubscribe_deadline")
FLAG_KEYS = ("double_opt_in", "collection_notice")


class FormData:
    """What the page's form sent: ``get`` for one value, ``getall`` for repeated ones (checkbox groups)."""

    def __init__(self, data: Any) -> None:
        self._data = data

    def get(self, key: str) -> str:
        return str(self._data.get(key, "") or "").strip()

    def getall(self, key: str) -> list[str]:
        getall = getattr(self._data, "getall", None)
        values = getall(key, []) if getall else [self._data.get(key)]
        return [str(value) for value in values if value]


def _whole_number(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 6 else None


def parse_region_form(preset: RegionPreset, form: FormData) -> tuple[dict[str, Any], dict[str, str]]:
    """Turn the submitted fields into ``{key: JSON value}`` for the settings service, plus inline errors for
    fields that are not even numbers. Bounds are the service's business; controls the page showed disabled
    (a rule the law fixes) are not read, so they keep their value."""
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    changes["marketing_consent"] = form.get("marketing_consent")
    for key in FLAG_KEYS:
        rule = preset.rule(key)
        if not (isinstance(rule, FlagRule) and rule.required):
            changes[key] = form.get(key) == "on"
    bases = preset.lawful_bases
    changes["lawful_bases"] = [
        *bases.required,
        *(b for b in form.getall("lawful_bases") if b not in bases.required),
    ]
    for key in DEADLINE_KEYS:
        amount = _whole_number(form.get(f"{key}_amount"))
        if amount is None:
            errors[key] = _("Enter a whole number.")
        else:
            changes[key] = {"amount": amount, "unit": form.get(f"{key}_unit") or "days"}
    months = _whole_number(form.get("contact_retention_months"))
    if months is None:
        errors["contact_retention_months"] = _("Enter a whole number.")
    else:
        changes["contact_retention_months"] = months
    for key in ("default_locale", "default_time_zone", "default_currency"):
        changes[key] = form.get(key)
    return changes, errors


@dataclass(frozen=True)
class SettingView:
    """One setting as the page shows it."""

    key: str
    label: str
    help: str
    value: Any  # JSON form, or what was submitted when the form is shown again with errors
    preset_value: str  # the preset's value, written out
    overridden: bool
    bound: str  # what the law allows, written out ("" when the choice is free)
    locked: bool  # the law fixes it: shown, not editable


def describe(preset: RegionPreset, key: str, value: Any) -> str:
    """A setting's value in words, in the reader's language."""
    rule = preset.rule(key)
    if isinstance(rule, ConsentRule):
        return str(CONSENT_MODELS.get(str(value), value))
    if isinstance(rule, FlagRule):
        return _("On") if value else _("Off")
    if isinstance(rule, BasesRule):
        return ", ".join(str(LAWFUL_BASES.get(item, item)) for item in value)
    if isinstance(rule, DeadlineRule):
        return Deadline.from_json(value).describe()
    if key == "default_locale":
        return dict(locale_choices()).get(str(value), str(value))
    if key == "default_currency":
        return f"{value} · {get_currency_name(str(value), locale=current_locale())}"
    return str(value)


def _bound(preset: RegionPreset, key: str) -> tuple[str, bool]:
    rule = preset.rule(key)
    if isinstance(rule, ConsentRule) and rule.floor is ConsentModel.OPT_IN:
        return _("The law in this region requires opt-in consent."), True
    if isinstance(rule, FlagRule) and rule.required:
        return _("Required in this region."), True
    if isinstance(rule, DeadlineRule):
        text = _("The law allows at most %(limit)s.", limit=rule.limit.describe())
        if rule.extension is not None:
            text += " " + _(
                "It may be extended by %(extension)s for complex requests if you tell the person why.",
                extension=rule.extension.describe(),
            )
        return text, False
    if isinstance(rule, RangeRule):
        return _("Choose a number from %(min)d to %(max)d.", min=rule.minimum, max=rule.maximum), False
    return "", False


def setting_views(
    preset: RegionPreset, values: dict[str, Any], overridden: frozenset[str]
) -> dict[str, SettingView]:
    defaults = preset.defaults()
    views = {}
    for key in SETTING_KEYS:
        label, help_text = SETTINGS[key]
        bound, locked = _bound(preset, key)
        views[key] = SettingView(
            key=key,
            label=str(label),
            help=str(help_text),
            value=values.get(key, defaults[key]),
            preset_value=describe(preset, key, defaults[key]),
            overridden=key in overridden,
            bound=bound,
            locked=locked,
        )
    return views


@lru_cache(maxsize=16)
def currency_options(locale: str) -> list[tuple[str, str]]:
    """``(code, "code · name")`` for every ISO currency, sorted by code."""
    return [(code, f"{code} · {get_currency_name(code, locale=locale)}") for code in sorted(currency_codes())]


@lru_cache(maxsize=1)
def time_zone_options() -> list[str]:
    return sorted(time_zone_names())


def choice_lists(preset: RegionPreset, locale: str) -> dict[str, Any]:
    """The options of every select and checkbox group on the page (lawful bases: the region's own list)."""
    return {
        "consent_models": [(model.value, str(CONSENT_MODELS[model.value])) for model in ConsentModel],
        "units": [(unit, str(name)) for unit, name in DEADLINE_UNITS.items()],
        "bases": [(key, str(LAWFUL_BASES.get(key, key))) for key in preset.lawful_bases.allowed],
        "locales": locale_choices(),
        "time_zones": time_zone_options(),
        "currencies": currency_options(locale),
    }
