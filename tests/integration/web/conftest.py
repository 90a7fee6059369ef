"""An app and an HTTP client per test session, against the real services."""

from collections.abc import AsyncIterator

import pytest
from httpx import ASGITransport, AsyncClient
from litestar import Litestar

from sampark.platform.config.settings import Settings
from sampark.web.app import create_app


@pytest.fixture(scope="session")
async def app(database: Settings) -> AsyncIterator[Litestar]:
    # A generous login limit here; the rate-limit test builds its own app with a small one.
    application = create_app(database.with_overrides(login_attempts_per_minute=10_000))
    # Run the start-up and shutdown hooks directly: Litestar's lifespan() uses an anyio task group, which must be
    # exited in the task that entered it, and a session fixture's teardown runs in another task.
    for hook in application.on_startup:
        await hook(application)
    yield application
    for hook in application.on_shutdown:
        await hook(application)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as http:
        yield http
