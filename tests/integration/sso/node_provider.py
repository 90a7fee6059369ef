"""panva's oidc-provider (``tests/support/oidc_provider/``), run by Node on loopback, and how tests drive it.

It enforces S256 PKCE, puts ``iss`` in every authorization response (RFC 9207, advertised in discovery) and
returns the person's claims only from userinfo (``conformIdTokenClaims: true``). Node and the provider's
``node_modules`` are prerequisites (``make test`` runs ``npm ci``): without them these tests fail, they never
skip.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from sampark.platform.identity.sso_config import SsoForm, save_sso
from sampark.platform.tenancy.context import TenantRecord

PROVIDER_DIR = Path(__file__).resolve().parents[2] / "support" / "oidc_provider"
RP_BASE = "http://testserver"  # the test clients' base URL: our redirect_uri starts with it
PKCE_REFUSED = "PKCE verification failed"  # what oidc-provider logs when a verifier does not match


@dataclass(frozen=True)
class NodeProvider:
    url: str
    client_id: str
    client_secret: str
    email: str
    log: Path

    def refusals(self) -> int:
        return self.log.read_text().count(PKCE_REFUSED)

    def access_tokens(self) -> list[str]:
        """Every access token the provider issued so far (provider.mjs logs them, for leak checks)."""
        lines = self.log.read_text().splitlines()
        return [line.split()[1] for line in lines if line.startswith("access_token.saved ")]

    def email_of(self, account: str) -> str:
        """The address provider.mjs gives ``account`` (see its header)."""
        return self.email if account == "pkce-user" else f"{account}.{self.email}"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the PKCE tests need Node.js (README, prerequisites)")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(f"oidc-provider is not installed: run `npm ci --prefix {PROVIDER_DIR}` (make test does)")
    return node


def run_node_provider(port: int, log: Path) -> Iterator[NodeProvider]:
    """Start provider.mjs on ``port``, wait until it answers discovery, and terminate it afterwards."""
    provider = NodeProvider(
        url=f"http://127.0.0.1:{port}",
        client_id="sampark-pkce",
        client_secret=secrets.token_urlsafe(24),
        email=f"pkce-{secrets.token_hex(4)}@example.com",
        log=log,
    )
    env = {
        **os.environ,
        "OIDC_CLIENT_ID": provider.client_id,
        "OIDC_CLIENT_SECRET": provider.client_secret,
        "OIDC_ACCOUNT_EMAIL": provider.email,
        "SAMPARK_RP_BASE": RP_BASE,
    }
    with provider.log.open("w") as output:
        process = subprocess.Popen(
            [_node(), "provider.mjs", str(port)], cwd=PROVIDER_DIR, env=env, stdout=output, stderr=output
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if (
                    httpx.get(f"{provider.url}/.well-known/openid-configuration", timeout=1).status_code
                    == 200
                ):
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"oidc-provider did not start:\n{provider.log.read_text()}")
            time.sleep(0.05)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def configure_node_provider(
    app: Litestar, tenant: TenantRecord, provider: NodeProvider, *, domains: str = ""
) -> None:
    """Point ``tenant``'s SSO at the provider. With ``domains``, an account another test created is linked."""
    form = SsoForm(provider.url, provider.client_id, provider.client_secret, "sales", domains, False)
    await save_sso(tenant.id, form, provider.url, app.state.settings.secret_key)


async def through_provider(authorize_url: str) -> str:
    """Follow the provider's redirects (its interaction signs the test account in); return our callback URL."""
    async with httpx.AsyncClient() as browser:
        response = await browser.get(authorize_url)
        for _hop in range(5):
            location = response.headers.get("location", "")
            assert response.status_code in (302, 303) and location, response.text
            if location.startswith(RP_BASE):
                return location
            response = await browser.get(response.url.join(location))
    raise AssertionError("the provider never sent the browser back")
