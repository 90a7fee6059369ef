"""Operator recovery codes: shown once at enrolment, confirmed saved, each signs in once, rate limited,
renewed from the console with a current TOTP code, stored as digests only, and audited."""

from __future__ import annotations

import re
import time

from httpx import AsyncClient, Response
from litestar import Litestar

from sampark.platform.audit.tables import OperatorAudit
from sampark.platform.identity import totp
from sampark.platform.operators.accounts import OPERATOR_CODES, renew_recovery_codes
from sampark.platform.operators.tables import OperatorRecoveryCode
from tests.integration.operators.support import TestOperator, make_operator, ops_password, ops_sign_in
from tests.support.web import csrf_token

CODE = re.compile(r"<li><code>([a-z0-9-]+)</code></li>")


def _codes(page: Response) -> list[str]:
    return CODE.findall(page.text)


async def _audit(operator: TestOperator, action: str) -> list[dict]:
    return (
        await OperatorAudit.select(OperatorAudit.details)
        .where((OperatorAudit.actor == operator.email) & (OperatorAudit.action == action))
        .order_by(OperatorAudit.id)
        .output(load_json=True)
    )


async def _second_step(client: AsyncClient, operator: TestOperator, code: str) -> Response:
    """Sign out, give the password, then ``code`` at the second step."""
    client.cookies.clear()
    client.headers.pop("x-csrftoken", None)
    assert (await ops_password(client, operator)).headers["location"] == "/ops/login/2fa"
    page = await client.get("/ops/login/2fa")
    return await client.post("/ops/login/2fa", data={"code": code, "_csrf_token": csrf_token(page)})


async def test_enrolment_shows_codes_once_and_each_signs_in_once(client: AsyncClient, app: Litestar) -> None:
    operator = await make_operator(app.state.settings.secret_key, enrolled=False)
    await ops_password(client, operator)
    page = await client.get("/ops/login/enrol")
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    code = totp.code_at(totp.decode_secret(secret), time.time())
    shown = await client.post("/ops/login/enrol", data={"code": code, "_csrf_token": csrf_token(page)})
    assert shown.status_code == 200 and shown.headers["cache-control"] == "no-store"
    first_batch = _codes(shown)
    assert len(first_batch) == 10 and len(set(first_batch)) == 10

    # Not confirmed: no console, and the codes are replaced (they are never shown a second time).
    assert (await client.get("/ops/")).status_code == 303
    unticked = await client.post("/ops/login/codes", data={"_csrf_token": csrf_token(shown)})
    assert unticked.status_code == 400
    codes = _codes(unticked)
    assert len(codes) == 10 and not set(codes) & set(first_batch)
    done = await client.post("/ops/login/codes", data={"saved": "1", "_csrf_token": csrf_token(unticked)})
    assert done.status_code == 303 and done.headers["location"] == "/ops/"
    account = await client.get("/ops/account")
    assert account.status_code == 200 and not any(c in account.text for c in codes)
    assert '<dd id="recovery-codes-left">10</dd>' in account.text

    # Stored as digests only.
    stored = [
        row["code_hash"]
        for row in await OperatorRecoveryCode.select(OperatorRecoveryCode.code_hash).where(
            OperatorRecoveryCode.operator == operator.id
        )
    ]
    assert len(stored) == 10
    plain = {c for c in codes + first_batch} | {c.replace("-", "") for c in codes + first_batch}
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in stored)
    assert not any(p in digest for p in plain for digest in stored)

    # A code signs in once, typed in capitals and without dashes too; then it is spent.
    used = await _second_step(client, operator, codes[0].upper().replace("-", " "))
    assert used.status_code == 303 and used.headers["location"] == "/ops/"
    console = await client.get("/ops/")
    assert "Recovery codes left: 9" in console.text
    again = await _second_step(client, operator, codes[0])
    assert again.status_code == 400
    assert (await client.get("/ops/")).status_code == 303
    old = await _second_step(client, operator, first_batch[1])
    assert old.status_code == 400

    assert [row["details"]["remaining"] for row in await _audit(operator, "operator.recovery_code_used")] == [
        9
    ]


async def test_renewal_needs_a_current_totp_code_and_replaces_old_codes(
    client: AsyncClient, app: Litestar
) -> None:
    operator = await make_operator(app.state.settings.secret_key)
    old_codes = await renew_recovery_codes(operator.id)
    await ops_sign_in(client, operator)
    page = await client.get("/ops/account")
    refused = await client.post(
        "/ops/account/recovery-codes", data={"code": "000000", "_csrf_token": csrf_token(page)}
    )
    assert refused.status_code == 400 and 'id="recovery-codes"' not in refused.text
    # A recovery code is not a TOTP code: one stolen code must not become ten.
    with_recovery = await client.post(
        "/ops/account/recovery-codes", data={"code": old_codes[0], "_csrf_token": csrf_token(page)}
    )
    assert with_recovery.status_code == 400
    renewed = await client.post(
        "/ops/account/recovery-codes", data={"code": operator.code(1), "_csrf_token": csrf_token(page)}
    )
    assert renewed.status_code == 200 and renewed.headers["cache-control"] == "no-store"
    new_codes = _codes(renewed)
    assert len(new_codes) == 10
    assert not await OPERATOR_CODES.use(operator.id, old_codes[1])
    assert await OPERATOR_CODES.use(operator.id, new_codes[1])
    assert [
        row["details"]["remaining"] for row in await _audit(operator, "operator.recovery_codes_renewed")
    ] == [10]


async def test_recovery_codes_share_the_code_rate_limit(client: AsyncClient, app: Litestar) -> None:
    operator = await make_operator(app.state.settings.secret_key)
    codes = await renew_recovery_codes(operator.id)
    for attempt in range(5):
        wrong = await _second_step(client, operator, f"aaaa-bbbb-ccc{attempt + 2}")
        assert wrong.status_code == 400
    limited = await _second_step(client, operator, codes[0])  # even a good code waits now
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert await OPERATOR_CODES.use(operator.id, codes[0])  # the refused attempt did not spend it


async def test_the_console_warns_when_no_codes_are_left(client: AsyncClient, app: Litestar) -> None:
    operator = await make_operator(app.state.settings.secret_key)
    codes = await renew_recovery_codes(operator.id)
    await ops_sign_in(client, operator)
    assert 'id="no-recovery-codes"' not in (await client.get("/ops/")).text
    for code in codes:
        assert await OPERATOR_CODES.use(operator.id, code)
    warned = await client.get("/ops/")
    assert 'id="no-recovery-codes"' in warned.text and 'href="/ops/account"' in warned.text
