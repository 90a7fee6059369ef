"""The OpenID Connect relying party: discovery, the authorization request with PKCE, the authorization
response's issuer (RFC 9207) and the code exchange. The id_token's validation is
``sampark.platform.identity.oidc_id_token``.

Authlib speaks the OAuth 2 protocol (authorization URL, PKCE S256, client authentication at the token
endpoint). Discovery documents and key sets are cached per issuer with a TTL; an unknown ``kid`` refetches the
key set once (providers rotate keys).
"""

from __future__ import annotations

import base64
import ipaddress
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import quote, urlsplit

import httpx
import structlog
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

log = structlog.get_logger(__name__)

DISCOVERY_TTL_S: Final = 3600
JWKS_TTL_S: Final = 3600
HTTP_TIMEOUT_S: Final = 5.0
SCOPES: Final = "openid email profile"


class OidcError(Exception):
    """The provider or its answer is unusable. ``code`` is stable (pages translate it); the text is for logs."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    token_auth_methods: tuple[str, ...] = ("client_secret_basic",)
    userinfo_endpoint: str | None = None
    # RFC 9207: the provider puts ``iss`` in every authorization response.
    iss_parameter_supported: bool = False

    @property
    def token_auth_method(self) -> str:
        for method in ("client_secret_basic", "client_secret_post"):
            if method in self.token_auth_methods:
                return method
        return "client_secret_basic"


@dataclass(frozen=True)
class PendingLogin:
    """What the browser's session keeps between the redirect to the provider and the callback."""

    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class Tokens:
    """What the token endpoint answered: the raw id_token, and the access token when there is one."""

    id_token: str
    access_token: str | None = field(default=None, repr=False)  # a bearer secret: never in a repr or log


@dataclass
class _Cache:
    discovery: dict[str, tuple[float, ProviderMetadata]] = field(default_factory=dict)
    jwks: dict[str, tuple[float, KeySet]] = field(default_factory=dict)


_cache = _Cache()


def clear_caches() -> None:
    _cache.discovery.clear()
    _cache.jwks.clear()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def issuer_problem(issuer: str) -> str | None:
    """Why ``issuer`` is not an acceptable issuer URL (a code), or None.

    HTTPS only; plain HTTP is allowed for loopback addresses (a provider on this machine, as in tests).
    """
    try:
        parts = urlsplit(issuer)
    except ValueError:
        return "issuer_invalid"
    if not parts.hostname or parts.query or parts.fragment or parts.username or parts.password:
        return "issuer_invalid"
    if parts.scheme == "https" or (parts.scheme == "http" and _is_loopback(parts.hostname)):
        return None
    return "issuer_not_https"


def _same_issuer(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def _endpoint(document: dict[str, Any], name: str) -> str:
    value = document.get(name)
    if not isinstance(value, str) or issuer_problem(value.split("?")[0]) is not None:
        raise OidcError("metadata_invalid", f"{name} missing or not https")
    return value


async def _get_json(url: str) -> Any:
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT_S, follow_redirects=False) as http:
            response = await http.get(url, headers={"accept": "application/json"})
    except httpx.HTTPError as error:
        raise OidcError("provider_unreachable", type(error).__name__) from None
    if response.status_code != 200:
        raise OidcError("provider_unreachable", f"HTTP {response.status_code} from {url}")
    try:
        return response.json()
    except ValueError:
        raise OidcError("metadata_invalid", f"not JSON: {url}") from None


async def discover(issuer: str, *, fresh: bool = False) -> ProviderMetadata:
    """The provider's metadata from ``<issuer>/.well-known/openid-configuration`` (cached for an hour).

    Raises:
        OidcError: ``provider_unreachable`` or ``metadata_invalid`` (including an ``issuer`` that differs).
    """
    now = time.monotonic()
    cached = _cache.discovery.get(issuer)
    if cached and not fresh and now - cached[0] < DISCOVERY_TTL_S:
        return cached[1]
    if (problem := issuer_problem(issuer)) is not None:
        raise OidcError(problem)
    document = await _get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
    if not isinstance(document, dict):
        raise OidcError("metadata_invalid", "not an object")
    declared = document.get("issuer")
    if not isinstance(declared, str) or not _same_issuer(declared, issuer):
        raise OidcError("metadata_invalid", "issuer differs from the URL")
    methods = document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    userinfo = _endpoint(document, "userinfo_endpoint") if "userinfo_endpoint" in document else None
    metadata = ProviderMetadata(
        issuer=declared,
        authorization_endpoint=_endpoint(document, "authorization_endpoint"),
        token_endpoint=_endpoint(document, "token_endpoint"),
        jwks_uri=_endpoint(document, "jwks_uri"),
        token_auth_methods=tuple(str(m) for m in methods if isinstance(m, str)),
        userinfo_endpoint=userinfo,
        iss_parameter_supported=document.get("authorization_response_iss_parameter_supported") is True,
    )
    _cache.discovery[issuer] = (now, metadata)
    return metadata


