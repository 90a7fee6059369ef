"""What consent pages share: the translated choices and labels the templates show."""

from __future__ import annotations

from typing import Any

from sampark.platform.regions.labels import lawful_basis_name
from sampark.tenants.consent.schemas import ACTIONS, PURPOSES, SOURCES, STATUSES, label
from sampark.tenants.history.people import Person
from sampark.tenants.history.people import label as person_label


def choices(options: Any) -> list[tuple[str, str]]:
    return [(key, str(name)) for key, name in options.items()]


def helpers(people: dict[int, Person]) -> dict[str, Any]:
    """Label functions for purposes, statuses, sources, actions, lawful bases and people."""
    return {
        "purpose_label": lambda key: label(PURPOSES, key),
        "status_label": lambda key: label(STATUSES, key),
        "source_label": lambda key: label(SOURCES, key),
        "action_label": lambda key: label(ACTIONS, key),
        "basis_label": lambda key: lawful_basis_name(key) if key else "—",
        "person": lambda user_id: person_label(people, user_id),
        "purpose_choices": choices(PURPOSES),
        "status_choices": choices(STATUSES),
        "source_choices": choices(SOURCES),
    }
