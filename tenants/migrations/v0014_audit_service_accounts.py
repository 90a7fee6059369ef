"""The audit log names the service account that acted, when one did (frozen).

Service accounts are platform rows (``public.service_accounts``); no foreign key crosses schemas.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=14,
    name="audit_service_accounts",
    statements=(
        'ALTER TABLE "audit_log" ADD COLUMN IF NOT EXISTS "actor_service_account_id" BIGINT DEFAULT null',
    ),
)
