"""What the settings services hand out: a tenant's merged region rules and its language/time/money defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sampark.platform.regions import ConsentModel, Deadline, RegionPreset


@dataclass(frozen=True)
class RegionSettings:
    """The rules in force for the current tenant: its region preset with the admin's overrides applied.

    Features read these fields and never the region code: ``marketing_consent`` decides whether a contact
    without recorded consent may be mailed, ``dsar_due()`` when a data request must be answered, and so on.
    """

    region: str
    preset: RegionPreset
    marketing_consent: ConsentModel
    double_opt_in: bool
    lawful_bases: tuple[str, ...]
    dsar_deadline: Deadline
    # What the law adds to the deadline when the request is complex and the person is told why (None: nothing).
    dsar_extension: Deadline | None
    unsubscribe_deadline: Deadline
    collection_notice: bool
    contact_retention_months: int
    default_locale: str
    default_time_zone: str
    default_currency: str
    residency: str
    # Every setting in its stored JSON form, and the keys an admin changed from the preset.
    values: Mapping[str, Any]
    overridden: frozenset[str]

    @classmethod
    def from_values(
        cls, preset: RegionPreset, values: Mapping[str, Any], overridden: frozenset[str]
    ) -> RegionSettings:
        return cls(
            region=preset.code,
            preset=preset,
            marketing_consent=ConsentModel(values["marketing_consent"]),
            double_opt_in=bool(values["double_opt_in"]),
            lawful_bases=tuple(values["lawful_bases"]),
            dsar_deadline=Deadline.from_json(values["dsar_deadline"]),
            dsar_extension=preset.dsar_deadline.extension,
            unsubscribe_deadline=Deadline.from_json(values["unsubscribe_deadline"]),
            collection_notice=bool(values["collection_notice"]),
            contact_retention_months=int(values["contact_retention_months"]),
            default_locale=str(values["default_locale"]),
            default_time_zone=str(values["default_time_zone"]),
            default_currency=str(values["default_currency"]),
            residency=preset.residency,
            values=dict(values),
            overridden=overridden,
        )

    def dsar_due(self, received: date, *, extended: bool = False) -> date:
        """The last day to answer a data request received on ``received`` (after the legal extension if asked)."""
        due = self.dsar_deadline.due(received)
        if extended and self.dsar_extension is not None:
            due = self.dsar_extension.due(due)
        return due

    def unsubscribe_due(self, received: date) -> date:
        return self.unsubscribe_deadline.due(received)


@dataclass(frozen=True)
class LocaleDefaults:
    """Team and tenant defaults for one member, "" where a level chose nothing (teams may leave them empty)."""

    team_locale: str
    team_time_zone: str
    team_currency: str
    tenant_locale: str
    tenant_time_zone: str
    tenant_currency: str
    country: str
    cldr_region: str
