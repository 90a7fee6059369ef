"""The id_token claim rules and the issuer URL rule, one broken rule at a time."""

from __future__ import annotations

import pytest

from sampark.platform.identity.oidc import OidcError, issuer_problem
from sampark.platform.identity.oidc_id_token import check_claims
from sampark.platform.identity.sealing import seal, unseal

NOW = 1_800_000_000.0
GOOD = {"iss": "https://idp.example", "aud": "app", "sub": "u1", "iat": NOW, "exp": NOW + 300, "nonce": "n"}


def _check(**changes: object) -> None:
    claims = {**GOOD, **changes}
    check_claims(
        {k: v for k, v in claims.items() if v is not None},
        issuer="https://idp.example",
        client_id="app",
        nonce="n",
        now=NOW,
        leeway=60,
    )


def test_a_good_token_passes() -> None:
    _check()
    _check(aud=["app"], exp=NOW - 30)  # within the clock-skew allowance


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"iss": "https://evil.example"}, "iss"),
        ({"aud": "other"}, "aud"),
        ({"aud": ["app", "other"]}, "azp"),  # several audiences need azp naming us
        ({"azp": "other"}, "azp"),
        ({"exp": NOW - 61}, "exp"),
        ({"exp": None}, "exp"),
        ({"iat": NOW + 120}, "iat"),  # issued in the future
        ({"iat": NOW - 3600}, "iat"),  # stale
        ({"nbf": NOW + 120}, "nbf"),
        ({"nonce": "other"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"sub": ""}, "sub"),
    ],
)
def test_each_rule_refuses(changes: dict[str, object], rule: str) -> None:
    with pytest.raises(OidcError) as refused:
        _check(**changes)
    assert refused.value.code == "invalid_id_token" and str(refused.value).split(": ")[1].split()[0] == rule


def test_several_audiences_with_our_azp_pass() -> None:
    _check(aud=["app", "other"], azp="app")


@pytest.mark.parametrize(
    ("issuer", "problem"),
    [
        ("https://idp.example", None),
        ("https://idp.example/realms/acme", None),
        ("http://127.0.0.1:9400", None),
        ("http://localhost:9400", None),
        ("http://idp.example", "issuer_not_https"),
        ("ftp://idp.example", "issuer_not_https"),
        ("https://idp.example/?x=1", "issuer_invalid"),
        ("https://user:pw@idp.example", "issuer_invalid"),
        ("not a url", "issuer_invalid"),
    ],
)
def test_issuer_urls(issuer: str, problem: str | None) -> None:
    assert issuer_problem(issuer) == problem


def test_sealed_values_open_only_with_the_same_key_purpose_and_binding() -> None:
    sealed = seal("s3cret", purpose="p", bound_to="1", secret_key="k")
    assert "s3cret" not in sealed and unseal(sealed, purpose="p", bound_to="1", secret_key="k") == "s3cret"
    assert unseal(sealed, purpose="p", bound_to="2", secret_key="k") is None
    assert unseal(sealed, purpose="q", bound_to="1", secret_key="k") is None
    assert unseal(sealed, purpose="p", bound_to="1", secret_key="other") is None
    assert unseal("", purpose="p", bound_to="1", secret_key="k") is None
