"""Readiness checks for the parts the platform cannot work without."""

from __future__ import annotations

import time
from typing import Any

from sampark.platform.db.engine import get_engine


async def _timed(check: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        await check()
    except Exception as error:  # a failed probe is a result, not a crash
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 2)}


async def check_dependencies(redis: Any) -> dict[str, dict[str, Any]]:
    """Ping PostgreSQL and Redis; never raises."""

    async def postgres() -> None:
        async with get_engine().transaction() as transaction:
            await transaction.connection.fetchval("SELECT 1")

    async def redis_ping() -> None:
        await redis.ping()

    return {"postgres": await _timed(postgres), "redis": await _timed(redis_ping)}
