"""An asyncio Redis client built from settings: TCP (``redis://``, ``rediss://``) or a Unix socket (``unix://``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlparse

from redis.asyncio import Redis

from sampark.platform.config.settings import Settings, get_settings


def redis_from_url(url: str, **options: Any) -> Redis:
    """Return a client for ``url``; responses are decoded to ``str`` unless ``decode_responses=False``.

    The embedded Redis answers on ``unix:///<data_dir>/redis/redis.sock`` (path percent-encoded, an optional
    ``?db=N``); redis-py reads that form itself, so only the empty path needs refusing here.

    Raises:
        ValueError: the URL names no socket path or an unsupported scheme.
    """
    parsed = urlparse(url)
    if parsed.scheme == "unix" and not unquote(parsed.path):
        raise ValueError("a unix:// Redis URL must name the socket path, e.g. unix:///var/run/redis.sock")
    options.setdefault("decode_responses", True)
    options.setdefault("health_check_interval", 30)
    options.setdefault("socket_connect_timeout", 5)
    return Redis.from_url(url, **options)


def redis_from_settings(settings: Settings | None = None, **options: Any) -> Redis:
    """Return a client for ``settings.redis_url`` (the process settings by default).

    Raises:
        RuntimeError: no Redis URL is set (embedded services resolve it at start-up).
    """
    settings = settings or get_settings()
    if not settings.redis_url:
        raise RuntimeError("redis_url is not set: start the embedded services or set SAMPARK_REDIS_URL")
    return redis_from_url(settings.redis_url, **options)
