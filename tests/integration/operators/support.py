"""Operators for tests: accounts with a known TOTP secret, and signing one in over HTTP."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from httpx import AsyncClient, Response

from sampark.platform.identity import totp
from sampark.platform.identity.two_factor import seal_secret
from sampark.platform.operators.accounts import create_operator
from sampark.platform.operators.tables import Operator
from tests.support.web import csrf_token

PASSWORD = "operator horse battery staple 7"


@dataclass(frozen=True)
class TestOperator:
    id: int
    email: str
    secret: str

    def code(self, offset_steps: int = 0) -> str:
        return totp.code_at(totp.decode_secret(self.secret), time.time() + offset_steps * totp.PERIOD)


async def make_operator(secret_key: str, *, enrolled: bool = True, role: str = "admin") -> TestOperator:
    """An operator (an ``admin`` unless ``role`` says otherwise), enrolled in TOTP unless ``enrolled`` is False."""
    operator = await create_operator(
        f"ops-{secrets.token_hex(4)}@example.com", "Olu Operator", PASSWORD, role
    )
    secret = totp.new_secret()
    if enrolled:
        await Operator.update(
            {
                Operator.totp_secret: seal_secret(secret, f"operator:{operator.id}", secret_key),
                Operator.totp_enabled_at: datetime.now(UTC),
            }
        ).where(Operator.id == operator.id)
    return TestOperator(operator.id, operator.email, secret)


async def ops_password(client: AsyncClient, operator: TestOperator, password: str = PASSWORD) -> Response:
    page = await client.get("/ops/login")
    return await client.post(
        "/ops/login", data={"email": operator.email, "password": password, "_csrf_token": csrf_token(page)}
    )


async def ops_sign_in(client: AsyncClient, operator: TestOperator) -> None:
    """Password, then a TOTP code: a fully signed-in operator session on ``client``."""
    response = await ops_password(client, operator)
    assert response.status_code == 303 and response.headers["location"] == "/ops/login/2fa", response.text
    page = await client.get("/ops/login/2fa")
    done = await client.post(
        "/ops/login/2fa", data={"code": operator.code(), "_csrf_token": csrf_token(page)}
    )
    assert done.status_code == 303 and done.headers["location"] == "/ops/", done.text
    client.headers["x-csrftoken"] = csrf_token(await client.get("/ops/"))


async def ops_post(client: AsyncClient, path: str, data: dict[str, str]) -> Response:
    page = await client.get("/ops/")
    return await client.post(path, data={**data, "_csrf_token": csrf_token(page)})
