"""The region presets: which rules a tenant starts with, and how far its admins may move each one.

Data only. Consent, campaign and data-request features read a tenant's merged values through
``sampark.tenants.settings.services.effective_region_settings()`` and never test a region code themselves.
The legal reasoning and sources behind each number are in docs/regions.md; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel.support import LazyProxy

from sampark.platform.i18n import SUPPORTED_LOCALES, lazy_gettext
from sampark.platform.i18n.context import currency_codes, time_zone_names
from sampark.platform.regions.model import (
    BasesRule,
    ChoiceRule,
    ConsentModel,
    ConsentRule,
    Deadline,
    DeadlineRule,
    DeadlineUnit,
    FlagRule,
    RangeRule,
    Rule,
)

# Settings every preset defines, in display order; ``RegionPreset.rule(key)`` returns each one's rule.
SETTING_KEYS = (
    "marketing_consent",
    "double_opt_in",
    "lawful_bases",
    "dsar_deadline",
    "unsubscribe_deadline",
    "collection_notice",
    "contact_retention_months",
    "default_locale",
    "default_time_zone",
    "default_currency",
)


@dataclass(frozen=True)
class RegionPreset:
    """One region's rules.

    Attributes:
        code: what ``tenants.region`` stores (EU, UK, US-CA, ...).
        country: ISO 3166 alpha-2 when the region is one country ("" for EU and GLOBAL): phone numbers
            without a ``+`` are read as this country's.
        cldr_region: CLDR region for number and date conventions with the reader's language (IN, 150, 001).
        residency: the placement name where the tenant's data is meant to live (see docs/regions.md).
        sources: the legal texts the numbers come from; not translated (they are citations).
    """

    code: str
    name: LazyProxy
    laws: LazyProxy
    country: str
    cldr_region: str
    residency: str
    marketing_consent: ConsentRule
    double_opt_in: FlagRule
    lawful_bases: BasesRule
    dsar_deadline: DeadlineRule
    unsubscribe_deadline: DeadlineRule
    collection_notice: FlagRule
    contact_retention_months: RangeRule
    default_locale: ChoiceRule
    default_time_zone: ChoiceRule
    default_currency: ChoiceRule
    sources: tuple[str, ...] = ()

    def rule(self, key: str) -> Rule:
        if key not in SETTING_KEYS:
            raise KeyError(key)
        rule: Rule = getattr(self, key)
        return rule

    def defaults(self) -> dict[str, Any]:
        """Every setting's preset value, in its stored (JSON) form."""
        return {key: self.rule(key).to_json(self.rule(key).default) for key in SETTING_KEYS}


def _days(amount: int) -> Deadline:
    return Deadline(amount, DeadlineUnit.DAYS)


def _business_days(amount: int) -> Deadline:
    return Deadline(amount, DeadlineUnit.BUSINESS_DAYS)


def _months(amount: int) -> Deadline:
    return Deadline(amount, DeadlineUnit.MONTHS)


def _locale(default: str) -> ChoiceRule:
    return ChoiceRule(default, lambda: SUPPORTED_LOCALES)


def _time_zone(default: str) -> ChoiceRule:
    return ChoiceRule(default, time_zone_names)


def _currency(default: str) -> ChoiceRule:
    return ChoiceRule(default, currency_codes)


OPT_IN = ConsentRule(ConsentModel.OPT_IN, floor=ConsentModel.OPT_IN)
GDPR_BASES = (
    "consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests",
)  # fmt: skip
# "Without undue delay" (GDPR Art. 21(3), PECR, LGPD, DPDP) has no number; 2 days is what we commit to.
PROMPTLY = DeadlineRule(_days(2), limit=_days(2))
TEN_BUSINESS_DAYS = DeadlineRule(_business_days(10), limit=_business_days(10))
NOTICE_REQUIRED = FlagRule(True, required=True)

