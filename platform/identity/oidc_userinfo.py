"""The person's claims from the provider's userinfo endpoint, when the id_token does not carry them.

A strictly conforming provider (OpenID Connect Core 5.4) returns the claims of the ``email`` and ``profile``
scopes only from userinfo when an access token is issued; others (the large providers, oidc-provider-mock) put
them in the id_token too. We call userinfo only when the validated id_token lacks ``email`` or
``email_verified``, require its ``sub`` to be the id_token's (Core 5.3.2: otherwise the answer is about
someone else and must not be used), and merge: the id_token stays the authority for who signed in.
"""

from __future__ import annotations

import secrets
from typing import Any, Final

import httpx
import structlog

from sampark.platform.identity.oidc import HTTP_TIMEOUT_S, OidcError, ProviderMetadata, Tokens

log = structlog.get_logger(__name__)

# Claims userinfo supplies. email and email_verified travel as a pair: a verified flag from one source never
# vouches for an address from the other.
EMAIL_CLAIMS: Final = ("email", "email_verified")
PROFILE_CLAIMS: Final = ("name", "given_name", "family_name")


def needs_userinfo(claims: dict[str, Any]) -> bool:
    """Whether the id_token lacks what we need to know who the person is."""
    return any(name not in claims for name in EMAIL_CLAIMS)


async def fetch_userinfo(metadata: ProviderMetadata, access_token: str) -> dict[str, Any]:
    """GET the userinfo endpoint with the access token as a bearer token (RFC 6750 2.1); return its JSON.

    Raises:
        OidcError: ``userinfo_failed`` (no endpoint, unreachable, timeout, an HTTP error, or not a JSON
            object). The detail names the status or the exception type, never the token.
    """
    if metadata.userinfo_endpoint is None:
        raise OidcError("userinfo_failed", "the provider has no userinfo endpoint")
    headers = {"authorization": f"Bearer {access_token}", "accept": "application/json"}
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT_S, follow_redirects=False) as http:
            response = await http.get(metadata.userinfo_endpoint, headers=headers)
    except httpx.HTTPError as error:
        raise OidcError("userinfo_failed", type(error).__name__) from None
    if response.status_code != 200:
        raise OidcError("userinfo_failed", f"HTTP {response.status_code}")
    if not response.headers.get("content-type", "").lower().startswith("application/json"):
        raise OidcError("userinfo_failed", "not JSON (signed or encrypted userinfo is not supported)")
    try:
        document = response.json()
    except ValueError:
        raise OidcError("userinfo_failed", "malformed JSON") from None
    if not isinstance(document, dict):
        raise OidcError("userinfo_failed", "not an object")
    return document


def merge_userinfo(id_claims: dict[str, Any], userinfo: dict[str, Any]) -> dict[str, Any]:
    """The id_token's claims with the person's e-mail and name from userinfo.

    The id_token wins for ``sub`` and every other claim; userinfo supplies ``email`` with ``email_verified``
    (both from it, or neither) and the name claims it has.

    Raises:
        OidcError: ``userinfo_sub_mismatch`` when userinfo speaks about another subject (or none).
    """
    sub = userinfo.get("sub")
    if not isinstance(sub, str) or not secrets.compare_digest(sub.encode(), str(id_claims["sub"]).encode()):
        raise OidcError("userinfo_sub_mismatch", "userinfo sub differs from the id_token's")
    merged = {name: value for name, value in id_claims.items() if name not in EMAIL_CLAIMS}
    for name in (*EMAIL_CLAIMS, *PROFILE_CLAIMS):
        if name in userinfo:
            merged[name] = userinfo[name]
    return merged


async def person_claims(
    metadata: ProviderMetadata, tokens: Tokens, id_claims: dict[str, Any]
) -> dict[str, Any]:
    """The validated id_token's claims, completed from userinfo when they lack the e-mail claims.

    Without an access token or a userinfo endpoint, the id_token's claims are returned as they are (the
    sign-in is then refused for the missing address, ``email_unverified``).

    Raises:
        OidcError: ``userinfo_failed`` or ``userinfo_sub_mismatch``.
    """
    if not needs_userinfo(id_claims) or tokens.access_token is None or metadata.userinfo_endpoint is None:
        return id_claims
    userinfo = await fetch_userinfo(metadata, tokens.access_token)
    log.info("sso_userinfo_read", issuer=metadata.issuer, claims=sorted(userinfo))
    return merge_userinfo(id_claims, userinfo)
