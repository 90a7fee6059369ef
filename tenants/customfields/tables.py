"""Custom field definitions, saved list views and each user's list columns.

Values are not stored here: each adopting object has a ``custom JSONB NOT NULL DEFAULT '{}'`` column holding
``{key: value}`` (one GIN ``jsonb_path_ops`` index answers the equality and "has" filters), so a record is still
read and written whole and its audit snapshot stays one row.
"""

from piccolo.columns import JSONB, BigInt, BigSerial, Boolean, Integer, Timestamptz, Varchar
from piccolo.table import Table


class CustomField(Table, tablename="custom_fields"):
    """One field an admin added to an object (``object`` is a registry name such as ``contacts``)."""

    id = BigSerial(primary_key=True)
    object = Varchar(length=32)
    # A slug, immutable once created: values are stored under it.
    key = Varchar(length=40)
    # text, number, date, select, multi_select, boolean, url, currency
    type = Varchar(length=16)
    # The default label (required), shown when the reader's language has none in ``labels``.
    label = Varchar(length=100)
    # {"hi": "...", "de": "..."}
    labels = JSONB(default="{}")
    # [{"key": "gold", "label": "Gold", "labels": {"de": "Gold"}}, ...] for select and multi_select
    options = JSONB(default="[]")
    required = Boolean(default=False)
    max_length = Integer(null=True, default=None)
    # Bounds as text (a number, a decimal or an ISO date, by type); null = no bound.
    min_value = Varchar(length=40, null=True, default=None)
    max_value = Varchar(length=40, null=True, default=None)
    position = Integer(default=0)
    archived = Boolean(default=False)
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class SavedView(Table, tablename="saved_views"):
    """Filters, sort and columns of one object's list, kept under a name: personal, or shared with the tenant."""

    id = BigSerial(primary_key=True)
    object = Varchar(length=32)
    name = Varchar(length=80)
    owner_id = BigInt()
    shared = Boolean(default=False)
    filters = JSONB(default="{}")
    sort = Varchar(length=40, default="")
    columns = JSONB(default="[]")
    version = Integer(default=1)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class ListColumns(Table, tablename="list_columns"):
    """The columns (in order) one user chose for one object's list."""

    id = BigSerial(primary_key=True)
    user_id = BigInt()
    object = Varchar(length=32)
    columns = JSONB(default="[]")
    updated_at = Timestamptz()


CUSTOM_FIELD_DDL = (
    'CREATE UNIQUE INDEX IF NOT EXISTS custom_fields_object_key ON "custom_fields" ("object", "key")',
    'CREATE INDEX IF NOT EXISTS saved_views_object ON "saved_views" ("object", "owner_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS list_columns_user_object ON "list_columns" ("user_id", "object")',
    'CREATE INDEX IF NOT EXISTS contacts_custom ON "contacts" USING gin ("custom" jsonb_path_ops)',
    'CREATE INDEX IF NOT EXISTS companies_custom ON "companies" USING gin ("custom" jsonb_path_ops)',
)
