"""Authentication hardening: two-factor columns, tenant 2FA policy, reset links, recovery codes, API keys,
the sign-in audit trail (frozen).

None of the new tables is granted to the tenant group role: they are read and written by the app role only
(a tenant's admin pages read ``auth_events`` through the app's own connection, filtered to that tenant).
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=4,
    name="auth",
    statements=(
        'ALTER TABLE "public"."users" ADD COLUMN "totp_secret" VARCHAR(255) NOT NULL DEFAULT \'\'',
        'ALTER TABLE "public"."users" ADD COLUMN "totp_enabled_at" TIMESTAMPTZ DEFAULT null',
        'ALTER TABLE "public"."users" ADD COLUMN "totp_last_step" BIGINT NOT NULL DEFAULT 0',
        'ALTER TABLE "public"."tenants" ADD COLUMN "require_2fa" BOOLEAN NOT NULL DEFAULT false',
        'CREATE TABLE "public"."password_resets" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "user_id" BIGINT REFERENCES "public"."users" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "token_hash" VARCHAR(64) UNIQUE NOT NULL DEFAULT \'\', "nonce" VARCHAR(64) NOT NULL DEFAULT \'\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "expires_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "used_at" TIMESTAMPTZ DEFAULT null, "mailed_at" TIMESTAMPTZ DEFAULT null)',
        'CREATE INDEX password_resets_user_id ON "public"."password_resets" USING btree ("user_id")',
        'CREATE TABLE "public"."recovery_codes" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "user_id" BIGINT REFERENCES "public"."users" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "code_hash" VARCHAR(64) UNIQUE NOT NULL DEFAULT \'\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "used_at" TIMESTAMPTZ DEFAULT null)',
        'CREATE INDEX recovery_codes_user_id ON "public"."recovery_codes" USING btree ("user_id")',
        'CREATE TABLE "public"."api_keys" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "user_id" BIGINT REFERENCES "public"."users" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "tenant_id" BIGINT REFERENCES "public"."tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "name" VARCHAR(100) NOT NULL DEFAULT \'\', "prefix" VARCHAR(16) NOT NULL DEFAULT \'\', "key_hash" VARCHAR(64) UNIQUE NOT NULL DEFAULT \'\', "scopes" JSONB NOT NULL DEFAULT \'{}\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "last_used_at" TIMESTAMPTZ DEFAULT null, "revoked_at" TIMESTAMPTZ DEFAULT null)',
        'CREATE INDEX api_keys_user_id ON "public"."api_keys" USING btree ("user_id")',
        'CREATE INDEX api_keys_tenant_id ON "public"."api_keys" USING btree ("tenant_id")',
        'CREATE TABLE "public"."auth_events" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "user_id" BIGINT DEFAULT null, "tenant_id" BIGINT DEFAULT null, "event" VARCHAR(32) NOT NULL DEFAULT \'\', "ip" VARCHAR(64) NOT NULL DEFAULT \'\', "user_agent" VARCHAR(300) NOT NULL DEFAULT \'\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE INDEX auth_events_user_id ON "public"."auth_events" USING btree ("user_id")',
        'CREATE INDEX auth_events_tenant_id ON "public"."auth_events" USING btree ("tenant_id")',
    ),
)
