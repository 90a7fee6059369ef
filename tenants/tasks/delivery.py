"""Deliver one task reminder: an in-app notification and an e-mail, in the recipient's language and zone.

Runs in the task's tenant context (the reminder actor). The task row is locked and re-read: a task completed,
deleted or re-timed since the reminder was queued sends nothing (a re-timed task has its own queue row), nor
does one the recipient's current role no longer lets them see (checked as the recipient, through the policy). The
effect is claimed with ``run_once`` per (task, remind_at) in the same transaction as the notification, and the
mail is sent before that transaction commits: an SMTP failure rolls the claim and the notification back and
the actor retries, so the app never shows two notifications for one reminder.
"""

from __future__ import annotations

from datetime import datetime

from sampark.platform.config.settings import Settings
from sampark.platform.i18n import Preferences, choose_locale, use_preferences
from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.context import DEFAULT_CURRENCY, DEFAULT_TIME_ZONE, valid_time_zone
from sampark.platform.i18n.formatting import format_date, format_datetime
from sampark.platform.identity.members import active_member_profile
from sampark.platform.mail.custom import render_override
from sampark.platform.mail.templates import render_mail
from sampark.platform.mail.transport import send_mail
from sampark.platform.tenancy.context import current_tenant, tenant_connection
from sampark.tenants.access.policy import acting_as, load_principal
from sampark.tenants.jobs.services import run_once
from sampark.tenants.mailtemplates.services import find_template
from sampark.tenants.settings.services import locale_defaults
from sampark.tenants.tasks.fields import priority_label
from sampark.tenants.tasks.notifications import add_notification
from sampark.tenants.tasks.queries import get_task
from sampark.tenants.tasks.schemas import COLUMNS, TaskView, task_from_row

_TASK = f"SELECT {COLUMNS} FROM tasks t WHERE t.id = $1 FOR UPDATE"
# The member's profile comes from the home database (docs/regions.md); their teams from the tenant's schema.
_TEAMS = "SELECT ARRAY(SELECT team_id FROM team_members WHERE user_id = $1)"


async def _preferences(row: dict[str, object]) -> Preferences:
    """The recipient's own language and zone, else their team's, else the tenant's (as on their pages)."""
    defaults = await locale_defaults(list(row["team_ids"]))  # type: ignore[call-overload]
    zones = (row["time_zone"], defaults.team_time_zone, defaults.tenant_time_zone)
    return Preferences(
        locale=choose_locale(str(row["locale"] or ""), defaults.team_locale, defaults.tenant_locale),
        time_zone=next((str(z) for z in zones if z and valid_time_zone(str(z))), DEFAULT_TIME_ZONE),
        currency=defaults.tenant_currency or DEFAULT_CURRENCY,
        country=defaults.country,
        cldr_region=defaults.cldr_region,
        tenant_locale=defaults.tenant_locale,
    )


def due_text(task: TaskView, time_zone: str) -> str:
    """The due time on the reader's wall clock with the zone named (a date alone for all-day tasks)."""
    if task.all_day and task.due_date is not None:
        return format_date(task.due_date, "full")
    return _("%(when)s (%(zone)s)", when=format_datetime(task.due_at, "full"), zone=time_zone)


async def deliver_reminder(settings: Settings, task_id: int, remind_at: str) -> bool:
    """Send the reminder queued for ``task_id`` at ``remind_at`` (ISO 8601) once; True when it went out now."""
    connection = tenant_connection()
    row = await connection.fetchrow(_TASK, task_id)
    if row is None or row["status"] != "open" or row["remind_at"] is None:
        return False
    task = task_from_row(row)
    if task.remind_at != datetime.fromisoformat(remind_at):
        return False
    recipient_id = task.assignee_id or task.owner_id
    if recipient_id is None or not await run_once(f"tasks.reminder:{task_id}:{remind_at}"):
        return False
    tenant = current_tenant()
    recipient = await active_member_profile(tenant.id, recipient_id)
    if recipient is None:  # no longer an active member: nobody to remind
        return False
    # The same check as the recipient's own pages: a task they may no longer see (their role lost task access
    # since it was queued) is not mailed to them. A task assigned to them stays visible whatever their role.
    with acting_as(await load_principal(recipient_id, str(recipient["role"] or ""))):
        if await get_task(task_id) is None:
            return False
    recipient["team_ids"] = await connection.fetchval(_TEAMS, recipient_id)
    path = f"/t/{tenant.slug}/tasks/{task.id}"
    preferences = await _preferences(dict(recipient))
    with use_preferences(preferences):
        due = due_text(task, preferences.time_zone)
        subject = _("Reminder: %(title)s", title=task.title)
        await add_notification(recipient_id, subject, _("Due %(when)s", when=due), path, task.id)
        name, priority, url = (
            recipient["full_name"] or recipient["email"],
            priority_label(task.priority),
            settings.public_url + path,
        )
        # The tenant's own template for the recipient's language, when an admin wrote one (docs/localization.md).
        mail = render_override(
            "task_reminder",
            await find_template("task_reminder", preferences.locale),
            {
                "recipient": {"name": name},
                "task": {"title": task.title, "description": task.description, "due": due, "priority": priority,
                         "url": url},
                "tenant": {"name": tenant.name},
            },
            lang=preferences.locale,
        ) or render_mail(
            "task_reminder",
            subject,
            {
                "subject": subject,
                "lang": preferences.locale,
                "name": name,
                "title": task.title,
                "description": task.description,
                "due": due,
                "priority": priority,
                "tenant_name": tenant.name,
                "url": url,
            },
        )  # fmt: skip
    await send_mail(
        settings, recipient["email"], mail.subject, mail.text, mail.html,
        idempotency_key=f"task-reminder:{tenant.id}:{task_id}:{remind_at}",
    )  # fmt: skip
    return True
