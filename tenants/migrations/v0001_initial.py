"""Initial tenant schema: contacts, audit log, job receipts (frozen; later changes are new steps)."""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=1,
    name="initial",
    statements=(
        'CREATE TABLE "contacts" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "first_name" VARCHAR(100) NOT NULL DEFAULT \'\', "last_name" VARCHAR(100) NOT NULL DEFAULT \'\', "email" VARCHAR(320) NOT NULL DEFAULT \'\', "phone" VARCHAR(32) NOT NULL DEFAULT \'\', "owner_id" BIGINT DEFAULT null, "version" INTEGER NOT NULL DEFAULT 1, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE INDEX contacts_email ON "contacts" USING btree ("email")',
        'CREATE TABLE "audit_log" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "actor_user_id" BIGINT DEFAULT null, "action" VARCHAR(32) NOT NULL DEFAULT \'\', "object_type" VARCHAR(64) NOT NULL DEFAULT \'\', "object_id" BIGINT DEFAULT null, "changes" JSONB NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE TABLE "job_receipts" ("key" VARCHAR(200) PRIMARY KEY NOT NULL DEFAULT \'\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
    ),
)
