"""The id_token's full validation (OpenID Connect Core 3.1.3.7).

joserfc (Authlib's own JOSE library, which it depends on) verifies the signature against the provider's
published keys, and every claim is then checked here, explicitly: ``iss``, ``aud``, ``azp``, ``exp``, ``iat``,
``nbf``, ``nonce`` and ``sub``.
"""

from __future__ import annotations

import secrets
import time
from typing import Any, Final

from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError

from sampark.platform.identity.oidc import OidcError, ProviderMetadata, key_set

CLOCK_SKEW_S: Final = 60  # allowance for the provider's and our clocks disagreeing
MAX_IAT_AGE_S: Final = 10 * 60  # an id_token issued longer ago than this is stale, whatever its exp
# Asymmetric algorithms only: "none" and the HMAC family (keyed with the client secret) are refused.
ALGORITHMS: Final = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]


def _number(claims: dict[str, Any], name: str) -> float:
    value = claims.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise OidcError("invalid_id_token", f"{name} missing")
    return float(value)


def check_claims(
    claims: dict[str, Any], *, issuer: str, client_id: str, nonce: str, now: float, leeway: int = CLOCK_SKEW_S
) -> None:
    """Every claim rule of OpenID Connect Core 3.1.3.7 that applies to the code flow.

    Raises:
        OidcError: ``invalid_id_token`` naming the first rule broken (for logs, never for the page).
    """
    if claims.get("iss") != issuer:
        raise OidcError("invalid_id_token", "iss")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
    if client_id not in audiences:
        raise OidcError("invalid_id_token", "aud")
    azp = claims.get("azp")
    if (len(audiences) > 1 or azp is not None) and azp != client_id:
        raise OidcError("invalid_id_token", "azp")
    if _number(claims, "exp") + leeway <= now:
        raise OidcError("invalid_id_token", "exp")
    issued = _number(claims, "iat")
    if issued - leeway > now or now - issued > MAX_IAT_AGE_S + leeway:
        raise OidcError("invalid_id_token", "iat")
    if "nbf" in claims and _number(claims, "nbf") - leeway > now:
        raise OidcError("invalid_id_token", "nbf")
    if not nonce or not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise OidcError("invalid_id_token", "nonce")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise OidcError("invalid_id_token", "sub")


async def validate_id_token(
    raw: str,
    metadata: ProviderMetadata,
    *,
    client_id: str,
    nonce: str,
    now: float | None = None,
    leeway: int = CLOCK_SKEW_S,
) -> dict[str, Any]:
    """Verify the id_token's signature against the provider's keys, then its claims; return the claims.

    Raises:
        OidcError: ``invalid_id_token`` (bad signature, unknown key, wrong claims) or a metadata error.
    """
    keys = await key_set(metadata)
    try:
        try:
            token = jwt.decode(raw, keys, algorithms=ALGORITHMS)
        except InvalidKeyIdError:
            token = jwt.decode(raw, await key_set(metadata, fresh=True), algorithms=ALGORITHMS)
    except JoseError as error:
        raise OidcError("invalid_id_token", f"signature: {error.error}") from None
    except (ValueError, TypeError):
        raise OidcError("invalid_id_token", "malformed") from None
    claims = dict(token.claims)
    check_claims(
        claims,
        issuer=metadata.issuer,
        client_id=client_id,
        nonce=nonce,
        now=time.time() if now is None else now,
        leeway=leeway,
    )
    return claims
