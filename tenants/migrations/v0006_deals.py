"""Deals and pipelines: pipelines with ordered stages, deals with linked contacts and a stage history, the deal
search column and the board's index; every existing tenant gets the default pipeline.

Frozen: generated once from tenants/pipelines/tables.py and tenants/deals/tables.py and their ``*_DDL``
constants; later changes are new steps. Every statement is idempotent (IF NOT EXISTS; the seed inserts only when the tenant has no pipeline), so a step interrupted halfway can be replayed.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=6,
    name="deals",
    statements=(
        'CREATE TABLE IF NOT EXISTS "pipelines" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "name" VARCHAR(100) NOT NULL DEFAULT \'\', "position" INTEGER NOT NULL DEFAULT 0, "is_default" BOOLEAN NOT NULL DEFAULT false, "version" INTEGER NOT NULL DEFAULT 1, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE TABLE IF NOT EXISTS "pipeline_stages" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "pipeline_id" BIGINT NOT NULL REFERENCES "pipelines" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "name" VARCHAR(100) NOT NULL DEFAULT \'\', "position" INTEGER NOT NULL DEFAULT 0, "probability" INTEGER NOT NULL DEFAULT 0, "kind" VARCHAR(8) NOT NULL DEFAULT \'open\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE TABLE IF NOT EXISTS "deals" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "name" VARCHAR(200) NOT NULL DEFAULT \'\', "amount" NUMERIC(18, 3) NOT NULL DEFAULT 0, "currency" VARCHAR(3) NOT NULL DEFAULT \'\', "expected_close_date" DATE DEFAULT null, "owner_id" BIGINT DEFAULT null, "pipeline_id" BIGINT NOT NULL REFERENCES "pipelines" ("id") ON DELETE RESTRICT ON UPDATE CASCADE DEFAULT null, "stage_id" BIGINT NOT NULL REFERENCES "pipeline_stages" ("id") ON DELETE RESTRICT ON UPDATE CASCADE DEFAULT null, "company_id" BIGINT REFERENCES "companies" ("id") ON DELETE SET NULL ON UPDATE CASCADE DEFAULT null, "status" VARCHAR(8) NOT NULL DEFAULT \'open\', "lost_reason" VARCHAR(32) NOT NULL DEFAULT \'\', "lost_note" VARCHAR(500) NOT NULL DEFAULT \'\', "closed_at" TIMESTAMPTZ DEFAULT null, "version" INTEGER NOT NULL DEFAULT 1, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE INDEX IF NOT EXISTS deals_owner_id ON "deals" USING btree ("owner_id")',
        'CREATE INDEX IF NOT EXISTS deals_pipeline_id ON "deals" USING btree ("pipeline_id")',
        'CREATE INDEX IF NOT EXISTS deals_company_id ON "deals" USING btree ("company_id")',
        'CREATE TABLE IF NOT EXISTS "deal_contacts" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "deal_id" BIGINT NOT NULL REFERENCES "deals" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "contact_id" BIGINT NOT NULL REFERENCES "contacts" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null)',
        'CREATE INDEX IF NOT EXISTS deal_contacts_contact_id ON "deal_contacts" USING btree ("contact_id")',
        'CREATE TABLE IF NOT EXISTS "deal_stage_history" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "deal_id" BIGINT NOT NULL REFERENCES "deals" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "from_stage_id" BIGINT DEFAULT null, "to_stage_id" BIGINT DEFAULT null, "moved_by" BIGINT DEFAULT null, "moved_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE INDEX IF NOT EXISTS pipeline_stages_order ON "pipeline_stages" ("pipeline_id", "position", "id")',
        "ALTER TABLE \"deals\" ADD COLUMN IF NOT EXISTS \"search_vector\" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, translate(name, '<>/', '   '))) STORED",
        'CREATE INDEX IF NOT EXISTS deals_search ON "deals" USING gin ("search_vector")',
        'CREATE INDEX IF NOT EXISTS deals_board ON "deals" ("stage_id", "expected_close_date", "id")',
        'CREATE INDEX IF NOT EXISTS deals_name_sort ON "deals" (lower("name"), "id")',
        'CREATE INDEX IF NOT EXISTS deals_updated_sort ON "deals" ("updated_at", "id")',
        "CREATE INDEX IF NOT EXISTS deals_close_sort ON \"deals\" (((coalesce(expected_close_date, '9999-12-31'::date) - '2000-01-01'::date)), \"id\")",
        'CREATE INDEX IF NOT EXISTS deals_amount_sort ON "deals" ((((amount * 1000)::bigint)), "id")',
        'CREATE UNIQUE INDEX IF NOT EXISTS deal_contacts_pair ON "deal_contacts" ("deal_id", "contact_id")',
        'CREATE INDEX IF NOT EXISTS deal_stage_history_deal ON "deal_stage_history" ("deal_id", "id")',
        'CREATE INDEX IF NOT EXISTS deal_stage_history_to ON "deal_stage_history" ("to_stage_id")',
        # The default pipeline, as provisioning seeds it for new tenants (tenants/pipelines/seed.py).
        "INSERT INTO pipelines (name, position, is_default) SELECT 'Sales', 0, true WHERE NOT EXISTS (SELECT 1 FROM pipelines)",
        "INSERT INTO pipeline_stages (pipeline_id, name, position, probability, kind) SELECT p.id, v.name, v.position, v.probability, v.kind FROM pipelines p CROSS JOIN (VALUES ('Qualification', 0, 10, 'open'), ('Needs analysis', 1, 25, 'open'), ('Proposal', 2, 50, 'open'), ('Negotiation', 3, 75, 'open'), ('Won', 4, 100, 'won'), ('Lost', 5, 0, 'lost')) AS v(name, position, probability, kind) WHERE p.is_default AND NOT EXISTS (SELECT 1 FROM pipeline_stages s WHERE s.pipeline_id = p.id)",
    ),
)
