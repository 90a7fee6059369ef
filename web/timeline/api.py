"""``/t/<slug>/api/v1/timeline/<record_type>/<id>``: a record's timeline as JSON, newest first, with a cursor."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import FromPath, QueryParameter

from sampark.platform.i18n import gettext as _
from sampark.tenants.timeline.registry import MAX_PAGE_SIZE, InvalidCursor, read_timeline
from sampark.web.activities.schemas import TimelineOut, timeline_out
from sampark.web.contacts.http import API_EXCEPTION_HANDLERS, api_error
from sampark.web.deps import CurrentTenant
from sampark.web.timeline.pages import record_or_404


class TimelineApiController(Controller):
    path = "/api/v1/timeline"
    tags = ["timeline"]
    exception_handlers = API_EXCEPTION_HANDLERS

    @get("/{record_type:str}/{record_id:int}")
    async def timeline(
        self,
        tenant: CurrentTenant,
        record_type: FromPath[str],
        record_id: FromPath[int],
        limit: Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
        before: Annotated[
            str | None, QueryParameter(max_length=500, description="next_cursor of the last page")
        ] = None,
    ) -> TimelineOut:
        """Every source's entries on the record (activities, history, ...); 404 for a record the caller cannot see."""
        await record_or_404(record_type, record_id)
        try:
            page = await read_timeline(record_type, record_id, before=before, limit=limit)
        except InvalidCursor:
            message = _("This page link is no longer valid. Start from the first page.")
            raise api_error(400, "invalid_cursor", message, {"before": message}) from None
        return TimelineOut([timeline_out(entry) for entry in page.entries], page.next_cursor)
