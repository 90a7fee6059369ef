"""Schema drift: replaying every step must build exactly what the Piccolo table classes describe.

Provisioning applies the flattened baseline and never the history, so a step that forgets a default, an index
or a constraint would leave old tenants different from new ones. Both sides are built for real and their
catalogs compared: columns (type, nullability, default), indexes, constraints and sequences. Column order is
not compared: a step can only append a column, and nothing in Sampark reads columns by position.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from sampark.platform.config.settings import Settings
from sampark.platform.database import PLATFORM_TABLES, load_schema
from sampark.platform.db.steps import discover_steps
from sampark.platform.tenancy.migrations import PLATFORM_STEPS_PACKAGE
from sampark.tenants.schema import TENANT_SCHEMA
from tests.integration.tenancy.databases import scratch_database

# Indexes the platform step adds on purpose, beyond what the table classes declare (partial, composite and
# lookup indexes Piccolo columns cannot express). Exact definitions, so they cannot drift either.
PLATFORM_STEP_ONLY_INDEXES = {
    "outbox_unsent": (
        "outbox",
        "CREATE INDEX outbox_unsent ON outbox USING btree (id) WHERE (sent_at IS NULL)",
    ),
    "memberships_user_tenant": (
        "memberships",
        "CREATE UNIQUE INDEX memberships_user_tenant ON memberships USING btree (user_id, tenant_id)",
    ),
    "tenants_schema_version": (
        "tenants",
        "CREATE INDEX tenants_schema_version ON tenants USING btree (schema_version)",
    ),
    "reminder_queue_task": (
        "reminder_queue",
        "CREATE UNIQUE INDEX reminder_queue_task ON reminder_queue USING btree (tenant_id, task_id)",
    ),
}

_COLUMNS = """
SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default_value, a.attidentity, a.attgenerated,
       a.attcollation <> 0 AND a.attcollation <> t.typcollation AS custom_collation
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
"""
_INDEXES = """
SELECT i.relname AS name, t.relname AS table_name, pg_get_indexdef(i.oid) AS definition
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = $1
"""
_CONSTRAINTS = """
SELECT con.conname AS name, t.relname AS table_name, con.contype AS kind,
       pg_get_constraintdef(con.oid) AS definition, con.condeferrable, con.condeferred
FROM pg_constraint con
JOIN pg_class t ON t.oid = con.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = $1
"""
_SEQUENCES = """
SELECT c.relname AS name, format_type(s.seqtypid, NULL) AS type, s.seqstart, s.seqincrement, s.seqcycle,
       owner.relname AS owned_by_table, col.attname AS owned_by_column
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend dep ON dep.objid = c.oid AND dep.classid = 'pg_class'::regclass AND dep.deptype IN ('a', 'i')
LEFT JOIN pg_class owner ON owner.oid = dep.refobjid
LEFT JOIN pg_attribute col ON col.attrelid = dep.refobjid AND col.attnum = dep.refobjsubid
WHERE n.nspname = $1
"""


@dataclass
class Catalog:
    """What a schema holds, by name, with schema names stripped so two schemas can be compared."""

    columns: dict[tuple[str, str], tuple[Any, ...]] = field(default_factory=dict)
    indexes: dict[str, tuple[str, str]] = field(default_factory=dict)
    constraints: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    sequences: dict[str, tuple[Any, ...]] = field(default_factory=dict)


async def read_catalog(connection: asyncpg.Connection, schema: str) -> Catalog:
    # Reading with the schema first on the search path prints its objects unqualified on both sides.
    await connection.execute("SELECT set_config('search_path', $1, false)", f'"{schema}"')

    def strip(text: str | None) -> str | None:
        return None if text is None else text.replace(f'"{schema}".', "").replace(f"{schema}.", "")

    catalog = Catalog()
    for row in await connection.fetch(_COLUMNS, schema):
        catalog.columns[(row["table_name"], row["column_name"])] = (
            row["type"],
            row["not_null"],
            strip(row["default_value"]),
            row["attidentity"],
            row["attgenerated"],
            row["custom_collation"],
        )
    for row in await connection.fetch(_INDEXES, schema):
        catalog.indexes[row["name"]] = (row["table_name"], strip(row["definition"]) or "")
    for row in await connection.fetch(_CONSTRAINTS, schema):
        catalog.constraints[row["name"]] = (
            row["table_name"],
            row["kind"],
            strip(row["definition"]),
            row["condeferrable"],
            row["condeferred"],
        )
    for row in await connection.fetch(_SEQUENCES, schema):
        catalog.sequences[row["name"]] = tuple(row[key] for key in list(row.keys())[1:])
    return catalog


async def _build_tenant_schema(connection: asyncpg.Connection, statements: list[str]) -> str:
    schema = f"drift_{secrets.token_hex(4)}"
    await connection.execute(f'CREATE SCHEMA "{schema}"')
    await connection.execute("SELECT set_config('search_path', $1, false)", f'"{schema}"')
    for statement in statements:
        await connection.execute(statement)
    return schema


async def test_tenant_steps_build_the_baseline(database: Settings) -> None:
    assert database.database_url
    connection = await asyncpg.connect(database.database_url)
    try:
        transaction = connection.transaction()
        await transaction.start()  # rolled back: nothing built here outlives the test
        try:
            replayed = await _build_tenant_schema(
                connection, [s for step in TENANT_SCHEMA.steps for s in step.statements]
            )
            baseline = await _build_tenant_schema(connection, TENANT_SCHEMA.baseline())
            steps_catalog = await read_catalog(connection, replayed)
            tables_catalog = await read_catalog(connection, baseline)
        finally:
            await transaction.rollback()
    finally:
        await connection.close()
    assert steps_catalog.columns, "the catalog query found no columns: the comparison would prove nothing"
    assert steps_catalog.columns == tables_catalog.columns
    assert steps_catalog.indexes == tables_catalog.indexes
    assert steps_catalog.constraints == tables_catalog.constraints
    assert steps_catalog.sequences == tables_catalog.sequences


async def _public_catalog(server_url: str, statements: list[str]) -> Catalog:
    async with scratch_database(server_url, "drift") as url:
        connection = await asyncpg.connect(url)
        try:
            for statement in statements:
                await connection.execute(statement)
            return await read_catalog(connection, "public")
        finally:
            await connection.close()


async def test_platform_steps_build_the_platform_tables(database: Settings) -> None:
    assert database.database_url
    load_schema()
    steps = discover_steps(PLATFORM_STEPS_PACKAGE)
    steps_catalog = await _public_catalog(
        database.database_url, [s for step in steps for s in step.statements]
    )
    tables_catalog = await _public_catalog(
        database.database_url, [s for table in PLATFORM_TABLES for s in table.create_table().ddl]
    )
    assert steps_catalog.columns, "the catalog query found no columns: the comparison would prove nothing"
    assert steps_catalog.columns == tables_catalog.columns
    assert steps_catalog.constraints == tables_catalog.constraints
    assert steps_catalog.sequences == tables_catalog.sequences
    assert steps_catalog.indexes == {**tables_catalog.indexes, **PLATFORM_STEP_ONLY_INDEXES}
