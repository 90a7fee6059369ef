"""What a tenant schema holds: table classes, their baseline DDL, and the steps that reach it."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from piccolo.table import Table

from sampark.platform.db.steps import SchemaStep, check_sequence

# The platform does not import tenant features; it loads their schema description by name.
TENANT_SCHEMA_MODULE = "sampark.tenants.schema"


@dataclass(frozen=True)
class TenantSchema:
    """The tenant tables in creation order, the steps that build them, the append-only tables, and the rows
    every new tenant starts with (``seed``: idempotent SQL, run after the baseline)."""

    tables: Sequence[type[Table]]
    steps: Sequence[SchemaStep]
    append_only: frozenset[str] = field(default_factory=frozenset)
    seed: Sequence[str] = ()
    # DDL Piccolo columns cannot express (composite and partial indexes), part of the baseline.
    extra_ddl: Sequence[str] = ()

    def __post_init__(self) -> None:
        check_sequence(self.steps)

    @property
    def version(self) -> int:
        return self.steps[-1].version if self.steps else 0

    def baseline(self) -> list[str]:
        """DDL for the current schema, generated from the Piccolo table classes (schema-less)."""
        statements: list[str] = []
        for table in self.tables:
            statements.extend(table.create_table().ddl)
        return [*statements, *self.extra_ddl]


@lru_cache(maxsize=1)
def load_tenant_schema() -> TenantSchema:
    """Import the tenant schema description (``TENANT_SCHEMA`` in ``sampark.tenants.schema``)."""
    schema = importlib.import_module(TENANT_SCHEMA_MODULE).TENANT_SCHEMA
    assert isinstance(schema, TenantSchema)
    return schema
