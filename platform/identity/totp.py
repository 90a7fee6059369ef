"""Time-based one-time passwords (RFC 6238, on RFC 4226's HOTP), with the standard library only.

Codes are 6 digits over 30-second steps with HMAC-SHA1, which is what every authenticator app supports.
Verification accepts the step before and after the current one (clock drift and typing time) and returns
the step that matched, so the caller can refuse any step at or before the last one used (no replay).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

DIGITS = 6
PERIOD = 30
WINDOW = 1  # steps either side of now
SECRET_BYTES = 20  # 160 bits, RFC 4226's recommendation for HMAC-SHA1
_ALGORITHMS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


def new_secret() -> str:
    """A fresh random secret, base32 without padding (what authenticator apps accept)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def decode_secret(secret: str) -> bytes:
    """The raw key of a base32 secret; spaces, case and missing padding are forgiven.

    Raises:
        ValueError: not valid base32.
    """
    cleaned = secret.replace(" ", "").replace("-", "").upper()
    cleaned += "=" * (-len(cleaned) % 8)
    try:
        return base64.b32decode(cleaned, casefold=True)
    except (ValueError, TypeError) as error:
        raise ValueError("the secret is not valid base32") from error


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, algorithm: str = "SHA1") -> str:
    """RFC 4226 HOTP: the code for ``counter`` under ``key``."""
    digest = hmac.new(key, struct.pack(">Q", counter), _ALGORITHMS[algorithm]).digest()
    offset = digest[-1] & 0x0F
    binary = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(binary % 10**digits).zfill(digits)


def step_at(timestamp: float, period: int = PERIOD) -> int:
    """The RFC 6238 time step ``T`` for a Unix time."""
    return int(timestamp // period)


def code_at(
    key: bytes, timestamp: float, *, digits: int = DIGITS, period: int = PERIOD, algorithm: str = "SHA1"
) -> str:
    """RFC 6238 TOTP: the code valid at ``timestamp``."""
    return hotp(key, step_at(timestamp, period), digits=digits, algorithm=algorithm)


def normalize_code(code: str) -> str:
    """What the user typed, without the spaces and dashes apps show for readability."""
    return "".join(ch for ch in code if not ch.isspace() and ch != "-")


def matching_step(secret: str, code: str, *, now: float | None = None, window: int = WINDOW) -> int | None:
    """Return the time step ``code`` is valid for, within ``window`` steps of now; None when it matches none.

    Every candidate is compared in constant time, and all of them are computed, so timing does not tell
    which step (if any) matched.
    """
    code = normalize_code(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = decode_secret(secret)
    current = step_at(time.time() if now is None else now)
    found: int | None = None
    for step in range(current - window, current + window + 1):
        if hmac.compare_digest(hotp(key, step), code) and found is None:
            found = step
    return found


def provisioning_uri(secret: str, account: str, issuer: str = "Sampark") -> str:
    """The ``otpauth://`` URI authenticator apps import (Key Uri Format), as text or inside a QR code."""
    label = quote(f"{issuer}:{account}", safe="@:")
    query = urlencode(
        {"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": PERIOD}
    )
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str, size: int = 4) -> str:
    """The secret in groups of four, easier to type by hand."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))
