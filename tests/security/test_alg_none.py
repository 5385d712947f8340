"""Unsigned tokens: ``alg`` set to ``none`` in any casing never verifies (RFC 8725 §2.1)."""

from __future__ import annotations

import itertools
import secrets
from typing import Any

import pytest

import jwtkit
from jwtkit import errors
from tests.security.conftest import Verify
from tests.security.forge import assemble, b64, hmac_token

# Every one of the 16 upper/lower-case spellings of "none".
NONE_SPELLINGS = [
    "".join(letters) for letters in itertools.product(*zip("none", "NONE", strict=True))
]
CLAIMS = {"sub": "admin", "role": "superuser"}


def _unsigned(alg: str, signature: bytes) -> str:
    return assemble({"alg": alg, "typ": "JWT"}, CLAIMS, signature)


def _caller_keys(hmac_secret: bytes, rsa_private_key: Any) -> dict[str, Any]:
    rsa_public = jwtkit.Key.from_cryptography(rsa_private_key.public_key())
    return {
        "secret": hmac_secret,
        "rsa": rsa_public,
        "keyset": jwtkit.KeySet([rsa_public]),
    }


@pytest.mark.parametrize("alg", NONE_SPELLINGS)
@pytest.mark.parametrize(
    "signature", [b"", b"\x00" * 32, secrets.token_bytes(32)], ids=["empty", "zeros", "random"]
)
def test_none_rejected(
    verify: Verify, hmac_secret: bytes, rsa_private_key: Any, alg: str, signature: bytes
) -> None:
    token = _unsigned(alg, signature)
    for name, key in _caller_keys(hmac_secret, rsa_private_key).items():
        with pytest.raises(errors.AlgorithmNotAllowedError) as excinfo:
            verify(token, key, ["HS256", "RS256"])

        assert excinfo.value.code == "algorithm_not_allowed", name
        assert "unsigned" in excinfo.value.message, name
        assert repr(alg) in excinfo.value.message, name


@pytest.mark.parametrize("alg", NONE_SPELLINGS)
def test_none_rejected_with_hmac_signature(verify: Verify, hmac_secret: bytes, alg: str) -> None:
    # Even a MAC that verifies with the caller's secret cannot make an
    # unsigned alg acceptable: the alg is checked against the allow-list first.
    token = hmac_token(hmac_secret, {"alg": alg}, CLAIMS)

    with pytest.raises(errors.AlgorithmNotAllowedError) as excinfo:
        verify(token, hmac_secret, ["HS256"])

    assert excinfo.value.code == "algorithm_not_allowed"


@pytest.mark.parametrize("alg", NONE_SPELLINGS)
def test_none_cannot_be_allowed(verify: Verify, hmac_secret: bytes, alg: str) -> None:
    token = _unsigned(alg, b"")

    with pytest.raises(errors.UsageError) as excinfo:
        verify(token, hmac_secret, [alg])

    assert excinfo.value.code == "usage_error"
    assert "decode_unverified" in excinfo.value.message


@pytest.mark.parametrize("alg", NONE_SPELLINGS)
def test_none_cannot_sign(hmac_secret: bytes, alg: str) -> None:
    with pytest.raises(errors.UnsupportedAlgorithmError) as excinfo:
        jwtkit.encode(CLAIMS, hmac_secret, alg)

    assert excinfo.value.code == "unsupported_algorithm"
    assert "never supported" in excinfo.value.message


@pytest.mark.parametrize("alg", ["none ", " none", "none\x00", "", "HS256 "])
def test_alg_near_allowed_rejected(verify: Verify, hmac_secret: bytes, alg: str) -> None:
    # Lookalikes of allowed names are compared exactly, never trimmed or folded.
    token = hmac_token(hmac_secret, {"alg": alg}, CLAIMS)

    with pytest.raises(errors.AlgorithmNotAllowedError) as excinfo:
        verify(token, hmac_secret, ["HS256"])

    assert excinfo.value.code == "algorithm_not_allowed"


@pytest.mark.parametrize(
    "header", [{}, {"alg": None}, {"alg": ["HS256"]}, {"alg": {"name": "HS256"}}]
)
def test_alg_missing_or_not_string(
    verify: Verify, hmac_secret: bytes, header: dict[str, Any]
) -> None:
    token = hmac_token(hmac_secret, header, CLAIMS)

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify(token, hmac_secret, ["HS256"])

    assert excinfo.value.code == "malformed_token"
    assert "'alg'" in excinfo.value.message


def test_unsigned_part_forms(verify: Verify, hmac_secret: bytes) -> None:
    header_part = b64(b'{"alg":"none"}')
    payload_part = b64(b'{"sub":"admin"}')

    for token in (f"{header_part}.{payload_part}.", f"{header_part}.{payload_part}.AA"):
        with pytest.raises(errors.AlgorithmNotAllowedError):
            verify(token, hmac_secret, ["HS256"])
