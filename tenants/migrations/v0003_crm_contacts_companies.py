"""CRM core, increment 1: companies; contacts gain several e-mails and phones, addresses, a company, lifecycle
stage, source, tags, language and time zone; full-text search columns; the audit-log index record history needs.

Frozen: generated once from the table classes (tenants/contacts/tables.py, tenants/companies/tables.py) and
their ``*_DDL`` constants; later changes are new steps.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=3,
    name="crm_contacts_companies",
    statements=(
        'CREATE TABLE "companies" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "name" VARCHAR(200) NOT NULL DEFAULT \'\', "domain" VARCHAR(253) NOT NULL DEFAULT \'\', "industry" VARCHAR(100) NOT NULL DEFAULT \'\', "size" VARCHAR(16) NOT NULL DEFAULT \'\', "address" JSONB NOT NULL DEFAULT \'{}\', "parent_id" BIGINT REFERENCES "companies" ("id") ON DELETE SET NULL ON UPDATE CASCADE DEFAULT null, "owner_id" BIGINT DEFAULT null, "version" INTEGER NOT NULL DEFAULT 1, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE INDEX companies_domain ON "companies" USING btree ("domain")',
        'CREATE INDEX companies_parent_id ON "companies" USING btree ("parent_id")',
        'CREATE INDEX companies_owner_id ON "companies" USING btree ("owner_id")',
        "ALTER TABLE \"companies\" ADD COLUMN \"search_vector\" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, translate(name, '<>/', '   ')), 'A') || setweight(to_tsvector('simple'::regconfig, domain || ' ' || translate(domain, '.-', '  ')), 'B')) STORED",
        'CREATE INDEX companies_search ON "companies" USING gin ("search_vector")',
        'CREATE INDEX companies_name_sort ON "companies" (lower("name"), "id")',
        'CREATE INDEX companies_created_sort ON "companies" ("created_at", "id")',
        'CREATE INDEX companies_updated_sort ON "companies" ("updated_at", "id")',
        'ALTER TABLE "contacts" ADD COLUMN "emails" JSONB NOT NULL DEFAULT \'[]\'',
        'ALTER TABLE "contacts" ADD COLUMN "phones" JSONB NOT NULL DEFAULT \'[]\'',
        'ALTER TABLE "contacts" ADD COLUMN "addresses" JSONB NOT NULL DEFAULT \'[]\'',
        'ALTER TABLE "contacts" ADD COLUMN "company_id" BIGINT REFERENCES "companies" ("id") ON DELETE SET NULL ON UPDATE CASCADE DEFAULT null',
        'ALTER TABLE "contacts" ADD COLUMN "lifecycle_stage" VARCHAR(16) NOT NULL DEFAULT \'lead\'',
        'ALTER TABLE "contacts" ADD COLUMN "source" VARCHAR(32) NOT NULL DEFAULT \'\'',
        'ALTER TABLE "contacts" ADD COLUMN "tags" JSONB NOT NULL DEFAULT \'[]\'',
        'ALTER TABLE "contacts" ADD COLUMN "language" VARCHAR(16) NOT NULL DEFAULT \'\'',
        'ALTER TABLE "contacts" ADD COLUMN "time_zone" VARCHAR(64) NOT NULL DEFAULT \'\'',
        'CREATE INDEX contacts_owner_id ON "contacts" USING btree ("owner_id")',
        'CREATE INDEX contacts_company_id ON "contacts" USING btree ("company_id")',
        # Existing rows: the single e-mail and phone become the first (primary) entries of the new lists. Old
        # phone text is kept as typed: turning it into E.164 needs a country this SQL cannot know.
        """UPDATE "contacts" SET "email" = lower(btrim("email")),
            "emails" = CASE WHEN btrim("email") <> '' THEN jsonb_build_array(lower(btrim("email"))) ELSE '[]'::jsonb END,
            "phones" = CASE WHEN btrim("phone") <> ''
                THEN jsonb_build_array(jsonb_build_object('number', btrim("phone"), 'label', '')) ELSE '[]'::jsonb END""",
        "ALTER TABLE \"contacts\" ADD COLUMN \"search_vector\" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, translate(first_name || ' ' || last_name, '<>/', '   ')), 'A') || setweight(to_tsvector('simple'::regconfig, emails::text || ' ' || translate(emails::text, '@.-_+', '     ')), 'B')) STORED",
        'CREATE INDEX contacts_search ON "contacts" USING gin ("search_vector")',
        'CREATE INDEX contacts_emails ON "contacts" USING gin ("emails" jsonb_path_ops)',
        'CREATE INDEX contacts_phones ON "contacts" USING gin ("phones" jsonb_path_ops)',
        'CREATE INDEX contacts_tags ON "contacts" USING gin ("tags" jsonb_path_ops)',
        'CREATE INDEX contacts_name_sort ON "contacts" (lower("first_name"), lower("last_name"), "id")',
        'CREATE INDEX contacts_created_sort ON "contacts" ("created_at", "id")',
        'CREATE INDEX contacts_updated_sort ON "contacts" ("updated_at", "id")',
        'CREATE INDEX contacts_stage ON "contacts" ("lifecycle_stage")',
        'CREATE INDEX audit_log_object ON "audit_log" ("object_type", "object_id", "id")',
    ),
)
