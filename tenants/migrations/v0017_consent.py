"""Contacts' consent: the current state per (contact, purpose), its append-only history, and double opt-in
confirmation requests.

Frozen: generated once from tenants/consent/tables.py and ``CONSENT_DDL``; later changes are new steps. The
tenant role's UPDATE/DELETE on ``consent_events`` are revoked by the grants run after every step
(``append_only`` in tenants/schema.py).
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=17,
    name="consent",
    statements=(
        'CREATE TABLE IF NOT EXISTS "consents" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "contact_id" BIGINT REFERENCES "contacts" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "purpose" VARCHAR(32) NOT NULL DEFAULT \'\', "status" VARCHAR(16) NOT NULL DEFAULT \'\', "lawful_basis" VARCHAR(32) NOT NULL DEFAULT \'\', "source" VARCHAR(16) NOT NULL DEFAULT \'\', "evidence" TEXT NOT NULL DEFAULT \'\', "recorded_by" BIGINT DEFAULT null, "recorded_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "version" INTEGER NOT NULL DEFAULT 1)',
        'CREATE TABLE IF NOT EXISTS "consent_events" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "contact_id" BIGINT NOT NULL DEFAULT 0, "purpose" VARCHAR(32) NOT NULL DEFAULT \'\', "action" VARCHAR(16) NOT NULL DEFAULT \'\', "status" VARCHAR(16) NOT NULL DEFAULT \'\', "lawful_basis" VARCHAR(32) NOT NULL DEFAULT \'\', "source" VARCHAR(16) NOT NULL DEFAULT \'\', "evidence" TEXT NOT NULL DEFAULT \'\', "actor_user_id" BIGINT DEFAULT null, "at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE TABLE IF NOT EXISTS "consent_confirmations" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "contact_id" BIGINT REFERENCES "contacts" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null, "purpose" VARCHAR(32) NOT NULL DEFAULT \'\', "email" VARCHAR(320) NOT NULL DEFAULT \'\', "locale" VARCHAR(16) NOT NULL DEFAULT \'\', "nonce" VARCHAR(64) NOT NULL DEFAULT \'\', "token_hash" VARCHAR(64) UNIQUE NOT NULL DEFAULT \'\', "requested_by" BIGINT DEFAULT null, "expires_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "sent_at" TIMESTAMPTZ DEFAULT null, "confirmed_at" TIMESTAMPTZ DEFAULT null, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE UNIQUE INDEX IF NOT EXISTS consents_contact_purpose ON "consents" ("contact_id", "purpose")',
        'CREATE INDEX IF NOT EXISTS consent_events_contact ON "consent_events" ("contact_id", "id")',
        'CREATE INDEX IF NOT EXISTS consent_events_at ON "consent_events" ("at", "id")',
        'CREATE INDEX IF NOT EXISTS consent_confirmations_contact ON "consent_confirmations" ("contact_id", "purpose")',
        # Steps may run again on a schema they reached before (a resumed or repeated migration): drop, then add.
        'ALTER TABLE "consents" DROP CONSTRAINT IF EXISTS consents_evidence_length',
        'ALTER TABLE "consents" ADD CONSTRAINT consents_evidence_length CHECK (length("evidence") <= 2000)',
    ),
)
