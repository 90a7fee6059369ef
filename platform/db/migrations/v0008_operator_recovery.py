"""Operator recovery codes and operator roles (frozen).

``operator_recovery_codes`` holds an operator's single-use recovery codes as digests, like ``recovery_codes``
does for users. ``operators.role`` is ``viewer``, ``support`` or ``admin``: operators that exist already keep
the powers they had (``admin``); an operator created from now on starts as ``viewer``.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=8,
    name="operator_recovery",
    statements=(
        'ALTER TABLE "public"."operators" ADD COLUMN IF NOT EXISTS "role" VARCHAR(16) NOT NULL DEFAULT \'admin\'',
        'ALTER TABLE "public"."operators" ALTER COLUMN "role" SET DEFAULT \'viewer\'',
        'CREATE TABLE IF NOT EXISTS "public"."operator_recovery_codes" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "operator_id" BIGINT REFERENCES "public"."operators" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "code_hash" VARCHAR(64) UNIQUE NOT NULL DEFAULT \'\', "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "used_at" TIMESTAMPTZ DEFAULT null)',
        'CREATE INDEX IF NOT EXISTS operator_recovery_codes_operator_id ON "public"."operator_recovery_codes" USING btree ("operator_id")',
    ),
)
