"""A real OpenID Connect provider (oidc-provider-mock, from the dev extras) in its own process on loopback.

Two providers start once per test session, on demand: a normal one, and one that issues tokens already
expired (``--token-max-age -300``: exp is five minutes before iat), so expiry is refused on a token the
provider really signed. A third, panva's oidc-provider under Node (``pkce_provider``, see ``node_provider``),
enforces PKCE and answers the person's claims from userinfo only. All are terminated at the end.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from sampark.platform.identity import oidc
from tests.integration.account.conftest import new_client  # noqa: F401  (fixture: clients with own addresses)
from tests.integration.sso.node_provider import NodeProvider, run_node_provider


@dataclass(frozen=True)
class Provider:
    url: str

    def set_user(self, sub: str, **claims: object) -> None:
        response = httpx.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        assert response.status_code == 204, response.text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(*options: str) -> Iterator[Provider]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--require-nonce", *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/.well-known/openid-configuration", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the OIDC provider did not start")
            time.sleep(0.05)
        yield Provider(url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def provider() -> Iterator[Provider]:
    yield from _start()


@pytest.fixture(scope="session")
def expiring_provider() -> Iterator[Provider]:
    yield from _start("--token-max-age", "-300")


@pytest.fixture(scope="session")
def pkce_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NodeProvider]:
    """panva's oidc-provider (PKCE enforced, RFC 9207 ``iss``, claims from userinfo only)."""
    yield from run_node_provider(free_port(), tmp_path_factory.mktemp("oidc-provider") / "provider.log")


@pytest.fixture(autouse=True)
def _fresh_oidc_cache() -> None:
    oidc.clear_caches()
