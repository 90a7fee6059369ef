"""The Dramatiq broker, built once per process from settings; every actor module imports this first.

Redis (``redis://``, ``rediss://``, or the embedded server's ``unix://`` socket) is the default; RabbitMQ
(``amqp://``, ``amqps://``) is chosen by setting ``SAMPARK_BROKER_URL``. Actors are declared with
:func:`actor`, which binds them to this broker and runs their body inside the message's tenant context.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, TypeVar, overload
from urllib.parse import parse_qs, unquote, urlparse

import dramatiq
from dramatiq.middleware import AsyncIO, CurrentMessage, default_middleware

from sampark.platform.config.settings import Settings, get_settings
from sampark.workers.middleware import DatabaseMiddleware, TenantMiddleware, tenant_scoped

P = ParamSpec("P")
R = TypeVar("R")

#: Prefix of every Redis key the broker writes, so Sampark can share a Redis server.
REDIS_NAMESPACE = "sampark"

_lock = threading.Lock()
_broker: dramatiq.Broker | None = None
_broker_url: str | None = None


class BrokerConfigError(RuntimeError):
    """No usable broker URL is configured."""


def broker_url(settings: Settings) -> str:
    """The URL the broker connects to: ``broker_url`` if set, else ``redis_url``.

    Raises:
        BrokerConfigError: neither is set.
    """
    url = settings.broker_url or settings.redis_url
    if not url:
        raise BrokerConfigError(
            "no broker configured: set SAMPARK_BROKER_URL or SAMPARK_REDIS_URL"
            " (sampark up starts an embedded Redis)"
        )
    return url


def _middleware(settings: Settings) -> list[dramatiq.Middleware]:
    # Dramatiq's defaults (age and time limits, retries with back-off, callbacks, pipelines), then the event
    # loop for async actors, the current message, the tenant hand-over and the engine of the worker process.
    defaults: list[dramatiq.Middleware] = [factory() for factory in default_middleware]
    return [*defaults, AsyncIO(), CurrentMessage(), TenantMiddleware(), DatabaseMiddleware(settings)]


def build_broker(settings: Settings) -> dramatiq.Broker:
    """Build (but do not install) a broker for ``settings``; connections open lazily on first use."""
    url = broker_url(settings)
    parsed = urlparse(url)
    middleware = _middleware(settings)
    if parsed.scheme in ("amqp", "amqps"):
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        return RabbitmqBroker(url=url, middleware=middleware)
    from dramatiq.brokers.redis import RedisBroker

    if parsed.scheme == "unix":
        # redis-py needs the socket path itself; the embedded server's URL is percent-quoted.
        query, path = parse_qs(parsed.query), unquote(parsed.path)
        if not path:
            raise BrokerConfigError(
                "a unix:// broker URL must name the socket path, e.g. unix:///run/redis.sock"
            )
        return RedisBroker(
            middleware=middleware,
            namespace=REDIS_NAMESPACE,
            unix_socket_path=path,
            db=int(query.get("db", ["0"])[0]),
            password=unquote(parsed.password) if parsed.password else None,
        )
    if parsed.scheme in ("redis", "rediss"):
        return RedisBroker(url=url, middleware=middleware, namespace=REDIS_NAMESPACE)
    raise BrokerConfigError(f"unsupported broker URL scheme {parsed.scheme!r}")


def setup_broker(settings: Settings | None = None) -> dramatiq.Broker:
    """Build the process broker once and install it with ``dramatiq.set_broker``; later calls return it.

    Args:
        settings: defaults to :func:`get_settings` (the ``SAMPARK_*`` environment).

    Raises:
        BrokerConfigError: no broker URL, or a later call names a different broker than the installed one
            (actors are bound to the broker they were declared on, so it cannot be swapped).
    """
    global _broker, _broker_url
    with _lock:
        if _broker is not None:
            if settings is not None and broker_url(settings) != _broker_url:
                raise BrokerConfigError("the broker is already set up for a different URL")
            return _broker
        settings = settings or get_settings()
        broker = build_broker(settings)
        dramatiq.set_broker(broker)
        _broker, _broker_url = broker, broker_url(settings)
        return broker


def get_broker() -> dramatiq.Broker:
    """The installed broker, set up from the environment if this is the first use."""
    return setup_broker()


@overload
def actor(fn: Callable[P, Awaitable[R]], /) -> dramatiq.Actor[P, R | None]: ...


@overload
def actor(
    *, actor_name: str | None = None, queue_name: str = "default", tenant: bool = True, **options: Any
) -> Callable[[Callable[P, Awaitable[R]]], dramatiq.Actor[P, R | None]]: ...


def actor(
    fn: Callable[P, Awaitable[R]] | None = None,
    /,
    *,
    actor_name: str | None = None,
    queue_name: str = "default",
    tenant: bool = True,
    **options: Any,
) -> Any:
    """Declare a Sampark actor: an ``async def`` bound to the process broker, run in its message's tenant.

    Args:
        actor_name: the name outbox rows use; defaults to ``"<module>.<function>"``, e.g.
            ``"system.record_event"``.
        queue_name: the Dramatiq queue.
        tenant: False for platform work that runs outside any tenant (see ``tenant_scoped``).
        **options: Dramatiq actor options (``max_retries``, ``time_limit``, ...).

    Raises:
        TypeError: ``fn`` is not a coroutine function (all database work is async).
    """

    def declare(fn: Callable[P, Awaitable[R]]) -> dramatiq.Actor[P, R | None]:
        if not inspect.iscoroutinefunction(fn):
            raise TypeError(f"Sampark actors are async functions: {fn.__qualname__}")
        name = actor_name or f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"
        body = tenant_scoped(fn, actor_name=name, tenant=tenant)
        # dramatiq.actor checks the queue name and that every option is known to the broker's middleware.
        decorate = dramatiq.actor(actor_name=name, queue_name=queue_name, broker=get_broker(), **options)
        return decorate(body)

    return declare(fn) if fn is not None else declare


# Installing the broker on import is what makes "import broker first" work for the Dramatiq CLI. In tests the
# fixture calls setup_broker(settings) before any actor module is imported, so this finds it already set.
setup_broker()
