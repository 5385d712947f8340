"""RSA signatures are exactly as long as the modulus (RFC 8017 §8.2.2 step 1).

A signature is an integer below the modulus written in k bytes, k being the
modulus length. A leading zero byte added or removed leaves the integer
unchanged, so a backend that converts the bytes to an integer first would
accept both spellings: one signature, several tokens. jwtkit compares the
length before it calls the backend, which the key spy makes visible.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

import jwtkit
from jwtkit import errors
from jwtkit.jws.verify import SIGNATURE_FAILED
from tests.security.conftest import Verify
from tests.security.forge import b64, raw_signature, with_signature
from tests.security.spies import spy_public_key

ALGORITHMS = ["RS256", "RS512", "PS256", "PS384"]


def _token_with_leading_zero(private_key: rsa.RSAPrivateKey, alg: str) -> tuple[str, bytes]:
    """Sign claims that differ by a counter until the signature's first byte is zero."""
    header_part = b64(f'{{"alg":"{alg}"}}'.encode())
    # About one signature in 256 starts with a zero byte; 4096 tries fail to
    # find one with probability below 1e-7.
    for counter in range(4096):
        payload_part = b64(f'{{"sub":"alice","n":{counter}}}'.encode())
        data = f"{header_part}.{payload_part}".encode()
        signature = raw_signature(private_key, alg, data)
        if signature[0] == 0:
            return f"{header_part}.{payload_part}.{b64(signature)}", signature
    raise AssertionError("no signature with a leading zero byte in 4096 tries")


@pytest.fixture(scope="module", params=ALGORITHMS)
def leading_zero(
    request: pytest.FixtureRequest, rsa_private_key: rsa.RSAPrivateKey
) -> tuple[str, str, bytes]:
    """(alg, token, signature) where the genuine signature starts with a zero byte."""
    alg: str = request.param
    token, signature = _token_with_leading_zero(rsa_private_key, alg)
    return alg, token, signature


@pytest.fixture
def spy_key(rsa_private_key: rsa.RSAPrivateKey) -> Iterator[tuple[jwtkit.Key, Any]]:
    spy = spy_public_key(rsa_private_key.public_key())
    yield jwtkit.Key.from_cryptography(spy), spy


def _assert_forged(verify: Verify, token: str, key: jwtkit.Key, alg: str) -> None:
    with pytest.raises(errors.InvalidSignatureError) as excinfo:
        verify(token, key, [alg])
    assert excinfo.value.code == "invalid_signature"
    assert excinfo.value.message == SIGNATURE_FAILED


def test_genuine_signature_with_leading_zero_verifies(
    verify: Verify, leading_zero: tuple[str, str, bytes], spy_key: tuple[jwtkit.Key, Any]
) -> None:
    # The positive control: the full-length signature, zero byte included, passes.
    alg, token, signature = leading_zero
    key, spy = spy_key

    assert verify(token, key, [alg])
    assert len(spy.calls) == 1
    assert spy.calls[0][0] == signature


def test_leading_zero_removed_rejected(
    verify: Verify, leading_zero: tuple[str, str, bytes], spy_key: tuple[jwtkit.Key, Any]
) -> None:
    alg, token, signature = leading_zero
    key, spy = spy_key
    shortened = signature[1:]
    assert int.from_bytes(shortened, "big") == int.from_bytes(signature, "big")

    _assert_forged(verify, with_signature(token, shortened), key, alg)
    assert spy.calls == []


@pytest.mark.parametrize("zeros", [1, 2, 256])
def test_leading_zeros_added_rejected(
    verify: Verify,
    leading_zero: tuple[str, str, bytes],
    spy_key: tuple[jwtkit.Key, Any],
    zeros: int,
) -> None:
    alg, token, signature = leading_zero
    key, spy = spy_key

    _assert_forged(verify, with_signature(token, b"\x00" * zeros + signature), key, alg)
    assert spy.calls == []


@pytest.mark.parametrize(
    "change",
    ["last byte dropped", "trailing zero byte", "first byte dropped", "half"],
)
def test_wrong_length_rejected(
    verify: Verify,
    leading_zero: tuple[str, str, bytes],
    spy_key: tuple[jwtkit.Key, Any],
    change: str,
) -> None:
    alg, token, signature = leading_zero
    key, spy = spy_key
    changed = {
        "last byte dropped": signature[:-1],
        "trailing zero byte": signature + b"\x00",
        "first byte dropped": signature[1:],
        "half": signature[: len(signature) // 2],
    }[change]

    _assert_forged(verify, with_signature(token, changed), key, alg)
    assert spy.calls == []


def test_signature_from_longer_key_rejected(
    verify: Verify, leading_zero: tuple[str, str, bytes], spy_key: tuple[jwtkit.Key, Any]
) -> None:
    # A genuine signature by a 3072-bit key is 128 bytes too long for the
    # caller's 2048-bit key.
    alg, token, _ = leading_zero
    key, spy = spy_key
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    header_part, payload_part, _ = token.split(".")
    signature = raw_signature(other_key, alg, f"{header_part}.{payload_part}".encode())

    _assert_forged(verify, with_signature(token, signature), key, alg)
    assert spy.calls == []


def test_modulus_as_signature_rejected(
    verify: Verify, leading_zero: tuple[str, str, bytes], spy_key: tuple[jwtkit.Key, Any]
) -> None:
    # A signature value equal to the modulus has the right length but is out
    # of range (RFC 8017 §5.2.2 requires 0 <= s < n); the backend rejects it.
    alg, token, signature = leading_zero
    key, _ = spy_key
    modulus = key.verifying_key.public_numbers().n

    for value in (modulus, modulus - 1, 0, 1):
        forged = value.to_bytes(len(signature), "big")
        _assert_forged(verify, with_signature(token, forged), key, alg)
