"""HTTP helpers shared by the CRM JSON APIs (contacts, companies): conditional requests, list parameters,
and error bodies ``{"error": {"code", "message", "details": {field: message}}}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import ValidationException

from sampark.platform.i18n import gettext as _
from sampark.tenants.search.listing import ListError
from sampark.web.errors import ApiError
from sampark.web.errors import invalid_fields as invalid_fields  # re-exported for CRM controllers
from sampark.web.errors import precondition_failed as precondition_failed

LIST_PARAMETERS = frozenset({"limit", "cursor", "sort"})
_ETAG = re.compile(r'^"v(\d{1,9})"$')


def api_error(
    status: int, code: str, message: str, details: Mapping[str, Any] | None = None, **headers: str
) -> ApiError:
    error = ApiError(status, code, message, **dict(details or {}))
    if headers:
        error.headers = {name.replace("_", "-"): value for name, value in headers.items()}
    return error


def duplicate_error(message: str, matches: Iterable[tuple[int, str]], hidden: int, base_url: str) -> ApiError:
    """409 ``duplicate``: the matching records the caller may see (id, name, API URL) and how many more exist."""
    found = [{"id": id_, "name": name, "url": f"{base_url}/{id_}"} for id_, name in matches]
    return api_error(409, "duplicate", message, {"matches": found, "hidden_matches": hidden})


def list_filters(request: Request[Any, Any, Any], allowed: Iterable[str]) -> dict[str, str]:
    """The filter parameters of a list request; anything not allowlisted is refused (400 ``unknown_filter``).

    ``cf.`` names (custom fields) pass through: the object's list checks them (400 ``invalid_filter``).
    """
    allowed = frozenset(name for name in request.query_params if name.startswith("cf.")) | frozenset(allowed)
    filters: dict[str, str] = {}
    for name, value in request.query_params.items():
        if name in LIST_PARAMETERS or name == "allow_duplicate":
            continue
        if name not in allowed:
            message = _("You cannot filter on “%(name)s”.", name=name[:40])
            raise api_error(400, "unknown_filter", message, {name[:40]: message})
        filters[name] = str(value)
    return filters


def list_error(problem: ListError) -> ApiError:
    return api_error(400, problem.code, problem.message, {problem.field: problem.message})


def expected_version(if_match: str | None) -> int | None:
    """The version an ``If-Match`` header asks for: None for ``*``, -1 for a tag no version can match.

    Raises:
        ApiError: 428 ``precondition_required`` when the header is missing.
    """
    if if_match is None or not if_match.strip():
        raise api_error(
            428,
            "precondition_required",
            _("Send If-Match with the ETag you last read, so changes made meanwhile are not overwritten."),
        )
    tokens = [token.strip() for token in if_match.split(",")]
    if "*" in tokens:
        return None
    for token in tokens:
        match = _ETAG.match(token)
        if match:
            return int(match.group(1))
    return -1


def handle_invalid_body(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    """Litestar's own parameter and body validation, reshaped into our error body (400 ``bad_request``)."""
    details: dict[str, str] = {}
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, Mapping):
            details[str(item.get("key") or "body")] = str(item.get("message") or "")
    body = {
        "error": {
            "code": "bad_request",
            "message": _("The request is not valid JSON of the expected shape."),
            "details": details,
        }
    }
    return Response(body, status_code=400, media_type=MediaType.JSON)


API_EXCEPTION_HANDLERS = {ValidationException: handle_invalid_body}
