"""What the custom-field services return and raise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sampark.platform.db.sql import loads
from sampark.platform.i18n.tenant_text import localized
from sampark.tenants.records.errors import FieldErrors, RecordNotFound

TYPES = ("text", "number", "date", "select", "multi_select", "boolean", "url", "currency")
CHOICE_TYPES = frozenset({"select", "multi_select"})
RANGE_TYPES = frozenset({"number", "date", "currency"})
LENGTH_TYPES = frozenset({"text", "url"})


def _label(default: str, labels: Mapping[str, str], locale: str | None) -> str:
    # The one rule for text a tenant writes per locale (platform/i18n/tenant_text.py).
    return localized(default, labels, locale)


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    labels: Mapping[str, str] = field(default_factory=dict)

    def title(self, locale: str | None = None) -> str:
        """The label in ``locale`` (default: the reader's), else the default label."""
        return _label(self.label, self.labels, locale)


@dataclass(frozen=True)
class FieldDefinition:
    id: int
    object: str
    key: str
    type: str
    label: str
    labels: Mapping[str, str]
    options: tuple[Option, ...]
    required: bool
    max_length: int | None
    min_value: str | None
    max_value: str | None
    position: int
    archived: bool
    version: int
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def title(self, locale: str | None = None) -> str:
        """The label in ``locale`` (default: the reader's), else the default label."""
        return _label(self.label, self.labels, locale)

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'

    def option(self, key: str) -> Option | None:
        return next((option for option in self.options if option.key == key), None)

    @property
    def column(self) -> str:
        """Its name as a list column, filter prefix and audit field: ``cf.<key>``."""
        return f"cf.{self.key}"


def definition_from_row(row: Mapping[str, Any]) -> FieldDefinition:
    return FieldDefinition(
        id=row["id"],
        object=row["object"],
        key=row["key"],
        type=row["type"],
        label=row["label"],
        labels=loads(row["labels"], {}),
        options=tuple(
            Option(item.get("key", ""), item.get("label", ""), item.get("labels") or {})
            for item in loads(row["options"], [])
        ),
        required=row["required"],
        max_length=row["max_length"],
        min_value=row["min_value"],
        max_value=row["max_value"],
        position=row["position"],
        archived=row["archived"],
        version=row["version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


@dataclass(frozen=True)
class SavedViewData:
    id: int
    object: str
    name: str
    owner_id: int
    shared: bool
    filters: Mapping[str, str]
    sort: str
    columns: tuple[str, ...]
    version: int

    @property
    def etag(self) -> str:
        return f'"v{self.version}"'


def view_from_row(row: Mapping[str, Any]) -> SavedViewData:
    return SavedViewData(
        id=row["id"],
        object=row["object"],
        name=row["name"],
        owner_id=row["owner_id"],
        shared=row["shared"],
        filters=loads(row["filters"], {}),
        sort=row["sort"],
        columns=tuple(loads(row["columns"], [])),
        version=row["version"],
    )


class FieldNotFound(RecordNotFound):
    """No such field definition in this tenant (callers answer 404)."""


class FieldDefinitionError(FieldErrors):
    """Invalid definition input, keyed by form field (``label``, ``options``, ``labels.de``)."""


class ViewNotFound(RecordNotFound):
    """No such saved view, or not one the principal may see (callers answer 404)."""


class ViewError(FieldErrors):
    """Invalid saved-view input (``name``, ``filters``, ``sort``, ``columns``)."""
