"""Which language, time zone and currency a request is served in.

Language, first match wins: the user's saved choice (``users.locale``), the ``sampark_locale`` cookie (the
switcher's choice on this browser, the only one an anonymous visitor has), the member's team default, the
tenant default (its settings, else its region preset), Accept-Language, English.
Time zone: the user's, the team's, the tenant's. Currency: the team's, the tenant's.

The middleware applies the browser-level choice (cookie, Accept-Language) to every request; a tenant request
then applies the member's full preferences once the tenant and principal are known (``web/deps.py``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from litestar import Request

from sampark.platform.i18n import Preferences, choose_locale, negotiate_accept_language, normalize_locale
from sampark.platform.i18n.context import (
    DEFAULT_CURRENCY,
    DEFAULT_TIME_ZONE,
    set_preferences,
    valid_currency,
    valid_time_zone,
)
from sampark.platform.i18n.preferences import UserPreferences, get_user_preferences
from sampark.tenants.settings.services import locale_defaults

LOCALE_COOKIE = "sampark_locale"
# The signed-in user's own choices, cached in the server-side session so no request pays a query for them.
# Code that changes users.locale or users.time_zone for the signed-in user calls ``remember_preferences``.
SESSION_KEY = "preferences"


def cookie_value(cookie_header: str | None, name: str = LOCALE_COOKIE) -> str | None:
    for part in (cookie_header or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None


def browser_locale(cookie_header: str | None, accept_language: str | None) -> str:
    """The language before anyone is known: the switcher's cookie, then Accept-Language, then English."""
    return choose_locale(
        normalize_locale(cookie_value(cookie_header)), negotiate_accept_language(accept_language)
    )


def _session(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    session = request.state.get("session")
    return session if isinstance(session, dict) else None


def remember_preferences(request: Request[Any, Any, Any], preferences: UserPreferences) -> None:
    """Cache the signed-in user's choices in their session (saved when the response starts)."""
    session, user = _session(request), request.state.get("user")
    if session is not None and user is not None:
        session[SESSION_KEY] = {**preferences.as_dict(), "user_id": user.id}
        request.state.session_dirty = True


def cached_preferences(request: Request[Any, Any, Any]) -> UserPreferences | None:
    session, user = _session(request), request.state.get("user")
    cached = session.get(SESSION_KEY) if session else None
    # Keyed by user: a sign-in carries the previous session's data over, and it may be someone else's.
    if isinstance(cached, dict) and user is not None and cached.get("user_id") == user.id:
        return UserPreferences(str(cached.get("locale") or ""), str(cached.get("time_zone") or ""))
    return None


async def user_preferences(request: Request[Any, Any, Any]) -> UserPreferences | None:
    """The signed-in user's own choices (None when signed out); read from ``users`` once per session.

    Call it outside a tenant context: ``users`` is a platform table the tenant's role cannot read.
    """
    user = request.state.get("user")
    if user is None:
        return None
    cached = cached_preferences(request)
    if cached is not None:
        return cached
    preferences = await get_user_preferences(user.id)
    remember_preferences(request, preferences)
    return preferences


def _first(values: Collection[str], valid: Any, fallback: str) -> str:
    return next((value for value in values if value and valid(value)), fallback)


async def apply_member_preferences(
    request: Request[Any, Any, Any], user: UserPreferences | None, team_ids: Collection[int]
) -> Preferences:
    """Resolve the member's preferences inside the tenant context and switch the request to them.

    They stay in force until the request ends (error pages included); the middleware restores the rest.
    """
    defaults = await locale_defaults(team_ids)
    user = user or UserPreferences()
    locale = choose_locale(
        user.locale,
        cookie_value(request.headers.get("cookie")),
        defaults.team_locale,
        defaults.tenant_locale,
        negotiate_accept_language(request.headers.get("accept-language")),
    )
    preferences = Preferences(
        locale=locale,
        time_zone=_first(
            (user.time_zone, defaults.team_time_zone, defaults.tenant_time_zone),
            valid_time_zone,
            DEFAULT_TIME_ZONE,
        ),
        currency=_first((defaults.team_currency, defaults.tenant_currency), valid_currency, DEFAULT_CURRENCY),
        country=defaults.country,
        cldr_region=defaults.cldr_region,
        tenant_locale=defaults.tenant_locale,
    )
    request.state.preferences = preferences
    set_preferences(preferences)
    return preferences


def page_preferences(request: Request[Any, Any, Any]) -> Preferences | None:
    """For rendering: the member's preferences on tenant pages; on other pages, the signed-in user's own
    language and time zone when the session knows them (None: keep the browser-level choice)."""
    resolved = request.state.get("preferences")
    if isinstance(resolved, Preferences):
        return resolved
    if request.state.get("user") is None:
        return None
    cached = cached_preferences(request)
    if cached is None or not (cached.locale or cached.time_zone):
        return None
    locale = cached.locale or browser_locale(
        request.headers.get("cookie"), request.headers.get("accept-language")
    )
    time_zone = cached.time_zone if valid_time_zone(cached.time_zone) else DEFAULT_TIME_ZONE
    return Preferences(locale=locale, time_zone=time_zone)
