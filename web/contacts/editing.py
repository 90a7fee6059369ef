"""Contact forms: create and edit, with inline errors, extra rows, a duplicate warning and a version check.

A stale form (someone saved the contact after it was opened) is never saved over: the page says so, shows
the current values in the form and lists what the person had typed, to reapply by hand.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.tenants.access.policy import require
from sampark.tenants.companies.services import company_choices
from sampark.tenants.contacts.addresses import country_choices
from sampark.tenants.contacts.fields import LIFECYCLE_STAGES, PHONE_LABELS, SOURCES, time_zones
from sampark.tenants.contacts.services import (
    ContactError,
    ContactView,
    DuplicateContacts,
    VersionConflict,
    create_contact,
    get_contact,
    update_contact,
)
from sampark.web.contacts.forms import ROW_ACTIONS, ContactForm
from sampark.web.contacts.pagekit import owner_choices, phone_regions, tenant_phone_region
from sampark.web.customfields.forms import custom_form_context, custom_from_request, typed_custom
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render

OBJECT = "contacts"
_COMPARED = (
    ("first_name", lazy_gettext("First name")),
    ("last_name", lazy_gettext("Last name")),
    ("emails", lazy_gettext("E-mail addresses")),
    ("phones", lazy_gettext("Phone numbers")),
    ("company_id", lazy_gettext("Company")),
    ("lifecycle_stage", lazy_gettext("Lifecycle stage")),
    ("source", lazy_gettext("Source")),
    ("tags", lazy_gettext("Tags")),
    ("language", lazy_gettext("Language")),
    ("time_zone", lazy_gettext("Time zone")),
)


def _typed(form: ContactForm, current: ContactView) -> list[tuple[str, str]]:
    """What the person typed that differs from the contact as it is now (shown after a conflict)."""
    theirs, now = form.to_data(), ContactForm.from_view(current, "").to_data()
    shown = []
    for name, title in _COMPARED:
        mine, present = theirs.get(name), now.get(name)
        if name == "emails":
            mine, present = ", ".join(e for e in mine if e.strip()), ", ".join(present)
        elif name == "phones":
            mine = ", ".join(p["number"] for p in mine if p["number"].strip())
            present = ", ".join(p["number"] for p in present)
        if str(mine or "").strip() != str(present or "").strip():
            shown.append((str(title), str(mine or "")))
    return shown


async def _page(
    request: Request[Any, Any, Any],
    form: ContactForm,
    *,
    contact: ContactView | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    **extra: Any,
) -> Response[str]:
    include = int(form.company_id) if form.company_id.isdigit() else None
    context = {
        **await custom_form_context(OBJECT, form.custom),
        "form": form.with_blank_rows(),
        "contact": contact,
        "errors": errors or {},
        "companies": await company_choices(form.company_search, include=include),
        "owners": [(person.id, person.name) for person in await owner_choices(OBJECT)],
        "company_selected": form.company_id,
        "stages": [(key, str(name)) for key, name in LIFECYCLE_STAGES.items()],
        "sources": [(key, str(name)) for key, name in SOURCES.items()],
        "phone_labels": [(key, str(name)) for key, name in PHONE_LABELS.items()],
        "phone_regions": phone_regions(),
        "countries": country_choices(),
        "time_zones": time_zones(),
        "conflict": None,
        "duplicates": None,
        **extra,
    }
    return render(request, "contacts/form.html", context, status_code=status_code)


class ContactFormsController(Controller):
    path = "/contacts"
    include_in_schema = False

    @get("/new")
    async def new(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        company_id: Annotated[int | None, QueryParameter(ge=1)] = None,
    ) -> Response[str]:
        require(OBJECT, "create", record=False)
        form = ContactForm(phone_region=tenant_phone_region(), company_id=str(company_id or ""))
        return await _page(request, form)

    @post("/new")
    async def create(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        posted = await request.form()
        form = ContactForm.from_post(posted)
        form.custom = await custom_from_request(OBJECT, posted)
        action = str(posted.get("_action") or "")
        if action in ROW_ACTIONS or action == "find_company":
            if action in ROW_ACTIONS:
                form.add_row(ROW_ACTIONS[action])
            return await _page(request, form)
        try:
            contact = await create_contact(
                form.to_data(),
                allow_duplicate=posted.get("allow_duplicate") == "1",
                phone_region=form.phone_region or None,
            )
        except ContactError as problem:
            return await _page(request, form, errors=form.input_ids(problem.errors), status_code=400)
        except DuplicateContacts as found:
            return await _page(request, form, duplicates=found, status_code=409)
        flash(request, _("%(name)s was added.", name=contact.display_name), "success")
        return Redirect(path=f"/t/{tenant.slug}/contacts/{contact.id}", status_code=303)

    @get("/{contact_id:int}/edit")
    async def edit(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, contact_id: FromPath[int]
    ) -> Response[str]:
        contact = await get_contact(contact_id)
        if contact is None:
            raise NotFoundException()
        require(OBJECT, "edit", contact.owner_id)  # 403 before showing a form that could not be saved
        return await _page(request, ContactForm.from_view(contact, tenant_phone_region()), contact=contact)

    @post("/{contact_id:int}/edit")
    async def update(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, contact_id: FromPath[int]
    ) -> Response[Any]:
        posted = await request.form()
        form = ContactForm.from_post(posted)
        form.custom = await custom_from_request(OBJECT, posted)
        contact = await get_contact(contact_id)
        if contact is None:
            raise NotFoundException()
        action = str(posted.get("_action") or "")
        if action in ROW_ACTIONS or action == "find_company":
            if action in ROW_ACTIONS:
                form.add_row(ROW_ACTIONS[action])
            return await _page(request, form, contact=contact)
        try:
            contact = await update_contact(
                contact_id,
                form.to_data(),
                expected_version=form.version if form.version is not None else -1,
                phone_region=form.phone_region or None,
            )
        except VersionConflict as conflict:
            current = ContactForm.from_view(conflict.current, form.phone_region)
            return await _page(
                request,
                current,
                contact=conflict.current,
                conflict=_typed(form, conflict.current)
                + await typed_custom(OBJECT, form.custom, conflict.current.custom),
                status_code=409,
            )
        except ContactError as problem:
            return await _page(
                request, form, contact=contact, errors=form.input_ids(problem.errors), status_code=400
            )
        flash(request, _("Your changes to %(name)s were saved.", name=contact.display_name), "success")
        return Redirect(path=f"/t/{tenant.slug}/contacts/{contact.id}", status_code=303)
