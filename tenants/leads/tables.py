"""Lead table: an unqualified prospect, kept apart from contacts until someone qualifies and converts it.

Same storage choices as contacts (tenants/contacts/tables.py): e-mails, phones and tags are JSONB arrays on the
row (the first e-mail and phone are the primary ones, mirrored into ``email``/``phone``), searched through a
generated tsvector. The ``converted_*`` columns point at what a conversion created or linked.
"""

from piccolo.columns import JSONB, BigInt, BigSerial, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from sampark.tenants.companies.tables import Company
from sampark.tenants.contacts.tables import Contact


class Lead(Table, tablename="leads"):
    """A prospect from a form, an import, the API or typed in by hand."""

    id = BigSerial(primary_key=True)
    first_name = Varchar(length=100, default="")
    last_name = Varchar(length=100, default="")
    company_name = Varchar(length=200, default="")
    title = Varchar(length=100, default="")
    email = Varchar(length=320, default="")
    phone = Varchar(length=32, default="")
    emails = JSONB(default="[]")
    phones = JSONB(default="[]")
    website = Varchar(length=253, default="")
    source = Varchar(length=32, default="")
    status = Varchar(length=16, default="new")
    disqualify_reason = Varchar(length=200, default="")
    owner_id = BigInt(null=True, default=None, index=True)
    notes = Text(default="")
    tags = JSONB(default="[]")
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    # What the conversion made or linked. Deleting a contact or company keeps the lead (SET NULL). The deal id
    # carries no foreign key: the deals table belongs to another feature and the lead only remembers it.
    converted_contact = ForeignKey(
        Contact, on_delete=OnDelete.set_null, null=True, default=None, db_column_name="converted_contact_id"
    )
    converted_company = ForeignKey(
        Company, on_delete=OnDelete.set_null, null=True, default=None, db_column_name="converted_company_id"
    )
    converted_deal_id = BigInt(null=True, default=None)
    converted_at = Timestamptz(null=True, default=None)
    converted_by = BigInt(null=True, default=None)
    # {key: value} of the tenant's custom lead fields (tenants/customfields; tenant step 15).
    custom = JSONB(default="{}")


# Name (A); company name (B); every e-mail whole and split into parts (B). "simple": names match as written.
LEAD_SEARCH_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, translate(first_name || ' ' || last_name, '<>/', '   ')), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, translate(company_name, '<>/', '   ')), 'B')"
    " || setweight(to_tsvector('simple'::regconfig,"
    " emails::text || ' ' || translate(emails::text, '@.-_+', '     ')), 'B')"
)

LEAD_DDL = (
    f'ALTER TABLE "leads" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS ({LEAD_SEARCH_VECTOR}) STORED',
    'CREATE INDEX leads_search ON "leads" USING gin ("search_vector")',
    'CREATE INDEX leads_emails ON "leads" USING gin ("emails" jsonb_path_ops)',
    'CREATE INDEX leads_phones ON "leads" USING gin ("phones" jsonb_path_ops)',
    'CREATE INDEX leads_tags ON "leads" USING gin ("tags" jsonb_path_ops)',
    'CREATE INDEX leads_name_sort ON "leads" (lower("first_name"), lower("last_name"), "id")',
    'CREATE INDEX leads_company_sort ON "leads" (lower("company_name"), "id")',
    'CREATE INDEX leads_created_sort ON "leads" ("created_at", "id")',
    'CREATE INDEX leads_updated_sort ON "leads" ("updated_at", "id")',
    'CREATE INDEX leads_status ON "leads" ("status", "id")',
    'CREATE INDEX leads_converted_contact ON "leads" ("converted_contact_id")',
    'CREATE INDEX leads_converted_company ON "leads" ("converted_company_id")',
    'CREATE INDEX IF NOT EXISTS leads_custom ON "leads" USING gin ("custom" jsonb_path_ops)',
)
