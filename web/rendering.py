"""Jinja2 rendering: one template per page, its partials as named blocks (htmx asks for a block by header)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Request, Response
from litestar.enums import MediaType
from litestar.utils.scope.state import ScopeState
from markupsafe import Markup

from sampark.platform.i18n import current_locale, html_lang, text_direction, translations_for
from sampark.platform.i18n.context import set_preferences
from sampark.web.locale.filters import install as install_filters
from sampark.web.locale.resolve import page_preferences

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def _gettext(message: str) -> str:
    return translations_for(current_locale()).gettext(message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    return translations_for(current_locale()).ngettext(singular, plural, count)


def _pgettext(context: str, message: str) -> str:
    return str(translations_for(current_locale()).pgettext(context, message))


def _npgettext(context: str, singular: str, plural: str, count: int) -> str:
    return str(translations_for(current_locale()).npgettext(context, singular, plural, count))


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The one Jinja environment: autoescaping everywhere, gettext callables, strict undefined names."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
    install_filters(env)  # datetime, date, currency, ... in the reader's language and zone (web/locale)
    return env


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def render(
    request: Request[Any, Any, Any],
    template_name: str,
    context: Mapping[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response[str]:
    """Render a page, or only ``block`` of it when htmx asked; the response varies on HX-Request."""
    template = environment().get_template(template_name)
    csrf = ScopeState.from_scope(request.scope).csrf_token
    token = "" if csrf is None or not isinstance(csrf, str) else csrf
    if (preferences := page_preferences(request)) is not None:
        set_preferences(preferences)  # for the rest of this request; the middleware restores
    full_context = {
        "request": request,
        # The path as the browser sent it (pages that hide a token from the logs rewrite scope["path"]).
        "current_path": request.scope.get("raw_path", b"").decode("latin-1") or request.url.path,
        "csrf_token": token,
        "csrf_input": Markup('<input type="hidden" name="_csrf_token" value="{}">').format(token),
        "user": getattr(request.state, "user", None),
        "tenant": getattr(request.state, "tenant", None),
        "flashes": pop_flashes(request),
        "lang": html_lang(current_locale()),
        "dir": text_direction(current_locale()),
        "ui_locale": current_locale(),
        **(context or {}),
    }
    if block is not None and is_htmx(request):
        body = "".join(template.blocks[block](template.new_context(full_context)))
    else:
        body = template.render(full_context)
    response_headers = {"Vary": "HX-Request", **(headers or {})}
    return Response(body, media_type=MediaType.HTML, status_code=status_code, headers=response_headers)


def flash(request: Request[Any, Any, Any], message: str, category: str = "info") -> None:
    """Queue a message for the next page this session renders."""
    session = getattr(request.state, "session", None)
    if session is not None:
        session.setdefault("flashes", []).append({"message": message, "category": category})
        request.state.session_dirty = True


def pop_flashes(request: Request[Any, Any, Any]) -> list[dict[str, str]]:
    session = getattr(request.state, "session", None)
    if not session or not session.get("flashes"):
        return []
    request.state.session_dirty = True
    return list(session.pop("flashes"))
