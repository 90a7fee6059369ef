"""Custom fields on deals and leads: the ``custom`` values column, GIN-indexed like on contacts and companies.

Frozen: generated once from the ``custom`` columns of the deal and lead tables and their DDL tuples; later
changes are new steps.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=16,
    name="record_custom_fields",
    statements=(
        'ALTER TABLE "deals" ADD COLUMN IF NOT EXISTS "custom" JSONB NOT NULL DEFAULT \'{}\'',
        'ALTER TABLE "leads" ADD COLUMN IF NOT EXISTS "custom" JSONB NOT NULL DEFAULT \'{}\'',
        'CREATE INDEX IF NOT EXISTS deals_custom ON "deals" USING gin ("custom" jsonb_path_ops)',
        'CREATE INDEX IF NOT EXISTS leads_custom ON "leads" USING gin ("custom" jsonb_path_ops)',
    ),
)
