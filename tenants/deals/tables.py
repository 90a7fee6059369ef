"""Deal tables: the deal, its linked contacts and its stage history.

Amounts are NUMERIC (never float). A deal's company is SET NULL on deletion (the deal stays); its pipeline and
stage RESTRICT (a stage is deleted only once empty); links and history go with the deal.
"""

from decimal import Decimal

from piccolo.columns import JSONB, BigInt, BigSerial, Date, ForeignKey, Integer, Numeric, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from sampark.tenants.companies.tables import Company
from sampark.tenants.contacts.tables import Contact
from sampark.tenants.pipelines.tables import Pipeline, Stage


class Deal(Table, tablename="deals"):
    """A sales opportunity. ``status`` follows the stage's kind: open, won or lost."""

    id = BigSerial(primary_key=True)
    name = Varchar(length=200)
    # Three decimals covers every ISO 4217 minor unit (BHD, KWD); the form refuses more than the currency has.
    amount = Numeric(digits=(18, 3), default=Decimal(0))
    currency = Varchar(length=3, default="")
    expected_close_date = Date(null=True, default=None)
    owner_id = BigInt(null=True, default=None, index=True)
    pipeline: ForeignKey = ForeignKey(
        Pipeline, on_delete=OnDelete.restrict, null=False, index=True, db_column_name="pipeline_id"
    )
    stage: ForeignKey = ForeignKey(Stage, on_delete=OnDelete.restrict, null=False, db_column_name="stage_id")
    company: ForeignKey = ForeignKey(
        Company, on_delete=OnDelete.set_null, null=True, default=None, index=True, db_column_name="company_id"
    )
    status = Varchar(length=8, default="open")
    lost_reason = Varchar(length=32, default="")
    lost_note = Varchar(length=500, default="")
    closed_at = Timestamptz(null=True, default=None)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    # {key: value} of the tenant's custom deal fields (tenants/customfields; tenant step 15).
    custom = JSONB(default="{}")


class DealContact(Table, tablename="deal_contacts"):
    """A contact linked to a deal; deleting either side removes the link."""

    id = BigSerial(primary_key=True)
    deal: ForeignKey = ForeignKey(Deal, on_delete=OnDelete.cascade, null=False, db_column_name="deal_id")
    contact: ForeignKey = ForeignKey(
        Contact, on_delete=OnDelete.cascade, null=False, index=True, db_column_name="contact_id"
    )


class DealStageChange(Table, tablename="deal_stage_history"):
    """One stage change, written in the same transaction as the move (reports read where deals were lost)."""

    id = BigSerial(primary_key=True)
    deal: ForeignKey = ForeignKey(Deal, on_delete=OnDelete.cascade, null=False, db_column_name="deal_id")
    # Kept when a stage is deleted later (the row then says "a deleted stage").
    from_stage_id = BigInt(null=True, default=None)
    to_stage_id = BigInt(null=True, default=None)
    moved_by = BigInt(null=True, default=None)
    moved_at = Timestamptz()


CLOSE_KEY = "(coalesce(expected_close_date, '9999-12-31'::date) - '2000-01-01'::date)"
AMOUNT_KEY = "((amount * 1000)::bigint)"
DEAL_SEARCH_VECTOR = "to_tsvector('simple'::regconfig, translate(name, '<>/', '   '))"

DEAL_DDL = (
    f'ALTER TABLE "deals" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS ({DEAL_SEARCH_VECTOR}) STORED',
    'CREATE INDEX IF NOT EXISTS deals_search ON "deals" USING gin ("search_vector")',
    # The board: each column's first cards, by expected close date.
    'CREATE INDEX IF NOT EXISTS deals_board ON "deals" ("stage_id", "expected_close_date", "id")',
    'CREATE INDEX IF NOT EXISTS deals_name_sort ON "deals" (lower("name"), "id")',
    'CREATE INDEX IF NOT EXISTS deals_updated_sort ON "deals" ("updated_at", "id")',
    # The list's sort keys as integers (keyset cursors carry ints): days since 2000 with no date last, and
    # thousandths of the amount.
    f'CREATE INDEX IF NOT EXISTS deals_close_sort ON "deals" (({CLOSE_KEY}), "id")',
    f'CREATE INDEX IF NOT EXISTS deals_amount_sort ON "deals" (({AMOUNT_KEY}), "id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS deal_contacts_pair ON "deal_contacts" ("deal_id", "contact_id")',
    'CREATE INDEX IF NOT EXISTS deal_stage_history_deal ON "deal_stage_history" ("deal_id", "id")',
    'CREATE INDEX IF NOT EXISTS deal_stage_history_to ON "deal_stage_history" ("to_stage_id")',
    'CREATE INDEX IF NOT EXISTS deals_custom ON "deals" USING gin ("custom" jsonb_path_ops)',
)
