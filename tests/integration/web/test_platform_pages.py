"""Health, readiness, metrics, security headers, CSRF, errors and the mail sink page."""

import smtplib
from email.message import EmailMessage
from urllib.parse import urlparse

from tests.support.web import PASSWORD, csrf_token


async def test_healthz_and_readyz(client) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ok"
    assert body["checks"]["postgres"]["ok"] and body["checks"]["redis"]["ok"]


async def test_every_response_carries_a_strict_csp_and_a_request_id(client) -> None:
    response = await client.get("/login")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert len(response.headers["x-request-id"]) >= 8
    echoed = await client.get("/healthz", headers={"X-Request-ID": "abcdef123456"})
    assert echoed.headers["x-request-id"] == "abcdef123456"


async def test_metrics_count_requests(client) -> None:
    await client.get("/healthz")
    metrics = await client.get("/metrics")
    assert metrics.status_code == 200
    assert 'requests_total{app_name="sampark",method="GET",path="/healthz",status_code="200"}' in metrics.text


async def test_unsafe_request_without_csrf_token_is_refused(client) -> None:
    await client.get("/login")  # the CSRF cookie alone is not enough
    refused = await client.post("/login", data={"email": "a@example.com", "password": PASSWORD})
    assert refused.status_code == 403
    assert "Your form expired" in refused.text
    api = await client.post("/login", data={"email": "a@example.com"}, headers={"accept": "application/json"})
    assert api.json()["error"]["code"] == "csrf_failed"


async def test_forged_csrf_token_is_refused(client) -> None:
    page = await client.get("/login")
    token = csrf_token(page)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    response = await client.post(
        "/login", data={"email": "a@example.com", "password": "x", "_csrf_token": forged}
    )
    assert response.status_code == 403


async def test_unknown_page_renders_a_translated_404_with_a_way_back(client) -> None:
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text and 'href="/"' in response.text
    # Unmatched routes go through the request context too: request id and the security headers.
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-request-id"]


async def test_mail_sink_page_lists_and_shows_messages(client, settings) -> None:
    parsed = urlparse(settings.smtp_url)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.com", "b@example.com", "Hello <sink>"
    message.set_content("Body of the test message")
    with smtplib.SMTP(parsed.hostname, parsed.port) as smtp:
        smtp.send_message(message)
    listing = await client.get("/ops/mail/")
    assert listing.status_code == 200
    assert "Hello &lt;sink&gt;" in listing.text
    message_id = listing.text.split('href="/ops/mail/')[1].split('"')[0]
    detail = await client.get(f"/ops/mail/{message_id}")
    assert "Body of the test message" in detail.text
    assert (await client.get("/ops/mail/..%2Fsecret_key")).status_code == 404
