"""``SAMPARK_REGION_DATABASES``: parsed into placement → URL pairs; a bad value names the variable."""

from __future__ import annotations

import pytest

from sampark.platform.config.settings import PLACEMENTS, Settings, SettingsError
from sampark.platform.regions.presets import PRESETS


def _settings(value: str) -> Settings:
    return Settings.from_env({"SAMPARK_REGION_DATABASES": value, "SAMPARK_SECRET_KEY": "x" * 32})


def test_pairs_are_parsed_and_sorted() -> None:
    settings = _settings(" in=postgresql://db-in/sampark ; EU=postgresql://db-eu/sampark;")
    assert settings.region_databases == (
        ("eu", "postgresql://db-eu/sampark"),
        ("in", "postgresql://db-in/sampark"),
    )


def test_unset_means_every_placement_is_home() -> None:
    assert Settings.from_env({"SAMPARK_SECRET_KEY": "x" * 32}).region_databases == ()


@pytest.mark.parametrize(
    "value",
    [
        "eu",  # no URL
        "eu=",  # empty URL
        "mars=postgresql://x/y",  # unknown placement
        "eu=mysql://x/y",  # not PostgreSQL
        "eu=postgresql://a/b;eu=postgresql://c/d",  # twice
    ],
)
def test_bad_values_stop_start_up_naming_the_variable(value: str) -> None:
    with pytest.raises(SettingsError, match="SAMPARK_REGION_DATABASES"):
        _settings(value)


def test_every_preset_names_a_known_placement() -> None:
    assert {preset.residency for preset in PRESETS.values()} <= set(PLACEMENTS)
