"""``/t/<slug>/search?q=``: contacts and companies matching what was typed, scoped like their lists."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromQuery

from sampark.tenants.contacts.fields import stage_label
from sampark.tenants.search.services import MIN_QUERY_LENGTH, search
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import render


class SearchPagesController(Controller):
    path = "/search"
    include_in_schema = False

    @get("/")
    async def results(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        q: FromQuery[str] = "",
    ) -> Response[str]:
        q = q[:200]  # longer text would only be cut by the search itself; no reason to refuse it
        found = await search(q) if q.strip() else None
        return render(
            request,
            "search/results.html",
            {"q": q, "found": found, "min_length": MIN_QUERY_LENGTH, "stage_label": stage_label},
            block="results",
        )
