"""The consent section of a contact page (``/t/<slug>/contacts/<id>/consent``) and the form that records
a grant or a withdrawal.

Like the files section, it is a page of its own (a link that works without JavaScript) whose ``section`` block
the contact page loads with htmx; the form posts here and gets the section back (errors included, with their
status: web/static/js/consent.js swaps those in), or a redirect without htmx.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.regions.labels import lawful_basis_name
from sampark.tenants.consent import services
from sampark.tenants.consent.schemas import (
    OBJECT,
    PURPOSES,
    ConsentConflict,
    ConsentError,
    ConsentNotFound,
    label,
)
from sampark.tenants.contacts.queries import get_contact
from sampark.tenants.history.people import members
from sampark.tenants.settings.services import effective_region_settings
from sampark.web.consent.display import helpers
from sampark.web.contacts.pagekit import can
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, is_htmx, render

FORM_FIELDS = ("purpose", "action", "lawful_basis", "source", "evidence")


async def section_context(contact_id: int, *, before: int | None = None) -> dict[str, Any]:
    """Everything the section shows. Raises NotFoundException for a contact the principal may not see, and
    PermissionDenied (403) when it may see the contact but not its consent."""
    contact = await get_contact(contact_id) if 0 < contact_id < 2**63 else None
    if contact is None:
        raise NotFoundException()
    try:
        consents = await services.contact_consents(contact_id)
        history = await services.contact_history(contact_id, before=before)
    except ConsentNotFound:
        raise NotFoundException() from None
    settings = await effective_region_settings()
    return {
        "contact": contact,
        "consents": consents,
        "history": history,
        "model": settings.marketing_consent.value,
        "basis_choices": [(key, lawful_basis_name(key)) for key in settings.lawful_bases],
        "can_edit": can(OBJECT, "edit", contact.owner_id),
        "errors": {},
        "form": {},
        "notice": None,
        **helpers(await members()),
    }


class ConsentSectionController(Controller):
    path = "/contacts/{contact_id:int}/consent"
    include_in_schema = False

    @get("/")
    async def section(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        contact_id: FromPath[int],
        before: Annotated[int | None, QueryParameter(ge=1, le=2**63 - 1)] = None,
    ) -> Response[str]:
        """The contact's consent: the whole page, the ``section`` block for htmx, or older history rows."""
        context = await section_context(contact_id, before=before)
        return render(request, "consent/section.html", context, block="events" if before else "section")

    @post("/")
    async def record(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, contact_id: FromPath[int]
    ) -> Response[Any]:
        """Record a grant or a withdrawal; the section (or the contact page) shows the new state."""
        form = await request.form()
        fields = {name: str(form.get(name) or "")[:4000] for name in FORM_FIELDS}
        version = str(form.get(f"version_{fields['purpose']}") or "")
        expected = int(version) if version.isdigit() and len(version) < 10 else None
        errors: dict[str, str] = {}
        notice, status = None, 200
        try:
            recorded = await services.record_consent(
                contact_id, fields["purpose"], fields["action"], lawful_basis=fields["lawful_basis"],
                source=fields["source"], evidence=fields["evidence"], expected_version=expected,
            )  # fmt: skip
            purpose = label(PURPOSES, fields["purpose"])
            if recorded.status == "pending":
                notice = _(
                    "A confirmation e-mail was sent to the contact: consent for %(purpose)s counts once they confirm.",
                    purpose=purpose,
                )
            elif recorded.status == "granted":
                notice = _("Consent for %(purpose)s was recorded as granted.", purpose=purpose)
            else:
                notice = _("Consent for %(purpose)s was recorded as withdrawn.", purpose=purpose)
        except ConsentNotFound:
            raise NotFoundException() from None
        except ConsentError as problem:
            errors, status = problem.errors, 400
        except ConsentConflict:
            errors = {"purpose": _("Someone else changed this consent meanwhile. Check it and record again.")}
            status = 409
        if not errors and not is_htmx(request):
            flash(request, notice or "", "success")
            return Redirect(path=f"/t/{tenant.slug}/contacts/{contact_id}#consent", status_code=303)
        context = await section_context(contact_id)
        context.update(errors=errors, form=fields if errors else {}, notice=notice)
        return render(request, "consent/section.html", context, block="section", status_code=status)
