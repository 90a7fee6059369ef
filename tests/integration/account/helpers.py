"""Driving the account pages over HTTP: enrolling 2FA, fresh TOTP codes, two-step sign-in, API keys."""

from __future__ import annotations

import re
import time

from httpx import AsyncClient, Response

from sampark.platform.identity import totp
from sampark.platform.identity.tables import User
from tests.support.web import Member, csrf_token, post_form

_SECRET = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')
_CODES = re.compile(r"<li><code>([a-z0-9-]+)</code></li>")
_KEY = re.compile(r'id="new-api-key">(sk_[A-Za-z0-9_-]+)<')


async def next_code(user_id: int, secret: str) -> str:
    """A TOTP code the server will take now: the current step, or the next one when it was used (no waiting).

    Never an older step: one that is still in the window here may have left it by the time the server checks.
    """
    row = await User.select(User.totp_last_step).where(User.id == user_id).first()
    last = row["totp_last_step"] if row else 0
    current = totp.step_at(time.time())
    step = max(last + 1, current)
    assert step <= current + totp.WINDOW, "every step in the window was used; the test signs in too often"
    return totp.hotp(totp.decode_secret(secret), step)


async def enrol(client: AsyncClient, member: Member) -> tuple[str, list[str]]:
    """Turn 2FA on for the signed-in ``member``; return the secret and the recovery codes shown."""
    await post_form(client, "/account/security", "/account/security/enrol", {})
    page = await client.get("/account/security")
    match = _SECRET.search(page.text)
    assert match, "the enrolment page shows no secret"
    secret = match.group(1).replace(" ", "")
    confirmed = await client.post(
        "/account/security/confirm",
        data={"code": await next_code(member.id, secret), "_csrf_token": csrf_token(page)},
    )
    assert confirmed.status_code == 200, confirmed.text
    codes = _CODES.findall(confirmed.text)
    assert len(codes) == 10
    return secret, codes


async def password_step(client: AsyncClient, member: Member, next_path: str = "") -> Response:
    data = {"email": member.email, "password": member.password}
    if next_path:
        data["next"] = next_path
    return await post_form(client, "/login", "/login", data)


async def second_step(client: AsyncClient, code: str) -> Response:
    return await post_form(client, "/login/2fa", "/login/2fa", {"code": code})


async def sign_in_2fa(client: AsyncClient, member: Member, secret: str) -> Response:
    first = await password_step(client, member)
    assert first.status_code == 303 and first.headers["location"] == "/login/2fa", first.text
    done = await second_step(client, await next_code(member.id, secret))
    assert done.status_code == 303, done.text
    return done


async def create_key(client: AsyncClient, slug: str, name: str, scopes: list[str]) -> Response:
    page = await client.get(f"/account/api-keys?tenant={slug}")
    return await client.post(
        "/account/api-keys",
        data={"tenant": slug, "name": name, "scopes": scopes, "_csrf_token": csrf_token(page)},
    )


def shown_key(response: Response) -> str:
    match = _KEY.search(response.text)
    assert match, f"no key on the page ({response.status_code})"
    return match.group(1)


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
