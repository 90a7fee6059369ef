"""Translatable names for what the region registry holds: settings, lawful bases, consent models, units."""

from __future__ import annotations

from collections.abc import Mapping

from babel.support import LazyProxy

from sampark.platform.i18n import lazy_gettext

# Lawful bases a contact's data may be held under, across the regions' laws (keys are stored; keep them).
LAWFUL_BASES: Mapping[str, LazyProxy] = {
    "consent": lazy_gettext("Consent"),
    "implied_consent": lazy_gettext("Implied consent"),
    "contract": lazy_gettext("Contract"),
    "legal_obligation": lazy_gettext("Legal obligation"),
    "vital_interests": lazy_gettext("Vital interests"),
    "public_task": lazy_gettext("Public task"),
    "legitimate_interests": lazy_gettext("Legitimate interests"),
    "legitimate_use": lazy_gettext("Legitimate use"),
    "business_purpose": lazy_gettext("Business purpose"),
    "legal_claims": lazy_gettext("Exercise of legal rights"),
    "health_protection": lazy_gettext("Health protection"),
    "research": lazy_gettext("Research"),
    "credit_protection": lazy_gettext("Credit protection"),
}

CONSENT_MODELS: Mapping[str, LazyProxy] = {
    "opt_in": lazy_gettext("Opt-in: ask before the first marketing message"),
    "opt_out": lazy_gettext("Opt-out: send until the person objects"),
}

DEADLINE_UNITS: Mapping[str, LazyProxy] = {
    "days": lazy_gettext("days"),
    "business_days": lazy_gettext("business days"),
    "months": lazy_gettext("months"),
}

# (label, help) per setting key, in the order the settings page shows them.
SETTINGS: Mapping[str, tuple[LazyProxy, LazyProxy]] = {
    "marketing_consent": (
        lazy_gettext("Marketing consent"),
        lazy_gettext("Whether contacts must agree before they receive marketing."),
    ),
    "double_opt_in": (
        lazy_gettext("Double opt-in"),
        lazy_gettext("New subscribers confirm by clicking a link sent to them."),
    ),
    "lawful_bases": (
        lazy_gettext("Lawful bases offered"),
        lazy_gettext("The reasons your team may record for holding a contact's data."),
    ),
    "dsar_deadline": (
        lazy_gettext("Data request deadline"),
        lazy_gettext("Time to answer a request to see, correct or delete personal data."),
    ),
    "unsubscribe_deadline": (
        lazy_gettext("Unsubscribe deadline"),
        lazy_gettext("Time to stop sending after someone unsubscribes."),
    ),
    "collection_notice": (
        lazy_gettext("Privacy notice to new contacts"),
        lazy_gettext("Tell people that you hold their data when you add them."),
    ),
    "contact_retention_months": (
        lazy_gettext("Keep inactive contacts for (months)"),
        lazy_gettext("Contacts with no activity for this long are proposed for deletion."),
    ),
    "default_locale": (
        lazy_gettext("Default language"),
        lazy_gettext("For members who have not chosen one and whose team has none."),
    ),
    "default_time_zone": (
        lazy_gettext("Default time zone"),
        lazy_gettext("Dates and times are shown in this zone unless a member or team chose another."),
    ),
    "default_currency": (
        lazy_gettext("Base currency"),
        lazy_gettext(
            "New deals start in this currency, and board totals, reports and the dashboard are converted into it."
            " Changing it does not rewrite stored amounts; rates entered against the previous base stop applying."
        ),
    ),
}


def lawful_basis_name(key: str) -> str:
    return str(LAWFUL_BASES.get(key, key))
