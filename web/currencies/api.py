"""``/t/<slug>/api/v1/exchange-rates``: list, get, create, delete, import a CSV, and convert an amount.

Errors: 422 ``validation_failed`` (a bad field), 422 ``invalid_rows`` (an import with bad lines: every line and
reason in ``details.rows``, nothing written), 422 ``no_rate`` (conversion without a rate), 403 without the
``settings`` permission, 404 for a rate of another tenant.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_204_NO_CONTENT

from sampark.platform.i18n import gettext as _
from sampark.tenants.currencies import services
from sampark.tenants.currencies.conversion import NoRate, base_currency, convert, today
from sampark.tenants.currencies.imports import MAX_BYTES
from sampark.tenants.currencies.schemas import RateImportError
from sampark.tenants.currencies.validation import clean_currency, clean_day
from sampark.tenants.search.listing import ListError
from sampark.web.contacts.http import API_EXCEPTION_HANDLERS, api_error, list_error, list_filters
from sampark.web.currencies.schemas import Conversion, ImportResult, RateCreate, RateList, RateOut, rate_out
from sampark.web.deps import CurrentTenant


def _text(value: str | int | float) -> str:
    return repr(value) if isinstance(value, float) else str(value)


class ExchangeRateApiController(Controller):
    path = "/api/v1/exchange-rates"
    tags = ["exchange rates"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @get("/")
    async def list_rates(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        limit: Annotated[int, QueryParameter(ge=1, le=services.MAX_PAGE_SIZE)] = 50,
        cursor: Annotated[
            str | None, QueryParameter(max_length=500, description="next_cursor of the last page")
        ] = None,
        sort: Annotated[
            str | None, QueryParameter(description="valid_from or currency; prefix - for descending")
        ] = None,
        currency: Annotated[str | None, QueryParameter(description="only this currency (ISO 4217)")] = None,
    ) -> RateList:
        """Rates against the current base currency, newest first."""
        filters = list_filters(request, services.LIST_SPEC.filters)
        try:
            page = await services.list_rates(limit=limit, cursor=cursor, sort=sort, filters=filters)
        except ListError as problem:
            raise list_error(problem) from None
        return RateList([rate_out(item) for item in page.items], page.next_cursor)

    @get("/{rate_id:int}")
    async def get_rate(self, tenant: CurrentTenant, rate_id: FromPath[int]) -> RateOut:
        """One rate; 404 when it does not exist here."""
        return rate_out(await services.get_rate(rate_id))

    @post("/")
    async def create_rate(self, tenant: CurrentTenant, data: JSONBody[RateCreate]) -> Response[RateOut]:
        """Enter a rate; one for the same currency and day replaces it (201 either way)."""
        body = {"currency": data.currency, "rate": _text(data.rate), "valid_from": data.valid_from}
        return Response(rate_out(await services.add_rate(body)), status_code=201)

    @delete("/{rate_id:int}", status_code=HTTP_204_NO_CONTENT)
    async def delete_rate(self, tenant: CurrentTenant, rate_id: FromPath[int]) -> None:
        """Remove a mistyped rate; conversions fall back to the previous one."""
        await services.delete_rate(rate_id)

    @post("/import", request_max_body_size=MAX_BYTES + 1024)
    async def import_rates(
        self, request: Request[Any, Any, Any], tenant: CurrentTenant
    ) -> Response[ImportResult]:
        """Import a CSV body (``currency,rate,date`` lines, optional header): all lines or none."""
        try:
            count = await services.import_rates(await request.body())
        except RateImportError as problem:
            rows = [{"line": row.line, "reason": row.reason} for row in problem.problems]
            raise api_error(
                422, "invalid_rows", _("Nothing was imported: fix these lines."), {"rows": rows}
            ) from None
        return Response(ImportResult(count), status_code=201)

    @get("/convert")
    async def convert_amount(
        self,
        tenant: CurrentTenant,
        amount: Annotated[str, QueryParameter(max_length=40, description="a decimal amount, e.g. 1250.50")],
        currency: Annotated[str, QueryParameter(max_length=3, description="its currency (ISO 4217)")],
        on_date: Annotated[
            str, QueryParameter(name="date", max_length=10, description="ISO date; default today")
        ] = "",
    ) -> Conversion:
        """``amount`` in the base currency at the latest rate valid on the date (422 ``no_rate`` without one)."""
        base = await base_currency()
        try:
            value = Decimal(amount)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or abs(value) >= Decimal("1e15"):
            message = _("Enter an amount like 1250.50.")
            raise api_error(422, "validation_failed", message, {"amount": message})
        code, problem = clean_currency(currency, "")
        if problem:
            raise api_error(422, "validation_failed", problem, {"currency": problem})
        day: date | None = today()
        if on_date:
            day, problem = clean_day(on_date)
            if problem or day is None:
                raise api_error(422, "validation_failed", problem or "", {"date": problem})
        try:
            converted = await convert(value, code, day or today(), base=base)
        except NoRate as missing:
            message = _("no rate for %(codes)s", codes=missing.currency)
            raise api_error(422, "no_rate", message, {"currency": code, "base": base}) from None
        return Conversion(str(value), code, day or today(), base, str(converted))
