"""Operator sessions: a cookie of their own (``sampark_ops``, path ``/ops``), a server-side record of their own
kind, and the console's guard.

An operator session holds ``operator_id`` and never ``user_id``, so the tenant-user session middleware reads it
as anonymous; a tenant user's session has no ``kind: operator``, so the guard here refuses it. The cookie's
path keeps it off every ``/t/<slug>/`` request in the first place. A session is fully signed in only after
the TOTP step (``stage == "done"``), and every console request re-reads the operator (disabled = signed out).
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException
from litestar.response import Redirect
from redis.asyncio import Redis

from sampark.platform.identity.sessions import SessionStore
from sampark.platform.operators.accounts import OperatorRecord, get_active_operator

COOKIE = "sampark_ops"
KIND = "operator"
# Shorter than a tenant user's session: operators hold the keys to every tenant.
MAX_AGE = timedelta(hours=12)
IDLE = timedelta(minutes=30)
STAGE_TOTP, STAGE_ENROL, STAGE_CODES, STAGE_DONE = "totp", "enrol", "codes", "done"
PENDING_LIFETIME_S = 5 * 60
MAX_PENDING_FAILURES = 5

CurrentOperator = NamedDependency[OperatorRecord]


class OperatorLoginRequired(HTTPException):
    """No signed-in operator: the console sends the browser to ``/ops/login``."""

    status_code = 401


def store(request: Request[Any, Any, Any]) -> SessionStore:
    redis: Redis = request.app.state.redis
    return SessionStore(redis, max_age=MAX_AGE, idle_timeout=IDLE)


def _cookie(request: Request[Any, Any, Any], value: str, *, delete: bool = False) -> Cookie:
    return Cookie(
        key=COOKIE,
        value="" if delete else value,
        path="/ops",
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.secure_cookies,
        max_age=0 if delete else None,
    )


async def load(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    """This browser's operator session data (cached on the request), or None."""
    if "ops_session" in request.state:
        data: dict[str, Any] | None = request.state.ops_session
        return data
    session_id = request.cookies.get(COOKIE)
    session = await store(request).load(session_id) if session_id else None
    data = session.data if session is not None and session.data.get("kind") == KIND else None
    request.state.ops_session_id = session_id if data is not None else None
    request.state.ops_session = data
    return data


async def save(request: Request[Any, Any, Any]) -> None:
    session_id, data = request.state.get("ops_session_id"), request.state.get("ops_session")
    if session_id and data is not None:
        await store(request).save(session_id, data)


async def start(request: Request[Any, Any, Any], response: Response[Any], data: dict[str, Any]) -> None:
    """Replace this browser's operator session by a new one holding ``data`` (a new id: no fixation)."""
    sessions = store(request)
    await sessions.destroy(request.cookies.get(COOKIE))
    session_id = await sessions.create(None, {"kind": KIND, "since": time.time(), **data})
    loaded = await sessions.load(session_id)
    request.state.ops_session_id = session_id
    request.state.ops_session = loaded.data if loaded is not None else None
    response.set_cookie(_cookie(request, session_id))


async def end(request: Request[Any, Any, Any], response: Response[Any]) -> None:
    await store(request).destroy(request.cookies.get(COOKIE))
    request.state.ops_session_id = None
    request.state.ops_session = None
    response.set_cookie(_cookie(request, "", delete=True))


async def pending(request: Request[Any, Any, Any], *stages: str) -> dict[str, Any] | None:
    """The half-finished sign-in (after the password) when it is at one of ``stages`` and still fresh."""
    data = await load(request)
    if data is None or data.get("stage") not in stages:
        return None
    if time.time() - float(data.get("since", 0)) > PENDING_LIFETIME_S:
        return None
    if int(data.get("failures", 0)) >= MAX_PENDING_FAILURES:
        return None
    return data


async def provide_operator(request: Request[Any, Any, Any]) -> OperatorRecord:
    """The signed-in, still active operator who passed TOTP on this session; else a redirect to sign in."""
    data = await load(request)
    if data is None or data.get("stage") != STAGE_DONE:
        raise OperatorLoginRequired()
    operator = await get_active_operator(int(data["operator_id"]))
    if operator is None:
        raise OperatorLoginRequired()
    request.state.operator = operator
    return operator


def handle_login_required(request: Request[Any, Any, Any], exc: OperatorLoginRequired) -> Response[Any]:
    return Redirect(path="/ops/login", status_code=303)


# ---- elevation: an explicit, reasoned, time-boxed switch to admin rights in one tenant ---------------------

ELEVATION = timedelta(minutes=30)


def elevation(data: dict[str, Any] | None, slug: str) -> dict[str, Any] | None:
    """The live elevation for ``slug`` ({"until", "reason"}), or None when there is none or it expired."""
    found = ((data or {}).get("elevations") or {}).get(slug)
    if not isinstance(found, dict) or float(found.get("until", 0)) <= time.time():
        return None
    return found


async def elevate(request: Request[Any, Any, Any], slug: str, reason: str) -> dict[str, Any]:
    data = await load(request)
    assert data is not None
    grant = {"until": time.time() + ELEVATION.total_seconds(), "reason": reason}
    data.setdefault("elevations", {})[slug] = grant
    await save(request)
    return grant


async def drop_elevation(request: Request[Any, Any, Any], slug: str) -> None:
    data = await load(request)
    if data is not None and (data.get("elevations") or {}).pop(slug, None) is not None:
        await save(request)


async def notice(request: Request[Any, Any, Any], message: str) -> None:
    """A one-time message for the next console page (kept in the operator session)."""
    data = await load(request)
    if data is not None:
        data.setdefault("notices", []).append(message)
        await save(request)


async def pop_notices(request: Request[Any, Any, Any]) -> list[str]:
    data = await load(request)
    if not data or not data.get("notices"):
        return []
    notices = list(data.pop("notices"))
    await save(request)
    return notices
