"""Tenant mail templates: admins (``settings`` permission) override a mail's subject and body per locale.

One row per (kind, locale); none means the built-in translated mail. Saving checks the template (syntax,
documented placeholders only: ``sampark.platform.mail.custom``) and the version the form was read at (0: no
override yet); saving and resetting are audited (``mail_template``). ``find_template`` is the senders' read:
it needs no permission (reminders and invitations run as the system).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sampark.platform.db.sql import fetch, fetchrow, fetchval
from sampark.platform.i18n import SUPPORTED_LOCALES
from sampark.platform.mail.custom import MAIL_KINDS, CustomTemplate, MailKind, check_template, preview
from sampark.platform.mail.templates import RenderedMail
from sampark.tenants.access.policy import require
from sampark.tenants.audit.services import record_change
from sampark.tenants.mailtemplates.tables import MailTemplate
from sampark.tenants.records.errors import FieldErrors, RecordNotFound, VersionConflict

OBJECT = "settings"
AUDIT_TYPE = "mail_template"
_COLUMNS = "id, kind, locale, subject, body, version, updated_by, updated_at"
_UPSERT = """
INSERT INTO mail_templates (kind, locale, subject, body, updated_by) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (kind, locale) DO UPDATE SET subject = excluded.subject, body = excluded.body,
    updated_by = excluded.updated_by, version = mail_templates.version + 1, updated_at = now()
RETURNING id
"""


@dataclass(frozen=True)
class MailTemplateView:
    id: int
    kind: str
    locale: str
    subject: str
    body: str
    version: int
    updated_by: int | None
    updated_at: datetime

    @property
    def template(self) -> CustomTemplate:
        return CustomTemplate(self.subject, self.body)


class MailTemplateNotFound(RecordNotFound):
    """No such mail or locale (answered 404)."""


class MailTemplateError(FieldErrors):
    """The template cannot be used; ``errors`` has ``subject`` and/or ``body``."""


def mail_kind(kind: str, locale: str) -> MailKind:
    """The overridable mail ``kind`` in a shipped ``locale``, or MailTemplateNotFound."""
    found = MAIL_KINDS.get(kind)
    if found is None or locale not in SUPPORTED_LOCALES:
        raise MailTemplateNotFound(f"{kind}/{locale}")
    return found


def _view(row: Any) -> MailTemplateView:
    return MailTemplateView(
        row["id"], row["kind"], row["locale"], row["subject"], row["body"], row["version"], row["updated_by"],
        row["updated_at"],
    )  # fmt: skip


async def _row(kind: str, locale: str, *, lock: bool = False) -> MailTemplateView | None:
    row = await fetchrow(
        MailTemplate,
        f"SELECT {_COLUMNS} FROM mail_templates WHERE kind = $1 AND locale = $2" + (" FOR UPDATE" if lock else ""),
        kind, locale,
    )  # fmt: skip
    return _view(row) if row is not None else None


async def find_template(kind: str, locale: str) -> CustomTemplate | None:
    """The tenant's override of ``kind`` in ``locale`` for a sender (no permission check), or None."""
    found = await _row(kind, locale) if kind in MAIL_KINDS else None
    return found.template if found is not None else None


async def list_overrides() -> list[MailTemplateView]:
    """Every override of the tenant, by mail and locale."""
    require(OBJECT, "view", record=False)
    rows = await fetch(MailTemplate, f"SELECT {_COLUMNS} FROM mail_templates ORDER BY kind, locale")
    return [_view(row) for row in rows]


async def get_override(kind: str, locale: str) -> MailTemplateView | None:
    """The override of one mail in one locale (None: the built-in one is sent)."""
    require(OBJECT, "view", record=False)
    mail_kind(kind, locale)
    return await _row(kind, locale)


def _snapshot(view: MailTemplateView | None) -> dict[str, Any]:
    return {"subject": view.subject, "body": view.body} if view is not None else {}


async def _locked(
    kind: str, locale: str, expected_version: int
) -> tuple[int | None, MailTemplateView | None]:
    principal = require(OBJECT, "edit", record=False)
    mail_kind(kind, locale)
    current = await _row(kind, locale, lock=True)
    if (current.version if current is not None else 0) != expected_version:
        raise VersionConflict(
            current or MailTemplateView(0, kind, locale, "", "", 0, None, datetime.now(UTC))
        )
    return principal.user_id, current


async def save_template(
    kind: str, locale: str, subject: str, body: str, *, expected_version: int
) -> MailTemplateView:
    """Store the override of ``kind`` in ``locale``; ``expected_version`` 0 when there was none.

    Raises:
        MailTemplateNotFound: unknown mail or locale.
        MailTemplateError: a syntax error, an unknown placeholder or anything beyond placeholders.
        VersionConflict: someone saved or reset it since the form was read.
    """
    actor, current = await _locked(kind, locale, expected_version)
    subject, body = subject.strip(), body.replace("\r\n", "\n").strip()
    errors = check_template(mail_kind(kind, locale), subject, body)
    if errors:
        raise MailTemplateError(errors)
    row_id = await fetchval(MailTemplate, _UPSERT, kind, locale, subject, body, actor)
    saved = await _row(kind, locale)
    assert saved is not None
    await record_change(
        "update" if current is not None else "create", AUDIT_TYPE, row_id, actor_user_id=actor,
        before={**_snapshot(current), "kind": kind, "locale": locale} if current else None,
        after={**_snapshot(saved), "kind": kind, "locale": locale},
    )  # fmt: skip
    return saved


async def reset_template(kind: str, locale: str, *, expected_version: int) -> None:
    """Delete the override: the built-in translated mail is sent again."""
    actor, current = await _locked(kind, locale, expected_version)
    if current is None:
        return
    await fetch(MailTemplate, "DELETE FROM mail_templates WHERE id = $1", current.id)
    await record_change(
        "delete", AUDIT_TYPE, current.id, actor_user_id=actor,
        before={**_snapshot(current), "kind": kind, "locale": locale},
    )  # fmt: skip


def preview_template(kind: str, locale: str, subject: str, body: str) -> RenderedMail:
    """``subject`` and ``body`` rendered with sample data (caller sets the locale for the sample texts).

    Raises:
        MailTemplateError: the template cannot be used (the same check as saving).
    """
    require(OBJECT, "view", record=False)
    found = mail_kind(kind, locale)
    errors = check_template(found, subject, body)
    if errors:
        raise MailTemplateError(errors)
    return preview(found, subject, body)
