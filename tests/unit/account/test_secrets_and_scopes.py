"""Pure pieces of account security: sealed TOTP secrets, reset tokens, key scopes, the Bearer exemption."""

from __future__ import annotations

import pytest

from sampark.platform.identity.apikeys import generate_key, key_digest, requested_scopes
from sampark.platform.identity.reset import token_digest, token_for
from sampark.platform.identity.session_list import describe_user_agent
from sampark.platform.identity.two_factor import open_secret, seal_secret
from sampark.web.account.tenant_access import bearer_token, has_session_cookie, intersect

KEY = "k" * 48


def test_a_sealed_secret_opens_only_for_its_user_and_key() -> None:
    sealed = seal_secret("JBSWY3DPEHPK3PXP", 7, KEY)
    assert "JBSWY3DPEHPK3PXP" not in sealed and sealed != seal_secret("JBSWY3DPEHPK3PXP", 7, KEY)
    assert open_secret(sealed, 7, KEY) == "JBSWY3DPEHPK3PXP"
    assert open_secret(sealed, 8, KEY) is None  # moved to another user
    assert open_secret(sealed, 7, "z" * 48) is None  # another secret key
    assert open_secret(sealed[:-4] + "AAAA", 7, KEY) is None  # tampered
    assert open_secret("", 7, KEY) is None


def test_reset_tokens_derive_from_nonce_and_key() -> None:
    token = token_for("nonce-1", KEY)
    assert token == token_for("nonce-1", KEY)
    assert token != token_for("nonce-2", KEY) and token != token_for("nonce-1", "z" * 48)
    assert len(token) == 43 and token_digest(token) != token


def test_keys_are_long_random_and_hashed() -> None:
    key = generate_key()
    assert key.startswith("sk_") and len(key) == 46 and key != generate_key()
    assert len(key_digest(key)) == 64


def test_requested_scopes_from_a_form() -> None:
    assert requested_scopes(["contacts:view", "contacts:create", "deals:view", "junk", ":x"]) == {
        "contacts": {"view": "all", "create": "all"},
        "deals": {"view": "all"},
    }


def test_the_effective_permission_is_the_narrower_scope() -> None:
    role = {"contacts": {"view": "own", "create": "own", "delete": "all"}, "deals": {"view": "team"}}
    key = {"contacts": {"view": "all", "delete": "own"}, "deals": {"view": "all"}, "reports": {"view": "all"}}
    assert intersect(role, key) == {"contacts": {"view": "own", "delete": "own"}, "deals": {"view": "team"}}


def _scope(path: str, headers: dict[str, str]) -> dict:
    return {
        "type": "http",
        "path": path,
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }


@pytest.mark.parametrize(
    ("path", "headers", "token"),
    [
        ("/t/acme/api/v1/contacts/", {"Authorization": "Bearer sk_abc"}, "sk_abc"),
        ("/t/acme/api/v1/contacts/", {"Authorization": "bearer   sk_abc "}, "sk_abc"),
        ("/t/acme/api/v1/contacts/", {"Authorization": "Basic dXNlcjpwYXNz"}, None),
        ("/t/acme/api/v1/contacts/", {}, None),
        ("/t/acme/contacts/", {"Authorization": "Bearer sk_abc"}, None),  # pages never take keys
        ("/login", {"Authorization": "Bearer sk_abc"}, None),
    ],
)
def test_bearer_tokens_are_read_on_the_tenant_api_only(
    path: str, headers: dict[str, str], token: str | None
) -> None:
    assert bearer_token(_scope(path, headers)) == token


def test_a_session_cookie_is_recognised_among_others() -> None:
    assert has_session_cookie(_scope("/", {"Cookie": "a=1; sampark_session=xyz; b=2"}))
    assert not has_session_cookie(_scope("/", {"Cookie": "sampark_csrf=abc; not_sampark_session=1"}))
    assert not has_session_cookie(_scope("/", {}))


@pytest.mark.parametrize(
    ("user_agent", "shown"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge · Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
            "Safari · macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
            "Chrome · Android",
        ),
        ("curl/8.5.0", "curl/8.5.0"),
        ("", ""),
    ],
)
def test_user_agents_are_summarised(user_agent: str, shown: str) -> None:
    assert describe_user_agent(user_agent) == shown
