"""The Litestar application factory (``uvicorn --factory sampark.web.app:create_app``)."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.plugins.prometheus import PrometheusConfig
from litestar.static_files import create_static_files_router

from sampark.platform.config.settings import Settings, get_settings
from sampark.platform.database import close_engine, open_engine
from sampark.platform.db.engine import engine_is_open
from sampark.platform.identity.sessions import SessionStore
from sampark.platform.logging import configure_logging
from sampark.platform.redis import redis_from_url
from sampark.platform.storage.factory import configure_storage
from sampark.web.account.tenant_access import BearerAwareCSRFMiddleware
from sampark.web.errors import EXCEPTION_HANDLERS
from sampark.web.middleware import RequestContextMiddleware
from sampark.web.routes import ROUTES
from sampark.web.sessions import SessionMiddleware

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_BODY_BYTES = 1024 * 1024


def create_app(settings: Settings | None = None) -> Litestar:
    """Build the app; connections open at start-up and close at shutdown."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    async def start(app: Litestar) -> None:
        # Close at shutdown only what this app opened (tests run several apps on one engine).
        app.state.owns_engine = not engine_is_open()
        await open_engine(settings)
        configure_storage(settings)
        app.state.redis = redis_from_url(settings.redis_url)
        app.state.sessions = SessionStore(app.state.redis)

    async def stop(app: Litestar) -> None:
        redis = app.state.get("redis")
        if redis is not None:
            await redis.aclose()
        if app.state.get("owns_engine"):
            await close_engine()

    prometheus = PrometheusConfig(app_name="sampark", group_path=True, exclude=["/metrics", "/static"])
    app = Litestar(
        route_handlers=[*ROUTES, create_static_files_router(path="/static", directories=[STATIC_DIR])],
        middleware=[
            prometheus.middleware,
            # Litestar's own CSRF check, innermost as with csrf_config=, except for tenant API requests that
            # carry a Bearer key and no session cookie (web/account/tenant_access.py says why).
            DefineMiddleware(
                BearerAwareCSRFMiddleware,
                config=CSRFConfig(
                    secret=settings.secret_key,
                    cookie_name="sampark_csrf",
                    cookie_secure=settings.secure_cookies,
                    cookie_httponly=True,
                    cookie_samesite="lax",
                ),
            ),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        on_startup=[start],
        on_shutdown=[stop],
        state=State({"settings": settings}),
        openapi_config=OpenAPIConfig(title="Sampark API", version="1", path="/api/schema"),
        request_max_body_size=MAX_BODY_BYTES,
        logging_config=None,  # structlog (configure_logging) owns logging
        debug=False,
    )
    # Route middleware runs only for matched routes. The request context (request id, access log, security
    # headers, the reader's language) and the session wrap the whole app instead, so a 404 or 405 page is
    # translated, carries the CSP and knows who is signed in.
    app.asgi_handler = RequestContextMiddleware()(SessionMiddleware()(app.asgi_handler))
    return app
