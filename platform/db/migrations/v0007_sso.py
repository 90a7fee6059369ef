"""Single sign-on per tenant and service accounts (frozen).

``tenant_sso`` holds each tenant's OIDC provider and its sealed client secret; ``tenants.sso_only`` is read by
the tenant entry statement; ``service_accounts`` are non-person principals of one tenant, whose keys live in
``api_keys`` with ``service_account_id`` set. None of these is granted to the tenant group role.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=7,
    name="sso",
    statements=(
        'ALTER TABLE "public"."tenants" ADD COLUMN IF NOT EXISTS "sso_only" BOOLEAN NOT NULL DEFAULT false',
        'CREATE TABLE IF NOT EXISTS "public"."tenant_sso" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "tenant_id" BIGINT UNIQUE REFERENCES "public"."tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "issuer" VARCHAR(500) NOT NULL DEFAULT \'\', "client_id" VARCHAR(255) NOT NULL DEFAULT \'\', "client_secret" VARCHAR(2000) NOT NULL DEFAULT \'\', "default_role" VARCHAR(32) NOT NULL DEFAULT \'read-only\', "allowed_domains" JSONB NOT NULL DEFAULT \'[]\', "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE TABLE IF NOT EXISTS "public"."service_accounts" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "tenant_id" BIGINT REFERENCES "public"."tenants" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "name" VARCHAR(100) NOT NULL DEFAULT \'\', "role" VARCHAR(32) NOT NULL DEFAULT \'\', "created_by" BIGINT DEFAULT null, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "disabled_at" TIMESTAMPTZ DEFAULT null)',
        'CREATE INDEX IF NOT EXISTS service_accounts_tenant_id ON "public"."service_accounts" USING btree ("tenant_id")',
        'ALTER TABLE "public"."api_keys" ADD COLUMN IF NOT EXISTS "service_account_id" BIGINT REFERENCES "public"."service_accounts" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null',
        'CREATE INDEX IF NOT EXISTS api_keys_service_account_id ON "public"."api_keys" USING btree ("service_account_id")',
    ),
)
