"""Contact table.

Multi-valued fields are JSONB arrays on the row, not child tables: a contact is read and written whole, GIN
indexes (``jsonb_path_ops``) answer the duplicate checks and tag filters, and no join is needed for a list page.
The first e-mail and phone are the primary ones, mirrored into ``email`` and ``phone`` for sorting and display.
"""

from piccolo.columns import JSONB, BigInt, BigSerial, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from sampark.tenants.companies.tables import Company


class Contact(Table, tablename="contacts"):
    """A person."""

    id = BigSerial(primary_key=True)
    first_name = Varchar(length=100)
    last_name = Varchar(length=100, default="")
    email = Varchar(length=320, default="", index=True)
    phone = Varchar(length=32, default="")
    owner_id = BigInt(null=True, default=None, index=True)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    # ["ann@example.com", ...]: normalized (lower case), the first is the primary
    emails = JSONB(default="[]")
    # [{"number": "+4930...", "label": "mobile"}, ...]: E.164, the first is the primary
    phones = JSONB(default="[]")
    # [{"label", "street", "city", "region", "postcode", "country"}, ...]
    addresses = JSONB(default="[]")
    company = ForeignKey(
        Company, on_delete=OnDelete.set_null, null=True, default=None, index=True, db_column_name="company_id"
    )
    lifecycle_stage = Varchar(length=16, default="lead")
    source = Varchar(length=32, default="")
    tags = JSONB(default="[]")
    language = Varchar(length=16, default="")
    time_zone = Varchar(length=64, default="")
    # {key: value} of the tenant's custom fields (tenants/customfields)
    custom = JSONB(default="{}")


# The search document: the name (weight A), every e-mail address split into its parts (weight B), and
# every phone number's E.164 digits (weight C), in the "simple" configuration so names in any language match as
# written. Generated, so it never goes stale. Angle brackets and slashes become spaces: the parser would otherwise
# drop "<b>Ann</b>" as markup. Phone digits are one token per number, so a typed number (normalized to E.164 by
# the search, see tenants/search/text.py) matches as a prefix: "030 1234" finds +49 30 1234567 in Germany.
# Whole addresses are not indexed: the query builder never produces one (it splits what was typed the same way),
# and one index entry per address made every short prefix expand to thousands of entries.
CONTACT_SEARCH_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, translate(first_name || ' ' || last_name, '<>/', '   ')), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, translate(emails::text, '@.-_+', '     ')), 'B')"
    " || setweight(to_tsvector('simple'::regconfig,"
    " translate(jsonb_path_query_array(phones, '$[*].number')::text, '+[]\",', '      ')), 'C')"
)

# What Piccolo columns cannot express: the generated tsvector column, GIN indexes for containment (duplicates,
# tags) and search, and expression indexes for the sortable list columns (keyset pagination walks them).
CONTACT_DDL = (
    f'ALTER TABLE "contacts" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS ({CONTACT_SEARCH_VECTOR}) STORED',
    'CREATE INDEX contacts_search ON "contacts" USING gin ("search_vector")',
    'CREATE INDEX contacts_emails ON "contacts" USING gin ("emails" jsonb_path_ops)',
    'CREATE INDEX contacts_phones ON "contacts" USING gin ("phones" jsonb_path_ops)',
    'CREATE INDEX contacts_tags ON "contacts" USING gin ("tags" jsonb_path_ops)',
    # The country filter asks ``addresses @> '[{"country": "IN"}]'`` (docs/crm.md).
    'CREATE INDEX contacts_addresses ON "contacts" USING gin ("addresses" jsonb_path_ops)',
    'CREATE INDEX contacts_name_sort ON "contacts" (lower("first_name"), lower("last_name"), "id")',
    'CREATE INDEX contacts_created_sort ON "contacts" ("created_at", "id")',
    'CREATE INDEX contacts_updated_sort ON "contacts" ("updated_at", "id")',
    'CREATE INDEX contacts_stage ON "contacts" ("lifecycle_stage")',
    # Name-prefix search in name order (tenants/search/names.py); both orders, so "Iyer" is as fast as "Meera".
    'CREATE INDEX contacts_first_prefix ON "contacts"'
    ' ((lower("first_name") COLLATE "C"), (lower("last_name") COLLATE "C"), "id")',
    'CREATE INDEX contacts_last_prefix ON "contacts"'
    ' ((lower("last_name") COLLATE "C"), (lower("first_name") COLLATE "C"), "id")',
)
