"""The files section of a record page (``/t/<slug>/files/?record_type=&record_id=``) and uploads to it.

The section is a page of its own (a link that works without JavaScript) whose ``section`` block the contact
and company pages load with htmx. Uploads post here: with htmx the section comes back (errors included, with
their status; web/static/js/files.js swaps them in and shows the progress), without it a redirect.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.storage.factory import upload_limit
from sampark.platform.tenancy.context import current_tenant
from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.files import services
from sampark.tenants.files.queries import OBJECT, role_choices
from sampark.tenants.files.schemas import FileError, FileRefused
from sampark.tenants.files.validation import TYPES
from sampark.tenants.history.people import label, members
from sampark.tenants.records.links import resolve_link
from sampark.tenants.search.listing import ListError
from sampark.web.contacts.pagekit import PAGE_SIZE, can
from sampark.web.deps import CurrentTenant
from sampark.web.files.display import HELPERS, access_labels
from sampark.web.files.transfer import UPLOAD_BODY_LIMIT, upload_chunks, uploaded_file
from sampark.web.rendering import flash, is_htmx, render


def too_large_message() -> str:
    return _("The file is larger than %(size)s MB.", size=max(1, upload_limit() // (1024 * 1024)))


def too_large_page(request: Request[Any, Any, Any], exc: HTTPException) -> Response[str]:
    """A body over the route's limit, refused before any handler ran: say what the limit is."""
    return render(
        request, "errors/error.html", {"status": 413, "title": _("Too large"), "message": too_large_message()},
        status_code=413,
    )  # fmt: skip


async def section_context(record_type: str, record_id: int, *, cursor: str | None = None) -> dict[str, Any]:
    """Everything the section shows; raises NotFoundException for a record the principal may not see."""
    record = await resolve_link(record_type, record_id)
    if record is None:
        raise NotFoundException()
    try:
        page = await services.list_files(record_type, record_id, limit=PAGE_SIZE, cursor=cursor)
    except PermissionDenied:
        page = None
    people = await members()
    return {
        "record": record,
        "page": page,
        "person": lambda user_id: label(people, user_id) if user_id else "—",
        "can_upload": can(OBJECT, "create", record=False) and not record.read_only,
        "roles": await role_choices(),
        "accept": ",".join(f".{ext}" for ext in TYPES),
        "max_bytes": upload_limit(),
        "too_large": too_large_message(),
        "errors": {},
        "form": {},
        "notice": None,
        "access_choices": access_labels(),
        "more_url": lambda cursor: (
            f"/t/{current_tenant().slug}/files/?record_type={record_type}&record_id={record_id}&cursor={quote(cursor)}"
        ),
        **HELPERS,
    }


class FilePagesController(Controller):
    path = "/files"
    include_in_schema = False
    exception_handlers = {413: too_large_page}

    @get("/")
    async def section(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        record_type: Annotated[str, QueryParameter(max_length=32)],
        record_id: Annotated[int, QueryParameter(ge=1, le=2**63 - 1)],
        cursor: Annotated[str | None, QueryParameter(max_length=500)] = None,
    ) -> Response[str]:
        """A record's files: the whole page, or the ``section`` block for htmx (the record pages load it)."""
        try:
            context = await section_context(record_type, record_id, cursor=cursor)
        except ListError as problem:
            context = await section_context(record_type, record_id)
            context["errors"] = {"cursor": problem.message}
            return render(request, "files/section.html", context, block="section", status_code=400)
        return render(request, "files/section.html", context, block="rows" if cursor else "section")

    @post("/", request_max_body_size=UPLOAD_BODY_LIMIT)
    async def upload(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        """Attach the chosen file; its record's page (or the refreshed section) shows it."""
        form = await request.form()
        record_type = str(form.get("record_type") or "")[:32]
        record_id = str(form.get("record_id") or "")
        if not record_id.isdigit() or len(record_id) > 18:
            raise NotFoundException()
        fields = {name: str(form.get(name) or "") for name in ("note", "access_level", "access_role")}
        upload, status = uploaded_file(form.get("file")), 201
        try:
            if upload is None:
                raise FileError({"file": _("Choose a file to upload.")})
            view = await services.upload_file(
                record_type, int(record_id), upload.filename, upload_chunks(upload),
                note=fields["note"], access_level=fields["access_level"] or "everyone",
                access_role=fields["access_role"],
            )  # fmt: skip
            errors: dict[str, str] = {}
            notice = _("%(name)s was uploaded.", name=view.name)
        except FileError as problem:
            errors, notice = problem.errors, None
            status = problem.status if isinstance(problem, FileRefused) else 400
        if not errors and not is_htmx(request):
            flash(request, notice or "", "success")
            record = await resolve_link(record_type, int(record_id))
            assert record is not None  # the upload just checked it
            return Redirect(path=record.url(tenant.slug) + "#files", status_code=303)
        context = await section_context(record_type, int(record_id))
        context.update(errors=errors, form=fields if errors else {}, notice=notice)
        return render(request, "files/section.html", context, block="section", status_code=status)
