"""Operator sign-in: password then a mandatory TOTP code (enrolled at first sign-in), rate limits, CSRF, and
sessions that never cross over to tenant pages (nor tenant users' sessions to the console)."""

from __future__ import annotations

import re

from httpx import ASGITransport, AsyncClient
from litestar import Litestar

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.identity import totp
from sampark.platform.operators.accounts import set_operator_active
from sampark.web.app import create_app
from tests.integration.operators.support import make_operator, ops_password, ops_sign_in
from tests.support.web import csrf_token, make_member, sign_in


async def test_no_console_without_the_second_factor(client: AsyncClient, app: Litestar) -> None:
    operator = await make_operator(app.state.settings.secret_key)
    assert (await client.get("/ops/")).headers["location"] == "/ops/login"

    after_password = await ops_password(client, operator)
    assert after_password.headers["location"] == "/ops/login/2fa"
    # Half signed in: every console page still sends the browser back to sign in.
    for path in ("/ops/", "/ops/tenants/anything", "/ops/tenants/anything/contacts"):
        response = await client.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/ops/login", path

    page = await client.get("/ops/login/2fa")
    wrong = await client.post("/ops/login/2fa", data={"code": "000000", "_csrf_token": csrf_token(page)})
    assert wrong.status_code == 400
    assert (await client.get("/ops/")).status_code == 303

    good = await client.post(
        "/ops/login/2fa", data={"code": operator.code(), "_csrf_token": csrf_token(page)}
    )
    assert good.status_code == 303
    assert (await client.get("/ops/")).status_code == 200
    actions = [
        row["action"]
        for row in await OperatorAudit.select(OperatorAudit.action).where(
            OperatorAudit.actor == operator.email
        )
    ]
    assert "operator.login" in actions


async def test_wrong_password_is_refused_and_audited(client: AsyncClient, app: Litestar) -> None:
    operator = await make_operator(app.state.settings.secret_key)
    response = await ops_password(client, operator, "not the password at all")
    assert response.status_code == 400
    assert (await client.get("/ops/")).status_code == 303
    rows = await OperatorAudit.select(OperatorAudit.action).where(OperatorAudit.actor == operator.email)
    assert [row["action"] for row in rows] == ["operator.login_failed"]


async def test_first_sign_in_enrols_totp(client: AsyncClient, app: Litestar) -> None:
    operator = await make_operator(app.state.settings.secret_key, enrolled=False)
    response = await ops_password(client, operator)
    assert response.headers["location"] == "/ops/login/enrol"
    page = await client.get("/ops/login/enrol")
    assert page.headers["cache-control"] == "no-store"
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    assert (await client.get("/ops/")).status_code == 303
    bad = await client.post("/ops/login/enrol", data={"code": "123456", "_csrf_token": csrf_token(page)})
    assert bad.status_code == 400
    code = totp.code_at(totp.decode_secret(secret), __import__("time").time())
    codes = await client.post("/ops/login/enrol", data={"code": code, "_csrf_token": csrf_token(page)})
    assert codes.status_code == 200 and 'id="recovery-codes"' in codes.text
    # Not in the console before confirming the recovery codes are saved (tests/.../test_recovery_codes.py).
    assert (await client.get("/ops/")).status_code == 303
    done = await client.post("/ops/login/codes", data={"saved": "1", "_csrf_token": csrf_token(codes)})
    assert done.status_code == 303 and done.headers["location"] == "/ops/"
    assert (await client.get("/ops/")).status_code == 200


async def test_sessions_do_not_cross(client: AsyncClient, app: Litestar, tenant) -> None:
    member = await make_member(tenant)
    await sign_in(client, member)
    assert (await client.get(f"/t/{tenant.slug}/")).status_code == 200
    # A tenant user's session is not an operator's.
    assert (await client.get("/ops/")).headers["location"] == "/ops/login"

    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as ops_client:
        operator = await make_operator(app.state.settings.secret_key)
        await ops_sign_in(ops_client, operator)
        assert (await ops_client.get("/ops/")).status_code == 200
        # An operator is nobody inside a tenant: its pages ask for a member sign-in.
        response = await ops_client.get(f"/t/{tenant.slug}/")
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
        # Even with the operator's session id presented as the tenant session cookie.
        ops_id = ops_client.cookies.get("sampark_ops")
        assert ops_id
        forged = await ops_client.get(f"/t/{tenant.slug}/contacts/", cookies={"sampark_session": ops_id})
        assert forged.status_code == 303
        # And the other way round: a member's session id as the operator cookie.
        member_id = client.cookies.get("sampark_session")
        ops_client.cookies.clear()
        stolen = await ops_client.get("/ops/", cookies={"sampark_ops": member_id})
        assert stolen.headers["location"] == "/ops/login"


async def test_a_disabled_operator_is_signed_out(client: AsyncClient, app: Litestar) -> None:
    operator = await make_operator(app.state.settings.secret_key)
    await ops_sign_in(client, operator)
    await set_operator_active(operator.email, False)
    assert (await client.get("/ops/")).headers["location"] == "/ops/login"


async def test_login_is_rate_limited(database) -> None:
    app = create_app(database.with_overrides(login_attempts_per_minute=2))
    for hook in app.on_startup:
        await hook(app)
    try:
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://testserver") as client:
            operator = await make_operator(app.state.settings.secret_key)
            statuses = [
                (await ops_password(client, operator, "wrong password here")).status_code for _ in range(3)
            ]
            assert statuses == [400, 400, 429]
            limited = await ops_password(client, operator)  # even the right password waits now
            assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    finally:
        for hook in app.on_shutdown:
            await hook(app)


async def test_unsafe_requests_need_the_csrf_token(client: AsyncClient, app: Litestar, tenant) -> None:
    operator = await make_operator(app.state.settings.secret_key)
    await client.get("/ops/login")
    refused = await client.post("/ops/login", data={"email": operator.email, "password": "x"})
    assert refused.status_code == 403
    await ops_sign_in(client, operator)
    client.headers.pop("x-csrftoken")
    for path, data in (
        (f"/ops/tenants/{tenant.slug}/elevate", {"reason": "ticket 1"}),
        (f"/ops/tenants/{tenant.slug}/status", {"status": "suspended", "status_reason": "x"}),
        ("/ops/logout", {}),
    ):
        assert (await client.post(path, data=data)).status_code == 403, path


async def test_mail_sink_needs_an_operator_off_this_machine(app: Litestar) -> None:
    assert app.state.settings.mail_sink_dir is not None, "the test services run the embedded mail sink"
    remote = ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with AsyncClient(transport=remote, base_url="http://testserver") as client:
        response = await client.get("/ops/mail/")
        assert response.status_code == 303 and response.headers["location"] == "/ops/login"
        await ops_sign_in(client, await make_operator(app.state.settings.secret_key))
        assert (await client.get("/ops/mail/")).status_code == 200
    local = ASGITransport(app=app, client=("127.0.0.1", 40000))
    async with AsyncClient(transport=local, base_url="http://testserver") as client:
        assert (await client.get("/ops/mail/")).status_code == 200  # the one-machine demo tour
