"""Merging userinfo into the id_token's claims, and the RFC 9207 ``iss`` rule, one case at a time."""

from __future__ import annotations

import pytest

from sampark.platform.identity.oidc import OidcError, ProviderMetadata, Tokens, check_response_issuer
from sampark.platform.identity.oidc_userinfo import merge_userinfo, needs_userinfo

ID_CLAIMS = {"iss": "https://idp.example", "aud": "app", "sub": "u1", "nonce": "n"}


def _metadata(*, advertised: bool) -> ProviderMetadata:
    return ProviderMetadata(
        issuer="https://idp.example",
        authorization_endpoint="https://idp.example/auth",
        token_endpoint="https://idp.example/token",
        jwks_uri="https://idp.example/jwks",
        iss_parameter_supported=advertised,
    )


def test_userinfo_is_needed_only_when_the_id_token_lacks_an_email_claim() -> None:
    assert needs_userinfo(ID_CLAIMS)
    assert needs_userinfo({**ID_CLAIMS, "email": "a@example.com"})
    assert needs_userinfo({**ID_CLAIMS, "email_verified": True})
    assert not needs_userinfo({**ID_CLAIMS, "email": "a@example.com", "email_verified": False})


def test_userinfo_supplies_the_person_and_the_id_token_keeps_the_rest() -> None:
    merged = merge_userinfo(
        {**ID_CLAIMS, "name": "Old Name"},
        {"sub": "u1", "email": "a@example.com", "email_verified": True, "name": "Ann", "iss": "https://x"},
    )
    assert merged == {**ID_CLAIMS, "email": "a@example.com", "email_verified": True, "name": "Ann"}


def test_email_and_its_verified_flag_never_come_from_different_sources() -> None:
    merged = merge_userinfo({**ID_CLAIMS, "email_verified": True}, {"sub": "u1", "email": "b@example.com"})
    assert merged["email"] == "b@example.com" and "email_verified" not in merged


@pytest.mark.parametrize("userinfo", [{"sub": "u2"}, {"sub": "U1"}, {"sub": 1}, {}], ids=str)
def test_userinfo_about_another_subject_is_refused(userinfo: dict[str, object]) -> None:
    with pytest.raises(OidcError) as refused:
        merge_userinfo(ID_CLAIMS, {**userinfo, "email": "a@example.com", "email_verified": True})
    assert refused.value.code == "userinfo_sub_mismatch"


@pytest.mark.parametrize("advertised", [True, False])
def test_the_right_iss_passes_and_a_missing_one_only_when_not_advertised(advertised: bool) -> None:
    check_response_issuer(_metadata(advertised=advertised), "https://idp.example")
    if advertised:
        with pytest.raises(OidcError, match="issuer_mismatch"):
            check_response_issuer(_metadata(advertised=True), None)
    else:
        check_response_issuer(_metadata(advertised=False), None)


@pytest.mark.parametrize("iss", ["https://evil.example", "https://idp.example/", "https://IDP.example"])
@pytest.mark.parametrize("advertised", [True, False])
def test_a_different_iss_is_refused_advertised_or_not(iss: str, advertised: bool) -> None:
    with pytest.raises(OidcError) as refused:
        check_response_issuer(_metadata(advertised=advertised), iss)
    assert refused.value.code == "issuer_mismatch"


def test_the_access_token_stays_out_of_reprs() -> None:
    assert "s3cret-token" not in repr(Tokens("header.payload.signature", "s3cret-token"))
