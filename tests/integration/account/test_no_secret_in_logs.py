"""No secret appears in any log line: each flow that handles one runs with every log line captured at DEBUG.

What is captured is what the process would write: every structlog line as rendered (after the redaction
processor; the web access log is one of them) and every standard-library record (ours and the libraries':
httpx, asyncpg, Dramatiq, Authlib ...) formatted by the app's own handler. Each flow returns the secret values
it handled; none may occur in the captured text. Table-driven: one flow per row.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import structlog
from httpx import AsyncClient

from sampark.platform.logging import StderrLogger, configure_logging
from sampark.platform.tenancy.context import TenantRecord
from sampark.web.sessions import COOKIE_NAME
from tests.integration.account.helpers import (
    bearer,
    create_key,
    enrol,
    next_code,
    password_step,
    second_step,
    shown_key,
)
from tests.integration.admin.conftest import deliver_mail, link_token, mails_to  # noqa: F401  (fixture)
from tests.integration.sso.conftest import provider  # noqa: F401  (fixture: a real OIDC provider process)
from tests.integration.sso.helpers import consent, local, start
from tests.support.web import csrf_token, make_member, post_form, sign_in

_RESET_LINK = re.compile(r"/password/reset/([A-Za-z0-9_-]+)")


@dataclass
class Captured:
    lines: list[str] = field(default_factory=list)
    paused: bool = False

    def add(self, line: str) -> None:
        if not self.paused:
            self.lines.append(line)

    @contextmanager
    def outside_the_app(self) -> Iterator[None]:
        """While the test plays the browser at the OIDC provider: that client's log is not the app's."""
        self.paused = True
        try:
            yield
        finally:
            self.paused = False

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class _Tee(logging.Handler):
    def __init__(self, sink: Captured, formatter: logging.Formatter | None) -> None:
        super().__init__(logging.DEBUG)
        self.sink = sink
        self.setFormatter(formatter)

    def emit(self, record: logging.LogRecord) -> None:
        # The test's own browser (httpx over ASGI) logs the URLs it requests: that is the client's log, not
        # the app's. The app's own outgoing requests (OIDC discovery, token, JWKS) go to other hosts and stay.
        if record.name == "httpx" and "http://testserver" in record.getMessage():
            return
        self.sink.add(self.format(record))


@pytest.fixture
def captured(settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Captured]:
    """Every log line as the app would write it, at DEBUG, for the duration of one test."""
    sink = Captured()
    configure_logging("DEBUG")
    real = logging.getLogger().handlers[0]
    tee = _Tee(sink, real.formatter)
    logging.getLogger().addHandler(tee)
    # Every structlog line ends in StderrLogger (loggers are not cached): capture there, after rendering.
    original = StderrLogger.msg

    def msg(self: StderrLogger, message: str) -> None:
        sink.add(str(message))
        original(self, message)

    for name in (
        "msg",
        "debug",
        "info",
        "warning",
        "warn",
        "error",
        "err",
        "critical",
        "exception",
        "fatal",
        "log",
    ):
        monkeypatch.setattr(StderrLogger, name, msg, raising=False)
    yield sink
    logging.getLogger().removeHandler(tee)
    configure_logging(settings.log_level)


@dataclass
class Flow:
    tenant: TenantRecord
    new_client: Callable[[], AsyncClient]
    app: Any
    settings: Any
    mails: Callable[[str], list[Any]]
    fixtures: dict[str, Any]
    secrets: list[str] = field(default_factory=list)

    def keep(self, *values: str | None) -> None:
        self.secrets.extend(value for value in values if value)

    def keep_session(self, client: AsyncClient) -> None:
        self.keep(client.cookies.get(COOKIE_NAME), client.cookies.get("sampark_csrf"))


async def _password_sign_in(flow: Flow) -> None:
    member = await make_member(flow.tenant)
    wrong = "wrong-" + secrets.token_urlsafe(12)
    browser = flow.new_client()
    refused = await post_form(browser, "/login", "/login", {"email": member.email, "password": wrong})
    assert refused.status_code == 400
    await sign_in(browser, member)
    assert (await browser.get(f"/t/{flow.tenant.slug}/")).status_code == 200
    flow.keep(member.password, wrong)
    flow.keep_session(browser)


async def _password_reset(flow: Flow) -> None:
    member = await make_member(flow.tenant)
    browser = flow.new_client()
    await post_form(browser, "/password/forgot", "/password/forgot", {"email": member.email})
    await flow.fixtures["deliver_reset_mails"]()
    [message] = flow.mails(member.email)
    token = _RESET_LINK.search(message.body).group(1)  # type: ignore[union-attr]
    new_password = "a reset passphrase " + secrets.token_hex(4)
    form = await browser.get(f"/password/reset/{token}")
    done = await browser.post(
        f"/password/reset/{token}", data={"password": new_password, "_csrf_token": csrf_token(form)}
    )
    assert done.status_code == 303, done.text
    flow.keep(token, new_password)
    flow.keep_session(browser)


async def _invitation(flow: Flow) -> None:
    admin = await make_member(flow.tenant, "admin")
    browser = flow.new_client()
    await sign_in(browser, admin)
    email = f"invitee-{secrets.token_hex(4)}@example.com"
    url = f"/t/{flow.tenant.slug}/admin/users/"
    assert (
        await post_form(browser, url, f"{url}invite", {"email": email, "role": "sales"})
    ).status_code == 303
    await flow.fixtures["deliver_mail"]()
    token = link_token(mails_to(flow.settings, email)[0])
    password = "an invited passphrase " + secrets.token_hex(4)
    invitee = flow.new_client()
    joined = await post_form(
        invitee, f"/invitations/{token}", f"/invitations/{token}", {"full_name": "Ina", "password": password}
    )
    assert joined.status_code == 303, joined.text
    flow.keep(token, password)
    flow.keep_session(invitee)


async def _api_key(flow: Flow) -> None:
    member = await make_member(flow.tenant)
    browser = flow.new_client()
    await sign_in(browser, member)
    key = shown_key(await create_key(browser, flow.tenant.slug, "script", ["contacts:view"]))
    script = flow.new_client()
    api = f"/t/{flow.tenant.slug}/api/v1/contacts"
    assert (await script.get(api, headers=bearer(key))).status_code == 200
    wrong = "sk_" + secrets.token_urlsafe(32)
    assert (await script.get(api, headers=bearer(wrong))).status_code == 401
    flow.keep(key, wrong)
    flow.keep_session(browser)


async def _two_factor(flow: Flow) -> None:
    member = await make_member(flow.tenant)
    setup = flow.new_client()
    await sign_in(setup, member)
    secret, codes = await enrol(setup, member)
    browser = flow.new_client()
    await password_step(browser, member)
    flow.keep_session(browser)  # the half-signed session
    code = await next_code(member.id, secret)
    assert (await second_step(browser, "000000" if code != "000000" else "111111")).status_code == 400
    assert (await second_step(browser, code)).status_code == 303
    other = flow.new_client()
    await password_step(other, member)
    assert (await second_step(other, codes[0])).status_code == 303
    flow.keep(secret, codes[0], *codes[1:], member.password)
    flow.keep_session(browser)
    flow.keep_session(other)
    flow.fixtures["codes"] = [code]


async def _sso(flow: Flow) -> None:
    oidc_provider = flow.fixtures["provider"]
    admin = await make_member(flow.tenant, "admin")
    browser = flow.new_client()
    await sign_in(browser, admin)
    client_secret = "cs-" + secrets.token_urlsafe(24)
    url = f"/t/{flow.tenant.slug}/admin/sso"
    form = {
        "issuer": oidc_provider.url,
        "client_id": "sampark-app",
        "client_secret": client_secret,
        "default_role": "sales",
        "allowed_domains": "",
    }
    assert (await post_form(browser, url, url, form)).status_code == 303
    person = flow.new_client()
    oidc_provider.set_user("sam", email=f"s-{secrets.token_hex(3)}@example.com", email_verified=True)
    authorize = await start(person, flow.tenant.slug)
    with flow.fixtures["captured"].outside_the_app():
        back = await consent(authorize, "sam")
    query = parse_qs(urlsplit(back).query)
    done = await person.get(local(back))
    assert done.status_code == 303, done.text
    flow.keep(client_secret, query["code"][0], query["state"][0])
    flow.keep_session(person)


FLOWS: dict[str, Callable[[Flow], Awaitable[None]]] = {
    "password sign-in, failed sign-in, session ids": _password_sign_in,
    "password reset token and new password": _password_reset,
    "invitation token and the invitee's password": _invitation,
    "API key and a wrong key": _api_key,
    "TOTP secret, codes and recovery codes": _two_factor,
    "SSO client secret, authorization code and state": _sso,
}


def _leaks(text: str, values: list[str]) -> list[str]:
    found = []
    for value in values:
        if (
            value.isdigit()
        ):  # a six-digit code: not as part of a longer number (timestamps carry microseconds)
            if re.search(rf"(?<![0-9.]){value}(?![0-9])", text):
                found.append(value)
        elif value in text:
            found.append(value)
    return found


@pytest.mark.parametrize("name", list(FLOWS))
async def test_no_secret_in_any_log_line(
    name,
    app,
    settings,
    tenant,
    new_client,
    mails,
    deliver_reset_mails,
    deliver_mail,  # noqa: F811  (the fixture imported above)
    provider,  # noqa: F811
    captured,
) -> None:
    flow = Flow(
        tenant,
        new_client,
        app,
        settings,
        mails,
        {
            "deliver_reset_mails": deliver_reset_mails,
            "deliver_mail": deliver_mail,
            "provider": provider,
            "captured": captured,
        },
    )
    await FLOWS[name](flow)
    flow.keep(*flow.fixtures.get("codes", []))
    assert len(flow.secrets) >= 2
    assert any('"http.request"' in line for line in captured.lines)  # the access log was captured
    leaked = _leaks(captured.text, flow.secrets)
    assert leaked == [], [line[:600] for line in captured.lines if any(v in line for v in leaked)]


def test_the_capture_would_see_a_leak(captured) -> None:
    """The check is real: a secret a logger did write is found."""
    leaked = secrets.token_urlsafe(16)
    structlog.get_logger("leak-check").info("oops", note=f"value {leaked}")
    logging.getLogger("leak-check").debug("stdlib %s", leaked)
    assert _leaks(captured.text, [leaked]) == [leaked]
    assert sum(leaked in line for line in captured.lines) == 2
