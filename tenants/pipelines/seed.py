"""SQL that gives a tenant its default pipeline; run at provisioning and by the step that introduced deals.

The names are English base text with a translation in every shipped locale taken from the gettext catalogs
(``schemas.SEEDED_NAMES`` marks them for extraction), so a Hindi tenant sees Hindi stage names from the start.
Step v0014 gave the same translations to existing tenants whose seeded names were unchanged.
"""

from __future__ import annotations

from sampark.platform.i18n.tenant_text import Translations, catalog_translations, dump

# (name, probability, kind) in order.
DEFAULT_PIPELINE = "Sales"
DEFAULT_STAGES = (
    ("Qualification", 10, "open"),
    ("Needs analysis", 25, "open"),
    ("Proposal", 50, "open"),
    ("Negotiation", 75, "open"),
    ("Won", 100, "won"),
    ("Lost", 0, "lost"),
)


def seeded_names(name: str) -> Translations:
    """The catalog translations of a seeded English name, in every shipped locale."""
    return catalog_translations(name)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def default_pipeline_statements() -> list[str]:
    """Idempotent INSERTs: a default pipeline when the tenant has none, and its stages when it has none."""
    values = ", ".join(
        f"({_literal(name)}, {_literal(dump(seeded_names(name)))}::jsonb, {position}, {probability}, '{kind}')"
        for position, (name, probability, kind) in enumerate(DEFAULT_STAGES)
    )
    pipeline_names = _literal(dump(seeded_names(DEFAULT_PIPELINE)))
    return [
        "INSERT INTO pipelines (name, names, position, is_default)"
        f" SELECT '{DEFAULT_PIPELINE}', {pipeline_names}::jsonb, 0, true WHERE NOT EXISTS (SELECT 1 FROM pipelines)",
        "INSERT INTO pipeline_stages (pipeline_id, name, names, position, probability, kind)"
        " SELECT p.id, v.name, v.names, v.position, v.probability, v.kind FROM pipelines p"
        f" CROSS JOIN (VALUES {values}) AS v(name, names, position, probability, kind)"
        " WHERE p.is_default AND NOT EXISTS (SELECT 1 FROM pipeline_stages s WHERE s.pipeline_id = p.id)",
    ]
