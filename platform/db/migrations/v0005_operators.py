"""Operator accounts, and an operator audit that the application cannot rewrite (frozen).

``operator_audit`` is append-only twice over: the privileges to change it are revoked from everyone, the
migrating role included, and a trigger refuses UPDATE, DELETE and TRUNCATE whoever runs them. The trigger is
what holds for the embedded login, which is a superuser and so skips privilege checks; only a deliberate
``ALTER TABLE ... DISABLE TRIGGER`` by a superuser gets past it (see docs/audit.md).
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=5,
    name="operators",
    statements=(
        'CREATE TABLE IF NOT EXISTS "public"."operators" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "email" VARCHAR(320) UNIQUE NOT NULL DEFAULT \'\', "full_name" VARCHAR(200) NOT NULL DEFAULT \'\', "password_hash" VARCHAR(255) NOT NULL DEFAULT \'\', "is_active" BOOLEAN NOT NULL DEFAULT true, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "last_login_at" TIMESTAMPTZ DEFAULT null, "totp_secret" VARCHAR(255) NOT NULL DEFAULT \'\', "totp_enabled_at" TIMESTAMPTZ DEFAULT null, "totp_last_step" BIGINT NOT NULL DEFAULT 0)',
        'REVOKE UPDATE, DELETE, TRUNCATE ON "public"."operator_audit" FROM PUBLIC, CURRENT_USER',
        """CREATE OR REPLACE FUNCTION public.sampark_refuse_audit_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END $$""",
        'DROP TRIGGER IF EXISTS operator_audit_append_only ON "public"."operator_audit"',
        'CREATE TRIGGER operator_audit_append_only BEFORE UPDATE OR DELETE ON "public"."operator_audit"'
        " FOR EACH ROW EXECUTE FUNCTION public.sampark_refuse_audit_change()",
        'DROP TRIGGER IF EXISTS operator_audit_no_truncate ON "public"."operator_audit"',
        'CREATE TRIGGER operator_audit_no_truncate BEFORE TRUNCATE ON "public"."operator_audit"'
        " FOR EACH STATEMENT EXECUTE FUNCTION public.sampark_refuse_audit_change()",
    ),
)
