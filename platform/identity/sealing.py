"""Secrets at rest: AES-GCM under a key derived from the app's secret key, one key per purpose.

A sealed value is bound to its purpose and to associated data (a tenant or user id), so a sealed value copied
to another row or used for another purpose does not open. Rotating ``SAMPARK_SECRET_KEY`` makes every sealed
value unreadable: whoever owns it must enter it again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_VERSION = "v1"
_NONCE = 12


def _cipher(secret_key: str, purpose: str) -> AESGCM:
    key = hmac.new(secret_key.encode(), f"sampark:{purpose}:v1".encode(), hashlib.sha256).digest()
    return AESGCM(key)


def seal(value: str, *, purpose: str, bound_to: str, secret_key: str) -> str:
    """Encrypt ``value`` for storage, bound to ``purpose`` and ``bound_to`` (e.g. a tenant id)."""
    nonce = secrets.token_bytes(_NONCE)
    sealed = _cipher(secret_key, purpose).encrypt(nonce, value.encode(), bound_to.encode())
    return f"{_VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def unseal(stored: str, *, purpose: str, bound_to: str, secret_key: str) -> str | None:
    """The plain value, or None when empty, tampered with, moved, or sealed under another key."""
    version, _sep, payload = stored.partition(".")
    if version != _VERSION or not payload:
        return None
    try:
        raw = base64.urlsafe_b64decode(payload)
        return _cipher(secret_key, purpose).decrypt(raw[:_NONCE], raw[_NONCE:], bound_to.encode()).decode()
    except (InvalidTag, ValueError):
        return None
