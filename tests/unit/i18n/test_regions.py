"""The region registry: every preset defines every setting, with defaults inside sane bounds."""

from __future__ import annotations

from datetime import date

import pytest

from sampark.platform.i18n import SUPPORTED_LOCALES
from sampark.platform.i18n.context import valid_currency, valid_time_zone
from sampark.platform.identity.signup import REGIONS, region_choices
from sampark.platform.regions import PRESETS, SETTING_KEYS, ConsentModel, Deadline, DeadlineUnit, get_preset
from sampark.platform.regions.labels import LAWFUL_BASES, SETTINGS
from sampark.platform.regions.model import DeadlineRule, FlagRule
from sampark.tenants.settings.services import merge

ALL = sorted(PRESETS)


def test_the_agreed_regions() -> None:
    assert set(PRESETS) == {"EU", "UK", "US-CA", "BR", "IN", "CA", "AU", "GLOBAL"}
    assert list(REGIONS) == list(PRESETS) and dict(region_choices())["IN"] == "India"
    assert get_preset("MARS").code == "GLOBAL"


def test_every_setting_has_a_label() -> None:
    assert list(SETTINGS) == list(SETTING_KEYS)


@pytest.mark.parametrize("code", ALL)
def test_every_preset_default_is_within_its_own_bounds(code: str) -> None:
    preset = PRESETS[code]
    for key in SETTING_KEYS:
        rule = preset.rule(key)
        assert rule.check(rule.default if key not in ("lawful_bases",) else list(rule.default)) is None, key
    assert set(preset.lawful_bases.default) <= set(preset.lawful_bases.allowed)
    assert set(preset.lawful_bases.allowed) <= set(LAWFUL_BASES)
    assert "consent" in preset.lawful_bases.default
    assert preset.default_locale.default in SUPPORTED_LOCALES
    assert valid_time_zone(preset.default_time_zone.default)
    assert valid_currency(preset.default_currency.default)
    assert 1 <= preset.contact_retention_months.minimum <= preset.contact_retention_months.maximum <= 120
    for rule in (preset.dsar_deadline, preset.unsubscribe_deadline):
        assert isinstance(rule, DeadlineRule)
        assert rule.default.fits_within(rule.limit)
        assert 1 <= rule.limit.span()[1] <= 120
    assert preset.residency and (preset.country == "" or len(preset.country) == 2)
    assert set(preset.defaults()) == set(SETTING_KEYS)


@pytest.mark.parametrize(
    ("code", "deadline", "extension", "unsubscribe"),
    [
        ("EU", Deadline(1, DeadlineUnit.MONTHS), Deadline(2, DeadlineUnit.MONTHS), Deadline(2)),
        ("UK", Deadline(1, DeadlineUnit.MONTHS), Deadline(2, DeadlineUnit.MONTHS), Deadline(2)),
        ("US-CA", Deadline(45), Deadline(45), Deadline(10, DeadlineUnit.BUSINESS_DAYS)),
        ("BR", Deadline(15), None, Deadline(2)),
        ("IN", Deadline(90), None, Deadline(2)),
        ("CA", Deadline(30), Deadline(30), Deadline(10, DeadlineUnit.BUSINESS_DAYS)),
        ("AU", Deadline(30), None, Deadline(5, DeadlineUnit.BUSINESS_DAYS)),
    ],
)
def test_legal_deadlines(
    code: str, deadline: Deadline, extension: Deadline | None, unsubscribe: Deadline
) -> None:
    preset = PRESETS[code]
    assert preset.dsar_deadline.limit == deadline
    assert preset.dsar_deadline.extension == extension
    assert preset.unsubscribe_deadline.limit == unsubscribe


def test_consent_models_and_what_the_law_fixes() -> None:
    assert PRESETS["US-CA"].marketing_consent.default is ConsentModel.OPT_OUT
    for code in ("EU", "UK", "BR", "IN", "CA", "AU"):
        rule = PRESETS[code].marketing_consent
        assert rule.default is ConsentModel.OPT_IN and rule.check("opt_out") is not None
    assert PRESETS["GLOBAL"].marketing_consent.check("opt_out") is None
    assert PRESETS["EU"].double_opt_in == FlagRule(True, required=True)
    assert PRESETS["EU"].double_opt_in.check(False) is not None
    assert PRESETS["CA"].double_opt_in.check(True) is None  # anyone may require it


def test_deadlines_count_months_business_days_and_days() -> None:
    assert Deadline(1, DeadlineUnit.MONTHS).due(date(2024, 1, 31)) == date(2024, 2, 29)
    assert Deadline(1, DeadlineUnit.MONTHS).due(date(2023, 1, 31)) == date(2023, 2, 28)
    assert Deadline(2, DeadlineUnit.MONTHS).due(date(2024, 11, 15)) == date(2025, 1, 15)
    friday = date(2024, 5, 10)
    assert Deadline(5, DeadlineUnit.BUSINESS_DAYS).due(friday) == date(2024, 5, 17)
    assert Deadline(1, DeadlineUnit.BUSINESS_DAYS).due(friday) == date(2024, 5, 13)
    assert Deadline(45).due(date(2024, 1, 1)) == date(2024, 2, 15)


def test_a_deadline_may_be_shortened_never_lengthened() -> None:
    month = Deadline(1, DeadlineUnit.MONTHS)
    assert Deadline(28).fits_within(month) and not Deadline(29).fits_within(month)
    assert Deadline(10).fits_within(Deadline(10, DeadlineUnit.BUSINESS_DAYS))
    assert Deadline(12).fits_within(Deadline(10, DeadlineUnit.BUSINESS_DAYS))  # two weekends at least
    assert not Deadline(13).fits_within(Deadline(10, DeadlineUnit.BUSINESS_DAYS))
    assert Deadline(5, DeadlineUnit.BUSINESS_DAYS).fits_within(Deadline(10))  # at most 9 calendar days
    assert not Deadline(10, DeadlineUnit.BUSINESS_DAYS).fits_within(Deadline(13))
    rule = PRESETS["EU"].dsar_deadline
    assert rule.check({"amount": 20, "unit": "days"}) is None
    assert rule.check({"amount": 2, "unit": "months"}) is not None
    assert rule.check({"amount": 0, "unit": "days"}) is not None
    assert rule.check({"amount": "x", "unit": "days"}) is not None
    assert rule.check({"amount": 3, "unit": "fortnights"}) is not None


def test_merge_ignores_overrides_that_no_longer_fit() -> None:
    preset = PRESETS["EU"]
    merged = merge(preset, {"dsar_deadline": {"amount": 14, "unit": "days"}, "marketing_consent": "opt_out"})
    assert merged.dsar_deadline == Deadline(14) and merged.overridden == frozenset({"dsar_deadline"})
    assert merged.marketing_consent is ConsentModel.OPT_IN
    assert merged.dsar_due(date(2024, 3, 1)) == date(2024, 3, 15)
    assert merged.dsar_due(date(2024, 3, 1), extended=True) == date(2024, 5, 15)
    assert merge(PRESETS["BR"], {}).dsar_due(date(2024, 3, 1), extended=True) == date(2024, 3, 16)
