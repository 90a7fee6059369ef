"""Which objects carry custom fields. Adopting them is one ``register`` call plus the hooks in docs/custom-fields.md.

An object needs a ``custom JSONB NOT NULL DEFAULT '{}'`` column (GIN ``jsonb_path_ops`` index), a permission
object in ``tenants/access/catalog.py`` and a list page; everything else (definitions, validation, filters,
columns, views) is generic.
"""

from __future__ import annotations

from dataclasses import dataclass

from sampark.platform.i18n import lazy_gettext


@dataclass(frozen=True)
class CustomObject:
    """One object that carries custom fields.

    Attributes:
        name: the permission object and the key stored in definitions and views (``contacts``).
        table: its table (``contacts``); values live in ``<table>.custom``.
        alias: the alias its list queries use (``c``); custom filters are written against it.
        audit_type: its ``object_type`` in the audit log (``contact``).
        list_path: its list page under ``/t/<slug>`` (``contacts/``), where views and columns send people back.
        title: its plural name for people (lazy, translated when shown).
        columns: the built-in list columns a user may choose from (the web layer titles and renders them).
        default_columns: the columns shown until a user chooses.
    """

    name: str
    table: str
    alias: str
    audit_type: str
    list_path: str
    title: object
    columns: tuple[str, ...] = ()
    default_columns: tuple[str, ...] = ()


OBJECTS: dict[str, CustomObject] = {}


def register(obj: CustomObject) -> CustomObject:
    OBJECTS[obj.name] = obj
    return obj


def custom_object(name: str) -> CustomObject | None:
    return OBJECTS.get(name)


register(
    CustomObject(
        "contacts",
        "contacts",
        "c",
        "contact",
        "contacts/",
        lazy_gettext("Contacts"),
        columns=("email", "phone", "company", "stage", "owner", "updated_at", "created_at", "tags", "source"),
        default_columns=("email", "phone", "company", "stage", "owner", "updated_at"),
    )
)
register(
    CustomObject(
        "companies",
        "companies",
        "co",
        "company",
        "companies/",
        lazy_gettext("Companies"),
        columns=("domain", "industry", "size", "parent", "owner", "updated_at", "created_at"),
        default_columns=("domain", "industry", "size", "parent", "owner"),
    )
)
register(
    CustomObject(
        "deals",
        "deals",
        "d",
        "deal",
        "deals/",
        lazy_gettext("Deals"),
        columns=(
            "amount",
            "stage",
            "company",
            "close_date",
            "owner",
            "pipeline",
            "status",
            "updated_at",
            "created_at",
        ),
        default_columns=("amount", "stage", "company", "close_date", "owner"),
    )
)
register(
    CustomObject(
        "leads",
        "leads",
        "l",
        "lead",
        "leads/",
        lazy_gettext("Leads"),
        columns=(
            "company",
            "email",
            "phone",
            "status",
            "source",
            "owner",
            "tags",
            "created_at",
            "updated_at",
        ),
        default_columns=("company", "email", "status", "source", "owner", "created_at"),
    )
)
