"""What the task pages share: choices for the form and filters, and the context a task row needs."""

from __future__ import annotations

from typing import Any

from sampark.platform.i18n import current_preferences
from sampark.tenants.history.people import label, members
from sampark.tenants.tasks.fields import PRIORITIES, REMINDERS, priority_label
from sampark.tenants.tasks.services import OBJECT, may_complete, may_edit
from sampark.web.contacts.pagekit import can, owner_choices


async def row_context() -> dict[str, Any]:
    """Names and permission checks the task rows (list, record section, calendar) use."""
    people = await members()
    return {
        "person": lambda user_id: label(people, user_id) if user_id else "",
        "priority_label": priority_label,
        "may_edit": may_edit,
        "may_complete": may_complete,
        "may_delete": lambda task: can(OBJECT, "delete", task.owner_id),
        "people": list(people.values()),
    }


async def form_choices() -> dict[str, Any]:
    return {
        "time_zone": current_preferences().time_zone,
        "assignees": [(person.id, person.name) for person in await owner_choices(OBJECT)],
        "priorities": [(key, str(name)) for key, name in PRIORITIES.items()],
        "reminders": [(key, str(name)) for key, (name, _offset) in REMINDERS.items()],
    }
