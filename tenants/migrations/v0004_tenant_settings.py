"""Tenant settings: an admin's overrides of the region preset, one row per key.

Frozen: generated once from ``tenants/settings/tables.py``; later changes are new steps.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=4,
    name="tenant_settings",
    statements=(
        'CREATE TABLE "tenant_settings" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "key" VARCHAR(100) UNIQUE NOT NULL DEFAULT \'\', "value" JSONB NOT NULL DEFAULT \'null\', "updated_by" BIGINT DEFAULT null, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
    ),
)
