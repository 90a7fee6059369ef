"""Server-side sessions: an opaque cookie, the data in Redis, loaded before the handler and saved before the
response starts (so a redirect never races a stale session)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from sampark.platform.identity.sessions import SessionStore

COOKIE_NAME = "sampark_session"


@dataclass(frozen=True)
class SessionUser:
    """Who is signed in, as cached in the session at login."""

    id: int
    email: str
    name: str


def session_cookie(request: Request[Any, Any, Any], session_id: str, *, delete: bool = False) -> Cookie:
    settings = request.app.state.settings
    return Cookie(
        key=COOKIE_NAME,
        value="" if delete else session_id,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=0 if delete else None,
    )


def _store(scope: Scope) -> SessionStore:
    store: SessionStore = scope["litestar_app"].state.sessions
    return store


class SessionMiddleware(ASGIMiddleware):
    """Load the session named by the cookie into ``request.state``; persist it when a handler changed it."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        state = scope.setdefault("state", {})
        store = _store(scope)
        session_id = None
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                session_id = _cookie_value(value.decode("latin-1"), COOKIE_NAME) or session_id
        session = await store.load(session_id) if session_id else None
        data = session.data if session is not None else None
        state["session_id"] = session_id if session is not None else None
        state["session"] = data
        state["session_dirty"] = False
        state["user"] = _user(data)

        async def send_wrapper(message: Message) -> None:
            if (
                message["type"] == "http.response.start"
                and state.get("session_dirty")
                and state.get("session_id")
                and state.get("session") is not None
            ):
                await store.save(state["session_id"], state["session"])
            await send(message)

        await next_app(scope, receive, send_wrapper)


def _cookie_value(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None


def _user(data: dict[str, Any] | None) -> SessionUser | None:
    if not data or "user_id" not in data:
        return None
    return SessionUser(
        id=int(data["user_id"]), email=data.get("user_email", ""), name=data.get("user_name", "")
    )


async def sign_in(request: Request[Any, Any, Any], response: Response[Any], user: Any) -> None:
    """Start a fresh session for ``user``; any session the browser already had is destroyed (no fixation)."""
    store: SessionStore = request.app.state.sessions
    data = {"user_id": user.id, "user_email": user.email, "user_name": user.full_name}
    session_id = await store.login(request.state.get("session_id"), user.id, data)
    session = await store.load(session_id)
    request.state.session_id = session_id
    request.state.session = session.data if session is not None else None
    response.set_cookie(session_cookie(request, session_id))


async def rotate_session(request: Request[Any, Any, Any], response: Response[Any]) -> None:
    """Move the current session to a new id after a privilege change (2FA turned on or off).

    What the handler changed so far is saved first; the old id dies, so an id planted or seen before the change
    is worthless afterwards. Nothing happens without a session.
    """
    store: SessionStore = request.app.state.sessions
    old_id = request.state.get("session_id")
    if not old_id or request.state.get("session") is None:
        return
    await store.save(old_id, request.state.session)
    new_id = await store.rotate(old_id)
    session = await store.load(new_id) if new_id else None
    if new_id is None or session is None:
        return
    request.state.session_id, request.state.session = new_id, session.data
    request.state.session_dirty = False
    response.set_cookie(session_cookie(request, new_id))


async def sign_out(request: Request[Any, Any, Any], response: Response[Any]) -> None:
    store: SessionStore = request.app.state.sessions
    if request.state.get("session_id"):
        await store.destroy(request.state.session_id)
    request.state.session_id = None
    request.state.session = None
    response.set_cookie(session_cookie(request, "", delete=True))
