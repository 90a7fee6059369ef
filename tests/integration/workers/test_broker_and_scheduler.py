"""Broker selection from settings, and the scheduler's loop of periodic jobs."""

from __future__ import annotations

import asyncio
from urllib.parse import unquote, urlparse

import pytest
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker

from sampark.workers.scheduler import PeriodicJob, run_jobs


def test_embedded_redis_socket_url_reaches_redis_py(settings, broker) -> None:
    from sampark.workers.broker import build_broker
    from sampark.workers.middleware import DatabaseMiddleware, TenantMiddleware

    built = build_broker(settings)
    assert isinstance(built, RedisBroker)
    kwargs = built.client.connection_pool.connection_kwargs
    assert kwargs["path"] == unquote(urlparse(settings.redis_url).path)
    assert built.client.ping() is True
    kinds = {type(m) for m in built.middleware}
    assert {TenantMiddleware, DatabaseMiddleware} <= kinds


def test_amqp_broker_url_selects_rabbitmq(settings, broker) -> None:
    from sampark.workers.broker import build_broker

    built = build_broker(settings.with_overrides(broker_url="amqp://guest:guest@127.0.0.1:5672/%2F"))
    assert isinstance(built, RabbitmqBroker)  # connects lazily, so no server is needed to build it


def test_no_broker_url_is_a_clear_error(settings, broker) -> None:
    from sampark.workers.broker import BrokerConfigError, build_broker

    with pytest.raises(BrokerConfigError, match="SAMPARK_BROKER_URL or SAMPARK_REDIS_URL"):
        build_broker(settings.with_overrides(redis_url=None, broker_url=None))


def test_unix_url_without_a_path_is_refused(settings, broker) -> None:
    from sampark.workers.broker import BrokerConfigError, build_broker

    with pytest.raises(BrokerConfigError, match="socket path"):
        build_broker(settings.with_overrides(broker_url="unix://"))


def test_setup_broker_is_idempotent_and_refuses_a_different_url(settings, broker) -> None:
    import dramatiq

    from sampark.workers.broker import BrokerConfigError, setup_broker

    assert setup_broker(settings) is broker is setup_broker() is dramatiq.get_broker()
    with pytest.raises(BrokerConfigError):
        setup_broker(settings.with_overrides(broker_url="redis://127.0.0.1:1/0"))


async def test_periodic_jobs_run_until_stopped_and_survive_failures() -> None:
    stop = asyncio.Event()
    calls = {"steady": 0, "broken": 0}

    async def steady() -> None:
        calls["steady"] += 1
        if calls["steady"] == 3:
            stop.set()

    async def broken() -> None:
        calls["broken"] += 1
        raise ConnectionError("database restarting")

    await run_jobs([PeriodicJob("broken", 0.001, broken), PeriodicJob("steady", 0.001, steady)], stop)

    assert calls["steady"] == 3  # stopped right after the run that set the event
    assert calls["broken"] >= 1  # its failures were logged, not fatal to the scheduler
