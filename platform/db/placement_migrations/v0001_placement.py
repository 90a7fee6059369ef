"""What a placement database needs beside its tenants' schemas (frozen; docs/regions.md, data residency).

A placement database holds no users, memberships or registry: those stay in the home database. It holds what a
tenant transaction writes next to its own rows, so that the write commits with the change that causes it:

- ``outbox`` and ``reminder_queue``, the same tables as the home database's (platform steps v0001, v0006), which
  the relay and the reminder scheduler scan on every database;
- ``tenant_placements``, a copy of the registry columns the row-level security of ``reminder_queue`` and the
  migrations need (id, role, schema, version) for the tenants placed here;
- the tenant group role and its grants (platform steps v0002, v0006).
"""

from sampark.platform.db.migrations.v0002_tenant_group import TENANT_GROUP_ROLE
from sampark.platform.db.steps import SchemaStep

_OWN_TENANT = "(SELECT t.id FROM public.tenant_placements t WHERE t.db_role = current_user::text)"

STEP = SchemaStep(
    version=1,
    name="placement",
    statements=(
        f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{TENANT_GROUP_ROLE}') THEN
                CREATE ROLE {TENANT_GROUP_ROLE} NOLOGIN;
            END IF;
        END $$""",
        'CREATE TABLE IF NOT EXISTS "public"."tenant_placements" ("id" BIGINT PRIMARY KEY NOT NULL, "slug" VARCHAR(63) UNIQUE NOT NULL, "schema_name" VARCHAR(63) UNIQUE NOT NULL, "db_role" VARCHAR(63) UNIQUE NOT NULL, "schema_version" INTEGER NOT NULL DEFAULT 0, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        f'GRANT SELECT (id, db_role) ON "public"."tenant_placements" TO {TENANT_GROUP_ROLE}',
        'CREATE TABLE IF NOT EXISTS "public"."outbox" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "tenant_id" BIGINT DEFAULT null, "queue_name" VARCHAR(100) NOT NULL DEFAULT \'default\', "actor_name" VARCHAR(100) NOT NULL DEFAULT \'\', "args" JSONB NOT NULL DEFAULT \'[]\', "kwargs" JSONB NOT NULL DEFAULT \'{}\', "attempts" INTEGER NOT NULL DEFAULT 0, "last_error" TEXT NOT NULL DEFAULT \'\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "sent_at" TIMESTAMPTZ DEFAULT null)',
        'CREATE INDEX IF NOT EXISTS outbox_unsent ON "public"."outbox" ("id") WHERE "sent_at" IS NULL',
        f'GRANT INSERT ON "public"."outbox" TO {TENANT_GROUP_ROLE}',
        f'GRANT USAGE ON SEQUENCE "public"."outbox_id_seq" TO {TENANT_GROUP_ROLE}',
        'CREATE TABLE IF NOT EXISTS "public"."reminder_queue" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "tenant_id" BIGINT NOT NULL DEFAULT 0, "task_id" BIGINT NOT NULL DEFAULT 0, "remind_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE INDEX IF NOT EXISTS reminder_queue_remind_at ON "public"."reminder_queue" USING btree ("remind_at")',
        'CREATE UNIQUE INDEX IF NOT EXISTS reminder_queue_task ON "public"."reminder_queue" USING btree ("tenant_id", "task_id")',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON "public"."reminder_queue" TO {TENANT_GROUP_ROLE}',
        f'GRANT USAGE ON SEQUENCE "public"."reminder_queue_id_seq" TO {TENANT_GROUP_ROLE}',
        'ALTER TABLE "public"."reminder_queue" ENABLE ROW LEVEL SECURITY',
        'DROP POLICY IF EXISTS reminder_queue_own_tenant ON "public"."reminder_queue"',
        f'CREATE POLICY reminder_queue_own_tenant ON "public"."reminder_queue" TO {TENANT_GROUP_ROLE}'
        f" USING (tenant_id = {_OWN_TENANT}) WITH CHECK (tenant_id = {_OWN_TENANT})",
    ),
)
