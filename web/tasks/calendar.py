"""The calendar (month and week, in the viewer's time zone, weeks starting on the locale's first day), and the
private ICS feed: its settings page in the tenant and the public ``/ics/<token>.ics`` URL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from babel.dates import format_interval, format_skeleton
from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect

from sampark.platform.config.settings import get_settings
from sampark.platform.i18n import current_locale, current_preferences
from sampark.platform.i18n import gettext as _
from sampark.platform.i18n.context import format_locale
from sampark.platform.i18n.formatting import in_time_zone
from sampark.platform.tenancy.context import TenantNotFound, tenant_context
from sampark.tenants.access.policy import acting_as, current_principal, load_principal
from sampark.tenants.calendar.registry import CalendarEntry, entries_between
from sampark.tenants.tasks import services as _tasks  # noqa: F401  (registers the tasks calendar source)
from sampark.tenants.tasks.feeds import (
    build_feed,
    feed_exists,
    feed_owner,
    issue_token,
    parse_token,
    revoke_token,
)
from sampark.tenants.tasks.queries import day_start
from sampark.web.deps import CurrentTenant
from sampark.web.rendering import flash, render


def _month_grid(anchor: date, first_weekday: int) -> list[list[date]]:
    first = anchor.replace(day=1)
    start = first - timedelta(days=(first.weekday() - first_weekday) % 7)
    weeks: list[list[date]] = []
    day = start
    while not weeks or day.month == anchor.month:
        weeks.append([day + timedelta(days=i) for i in range(7)])
        day += timedelta(days=7)
    return weeks


def _shift_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def entry_day(entry: CalendarEntry, time_zone: str) -> date | None:
    if entry.day is not None:
        return entry.day
    return in_time_zone(entry.start, time_zone).date() if entry.start else None


class CalendarPagesController(Controller):
    path = "/calendar"
    include_in_schema = False

    @get("/")
    async def index(
        self,
        request: Request[Any, Any, Any],
        tenant: CurrentTenant,
        view: Annotated[str, QueryParameter(pattern="^(month|week)$")] = "month",
        day: Annotated[date | None, QueryParameter(name="date")] = None,
    ) -> Response[str]:
        preferences = current_preferences()
        zone = preferences.time_zone
        today = in_time_zone(datetime.now(UTC), zone).date()
        anchor = day or today
        locale = format_locale(current_locale(), preferences.cldr_region)
        first_weekday = int(locale.first_week_day)
        if view == "week":
            start = anchor - timedelta(days=(anchor.weekday() - first_weekday) % 7)
            weeks = [[start + timedelta(days=i) for i in range(7)]]
            prev_day, next_day = start - timedelta(days=7), start + timedelta(days=7)
            heading = format_interval(start, start + timedelta(days=6), "yMMMd", locale=locale)
        else:
            weeks = _month_grid(anchor, first_weekday)
            prev_day, next_day = _shift_month(anchor, -1), _shift_month(anchor, 1)
            heading = format_skeleton("yMMMM", anchor, locale=locale)
        first, last = weeks[0][0], weeks[-1][-1]
        user_id = current_principal().user_id
        entries = await entries_between(
            day_start(first, zone), day_start(last + timedelta(days=1), zone), user_id or 0
        )
        by_day: dict[date, list[CalendarEntry]] = {}
        for entry in entries:
            when = entry_day(entry, zone)
            if when is not None:
                by_day.setdefault(when, []).append(entry)
        names = locale.days["format"]["abbreviated"]
        return render(
            request,
            "tasks/calendar.html",
            {
                "view": view,
                "weeks": weeks,
                "by_day": by_day,
                "today": today,
                "anchor": anchor,
                "heading": heading,
                "weekday_names": [names[(first_weekday + i) % 7] for i in range(7)],
                "prev_day": prev_day.isoformat(),
                "next_day": next_day.isoformat(),
                "time_zone": zone,
            },
        )

    @get("/feed")
    async def feed(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        return render(request, "tasks/feed.html", {"has_feed": await feed_exists(), "feed_url": None})

    @post("/feed")
    async def regenerate(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[str]:
        """A new private URL, shown once (only its hash is kept); the old one stops working."""
        token = await issue_token()
        url = f"{get_settings().public_url}/ics/{token}.ics"
        return render(request, "tasks/feed.html", {"has_feed": True, "feed_url": url})

    @post("/feed/revoke")
    async def revoke(self, request: Request[Any, Any, Any], tenant: CurrentTenant) -> Response[Any]:
        if await revoke_token():
            flash(request, _("Your calendar feed URL no longer works."), "success")
        return Redirect(path=f"/t/{tenant.slug}/calendar/feed", status_code=303)


class IcsFeedController(Controller):
    """``/ics/<token>.ics``: no session; the token names its tenant and authorizes one member's feed."""

    path = "/ics"
    include_in_schema = False

    @get("/{name:str}", cache=False)
    async def feed(self, name: FromPath[str]) -> Response[bytes]:
        token = parse_token(name[: -len(".ics")]) if name.endswith(".ics") else None
        if token is None:
            raise NotFoundException()
        try:
            async with tenant_context(tenant_id=token.tenant_id) as tenant:
                owner = await feed_owner(token)
                if owner is None:
                    raise NotFoundException()
                principal = await load_principal(*owner)
                with acting_as(principal):
                    body = await build_feed(owner[0], f"{get_settings().public_url}/t/{tenant.slug}")
        except TenantNotFound:
            raise NotFoundException() from None
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            headers={
                "Cache-Control": "private, no-store",
                "Content-Disposition": 'inline; filename="sampark.ics"',
            },
        )
