"""Initial platform schema: tenants, users, memberships, operator audit, outbox (frozen)."""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=1,
    name="initial",
    statements=(
        'CREATE TABLE "public"."tenants" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "slug" VARCHAR(63) UNIQUE NOT NULL DEFAULT \'\', "name" VARCHAR(200) NOT NULL DEFAULT \'\', "region" VARCHAR(16) NOT NULL DEFAULT \'\', "placement" VARCHAR(63) NOT NULL DEFAULT \'default\', "status" VARCHAR(16) NOT NULL DEFAULT \'active\', "schema_name" VARCHAR(63) UNIQUE NOT NULL DEFAULT \'\', "db_role" VARCHAR(63) UNIQUE NOT NULL DEFAULT \'\', "schema_version" INTEGER NOT NULL DEFAULT 0, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE TABLE "public"."users" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "email" VARCHAR(320) UNIQUE NOT NULL DEFAULT \'\', "full_name" VARCHAR(200) NOT NULL DEFAULT \'\', "password_hash" VARCHAR(255) NOT NULL DEFAULT \'\', "is_active" BOOLEAN NOT NULL DEFAULT true, "locale" VARCHAR(16) NOT NULL DEFAULT \'\', "time_zone" VARCHAR(64) NOT NULL DEFAULT \'\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "last_login_at" TIMESTAMPTZ DEFAULT null)',
        'CREATE TABLE "public"."memberships" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "user_id" BIGINT REFERENCES "public"."users" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "tenant_id" BIGINT REFERENCES "public"."tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "role" VARCHAR(32) NOT NULL DEFAULT \'admin\', "is_active" BOOLEAN NOT NULL DEFAULT true, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE TABLE "public"."operator_audit" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "actor" VARCHAR(320) NOT NULL DEFAULT \'\', "action" VARCHAR(64) NOT NULL DEFAULT \'\', "tenant_id" BIGINT DEFAULT null, "details" JSONB NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE TABLE "public"."outbox" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "tenant_id" BIGINT DEFAULT null, "queue_name" VARCHAR(100) NOT NULL DEFAULT \'default\', "actor_name" VARCHAR(100) NOT NULL DEFAULT \'\', "args" JSONB NOT NULL DEFAULT \'[]\', "kwargs" JSONB NOT NULL DEFAULT \'{}\', "attempts" INTEGER NOT NULL DEFAULT 0, "last_error" TEXT NOT NULL DEFAULT \'\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "sent_at" TIMESTAMPTZ DEFAULT null)',
        'CREATE INDEX outbox_unsent ON "public"."outbox" ("id") WHERE "sent_at" IS NULL',
        'CREATE UNIQUE INDEX memberships_user_tenant ON "public"."memberships" ("user_id", "tenant_id")',
        'CREATE INDEX tenants_schema_version ON "public"."tenants" ("schema_version")',
    ),
)
