"""Teams name a default pipeline (SET NULL when it goes); contacts' addresses get a containment index for the
country filter.

Frozen: generated once from ``Team.default_pipeline`` and the ``contacts_addresses`` entry of ``CONTACT_DDL``;
later changes are new steps.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=18,
    name="team_pipeline",
    statements=(
        'ALTER TABLE "teams" ADD COLUMN IF NOT EXISTS "default_pipeline_id" BIGINT REFERENCES "pipelines" ("id")'
        " ON DELETE SET NULL ON UPDATE CASCADE DEFAULT null",
        'CREATE INDEX IF NOT EXISTS contacts_addresses ON "contacts" USING gin ("addresses" jsonb_path_ops)',
    ),
)
