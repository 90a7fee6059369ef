"""TOTP against the RFC 6238 test vectors (Appendix B), the verification window, and the otpauth URI."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from sampark.platform.identity import totp

# RFC 6238 Appendix B: the seed is ASCII "1234567890" repeated to the hash's block of key bytes.
SEEDS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("timestamp", "sha1", "sha256", "sha512"), VECTORS)
def test_rfc6238_vectors(timestamp: int, sha1: str, sha256: str, sha512: str) -> None:
    for algorithm, expected in (("SHA1", sha1), ("SHA256", sha256), ("SHA512", sha512)):
        assert totp.code_at(SEEDS[algorithm], timestamp, digits=8, algorithm=algorithm) == expected


def test_rfc4226_hotp_vectors() -> None:
    # RFC 4226 Appendix D, 6 digits.
    expected = [
        "755224",
        "287082",
        "359152",
        "969429",
        "338314",
        "254676",
        "287922",
        "162583",
        "399871",
        "520489",
    ]
    assert [totp.hotp(SEEDS["SHA1"], counter) for counter in range(10)] == expected


def test_six_digit_codes_are_the_last_digits_of_the_vector() -> None:
    assert totp.code_at(SEEDS["SHA1"], 59) == "287082"


def _secret() -> str:
    return "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of SEEDS["SHA1"]


def test_the_secret_decodes_to_the_seed_however_it_is_typed() -> None:
    assert totp.decode_secret(_secret()) == SEEDS["SHA1"]
    assert totp.decode_secret(totp.grouped(_secret()).lower()) == SEEDS["SHA1"]
    with pytest.raises(ValueError):
        totp.decode_secret("not base32!")


@pytest.mark.parametrize(
    ("offset", "accepted"), [(-60, False), (-30, True), (0, True), (30, True), (60, False)]
)
def test_one_step_either_side_is_accepted(offset: int, accepted: bool) -> None:
    now = 1_700_000_015.0
    code = totp.code_at(SEEDS["SHA1"], now + offset)
    step = totp.matching_step(_secret(), code, now=now)
    assert (step is not None) is accepted
    if accepted:
        assert step == totp.step_at(now + offset)


def test_malformed_codes_never_match() -> None:
    now = 1_700_000_015.0
    code = totp.code_at(SEEDS["SHA1"], now)
    assert totp.matching_step(_secret(), f"{code[:3]} {code[3:]}", now=now) is not None  # spaces are fine
    for bad in ("", "12345", "1234567", "abcdef", code + "0"):
        assert totp.matching_step(_secret(), bad, now=now) is None


def test_new_secrets_are_random_160_bit_base32() -> None:
    first, second = totp.new_secret(), totp.new_secret()
    assert first != second and len(totp.decode_secret(first)) == totp.SECRET_BYTES


def test_the_provisioning_uri_follows_the_key_uri_format() -> None:
    uri = totp.provisioning_uri(_secret(), "asha@example.com")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert parsed.path == "/Sampark:asha@example.com"
    query = parse_qs(parsed.query)
    assert query["secret"] == [_secret()] and query["issuer"] == ["Sampark"]
    assert query["digits"] == ["6"] and query["period"] == ["30"] and query["algorithm"] == ["SHA1"]
