"""List filters on custom fields, added to an object's allowlisted ``ListSpec`` for the tenant's definitions.

Parameter names are ``cf.<key>`` plus a suffix per type (see docs/custom-fields.md). A ``cf.`` name that matches
no active field answers ``invalid_filter``. Keys and values are always bound parameters. Equality and "has"
filters are JSONB containment (``custom @> ...``), answered by the GIN index; contains and ranges read the
rows the other conditions and the owner scope leave. Sorting on custom fields is not offered (see the docs).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sampark.platform.db.sql import dumps
from sampark.platform.i18n import gettext as _
from sampark.tenants.customfields.schemas import FieldDefinition
from sampark.tenants.customfields.values import parse_date, parse_decimal
from sampark.tenants.search.listing import Filter, ListError, ListSpec, Sql

PREFIX = "cf."


def _invalid(name: str, message: str | None = None) -> ListError:
    return ListError(
        "invalid_filter", message or _("You cannot filter on “%(name)s”.", name=name[:40]), name[:40]
    )


def _contains(alias: str, key: str, name: str) -> Filter:
    def apply(sql: Sql, value: str) -> None:
        pattern = "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        sql.where(f"{alias}.custom->>{sql.bind(key)} ILIKE {sql.bind(pattern)}")

    return apply


def _equals(alias: str, key: str, definition: FieldDefinition, name: str) -> Filter:
    def apply(sql: Sql, value: str) -> None:
        stored: Any = value
        if definition.type in ("select", "multi_select"):
            if definition.option(value) is None:
                raise _invalid(name, _("Choose one from the list."))
            stored = [value] if definition.type == "multi_select" else value
        elif definition.type == "boolean":
            if value not in ("true", "false"):
                raise _invalid(name, _("Choose yes or no."))
            if value == "false":  # "no" includes records that never had a value
                sql.where(f"NOT {alias}.custom @> {sql.bind(dumps({key: True}))}::jsonb")
                return
            stored = True
        elif definition.type == "number":
            number = parse_decimal(value)
            if number is None:
                raise _invalid(name, _("Enter a number, like 42 or 3.5."))
            stored = int(number) if number == number.to_integral_value() else float(number)
        elif definition.type == "date":
            day = parse_date(value)
            if day is None:
                raise _invalid(name, _("Enter a date as YYYY-MM-DD."))
            stored = day.isoformat()
        sql.where(f"{alias}.custom @> {sql.bind(dumps({key: stored}))}::jsonb")

    return apply


def _range(alias: str, key: str, definition: FieldDefinition, name: str, operator: str) -> Filter:
    def apply(sql: Sql, value: str) -> None:
        if definition.type == "date":
            day = parse_date(value)
            if day is None:
                raise _invalid(name, _("Enter a date as YYYY-MM-DD."))
            sql.where(f"{alias}.custom->>{sql.bind(key)} {operator} {sql.bind(day.isoformat())}")
            return
        number = parse_decimal(value)
        if number is None:
            raise _invalid(name, _("Enter a number, like 42 or 3.5."))
        path = f"{alias}.custom->{sql.bind(key)}"
        if definition.type == "currency":
            value_sql, kind = f"{path}->'amount'", "string"
        else:
            value_sql, kind = path, "number"
        # CASE, not AND: only CASE guarantees the type check runs before the cast.
        number_sql = (
            f"CASE WHEN jsonb_typeof({value_sql}) = '{kind}' THEN ({value_sql}#>>'{{}}')::numeric END"
        )
        sql.where(f"{number_sql} {operator} {sql.bind(number)}")

    return apply


def _currency_code(alias: str, key: str, name: str) -> Filter:
    def apply(sql: Sql, value: str) -> None:
        sql.where(f"{alias}.custom @> {sql.bind(dumps({key: {'currency': value.strip().upper()}}))}::jsonb")

    return apply


def custom_filters(definitions: Sequence[FieldDefinition], alias: str) -> dict[str, Filter]:
    """Filter name -> filter for every active definition."""
    filters: dict[str, Filter] = {}
    for definition in definitions:
        if definition.archived:
            continue
        key, name = definition.key, definition.column
        if definition.type in ("text", "url"):
            filters[name] = _contains(alias, key, name)
            filters[f"{name}.eq"] = _equals(alias, key, definition, name)
        elif definition.type in ("select", "multi_select", "boolean"):
            filters[name] = _equals(alias, key, definition, name)
        else:
            if definition.type != "currency":
                filters[name] = _equals(alias, key, definition, name)
            else:
                filters[f"{name}.currency"] = _currency_code(alias, key, name)
            filters[f"{name}.min"] = _range(alias, key, definition, name, ">=")
            filters[f"{name}.max"] = _range(alias, key, definition, name, "<=")
    return filters


class _Filters(Mapping[str, Filter]):
    """The object's own filters plus the custom ones; any other ``cf.`` name is "invalid", not "unknown"."""

    def __init__(self, base: Mapping[str, Filter], custom: Mapping[str, Filter]) -> None:
        self._known = {**base, **custom}

    def __getitem__(self, name: str) -> Filter:
        if name in self._known:
            return self._known[name]
        if name.startswith(PREFIX):

            def refuse(sql: Sql, value: str) -> None:
                raise _invalid(name)

            return refuse
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self._known or name.startswith(PREFIX))

    def __iter__(self) -> Iterator[str]:
        return iter(self._known)

    def __len__(self) -> int:
        return len(self._known)


def with_custom(spec: ListSpec, definitions: Sequence[FieldDefinition], alias: str) -> ListSpec:
    """``spec`` with filters on the object's custom fields."""
    return ListSpec(
        filters=_Filters(spec.filters, custom_filters(definitions, alias)),
        sorts=spec.sorts,
        default_sort=spec.default_sort,
    )
