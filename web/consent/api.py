"""``/t/<slug>/api/v1/contacts/<id>/consent``: a contact's consent per purpose, recording a grant or withdrawal,
and (``/events``) its history.

Errors are ``{"error": {"code", "message", "details"}}``: 404 ``not_found`` (no such contact, or not visible),
403 ``forbidden`` (no consent permission), 422 ``validation_failed`` (details per field), 409 ``stale`` when
``version`` is not the purpose's current version (the current state comes back in ``details.current``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from litestar import Controller, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, JSONBody, QueryParameter

from sampark.platform.i18n import gettext as _
from sampark.tenants.consent import services
from sampark.tenants.consent.schemas import (
    ConsentConflict,
    ConsentError,
    ConsentEventView,
    ConsentNotFound,
    ConsentView,
)
from sampark.tenants.settings.services import effective_region_settings
from sampark.web.contacts.http import API_EXCEPTION_HANDLERS, api_error, invalid_fields
from sampark.web.deps import CurrentTenant


class ConsentOut(msgspec.Struct):
    purpose: str
    # "" when nothing was recorded; otherwise granted, withdrawn or pending.
    status: str
    lawful_basis: str
    source: str
    evidence: str
    recorded_by: int | None
    recorded_at: datetime | None
    # 0 when nothing was recorded; send it back as ``version`` when recording.
    version: int
    # May the contact be contacted for this purpose under the workspace's consent model?
    may_contact: bool


class ContactConsentOut(msgspec.Struct):
    contact_id: int
    # opt_in or opt_out: the workspace's consent model (from its region rules).
    consent_model: str
    purposes: list[ConsentOut]


class ConsentEventOut(msgspec.Struct):
    id: int
    contact_id: int
    purpose: str
    # grant, withdraw, confirm, merge or delete
    action: str
    status: str
    lawful_basis: str
    source: str
    evidence: str
    actor_user_id: int | None
    at: datetime


class ConsentEventList(msgspec.Struct):
    items: list[ConsentEventOut]
    # Pass as ``before`` for the next (older) page; null on the last page.
    next_before: int | None


class ConsentRecord(msgspec.Struct, forbid_unknown_fields=True):
    """An answer to record. ``version``: the purpose's version last read (0 if none); omit to skip the check."""

    purpose: str
    # grant or withdraw
    action: str
    source: str
    lawful_basis: str = ""
    evidence: str = ""
    version: int | None = None


def consent_out(view: ConsentView) -> ConsentOut:
    return ConsentOut(
        view.purpose, view.status, view.lawful_basis, view.source, view.evidence, view.recorded_by,
        view.recorded_at, view.version, view.allowed,
    )  # fmt: skip


def event_out(event: ConsentEventView) -> ConsentEventOut:
    return ConsentEventOut(
        id=event.id, contact_id=event.contact_id, purpose=event.purpose, action=event.action, status=event.status,
        lawful_basis=event.lawful_basis, source=event.source, evidence=event.evidence,
        actor_user_id=event.actor_user_id, at=event.at,
    )  # fmt: skip


class ConsentApiController(Controller):
    path = "/api/v1/contacts/{contact_id:int}/consent"
    tags = ["consent"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @get("/")
    async def get_consent(self, tenant: CurrentTenant, contact_id: FromPath[int]) -> ContactConsentOut:
        """The contact's consent for every purpose (unrecorded ones with status "")."""
        try:
            views = await services.contact_consents(contact_id)
        except ConsentNotFound:
            raise NotFoundException() from None
        model = (await effective_region_settings()).marketing_consent.value
        return ContactConsentOut(contact_id, model, [consent_out(view) for view in views])

    @get("/events")
    async def list_events(
        self,
        tenant: CurrentTenant,
        contact_id: FromPath[int],
        before: Annotated[
            int | None, QueryParameter(ge=1, le=2**63 - 1, description="next_before of the last page")
        ] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> ConsentEventList:
        """The contact's consent history, newest first (events of contacts merged into it included)."""
        try:
            page = await services.contact_history(contact_id, before=before, limit=limit)
        except ConsentNotFound:
            raise NotFoundException() from None
        items = [event_out(event) for event in page.items]
        return ConsentEventList(items, page.next_before)

    @post("/", status_code=200)
    async def record_consent(
        self, tenant: CurrentTenant, contact_id: FromPath[int], data: JSONBody[ConsentRecord]
    ) -> Response[ConsentOut]:
        """Record a grant or withdrawal for one purpose; answers the purpose's state now."""
        try:
            view = await services.record_consent(
                contact_id, data.purpose[:64], data.action[:32], lawful_basis=data.lawful_basis[:64],
                source=data.source[:32], evidence=data.evidence[:10000], expected_version=data.version,
            )  # fmt: skip
        except ConsentNotFound:
            raise NotFoundException() from None
        except ConsentError as problem:
            raise invalid_fields(problem.errors) from None
        except ConsentConflict as conflict:
            raise api_error(
                409, "stale",
                _("This consent changed since you read it. Read it again and send its current version."),
                {"current": msgspec.to_builtins(consent_out(conflict.current))},
            ) from None  # fmt: skip
        return Response(consent_out(view))
