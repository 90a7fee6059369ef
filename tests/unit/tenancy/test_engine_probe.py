"""Building an engine opens no connection: its URL is only known when the pool starts."""

from __future__ import annotations

import socket
import warnings

from sampark.platform.db.engine import Engine, engine_config, pool_options


def test_an_engine_is_built_without_connecting() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            Engine(config=engine_config(f"postgresql://nobody@127.0.0.1:{port}/nothing"))
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            connection = None
        assert connection is None, "constructing the engine connected to the database"
        assert not [w for w in caught if "version" in str(w.message)]
    finally:
        listener.close()


def test_pool_options_are_not_connection_options() -> None:
    config = engine_config("postgresql://127.0.0.1/x")
    assert not set(config) & set(pool_options(3))
    assert pool_options(3)["max_size"] == 3
