"""SQL that gives a tenant its default pipeline; run at provisioning and by the step that introduced deals."""

from __future__ import annotations

# (name, probability, kind) in order. English names are stored; pages translate them while unchanged
# (see ``tenants/pipelines/labels.py``).
DEFAULT_PIPELINE = "Sales"
DEFAULT_STAGES = (
    ("Qualification", 10, "open"),
    ("Needs analysis", 25, "open"),
    ("Proposal", 50, "open"),
    ("Negotiation", 75, "open"),
    ("Won", 100, "won"),
    ("Lost", 0, "lost"),
)


def default_pipeline_statements() -> list[str]:
    """Idempotent INSERTs: a default pipeline when the tenant has none, and its stages when it has none."""
    values = ", ".join(
        f"('{name}', {position}, {probability}, '{kind}')"
        for position, (name, probability, kind) in enumerate(DEFAULT_STAGES)
    )
    return [
        "INSERT INTO pipelines (name, position, is_default)"
        f" SELECT '{DEFAULT_PIPELINE}', 0, true WHERE NOT EXISTS (SELECT 1 FROM pipelines)",
        "INSERT INTO pipeline_stages (pipeline_id, name, position, probability, kind)"
        " SELECT p.id, v.name, v.position, v.probability, v.kind FROM pipelines p"
        f" CROSS JOIN (VALUES {values}) AS v(name, position, probability, kind)"
        " WHERE p.is_default AND NOT EXISTS (SELECT 1 FROM pipeline_stages s WHERE s.pipeline_id = p.id)",
    ]
