"""Custom fields: their definitions, saved list views, each user's list columns, and the ``custom`` values
column (GIN-indexed) on contacts and companies.

Frozen: generated once from tenants/customfields/tables.py, the ``custom`` columns of the contact and company
tables and ``CUSTOM_FIELD_DDL``; later changes are new steps.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=12,
    name="custom_fields",
    statements=(
        'CREATE TABLE IF NOT EXISTS "custom_fields" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "object" VARCHAR(32) NOT NULL DEFAULT \'\', "key" VARCHAR(40) NOT NULL DEFAULT \'\', "type" VARCHAR(16) NOT NULL DEFAULT \'\', "label" VARCHAR(100) NOT NULL DEFAULT \'\', "labels" JSONB NOT NULL DEFAULT \'{}\', "options" JSONB NOT NULL DEFAULT \'[]\', "required" BOOLEAN NOT NULL DEFAULT false, "max_length" INTEGER DEFAULT null, "min_value" VARCHAR(40) DEFAULT null, "max_value" VARCHAR(40) DEFAULT null, "position" INTEGER NOT NULL DEFAULT 0, "archived" BOOLEAN NOT NULL DEFAULT false, "version" INTEGER NOT NULL DEFAULT 1, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE TABLE IF NOT EXISTS "saved_views" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "object" VARCHAR(32) NOT NULL DEFAULT \'\', "name" VARCHAR(80) NOT NULL DEFAULT \'\', "owner_id" BIGINT NOT NULL DEFAULT 0, "shared" BOOLEAN NOT NULL DEFAULT false, "filters" JSONB NOT NULL DEFAULT \'{}\', "sort" VARCHAR(40) NOT NULL DEFAULT \'\', "columns" JSONB NOT NULL DEFAULT \'[]\', "version" INTEGER NOT NULL DEFAULT 1, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE TABLE IF NOT EXISTS "list_columns" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "user_id" BIGINT NOT NULL DEFAULT 0, "object" VARCHAR(32) NOT NULL DEFAULT \'\', "columns" JSONB NOT NULL DEFAULT \'[]\', "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'ALTER TABLE "contacts" ADD COLUMN IF NOT EXISTS "custom" JSONB NOT NULL DEFAULT \'{}\'',
        'ALTER TABLE "companies" ADD COLUMN IF NOT EXISTS "custom" JSONB NOT NULL DEFAULT \'{}\'',
        'CREATE UNIQUE INDEX IF NOT EXISTS custom_fields_object_key ON "custom_fields" ("object", "key")',
        'CREATE INDEX IF NOT EXISTS saved_views_object ON "saved_views" ("object", "owner_id")',
        'CREATE UNIQUE INDEX IF NOT EXISTS list_columns_user_object ON "list_columns" ("user_id", "object")',
        'CREATE INDEX IF NOT EXISTS contacts_custom ON "contacts" USING gin ("custom" jsonb_path_ops)',
        'CREATE INDEX IF NOT EXISTS companies_custom ON "companies" USING gin ("custom" jsonb_path_ops)',
    ),
)
