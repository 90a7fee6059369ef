"""Building a Redis client from settings, including the embedded Unix-socket URL."""

import pytest

from sampark.platform.config.settings import Settings
from sampark.platform.redis import redis_from_settings, redis_from_url


async def test_client_from_settings_talks_to_redis(settings: Settings) -> None:
    client = redis_from_settings(settings)
    try:
        assert await client.ping()
        await client.set("sampark:test:helper", "ok", ex=5)
        assert await client.get("sampark:test:helper") == "ok"  # decoded to str
    finally:
        await client.aclose()


def test_unix_url_without_a_path_is_refused() -> None:
    with pytest.raises(ValueError, match="socket path"):
        redis_from_url("unix://")


def test_missing_url_is_explained(settings: Settings) -> None:
    with pytest.raises(RuntimeError, match="SAMPARK_REDIS_URL"):
        redis_from_settings(settings.with_overrides(redis_url=None))
