"""``/t/<slug>/contacts/<id>/merge`` and ``/companies/<id>/merge``: pick the other record, compare both side by
side, choose per field which value survives, merge. Reached from the detail page's "Merge" link."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import lazy_gettext
from sampark.tenants.access.policy import require
from sampark.tenants.companies.services import list_companies
from sampark.tenants.contacts.services import list_contacts
from sampark.tenants.history.people import label, members
from sampark.tenants.merging.services import MERGES, SIDES, merge_records
from sampark.tenants.records.errors import FieldErrors, VersionConflict
from sampark.web.contacts.pagekit import history_value
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render

FIELD_LABELS = {
    "first_name": lazy_gettext("First name"), "last_name": lazy_gettext("Last name"),
    "company_id": lazy_gettext("Company"), "lifecycle_stage": lazy_gettext("Lifecycle stage"),
    "source": lazy_gettext("Source"), "owner_id": lazy_gettext("Owner"), "language": lazy_gettext("Language"),
    "time_zone": lazy_gettext("Time zone"), "emails": lazy_gettext("E-mail addresses"),
    "phones": lazy_gettext("Phone numbers"), "addresses": lazy_gettext("Addresses"), "tags": lazy_gettext("Tags"),
    "name": lazy_gettext("Name"), "domain": lazy_gettext("Domain"), "industry": lazy_gettext("Industry"),
    "size": lazy_gettext("Size"), "address": lazy_gettext("Address"), "parent_id": lazy_gettext("Parent company"),
}  # fmt: skip
_PLURAL = {"contact": "contacts", "company": "companies"}


async def _shown(record: Any, field: str, people: dict[int, Any]) -> str:
    value = getattr(record, field)
    if field == "owner_id":
        return label(people, value) if value else ""
    if field == "company_id":
        return record.company_name or ""
    if field == "parent_id":
        return record.parent_name or ""
    if field == "phones":
        return ", ".join(phone.number for phone in value)
    if field == "addresses":
        return " | ".join(", ".join(part for part in item.values() if part) for item in value)
    if field == "address":
        return ", ".join(part for part in (value or {}).values() if part)
    if isinstance(value, tuple | list):
        return ", ".join(str(item) for item in value)
    return history_value(field, "" if value is None else str(value))


async def _candidates(record_type: str, record_id: int, query: str) -> list[Any]:
    if not query.strip():
        return []
    if record_type == "contact":
        found = (await list_contacts(limit=20, filters={"name": query})).items
    else:
        found = (await list_companies(limit=20, filters={"name": query})).items
    return [item for item in found if item.id != record_id]


async def _page(
    request: Request[Any, Any, Any], tenant: Any, record_type: str, record_id: int, other_id: int | None,
    query: str, *, errors: dict[str, str] | None = None, status: int = 200, stale: bool = False,
) -> Response[str]:  # fmt: skip
    spec = MERGES[record_type]
    into = await spec.get(record_id)
    if into is None:
        raise NotFoundException()
    require(spec.obj, "edit", into.owner_id)
    other = await spec.get(other_id) if other_id else None
    if other_id and other is None:
        raise NotFoundException()
    people = await members()
    rows = []
    if other is not None:
        for field in (*spec.single, *spec.multi):
            rows.append(
                (
                    field,
                    str(FIELD_LABELS[field]),
                    await _shown(into, field, people),
                    await _shown(other, field, people),
                )
            )
    context = {
        "record_type": record_type,
        "base": f"/t/{tenant.slug}/{_PLURAL[record_type]}/",
        "into": into,
        "other": other,
        "rows": rows,
        "single": spec.single,
        "query": query,
        "candidates": await _candidates(record_type, record_id, query) if other is None else [],
        "errors": errors or {},
        "stale": stale,
    }
    return render(request, "merging/merge.html", context, status_code=status)


class MergePagesController(Controller):
    path = "/"
    include_in_schema = False

    @get(["/contacts/{record_id:int}/merge", "/companies/{record_id:int}/merge"])
    async def merge_page(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        record_id: FromPath[int],
        with_id: Annotated[int | None, QueryParameter(name="with", ge=1, le=2**62)] = None,
        q: Annotated[str, QueryParameter(max_length=200)] = "",
    ) -> Response[str]:
        record_type = "contact" if "/contacts/" in request.url.path else "company"
        return await _page(request, tenant, record_type, record_id, with_id, q)

    @post(["/contacts/{record_id:int}/merge", "/companies/{record_id:int}/merge"])
    async def merge(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, record_id: FromPath[int]
    ) -> Response[Any]:
        record_type = "contact" if "/contacts/" in request.url.path else "company"
        form = await request.form()
        raw = {name: str(form.get(name) or "") for name in ("from_id", "version", "from_version")}
        if not raw["from_id"].isdigit() or len(raw["from_id"]) > 18:
            raise NotFoundException()
        other_id = int(raw["from_id"])
        fields = {
            name: str(form.get(f"keep-{name}"))
            for name in MERGES[record_type].single
            if str(form.get(f"keep-{name}") or "") in SIDES
        }
        try:
            survivor = await merge_records(
                record_type, record_id, other_id, fields,
                expected_version=int(raw["version"]) if raw["version"].isdigit() else -1,
                from_version=int(raw["from_version"]) if raw["from_version"].isdigit() else -1,
            )  # fmt: skip
        except VersionConflict:
            return await _page(request, tenant, record_type, record_id, other_id, "", status=409, stale=True)
        except FieldErrors as problem:
            return await _page(
                request, tenant, record_type, record_id, other_id, "", errors=problem.errors, status=400
            )
        flash(request, _("The records were merged into %(name)s.", name=survivor.display_name), "success")
        return Redirect(path=f"/t/{tenant.slug}/{_PLURAL[record_type]}/{record_id}", status_code=303)
