"""Multi-currency: the exchange-rate table and its pair/day index (frozen).

Generated once from tenants/currencies/tables.py and ``EXCHANGE_RATE_DDL``; later changes are new steps.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=15,
    name="exchange_rates",
    statements=(
        'CREATE TABLE IF NOT EXISTS "exchange_rates" ("id" BIGSERIAL PRIMARY KEY NOT NULL, "currency" VARCHAR(3) NOT NULL DEFAULT \'\', "base" VARCHAR(3) NOT NULL DEFAULT \'\', "rate" NUMERIC(24, 10) NOT NULL DEFAULT 0, "valid_from" DATE NOT NULL DEFAULT CURRENT_DATE, "source" VARCHAR(8) NOT NULL DEFAULT \'manual\', "created_by" BIGINT DEFAULT null, "created_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp)',
        'CREATE UNIQUE INDEX IF NOT EXISTS exchange_rates_pair_day ON "exchange_rates" ("base", "currency", "valid_from")',
    ),
)
