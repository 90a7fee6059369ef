"""Forms for custom fields: the admin's definition form, and the custom inputs inside record forms.

Option lists are typed one per line as ``key = Label`` (per language the same, with that language's label), so
the form works without JavaScript. Record inputs are named ``custom-<key>`` (currency: ``-amount``/``-currency``),
matching the ids the service's ``custom.<key>`` error keys map to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sampark.platform.i18n import SUPPORTED_LOCALES, lazy_gettext
from sampark.tenants.customfields.queries import fields_for
from sampark.tenants.customfields.schemas import FieldDefinition
from sampark.tenants.customfields.values import currency_codes

TYPE_LABELS = {
    "text": lazy_gettext("Text"),
    "number": lazy_gettext("Number"),
    "date": lazy_gettext("Date"),
    "select": lazy_gettext("Choice"),
    "multi_select": lazy_gettext("Several choices"),
    "boolean": lazy_gettext("Yes or no"),
    "url": lazy_gettext("Web address"),
    "currency": lazy_gettext("Amount of money"),
}


def _lines(text: str) -> list[tuple[str, str]]:
    pairs = []
    for line in text.splitlines():
        key, _sep, label = line.partition("=")
        if key.strip() or label.strip():
            pairs.append((key.strip(), label.strip()))
    return pairs


def definition_data(form: Mapping[str, Any]) -> dict[str, Any]:
    """What the definition service takes, from the posted admin form."""
    translated = {
        locale: dict(_lines(str(form.get(f"options-{locale}") or ""))) for locale in SUPPORTED_LOCALES
    }
    return {
        "key": str(form.get("key") or ""),
        "type": str(form.get("type") or ""),
        "label": str(form.get("label") or ""),
        "labels": {locale: str(form.get(f"labels-{locale}") or "") for locale in SUPPORTED_LOCALES},
        "options": [
            {
                "key": key,
                "label": label,
                "labels": {loc: names[key] for loc, names in translated.items() if key in names},
            }
            for key, label in _lines(str(form.get("options") or ""))
        ],
        "required": form.get("required") == "1",
        "max_length": str(form.get("max_length") or ""),
        "min_value": str(form.get("min_value") or ""),
        "max_value": str(form.get("max_value") or ""),
    }


def definition_form(
    definition: FieldDefinition | None, posted: Mapping[str, Any] | None = None
) -> dict[str, str]:
    """The admin form's values: as posted, or from the definition, or blank."""
    if posted is not None:
        return {name: str(value) for name, value in posted.items() if isinstance(value, str)}
    if definition is None:
        return {"type": "text"}
    values = {
        "key": definition.key,
        "type": definition.type,
        "label": definition.label,
        "required": "1" if definition.required else "",
        "max_length": str(definition.max_length or ""),
        "min_value": definition.min_value or "",
        "max_value": definition.max_value or "",
        "options": "\n".join(f"{option.key} = {option.label}" for option in definition.options),
        "version": str(definition.version),
    }
    for locale in SUPPORTED_LOCALES:
        values[f"labels-{locale}"] = definition.labels.get(locale, "")
        values[f"options-{locale}"] = "\n".join(
            f"{option.key} = {option.labels[locale]}"
            for option in definition.options
            if locale in option.labels
        )
    return values


def custom_from_post(form: Any, definitions: Sequence[FieldDefinition]) -> dict[str, Any]:
    """The ``custom`` object a record form posted (every active field: a blank input clears its value)."""
    values: dict[str, Any] = {}
    for definition in definitions:
        name = f"custom-{definition.key}"
        if definition.type == "multi_select":
            values[definition.key] = [str(value) for value in form.getall(name, [])]
        elif definition.type == "boolean":
            # A hidden "false" precedes the checkbox, so an unticked box still clears the value.
            values[definition.key] = "true" if "true" in form.getall(name, []) else "false"
        elif definition.type == "currency":
            amount = str(form.get(f"{name}-amount") or "").strip()
            values[definition.key] = (
                {"amount": amount, "currency": str(form.get(f"{name}-currency") or "")} if amount else None
            )
        else:
            values[definition.key] = str(form.get(name) or "")
    return values


def form_values(custom: Mapping[str, Any], definitions: Sequence[FieldDefinition]) -> dict[str, Any]:
    """Stored values as the inputs show them (numbers as typed text, currency split in two)."""
    shown: dict[str, Any] = {}
    for definition in definitions:
        value = custom.get(definition.key)
        if definition.type == "currency":
            value = value if isinstance(value, Mapping) else {}
            shown[definition.key] = {
                "amount": str(value.get("amount") or ""),
                "currency": str(value.get("currency") or ""),
            }
        elif definition.type == "multi_select":
            shown[definition.key] = list(value or [])
        elif definition.type == "boolean":
            shown[definition.key] = value in (True, "true")
        else:
            shown[definition.key] = "" if value is None else str(value)
    return shown


async def custom_from_request(obj: str, posted: Any) -> dict[str, Any]:
    """The ``custom`` object a record form of ``obj`` posted."""
    return custom_from_post(posted, await fields_for(obj))


async def custom_form_context(obj: str, custom: Mapping[str, Any]) -> dict[str, Any]:
    """What ``custom_inputs`` in customfields/_macros.html needs: the active fields, their values, currencies."""
    fields = await fields_for(obj)
    return {
        "custom_fields": fields,
        "custom_values": form_values(custom, fields),
        "currencies": sorted(currency_codes()),
    }


async def typed_custom(
    obj: str, posted: Mapping[str, Any], current: Mapping[str, Any]
) -> list[tuple[str, str]]:
    """(label, what was typed) for each custom field a stale form changed (shown in the edit-conflict notice)."""
    fields = await fields_for(obj)
    mine, now = form_values(posted, fields), form_values(current, fields)
    shown = []
    for definition in fields:
        if mine[definition.key] != now[definition.key]:
            value = mine[definition.key]
            if isinstance(value, Mapping):
                text = f"{value.get('amount', '')} {value.get('currency', '')}".strip()
            elif isinstance(value, list):
                text = ", ".join(value)
            else:
                text = str(value)
            shown.append((definition.title(), text))
    return shown
