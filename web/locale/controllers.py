"""``POST /locale``: the language switcher. Saved to the account when signed in, and always in a cookie."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Controller, Request, Response, post
from litestar.datastructures import Cookie
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.platform.i18n import normalize_locale, use_locale
from sampark.platform.i18n.preferences import get_user_preferences, set_user_locale
from sampark.web.auth.controllers import safe_next
from sampark.web.locale.resolve import LOCALE_COOKIE, remember_preferences
from sampark.web.rendering import flash

COOKIE_MAX_AGE = int(timedelta(days=365).total_seconds())


def locale_cookie(request: Request[Any, Any, Any], locale: str) -> Cookie:
    return Cookie(
        key=LOCALE_COOKIE,
        value=locale,
        path="/",
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=request.app.state.settings.secure_cookies,
    )


class LocaleController(Controller):
    path = "/locale"
    include_in_schema = False

    @post("/", status_code=303)
    async def switch(self, request: Request[Any, Any, Any]) -> Response[Any]:
        """Switch the interface language and go back to the page the form was on."""
        data = await request.form()
        target = safe_next(str(data.get("next", ""))) or "/"
        locale = normalize_locale(str(data.get("locale", "")))
        if locale is None:
            flash(request, _("That language is not available."), "error")
            return Redirect(path=target, status_code=303)
        user = request.state.get("user")
        if user is not None:
            await set_user_locale(user.id, locale)
            remember_preferences(request, await get_user_preferences(user.id))
        with use_locale(locale):
            flash(request, _("Language changed."), "success")
        response = Redirect(path=target, status_code=303)
        response.set_cookie(locale_cookie(request, locale))
        return response
