"""The region registry: per-region privacy and marketing rules as data (see docs/regions.md)."""

from sampark.platform.regions.model import (
    ConsentModel,
    Deadline,
    DeadlineUnit,
)
from sampark.platform.regions.presets import (
    DEFAULT_REGION,
    PRESETS,
    SETTING_KEYS,
    RegionPreset,
    get_preset,
    region_choices,
)

__all__ = [
    "DEFAULT_REGION",
    "PRESETS",
    "SETTING_KEYS",
    "ConsentModel",
    "Deadline",
    "DeadlineUnit",
    "RegionPreset",
    "get_preset",
    "region_choices",
]
