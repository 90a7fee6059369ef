"""Company table. Contacts point at it with ON DELETE SET NULL, so deleting a company never deletes people."""

from piccolo.columns import JSONB, BigInt, BigSerial, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table


class Company(Table, tablename="companies"):
    """An organisation. ``domain`` is stored normalized (lower case, no scheme, no ``www.``)."""

    id = BigSerial(primary_key=True)
    name = Varchar(length=200)
    domain = Varchar(length=253, default="", index=True)
    industry = Varchar(length=100, default="")
    size = Varchar(length=16, default="")
    # {"street", "city", "region", "postcode", "country"}; see tenants/contacts/addresses.py
    address = JSONB(default="{}")
    # Piccolo's ForeignKey cascades by default; a parent's deletion only detaches its subsidiaries.
    parent: ForeignKey = ForeignKey(
        "self", on_delete=OnDelete.set_null, null=True, default=None, index=True, db_column_name="parent_id"
    )
    owner_id = BigInt(null=True, default=None, index=True)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    # {key: value} of the tenant's custom fields (tenants/customfields)
    custom = JSONB(default="{}")


# The search document: the name (weight A) and the domain whole and split at dots (weight B), in the "simple"
# configuration so names in any language match as written. Generated, so it can never go stale.
COMPANY_SEARCH_VECTOR = (
    "setweight(to_tsvector('simple'::regconfig, translate(name, '<>/', '   ')), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, domain || ' ' || translate(domain, '.-', '  ')), 'B')"
)

# What Piccolo columns cannot express: the generated tsvector column and the indexes behind search and sorts.
COMPANY_DDL = (
    f'ALTER TABLE "companies" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS ({COMPANY_SEARCH_VECTOR}) STORED',
    'CREATE INDEX companies_search ON "companies" USING gin ("search_vector")',
    'CREATE INDEX companies_name_sort ON "companies" (lower("name"), "id")',
    'CREATE INDEX companies_created_sort ON "companies" ("created_at", "id")',
    'CREATE INDEX companies_updated_sort ON "companies" ("updated_at", "id")',
)
