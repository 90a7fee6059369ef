"""What a list page needs for custom fields, columns and saved views, in one call.

A list page passes its request and current filters and sort; ``list_extras`` answers the filters and sort to use
(a chosen view fills them when the address carries no others), the columns to show and everything the shared
template blocks (``customfields/_macros.html``) render. See docs/custom-fields.md ("Adopting custom fields").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sampark.platform.i18n import lazy_gettext
from sampark.tenants.access.policy import current_principal
from sampark.tenants.customfields.queries import fields_for
from sampark.tenants.customfields.schemas import FieldDefinition, SavedViewData, ViewNotFound
from sampark.tenants.customfields.values import display, history_display
from sampark.tenants.customfields.views import available_columns, chosen_columns, get_view, views_for

# Titles of the built-in columns of every object's list (the registry names the keys).
BUILTIN_TITLES: Mapping[str, Any] = {
    "email": lazy_gettext("E-mail"),
    "phone": lazy_gettext("Phone"),
    "company": lazy_gettext("Company"),
    "stage": lazy_gettext("Stage"),
    "owner": lazy_gettext("Owner"),
    "updated_at": lazy_gettext("Changed"),
    "created_at": lazy_gettext("Created"),
    "tags": lazy_gettext("Tags"),
    "source": lazy_gettext("Source"),
    "domain": lazy_gettext("Domain"),
    "industry": lazy_gettext("Industry"),
    "size": lazy_gettext("Size"),
    "parent": lazy_gettext("Parent"),
    "amount": lazy_gettext("Amount"),
    "close_date": lazy_gettext("Expected close"),
    "pipeline": lazy_gettext("Pipeline"),
    "status": lazy_gettext("Status"),
}


@dataclass
class ListExtras:
    obj: str
    fields: list[FieldDefinition]
    columns: list[str]
    filters: dict[str, str]
    sort: str | None
    views: list[SavedViewData] = field(default_factory=list)
    view: SavedViewData | None = None

    def title(self, column: str) -> str:
        definition = self.by_column.get(column)
        return definition.title() if definition else str(BUILTIN_TITLES.get(column, column))

    @property
    def by_column(self) -> dict[str, FieldDefinition]:
        return {definition.column: definition for definition in self.fields}

    def cell(self, column: str, custom: Mapping[str, Any]) -> str:
        definition = self.by_column.get(column)
        return display(definition, custom.get(definition.key)) if definition else ""

    def template_context(self) -> dict[str, Any]:
        principal = current_principal()
        return {
            "custom_fields": self.fields,
            "columns": self.columns,
            "column_title": self.title,
            "custom_cell": self.cell,
            "views": self.views,
            "current_view": self.view,
            "can_share_views": principal.can("settings", "edit"),
            "view_owner": principal.user_id,
            "list_object": self.obj,
        }


async def list_extras(obj: str, filters: dict[str, str], sort: str | None, view_id: str | None) -> ListExtras:
    """Fields, columns and views of ``obj``'s list; a view (``view_id``) fills the filters and sort when the
    address has none. A view the principal may not see answers 404 (``ViewNotFound``)."""
    fields = await fields_for(obj)
    available = await available_columns(obj, fields)
    view = await get_view(int(view_id)) if view_id and view_id.isdigit() else None
    if view_id and view is None:
        raise ViewNotFound(view_id)
    if view is not None and view.object != obj:
        raise ViewNotFound(view.id)
    if view is not None and not filters and not sort:
        filters, sort = dict(view.filters), view.sort or None
    columns = (
        [name for name in view.columns if name in available]
        if view is not None and view.columns
        else await chosen_columns(obj, available=available)
    )
    return ListExtras(obj, fields, columns, filters, sort, await views_for(obj), view)


def custom_history(
    fields: list[FieldDefinition], value_label: Callable[[str, str], str]
) -> tuple[dict[str, str], Callable[[str, str], str]]:
    """History labels for ``cf.<key>`` (the field's label in the reader's language) and a value formatter that
    shows choice keys as labels and booleans as yes/no, falling back to ``value_label`` for other fields."""
    by_column = {definition.column: definition for definition in fields}

    def value(name: str, text: str) -> str:
        definition = by_column.get(name)
        return history_display(definition, text) if definition else value_label(name, text)

    return {column: definition.title() for column, definition in by_column.items()}, value
