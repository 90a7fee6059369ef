"""What every CRM list page does around its own query: filters, sort and saved view from the address, the
template context all list templates share, and the answer (the rows alone to htmx, a 400 page for a bad filter)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response

from sampark.tenants.history.people import label, members
from sampark.tenants.search.listing import ListError
from sampark.web.contacts.pagekit import can, list_url, page_filters
from sampark.web.customfields.lists import ListExtras, list_extras
from sampark.web.rendering import render

__all__ = ["list_page_context", "render_list"]


async def list_page_context(
    request: Request[Any, Any, Any],
    obj: str,
    base: str,
    *,
    cursor: str | None,
    sort: str | None,
    view: str | None,
    default_sort: str,
) -> tuple[ListExtras, dict[str, Any]]:
    """The list's extras (fields, columns, views, the filters and sort in force) and the shared context.

    Args:
        obj: the access-control object (``deals``).
        base: the list page's path (``/t/acme/deals/``), for its links.
        default_sort: the sort shown as chosen when the address names none.
    """
    extras = await list_extras(obj, page_filters(request.query_params), sort, view)
    filters, sort = extras.filters, extras.sort
    people = await members()
    return extras, {
        "filters": filters,
        "sort": sort or default_sort,
        "cursor": cursor,
        "url": lambda **changes: list_url(base, {**filters, "sort": sort, "view": view}, **changes),
        "list_query": urlencode({**filters, **({"sort": sort} if sort else {})}),
        **extras.template_context(),
        "people": list(people.values()),
        "owner_label": lambda owner_id: label(people, owner_id) if owner_id else "",
        "error": None,
        "page": None,
        "can_create": can(obj, "create", record=False),
    }


async def render_list(
    request: Request[Any, Any, Any],
    template: str,
    context: dict[str, Any],
    load: Callable[[], Awaitable[dict[str, Any]]],
) -> Response[str]:
    """Render the list with what ``load`` adds to the context (the page, at least); a filter or sort the list
    refuses gives the page with its message and status 400."""
    try:
        context.update(await load())
    except ListError as problem:
        context["error"] = problem.message
        return render(request, template, context, status_code=400)
    return render(request, template, context, block="rows")
