"""``/healthz``: the process is up. ``/readyz``: PostgreSQL and Redis answer."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Controller, MediaType, Request, Response, get

from sampark.platform.health import check_dependencies


class HealthController(Controller):
    include_in_schema = False

    @get("/healthz", media_type=MediaType.JSON, exclude_from_csrf=True)
    async def healthz(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/readyz", media_type=MediaType.JSON)
    async def readyz(self, request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
        checks = await asyncio.wait_for(check_dependencies(request.app.state.redis), timeout=5)
        ready = all(check["ok"] for check in checks.values())
        return Response(
            {"status": "ok" if ready else "unavailable", "checks": checks}, status_code=200 if ready else 503
        )
