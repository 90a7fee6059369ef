"""Leads: unqualified prospects with their conversion links, a search column and list indexes.

Frozen: generated once from ``tenants/leads/tables.py`` (``Lead`` and ``LEAD_DDL``); later changes are new steps.
Every statement is safe to run again (IF NOT EXISTS), so a step interrupted half-way can resume.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=11,
    name="leads",
    statements=(
        'CREATE TABLE IF NOT EXISTS "leads" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "first_name" VARCHAR(100) NOT NULL DEFAULT \'\', "last_name" VARCHAR(100) NOT NULL DEFAULT \'\', "company_name" VARCHAR(200) NOT NULL DEFAULT \'\', "title" VARCHAR(100) NOT NULL DEFAULT \'\', "email" VARCHAR(320) NOT NULL DEFAULT \'\', "phone" VARCHAR(32) NOT NULL DEFAULT \'\', "emails" JSONB NOT NULL DEFAULT \'[]\', "phones" JSONB NOT NULL DEFAULT \'[]\', "website" VARCHAR(253) NOT NULL DEFAULT \'\', "source" VARCHAR(32) NOT NULL DEFAULT \'\', "status" VARCHAR(16) NOT NULL DEFAULT \'new\', "disqualify_reason" VARCHAR(200) NOT NULL DEFAULT \'\', "owner_id" BIGINT DEFAULT null, "notes" TEXT NOT NULL DEFAULT \'\', "tags" JSONB NOT NULL DEFAULT \'[]\', "version" INTEGER NOT NULL DEFAULT 1, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "converted_contact_id" BIGINT REFERENCES "contacts" ("id") ON DELETE SET NULL ON UPDATE CASCADE DEFAULT null, "converted_company_id" BIGINT REFERENCES "companies" ("id") ON DELETE SET NULL ON UPDATE CASCADE DEFAULT null, "converted_deal_id" BIGINT DEFAULT null, "converted_at" TIMESTAMPTZ DEFAULT null, "converted_by" BIGINT DEFAULT null)',
        'CREATE INDEX IF NOT EXISTS leads_owner_id ON "leads" USING btree ("owner_id")',
        "ALTER TABLE \"leads\" ADD COLUMN IF NOT EXISTS \"search_vector\" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, translate(first_name || ' ' || last_name, '<>/', '   ')), 'A') || setweight(to_tsvector('simple'::regconfig, translate(company_name, '<>/', '   ')), 'B') || setweight(to_tsvector('simple'::regconfig, emails::text || ' ' || translate(emails::text, '@.-_+', '     ')), 'B')) STORED",
        'CREATE INDEX IF NOT EXISTS leads_search ON "leads" USING gin ("search_vector")',
        'CREATE INDEX IF NOT EXISTS leads_emails ON "leads" USING gin ("emails" jsonb_path_ops)',
        'CREATE INDEX IF NOT EXISTS leads_phones ON "leads" USING gin ("phones" jsonb_path_ops)',
        'CREATE INDEX IF NOT EXISTS leads_tags ON "leads" USING gin ("tags" jsonb_path_ops)',
        'CREATE INDEX IF NOT EXISTS leads_name_sort ON "leads" (lower("first_name"), lower("last_name"), "id")',
        'CREATE INDEX IF NOT EXISTS leads_company_sort ON "leads" (lower("company_name"), "id")',
        'CREATE INDEX IF NOT EXISTS leads_created_sort ON "leads" ("created_at", "id")',
        'CREATE INDEX IF NOT EXISTS leads_updated_sort ON "leads" ("updated_at", "id")',
        'CREATE INDEX IF NOT EXISTS leads_status ON "leads" ("status", "id")',
        'CREATE INDEX IF NOT EXISTS leads_converted_contact ON "leads" ("converted_contact_id")',
        'CREATE INDEX IF NOT EXISTS leads_converted_company ON "leads" ("converted_company_id")',
    ),
)
