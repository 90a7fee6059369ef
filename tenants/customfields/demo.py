"""Demo data for custom fields: a "Loyalty tier" choice on contacts, filled in on the demo contacts."""

from __future__ import annotations

from sampark.tenants.customfields.services import create_field

TIER_FIELD = {
    "key": "loyalty_tier",
    "type": "select",
    "label": "Loyalty tier",
    "labels": {
        "hi": "लॉयल्टी स्तर",
        "de": "Treuestufe",
        "es": "Nivel de fidelidad",
        "fr": "Niveau de fidélité",
    },
    "options": [
        {"key": "gold", "label": "Gold", "labels": {"hi": "गोल्ड", "de": "Gold"}},
        {"key": "silver", "label": "Silver", "labels": {"hi": "सिल्वर", "de": "Silber"}},
    ],
}


async def seed_custom_fields() -> None:
    """Add the field (inside the demo's tenant context, before the demo contacts are created)."""
    await create_field("contacts", TIER_FIELD)


def demo_custom(index: int) -> dict[str, str]:
    """The ``index``-th demo contact's custom values: alternating tiers."""
    return {"loyalty_tier": "gold" if index % 2 == 0 else "silver"}
