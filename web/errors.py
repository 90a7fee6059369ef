"""Every error becomes a translated HTML page or a JSON body with a stable code; nothing leaks a traceback."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import asyncpg
import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.response import Redirect

from sampark.platform.i18n import gettext as _
from sampark.tenants.access.policy import PermissionDenied
from sampark.tenants.records.errors import FieldErrors, RecordNotFound, VersionConflict
from sampark.web.rendering import render

log = structlog.get_logger("sampark.web.errors")

CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class LoginRequired(HTTPException):
    """A page needs a signed-in user: HTML requests go to the login page, API requests get 401."""

    status_code = 401


class ApiError(HTTPException):
    """An API error with an explicit stable code."""

    def __init__(self, status_code: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(status_code=status_code, detail=message, extra=extra or None)
        self.code = code


def wants_json(request: Request[Any, Any, Any]) -> bool:
    path = request.url.path
    return (
        "/api/" in path
        or path in {"/healthz", "/readyz"}
        or request.headers.get("accept", "").startswith("application/json")
    )


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood.")),
        401: (_("Sign-in required"), _("Please sign in to continue.")),
        403: (_("Not allowed"), _("You do not have access to this page.")),
        404: (_("Page not found"), _("The page you asked for does not exist, or you cannot see it.")),
        405: (_("Not allowed"), _("This address does not accept that kind of request.")),
        413: (_("Too large"), _("What you sent is larger than we accept.")),
        429: (_("Too many attempts"), _("Please wait a moment and try again.")),
        500: (_("Something went wrong"), _("We could not finish that. The error has been logged.")),
    }


def _payload(status: int, code: str, message: str, extra: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if extra:
        error["details"] = extra
    return {"error": error}


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if isinstance(exc, LoginRequired) and not wants_json(request):
        # raw_path keeps the trailing slash Litestar strips from the routed path.
        target = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
        if request.url.query:
            target += f"?{request.url.query}"
        return Redirect(path=f"/login?next={quote(target, safe='/')}", status_code=303)
    code = getattr(exc, "code", None) or CODES.get(status, "error")
    csrf_failed = isinstance(exc, PermissionDeniedException) and "CSRF" in str(exc.detail)
    if csrf_failed:
        code = "csrf_failed"
    title, default_message = _messages().get(status, (_("Error"), _("The request failed.")))
    if csrf_failed:
        default_message = _("Your form expired. Go back, reload the page and try again.")
    if wants_json(request):
        message = str(exc.detail) if status < 500 and exc.detail and not csrf_failed else default_message
        return Response(
            _payload(status, code, message, exc.extra),
            status_code=status,
            media_type=MediaType.JSON,
            headers=exc.headers,
        )
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": default_message},
        status_code=status,
    )


def handle_server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("http.unhandled_error", path=request.url.path, error_type=type(exc).__name__)
    if wants_json(request):
        return Response(
            _payload(500, "internal_error", _messages()[500][1]), status_code=500, media_type=MediaType.JSON
        )
    title, message = _messages()[500]
    try:
        return render(
            request, "errors/error.html", {"status": 500, "title": title, "message": message}, status_code=500
        )
    except Exception:  # the error page itself must never fail
        return Response(message, status_code=500, media_type=MediaType.TEXT)


def handle_database_error(request: Request[Any, Any, Any], exc: asyncpg.PostgresError) -> Response[Any]:
    """A database error in a tenant that was dropped meanwhile is a 404 (``web/deps.note_if_tenant_gone``)."""
    if request.state.get("tenant_gone"):
        log.info("http.tenant_gone", path=request.url.path, error_type=type(exc).__name__)
        return handle_http_exception(request, NotFoundException())
    return handle_server_error(request, exc)


def handle_permission_denied(request: Request[Any, Any, Any], exc: PermissionDenied) -> Response[Any]:
    return handle_http_exception(request, ApiError(403, "forbidden", _("You are not allowed to do that.")))


def precondition_failed(current_etag: str, version: int) -> ApiError:
    """412 ``precondition_failed`` with the record's current ``ETag`` and version."""
    error = ApiError(
        412,
        "precondition_failed",
        _("The record changed since you read it. Read it again and reapply your change."),
        current_version=version,
    )
    error.headers = {"ETag": current_etag}
    return error


def invalid_fields(errors: Mapping[str, str]) -> ApiError:
    """422 ``validation_failed`` with a message per field."""
    return ApiError(422, "validation_failed", _("Some fields are not valid."), **dict(errors))


# Record services raise domain errors; pages catch the conflict and field errors themselves to show the form
# again, so these handlers give the API its answers and pages a plain error page for what they do not catch.
def handle_record_not_found(request: Request[Any, Any, Any], exc: RecordNotFound) -> Response[Any]:
    return handle_http_exception(request, NotFoundException())


def handle_version_conflict(request: Request[Any, Any, Any], exc: VersionConflict) -> Response[Any]:
    return handle_http_exception(request, precondition_failed(exc.current.etag, exc.current.version))


def handle_field_errors(request: Request[Any, Any, Any], exc: FieldErrors) -> Response[Any]:
    return handle_http_exception(request, invalid_fields(exc.errors))


EXCEPTION_HANDLERS = {
    HTTPException: handle_http_exception,
    PermissionDenied: handle_permission_denied,
    RecordNotFound: handle_record_not_found,
    VersionConflict: handle_version_conflict,
    FieldErrors: handle_field_errors,
    asyncpg.PostgresError: handle_database_error,
    Exception: handle_server_error,
}
