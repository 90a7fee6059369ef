"""``/t/<slug>/admin/currencies``: the base currency, the exchange rates, entering one, importing a CSV and
deleting a mistyped rate. Viewing needs ``settings`` view, changes ``settings`` edit; every change is audited."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import ngettext
from sampark.tenants.access.policy import current_principal, require
from sampark.tenants.currencies import services
from sampark.tenants.currencies.conversion import base_currency, today
from sampark.tenants.currencies.imports import MAX_BYTES
from sampark.tenants.currencies.schemas import RateError, RateImportError, RowProblem
from sampark.tenants.search.listing import ListError
from sampark.web.contacts.pagekit import PAGE_SIZE, list_url
from sampark.web.deps import CurrentTenant
from sampark.web.files.transfer import uploaded_file
from sampark.web.rendering import flash, render


async def _import_bytes(form: Any) -> bytes:
    """The chosen file, else the pasted text (the form offers both)."""
    upload = uploaded_file(form.get("file"))
    if upload is not None:
        return bytes(await upload.read(MAX_BYTES + 1))
    return str(form.get("csv") or "").encode()


class CurrencyPagesController(Controller):
    path = "/admin/currencies"
    include_in_schema = False

    async def _page(
        self,
        request: Request[Any, Any, Any],
        *,
        cursor: str | None = None,
        errors: dict[str, str] | None = None,
        entered: dict[str, str] | None = None,
        problems: list[RowProblem] | None = None,
        pasted: str = "",
    ) -> Response[str]:
        base = f"/t/{request.path_params.get('slug', '')}"
        context: dict[str, Any] = {
            "principal": current_principal(),
            "base_currency": await base_currency(),
            "today": today().isoformat(),
            "errors": errors or {},
            "entered": entered or {},
            "problems": problems or [],
            "pasted": pasted,
            "cursor": cursor,
            "url": lambda **changes: list_url(f"{base}/admin/currencies/", {}, **changes),
            "list_error": None,
        }
        status = 400 if errors or problems else 200
        try:
            context["page"] = await services.list_rates(limit=PAGE_SIZE, cursor=cursor)
        except ListError as problem:
            context["page"], context["list_error"], status = None, problem.message, 400
        block = "rows" if cursor and status == 200 else None
        return render(request, "currencies/index.html", context, block=block, status_code=status)

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        cursor: Annotated[str | None, QueryParameter(max_length=500)] = None,
    ) -> Response[str]:
        require("settings", "view", record=False)
        return await self._page(request, cursor=cursor)

    @post("/")
    async def add(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        form = await request.form()
        entered = {name: str(form.get(name) or "")[:100] for name in ("currency", "rate", "valid_from")}
        try:
            rate = await services.add_rate(entered)
        except RateError as problem:
            return await self._page(request, errors=problem.errors, entered=entered)
        flash(request, _("The %(code)s rate was saved.", code=rate.currency), "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/currencies/", status_code=303)

    @post("/import")
    async def import_csv(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        form = await request.form()
        data = await _import_bytes(form)
        try:
            count = await services.import_rates(data)
        except RateImportError as problem:
            pasted = str(form.get("csv") or "")[:MAX_BYTES]
            return await self._page(request, problems=problem.problems, pasted=pasted)
        flash(
            request, ngettext("%(num)d rate was imported.", "%(num)d rates were imported.", count), "success"
        )
        return Redirect(path=f"/t/{tenant.slug}/admin/currencies/", status_code=303)

    @post("/{rate_id:int}/delete")
    async def delete(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant, rate_id: FromPath[int]
    ) -> Response[Any]:
        rate = await services.delete_rate(rate_id)
        flash(request, _("The %(code)s rate was deleted.", code=rate.currency), "success")
        return Redirect(path=f"/t/{tenant.slug}/admin/currencies/", status_code=303)
