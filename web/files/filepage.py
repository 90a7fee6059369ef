"""A file's page: details, versions (download any), a new version, who may see it, deletion, the access log."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Stream

from sampark.platform.i18n import gettext as _
from sampark.platform.storage.factory import upload_limit
from sampark.tenants.access.policy import require
from sampark.tenants.files import services
from sampark.tenants.files.queries import OBJECT, access_log, role_choices, versions
from sampark.tenants.files.schemas import FileError, FileNotFound, FileRefused, FileView, VersionConflict
from sampark.tenants.files.validation import TYPES
from sampark.tenants.history.people import label, members
from sampark.tenants.records.links import resolve_link
from sampark.web.contacts.pagekit import can
from sampark.web.deps import CurrentTenant
from sampark.web.files.display import HELPERS, access_labels
from sampark.web.files.pages import too_large_message, too_large_page
from sampark.web.files.transfer import UPLOAD_BODY_LIMIT, download, upload_chunks, uploaded_file
from sampark.web.rendering import flash, render


def _version(form: Any) -> int:
    raw = str(form.get("version") or "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else -1


async def _page(
    request: Request[Any, Any, Any],
    view: FileView,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    stale: bool = False,
    status_code: int = 200,
) -> Response[str]:
    record = await resolve_link(view.record_type, view.record_id)
    if record is None:  # pragma: no cover - get_file already checked the record is visible
        raise FileNotFound(view.id)
    people = await members()
    roles = await role_choices()
    return render(
        request,
        "files/detail.html",
        {
            "file": view,
            "record": record,
            "versions": await versions(view.id),
            "log": await access_log(view.id),
            "person": lambda user_id: label(people, user_id) if user_id else "—",
            "roles": roles,
            "role_name": dict(roles).get(view.access_role, view.access_role),
            "access_choices": access_labels(),
            "can_edit": can(OBJECT, "edit", view.owner_id),
            "can_delete": can(OBJECT, "delete", view.owner_id),
            "accept": ",".join(f".{ext}" for ext in TYPES),
            "too_large": too_large_message(),
            "max_bytes": upload_limit(),
            "errors": errors or {},
            "form": form or {},
            "stale": stale,
            **HELPERS,
        },
        status_code=status_code,
    )


class FilePageController(Controller):
    path = "/files"
    include_in_schema = False
    exception_handlers = {413: too_large_page}

    @get("/{file_id:int}")
    async def detail(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, file_id: FromPath[int]
    ) -> Response[str]:
        """The file page; viewing it is recorded as an "open" in the access log."""
        return await _page(request, await services.open_file(file_id))

    @get("/{file_id:int}/download")
    async def download(
        self,
        tenant: CurrentTenant,
        file_id: FromPath[int],
        version: Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)] = None,
    ) -> Stream:
        view, chosen = await services.read_version(file_id, version)
        return download(view, chosen)

    @post("/{file_id:int}/versions", request_max_body_size=UPLOAD_BODY_LIMIT)
    async def new_version(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, file_id: FromPath[int]
    ) -> Response[Any]:
        form = await request.form()
        upload, note = uploaded_file(form.get("file")), str(form.get("note") or "")
        try:
            if upload is None:
                raise FileError({"file": _("Choose a file to upload.")})
            view = await services.add_version(
                file_id, upload.filename, upload_chunks(upload), expected_version=_version(form), note=note
            )
        except VersionConflict as conflict:
            return await _page(request, conflict.current, stale=True, status_code=409)
        except FileError as problem:
            current = await services.open_file(file_id)
            status = problem.status if isinstance(problem, FileRefused) else 400
            return await _page(
                request, current, errors=problem.errors, form={"note": note}, status_code=status
            )
        flash(
            request,
            _("Version %(number)s of %(name)s was uploaded.", number=view.current_version, name=view.name),
            "success",
        )
        return Redirect(path=f"/t/{tenant.slug}/files/{file_id}", status_code=303)

    @post("/{file_id:int}/access")
    async def change_access(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, file_id: FromPath[int]
    ) -> Response[Any]:
        form = await request.form()
        fields = {name: str(form.get(name) or "") for name in ("access_level", "access_role")}
        try:
            await services.change_access(
                file_id, fields["access_level"], fields["access_role"], expected_version=_version(form)
            )
        except VersionConflict as conflict:
            return await _page(request, conflict.current, stale=True, status_code=409)
        except FileError as problem:
            return await _page(
                request,
                await services.open_file(file_id),
                errors=problem.errors,
                form=fields,
                status_code=400,
            )
        flash(request, _("Who may see this file was changed."), "success")
        return Redirect(path=f"/t/{tenant.slug}/files/{file_id}", status_code=303)

    @get("/{file_id:int}/delete")
    async def confirm_delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, file_id: FromPath[int]
    ) -> Response[str]:
        view = await services.get_file(file_id)
        if view is None:
            raise FileNotFound(file_id)
        require(OBJECT, "delete", view.owner_id)  # 403 before showing a form that could not be saved
        return render(request, "files/delete.html", {"file": view, "stale": False})

    @post("/{file_id:int}/delete")
    async def delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, file_id: FromPath[int]
    ) -> Response[Any]:
        form = await request.form()
        try:
            view = await services.delete_file(file_id, expected_version=_version(form))
        except VersionConflict as conflict:
            return render(
                request, "files/delete.html", {"file": conflict.current, "stale": True}, status_code=409
            )
        flash(request, _("%(name)s was deleted.", name=view.name), "success")
        record = await resolve_link(view.record_type, view.record_id)
        back = record.url(tenant.slug) if record else f"/t/{tenant.slug}/"
        return Redirect(path=back, status_code=303)