_PRESETS = (
    RegionPreset(
        code="EU", name=lazy_gettext("European Union"), laws=lazy_gettext("GDPR and the ePrivacy Directive"),
        country="", cldr_region="150", residency="eu",
        marketing_consent=OPT_IN,
        # Not in the GDPR's text; German courts require it as proof of consent, and one EU preset covers Germany.
        double_opt_in=FlagRule(True, required=True),
        lawful_bases=BasesRule(GDPR_BASES, GDPR_BASES),
        dsar_deadline=DeadlineRule(_months(1), limit=_months(1), extension=_months(2)),
        unsubscribe_deadline=PROMPTLY,
        collection_notice=NOTICE_REQUIRED,
        contact_retention_months=RangeRule(24, 1, 72),
        default_locale=_locale("en"), default_time_zone=_time_zone("Europe/Brussels"),
        default_currency=_currency("EUR"),
        sources=("GDPR Art. 6, 7, 12(3), 13, 14, 21(3)", "Directive 2002/58/EC Art. 13",
                 "BGH I ZR 164/09 (2011)"),
    ),
    RegionPreset(
        code="UK", name=lazy_gettext("United Kingdom"), laws=lazy_gettext("UK GDPR and PECR"),
        country="GB", cldr_region="GB", residency="uk",
        marketing_consent=OPT_IN,
        double_opt_in=FlagRule(True, required=False),
        lawful_bases=BasesRule(GDPR_BASES, GDPR_BASES),
        dsar_deadline=DeadlineRule(_months(1), limit=_months(1), extension=_months(2)),
        unsubscribe_deadline=PROMPTLY,
        collection_notice=NOTICE_REQUIRED,
        contact_retention_months=RangeRule(24, 1, 72),
        default_locale=_locale("en"), default_time_zone=_time_zone("Europe/London"),
        default_currency=_currency("GBP"),
        sources=("UK GDPR Art. 6, 12(3), 13, 14, 21(3)", "PECR reg. 22", "Data (Use and Access) Act 2025"),
    ),
    RegionPreset(
        code="US-CA", name=lazy_gettext("United States (California)"), laws=lazy_gettext("CCPA/CPRA and CAN-SPAM"),
        country="US", cldr_region="US", residency="us",
        marketing_consent=ConsentRule(ConsentModel.OPT_OUT, floor=ConsentModel.OPT_OUT),
        double_opt_in=FlagRule(False),
        lawful_bases=BasesRule(
            ("consent", "contract", "business_purpose", "legal_obligation"),
            ("consent", "contract", "business_purpose", "legal_obligation"),
        ),
        dsar_deadline=DeadlineRule(_days(45), limit=_days(45), extension=_days(45)),
        unsubscribe_deadline=TEN_BUSINESS_DAYS,
        collection_notice=NOTICE_REQUIRED,
        contact_retention_months=RangeRule(36, 1, 120),
        default_locale=_locale("en"), default_time_zone=_time_zone("America/Los_Angeles"),
        default_currency=_currency("USD"),
        sources=("Cal. Civ. Code 1798.100(a), 1798.130(a)(2)", "15 U.S.C. 7704(a)(4)"),
    ),
    RegionPreset(
        code="BR", name=lazy_gettext("Brazil"), laws=lazy_gettext("LGPD"),
        country="BR", cldr_region="BR", residency="br",
        marketing_consent=OPT_IN,
        double_opt_in=FlagRule(False),
        lawful_bases=BasesRule(
            ("consent", "contract", "legal_obligation", "legitimate_interests", "credit_protection"),
            (*GDPR_BASES, "research", "legal_claims", "health_protection", "credit_protection"),
        ),
        dsar_deadline=DeadlineRule(_days(15), limit=_days(15)),
        unsubscribe_deadline=PROMPTLY,
        collection_notice=NOTICE_REQUIRED,
        contact_retention_months=RangeRule(24, 1, 72),
        default_locale=_locale("pt_BR"), default_time_zone=_time_zone("America/Sao_Paulo"),
        default_currency=_currency("BRL"),
        sources=("Lei 13.709/2018 Art. 7, 8 §5, 9, 18, 19 II",),
    ),
    RegionPreset(
        code="IN", name=lazy_gettext("India"), laws=lazy_gettext("DPDP Act 2023 and DPDP Rules 2025"),
        country="IN", cldr_region="IN", residency="in",
        marketing_consent=OPT_IN,
        double_opt_in=FlagRule(False),
        lawful_bases=BasesRule(("consent", "legitimate_use"), ("consent", "legitimate_use")),
        # The Act names no number; the Rules cap grievance redressal at 90 days. We default to 30 (see docs).
        dsar_deadline=DeadlineRule(_days(30), limit=_days(90)),
        unsubscribe_deadline=PROMPTLY,
        collection_notice=NOTICE_REQUIRED,
        contact_retention_months=RangeRule(24, 1, 72),
        default_locale=_locale("en"), default_time_zone=_time_zone("Asia/Kolkata"),
        default_currency=_currency("INR"),
        sources=("DPDP Act 2023 s. 5, 6, 7, 8(7), 11-13", "DPDP Rules 2025 (notified 13 Nov 2025)"),
    ),
    RegionPreset(
        code="CA", name=lazy_gettext("Canada"), laws=lazy_gettext("PIPEDA and CASL"),
        country="CA", cldr_region="CA", residency="ca",
        marketing_consent=OPT_IN,
        double_opt_in=FlagRule(False),
        lawful_bases=BasesRule(
            ("consent", "implied_consent", "legal_obligation"),
            ("consent", "implied_consent", "contract", "legal_obligation"),
        ),
        dsar_deadline=DeadlineRule(_days(30), limit=_days(30), extension=_days(30)),
        unsubscribe_deadline=TEN_BUSINESS_DAYS,
        collection_notice=NOTICE_REQUIRED,
        contact_retention_months=RangeRule(36, 1, 120),
        default_locale=_locale("en"), default_time_zone=_time_zone("America/Toronto"),
        default_currency=_currency("CAD"),
        sources=("PIPEDA s. 8(3), 8(4), Sch. 1 principle 4.3", "CASL s. 6, 10, 11(3)"),
    ),
    RegionPreset(
        code="AU", name=lazy_gettext("Australia"), laws=lazy_gettext("Privacy Act 1988 and Spam Act 2003"),
        country="AU", cldr_region="AU", residency="au",
        marketing_consent=OPT_IN,
        double_opt_in=FlagRule(False),
        lawful_bases=BasesRule(
            ("consent", "implied_consent", "contract"),
            ("consent", "implied_consent", "contract", "legal_obligation"),
        ),
        dsar_deadline=DeadlineRule(_days(30), limit=_days(30)),
        unsubscribe_deadline=DeadlineRule(_business_days(5), limit=_business_days(5)),
        collection_notice=NOTICE_REQUIRED,
        contact_retention_months=RangeRule(36, 1, 120),
        default_locale=_locale("en"), default_time_zone=_time_zone("Australia/Sydney"),
        default_currency=_currency("AUD"),
        sources=("Privacy Act 1988 Sch. 1 APP 5, 12.4", "Spam Act 2003 s. 16, 18"),
    ),
    RegionPreset(
        code="GLOBAL", name=lazy_gettext("Rest of the world"), laws=lazy_gettext("No region-specific law"),
        country="", cldr_region="001", residency="default",
        marketing_consent=ConsentRule(ConsentModel.OPT_IN, floor=ConsentModel.OPT_OUT),
        double_opt_in=FlagRule(False),
        lawful_bases=BasesRule(
            ("consent", "contract", "legitimate_interests", "legal_obligation"),
            ("consent", "contract", "legitimate_interests", "legal_obligation"),
        ),
        dsar_deadline=DeadlineRule(_days(30), limit=_days(30)),
        unsubscribe_deadline=TEN_BUSINESS_DAYS,
        collection_notice=FlagRule(False),
        contact_retention_months=RangeRule(36, 1, 120),
        default_locale=_locale("en"), default_time_zone=_time_zone("UTC"),
        default_currency=_currency("USD"),
    ),
)  # fmt: skip

PRESETS: Mapping[str, RegionPreset] = {preset.code: preset for preset in _PRESETS}
DEFAULT_REGION = "GLOBAL"


def get_preset(code: str | None) -> RegionPreset:
    """The preset for ``code``; GLOBAL for an unknown code (a region retired from the registry)."""
    return PRESETS.get(code or "", PRESETS[DEFAULT_REGION])


def region_choices() -> list[tuple[str, str]]:
    """``(code, display name)`` pairs in the current language, for a select box."""
    return [(code, str(preset.name)) for code, preset in PRESETS.items()]
