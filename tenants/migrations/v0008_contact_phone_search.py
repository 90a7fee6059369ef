"""Phone numbers become searchable: the contacts' generated search document gains each number's E.164 digits,
and loses whole e-mail addresses (their parts stay), which made short prefixes slow on big tables; two B-tree
indexes answer "the name starts with" in name order (tenants/search/names.py).

A generated column's expression cannot be altered in place, so the column and its index are rebuilt (the table
is rewritten once per tenant). Frozen: later changes are new steps.
"""

from sampark.platform.db.steps import SchemaStep

STEP = SchemaStep(
    version=8,
    name="contact_phone_search",
    statements=(
        "DROP INDEX IF EXISTS contacts_search",
        'ALTER TABLE "contacts" DROP COLUMN IF EXISTS "search_vector"',
        "ALTER TABLE \"contacts\" ADD COLUMN \"search_vector\" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, translate(first_name || ' ' || last_name, '<>/', '   ')), 'A') || setweight(to_tsvector('simple'::regconfig, translate(emails::text, '@.-_+', '     ')), 'B') || setweight(to_tsvector('simple'::regconfig, translate(jsonb_path_query_array(phones, '$[*].number')::text, '+[]\",', '      ')), 'C')) STORED",
        'CREATE INDEX contacts_search ON "contacts" USING gin ("search_vector")',
        'CREATE INDEX IF NOT EXISTS contacts_first_prefix ON "contacts"'
        ' ((lower("first_name") COLLATE "C"), (lower("last_name") COLLATE "C"), "id")',
        'CREATE INDEX IF NOT EXISTS contacts_last_prefix ON "contacts"'
        ' ((lower("last_name") COLLATE "C"), (lower("first_name") COLLATE "C"), "id")',
    ),
)
