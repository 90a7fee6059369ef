"""Custom fields on a record's detail page and form, for objects adopting them (deals, leads)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sampark.tenants.customfields.queries import fields_for
from sampark.tenants.customfields.values import display
from sampark.web.customfields.forms import custom_form_context
from sampark.web.customfields.lists import custom_history


async def detail_context(obj: str, value_label: Callable[[str, str], str]) -> dict[str, Any]:
    """What ``custom_details`` and the history block need: active fields, their display, history labels (the
    reader's language, archived fields included so old entries still read well)."""
    fields = await fields_for(obj, archived=True)
    labels, history_value = custom_history(fields, value_label)
    return {
        "custom_fields": [definition for definition in fields if not definition.archived],
        "show_custom": display,
        "field_labels": labels,
        "history_value": history_value,
    }


async def form_context(obj: str, custom: dict[str, Any]) -> dict[str, Any]:
    """``custom_form_context`` with the currency codes under ``custom_currencies`` (forms that have their own
    ``currencies`` list, like the deal form, keep it)."""
    context = await custom_form_context(obj, custom)
    context["custom_currencies"] = context.pop("currencies")
    return context