async def key_set(metadata: ProviderMetadata, *, fresh: bool = False) -> KeySet:
    """The provider's public signing keys (cached for an hour)."""
    now = time.monotonic()
    cached = _cache.jwks.get(metadata.jwks_uri)
    if cached and not fresh and now - cached[0] < JWKS_TTL_S:
        return cached[1]
    document = await _get_json(metadata.jwks_uri)
    try:
        keys = KeySet.import_key_set(document)
    except (JoseError, ValueError, TypeError, KeyError):
        raise OidcError("metadata_invalid", "unusable JWKS") from None
    _cache.jwks[metadata.jwks_uri] = (now, keys)
    return keys


def new_pending() -> PendingLogin:
    return PendingLogin(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        code_verifier=secrets.token_urlsafe(64),
    )


def authorization_url(
    metadata: ProviderMetadata, client_id: str, redirect_uri: str, pending: PendingLogin
) -> str:
    """Where to send the browser: the code flow with PKCE (S256), our state and nonce."""
    return str(
        prepare_grant_uri(
            metadata.authorization_endpoint,
            client_id,
            "code",
            redirect_uri=redirect_uri,
            scope=SCOPES,
            state=pending.state,
            nonce=pending.nonce,
            code_challenge=code_challenge(pending),
            code_challenge_method="S256",
        )
    )


def code_challenge(pending: PendingLogin) -> str:
    return str(create_s256_code_challenge(pending.code_verifier))


def check_response_issuer(metadata: ProviderMetadata, iss: str | None) -> None:
    """RFC 9207 mix-up defence: the authorization response's ``iss`` must name the provider we sent the
    browser to. Required when the provider advertises it; compared whenever it is present.

    Raises:
        OidcError: ``issuer_mismatch``.
    """
    if iss is None or iss == "":
        if metadata.iss_parameter_supported:
            raise OidcError("issuer_mismatch", "iss missing from the authorization response")
        return
    # Simple string comparison (RFC 9207 2.4) with the discovered issuer, which equals the configured one.
    if iss != metadata.issuer:
        raise OidcError("issuer_mismatch", "iss in the authorization response differs")


def _client_auth(method: str, client_id: str, client_secret: str) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and extra body fields that authenticate the client at the token endpoint (RFC 6749 2.3.1)."""
    if method == "client_secret_post":
        return {}, {"client_id": client_id, "client_secret": client_secret}
    pair = f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}".encode()
    return {"authorization": "Basic " + base64.b64encode(pair).decode()}, {}


async def exchange_code(
    metadata: ProviderMetadata,
    client_id: str,
    client_secret: str,
    *,
    code: str,
    redirect_uri: str,
    pending: PendingLogin,
) -> Tokens:
    """Trade the authorization code (with the PKCE verifier) for tokens.

    Raises:
        OidcError: ``token_exchange_failed`` (the provider refused, or answered without an id_token).
    """
    headers, extra = _client_auth(metadata.token_auth_method, client_id, client_secret)
    body = prepare_token_request(
        "authorization_code",
        redirect_uri=redirect_uri,
        code=code,
        code_verifier=pending.code_verifier,
        **extra,
    )
    headers = {**headers, "content-type": "application/x-www-form-urlencoded", "accept": "application/json"}
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT_S, follow_redirects=False) as http:
            response = await http.post(metadata.token_endpoint, content=body, headers=headers)
        token = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError) as error:
        raise OidcError("token_exchange_failed", type(error).__name__) from None
    id_token = token.get("id_token") if isinstance(token, dict) else None
    if not isinstance(token, dict) or not isinstance(id_token, str) or not id_token:
        raise OidcError("token_exchange_failed", f"HTTP {response.status_code}, no id_token")
    access_token = token.get("access_token")
    return Tokens(id_token, access_token if isinstance(access_token, str) and access_token else None)
