"""``/t/<slug>/activities/<id>/edit`` and ``/delete``: change or remove one activity (version-checked forms).

After saving, the user goes back to the record the activity was opened from (``back``, checked to be one of
the activity's visible records), or to its first visible record.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import require
from sampark.tenants.activities.queries import OBJECT, get_activity
from sampark.tenants.activities.schemas import ActivityError, ActivityView, VersionConflict
from sampark.tenants.activities.services import delete_activity, update_activity
from sampark.tenants.activities.validation import kind_label
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render
from sampark.web.timeline.forms import choices, form_values, posted


def _back(tenant: Any, activity: ActivityView) -> str:
    first = activity.records[0] if activity.records else (activity.links[0] if activity.links else None)
    return f"/t/{tenant.slug}{first.path}#timeline" if first else f"/t/{tenant.slug}/"


async def _visible(activity_id: int) -> ActivityView:
    activity = await get_activity(activity_id)
    if activity is None:
        raise NotFoundException()
    return activity


def _context(tenant: Any, activity: ActivityView, **extra: Any) -> dict[str, Any]:
    return {
        "activity": activity,
        "kind_name": kind_label(activity.kind),
        "back": _back(tenant, activity),
        "errors": {},
        "values": form_values(activity),
        "conflict": False,
        **choices(),
        **extra,
    }


class ActivityPagesController(Controller):
    path = "/activities"
    include_in_schema = False

    @get("/{activity_id:int}/edit")
    async def edit_form(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, activity_id: FromPath[int]
    ) -> Response[str]:
        activity = await _visible(activity_id)
        require(OBJECT, "edit", activity.owner_id)
        return render(request, "activities/edit.html", _context(tenant, activity))

    @post("/{activity_id:int}/edit")
    async def edit(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, activity_id: FromPath[int]
    ) -> Response[Any]:
        activity = await _visible(activity_id)
        form = await request.form()
        version = str(form.get("version") or "")
        values = posted(form, activity.kind)
        try:
            saved = await update_activity(
                activity_id, values, expected_version=int(version) if version.isdigit() else -1
            )
        except VersionConflict as conflict:
            context = _context(tenant, conflict.current, conflict=True)
            return render(request, "activities/edit.html", context, status_code=409)
        except ActivityError as problem:
            context = _context(tenant, activity, errors=problem.errors, values=values)
            return render(request, "activities/edit.html", context, status_code=400)
        flash(request, _("%(kind)s saved.", kind=kind_label(saved.kind)), "success")
        return Redirect(path=_back(tenant, saved), status_code=303)

    @get("/{activity_id:int}/delete")
    async def confirm_delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, activity_id: FromPath[int]
    ) -> Response[str]:
        activity = await _visible(activity_id)
        require(OBJECT, "delete", activity.owner_id)
        return render(request, "activities/delete.html", _context(tenant, activity, stale=False))

    @post("/{activity_id:int}/delete")
    async def delete(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        activity_id: FromPath[int],
    ) -> Response[Any]:
        form = await request.form()
        posted_version = str(form.get("version") or "")
        try:
            removed = await delete_activity(
                activity_id, expected_version=int(posted_version) if posted_version.isdigit() else -1
            )
        except VersionConflict as conflict:
            context = _context(tenant, conflict.current, stale=True)
            return render(request, "activities/delete.html", context, status_code=409)
        flash(request, _("%(kind)s deleted.", kind=kind_label(removed.kind)), "success")
        return Redirect(path=_back(tenant, removed), status_code=303)
