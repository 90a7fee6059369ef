"""Activities (notes, calls, meetings, logged e-mails) and their links to records, with full-text search.

Frozen: generated once from tenants/activities/tables.py and ``ACTIVITY_DDL``; later changes are new steps.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=7,
    name="activities",
    statements=(
        'CREATE TABLE IF NOT EXISTS "activities" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "kind" VARCHAR(16) NOT NULL DEFAULT \'\', "subject" VARCHAR(300) NOT NULL DEFAULT \'\', "body" TEXT NOT NULL DEFAULT \'\', "occurred_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "owner_id" BIGINT DEFAULT null, "duration_minutes" INTEGER DEFAULT null, "outcome" VARCHAR(16) NOT NULL DEFAULT \'\', "direction" VARCHAR(8) NOT NULL DEFAULT \'\', "starts_at" TIMESTAMPTZ DEFAULT null, "ends_at" TIMESTAMPTZ DEFAULT null, "location" VARCHAR(300) NOT NULL DEFAULT \'\', "email_from" VARCHAR(320) NOT NULL DEFAULT \'\', "email_to" VARCHAR(1000) NOT NULL DEFAULT \'\', "version" INTEGER NOT NULL DEFAULT 1, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE INDEX IF NOT EXISTS activities_owner_id ON "activities" USING btree ("owner_id")',
        'CREATE TABLE IF NOT EXISTS "activity_links" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "activity_id" BIGINT NOT NULL REFERENCES "activities" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "record_type" VARCHAR(32) NOT NULL DEFAULT \'\', "record_id" BIGINT NOT NULL DEFAULT 0, "attendee" BOOLEAN NOT NULL DEFAULT false)',
        "ALTER TABLE \"activities\" ADD COLUMN IF NOT EXISTS \"search_vector\" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, translate(subject, '<>/', '   ')), 'A') || setweight(to_tsvector('simple'::regconfig, translate(body, '<>/', '   ')), 'B')) STORED",
        'CREATE INDEX IF NOT EXISTS activities_search ON "activities" USING gin ("search_vector")',
        'CREATE INDEX IF NOT EXISTS activities_occurred ON "activities" ("occurred_at", "id")',
        'CREATE INDEX IF NOT EXISTS activities_meetings ON "activities" ("starts_at") WHERE kind = \'meeting\'',
        'CREATE UNIQUE INDEX IF NOT EXISTS activity_links_unique ON "activity_links" ("activity_id", "record_type", "record_id")',
        'CREATE INDEX IF NOT EXISTS activity_links_record ON "activity_links" ("record_type", "record_id", "activity_id")',
    ),
)
