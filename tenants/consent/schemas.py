"""What consent is made of: the allowlisted purposes, statuses, sources and actions, and what services hand out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.support import LazyProxy

from sampark.platform.i18n import lazy_gettext
from sampark.tenants.records.errors import FieldErrors, RecordNotFound, VersionConflict

OBJECT = "consent"
MAX_EVIDENCE = 2000

# Stored keys; keep them. The labels are what people read.
PURPOSES: Mapping[str, LazyProxy] = {
    "email_marketing": lazy_gettext("E-mail marketing"),
    "sms_marketing": lazy_gettext("SMS marketing"),
    "phone_marketing": lazy_gettext("Phone marketing"),
    "profiling": lazy_gettext("Profiling"),
    "third_party_sharing": lazy_gettext("Sharing with third parties"),
}
STATUSES: Mapping[str, LazyProxy] = {
    "granted": lazy_gettext("Granted"),
    "withdrawn": lazy_gettext("Withdrawn"),
    "pending": lazy_gettext("Awaiting confirmation"),
}
SOURCES: Mapping[str, LazyProxy] = {
    "form": lazy_gettext("Web form"),
    "import": lazy_gettext("Import"),
    "phone": lazy_gettext("Phone call"),
    "email": lazy_gettext("E-mail"),
    "in_person": lazy_gettext("In person"),
    "other": lazy_gettext("Other"),
}
# What staff record; the history also holds what the contact and the system do (confirm, merge, delete).
ACTIONS: Mapping[str, LazyProxy] = {
    "grant": lazy_gettext("Granted"),
    "withdraw": lazy_gettext("Withdrawn"),
    "confirm": lazy_gettext("Confirmed by the contact"),
    "merge": lazy_gettext("Merged from a duplicate"),
    "delete": lazy_gettext("Contact deleted"),
}
RECORDABLE = ("grant", "withdraw")
# Least to most protective: on a merge the more protective state wins (a withdrawal always does).
PROTECTION = ("granted", "pending", "withdrawn")


def label(choices: Mapping[str, LazyProxy], key: str) -> str:
    return str(choices[key]) if key in choices else key


class ConsentNotFound(RecordNotFound):
    """No such contact, or the principal may not see it."""


class ConsentError(FieldErrors):
    """Invalid consent input; ``errors`` maps form fields to translated messages."""


class ConsentConflict(VersionConflict):
    """The purpose's consent changed since the version the caller read; ``current`` is the state now."""


@dataclass(frozen=True)
class ConsentView:
    """A contact's consent for one purpose; ``version`` 0 and ``status`` "" when nothing was recorded."""

    contact_id: int
    purpose: str
    status: str
    lawful_basis: str
    source: str
    evidence: str
    recorded_by: int | None
    recorded_at: datetime | None
    version: int
    # May the contact be contacted for this purpose under the tenant's consent model?
    allowed: bool

    @property
    def recorded(self) -> bool:
        return self.version > 0


@dataclass(frozen=True)
class ConsentEventView:
    id: int
    contact_id: int
    purpose: str
    action: str
    status: str
    lawful_basis: str
    source: str
    evidence: str
    actor_user_id: int | None
    at: datetime
    contact_name: str = ""


@dataclass(frozen=True)
class EventPage:
    items: list[ConsentEventView]
    # Pass as ``before`` for the next (older) page; None on the last page.
    next_before: int | None


def event_from_row(row: Any) -> ConsentEventView:
    return ConsentEventView(
        id=row["id"],
        contact_id=row["contact_id"],
        purpose=row["purpose"],
        action=row["action"],
        status=row["status"],
        lawful_basis=row["lawful_basis"],
        source=row["source"],
        evidence=row["evidence"],
        actor_user_id=row["actor_user_id"],
        at=row["at"],
        contact_name=row.get("contact_name") or "",
    )
