"""Stripped signatures: an empty, truncated or zeroed signature never verifies."""

from __future__ import annotations

from typing import Any

import pytest

import jwtkit
from jwtkit import errors
from jwtkit.jws.verify import SIGNATURE_FAILED
from tests.security.conftest import Verify
from tests.security.forge import hmac_token, sign, with_signature

CLAIMS = {"sub": "alice"}
ASYMMETRIC_ALGORITHMS = ["RS256", "PS256", "ES256", "ES512", "EdDSA"]


def _public(private_key: Any) -> jwtkit.Key:
    return jwtkit.Key.from_cryptography(private_key.public_key())


def _assert_forged(excinfo: pytest.ExceptionInfo[errors.InvalidSignatureError]) -> None:
    assert excinfo.value.code == "invalid_signature"
    assert excinfo.value.message == SIGNATURE_FAILED


@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_empty_signature(verify: Verify, hmac_secret: bytes, alg: str) -> None:
    token = with_signature(hmac_token(hmac_secret, {"alg": alg}, CLAIMS, alg), b"")

    with pytest.raises(errors.InvalidSignatureError) as excinfo:
        verify(token, hmac_secret, [alg])

    _assert_forged(excinfo)


@pytest.mark.parametrize("alg", ASYMMETRIC_ALGORITHMS)
def test_asymmetric_empty_signature(
    verify: Verify, asymmetric_private_keys: dict[str, Any], alg: str
) -> None:
    private_key = asymmetric_private_keys[alg]
    token = with_signature(sign(private_key, alg, {"alg": alg}, CLAIMS), b"")

    with pytest.raises(errors.InvalidSignatureError) as excinfo:
        verify(token, _public(private_key), [alg])

    _assert_forged(excinfo)


@pytest.mark.parametrize("alg", ASYMMETRIC_ALGORITHMS)
def test_asymmetric_zeroed_signature(
    verify: Verify, asymmetric_private_keys: dict[str, Any], alg: str
) -> None:
    private_key = asymmetric_private_keys[alg]
    valid = sign(private_key, alg, {"alg": alg}, CLAIMS)
    signature_length = len(jwtkit.decode_unverified(valid).signature)
    token = with_signature(valid, b"\x00" * signature_length)

    with pytest.raises(errors.InvalidSignatureError) as excinfo:
        verify(token, _public(private_key), [alg])

    _assert_forged(excinfo)


@pytest.mark.parametrize("alg", ["HS256", *ASYMMETRIC_ALGORITHMS])
def test_truncated_signature(
    verify: Verify, hmac_secret: bytes, asymmetric_private_keys: dict[str, Any], alg: str
) -> None:
    if alg == "HS256":
        valid, key = hmac_token(hmac_secret, {"alg": alg}, CLAIMS), hmac_secret
    else:
        private_key = asymmetric_private_keys[alg]
        valid, key = sign(private_key, alg, {"alg": alg}, CLAIMS), _public(private_key)
    signature = jwtkit.decode_unverified(valid).signature

    for length in (1, len(signature) // 2, len(signature) - 1):
        with pytest.raises(errors.InvalidSignatureError) as excinfo:
            verify(with_signature(valid, signature[:length]), key, [alg])
        _assert_forged(excinfo)


def test_signature_part_removed(verify: Verify, hmac_secret: bytes) -> None:
    valid = hmac_token(hmac_secret, {"alg": "HS256"}, CLAIMS)
    header_part, payload_part, _ = valid.split(".")

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify(f"{header_part}.{payload_part}", hmac_secret, ["HS256"])

    assert excinfo.value.code == "malformed_token"
    assert "exactly 3" in excinfo.value.message


def test_valid_tokens_still_verify(
    verify: Verify, hmac_secret: bytes, asymmetric_private_keys: dict[str, Any]
) -> None:
    # The positive control: the same construction with its signature intact passes.
    assert verify(hmac_token(hmac_secret, {"alg": "HS256"}, CLAIMS), hmac_secret, ["HS256"])
    for alg, private_key in asymmetric_private_keys.items():
        assert verify(sign(private_key, alg, {"alg": alg}, CLAIMS), _public(private_key), [alg])
