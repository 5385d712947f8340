"""Key material has size limits: RSA moduli up to 16384 bits, JWK members no longer than that.

Verifying with a huge RSA key costs time that grows with the modulus, and a
key set fetched from a compromised or spoofed endpoint is attacker input. So
jwtkit refuses moduli over 16384 bits in every import form, and refuses an
over-long JWK member by its text length, before decoding it. Timing is
measured by benchmarks/resource_bounds.py; these tests check the outcome and
that messages stay short.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

import jwtkit
from jwtkit import errors
from jwtkit.jwk.rsa import MAX_RSA_BITS
from tests.security.forge import b64

TEN_MB = 10 * 1024 * 1024
Encoding = serialization.Encoding
PublicFormat = serialization.PublicFormat


def _modulus(bits: int) -> int:
    """A random odd number of exactly ``bits`` bits: a stand-in RSA modulus."""
    return secrets.randbits(bits) | (1 << (bits - 1)) | 1


def _public_key(bits: int) -> rsa.RSAPublicKey:
    return rsa.RSAPublicNumbers(65537, _modulus(bits)).public_key()


@pytest.mark.parametrize("bits", [MAX_RSA_BITS + 1, MAX_RSA_BITS + 8, 32768, 65536])
def test_oversized_modulus_rejected_in_every_form(bits: int) -> None:
    public_key = _public_key(bits)
    pem = public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    der = public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    pkcs1 = public_key.public_bytes(Encoding.PEM, PublicFormat.PKCS1)
    jwk = {
        "kty": "RSA",
        "n": b64(public_key.public_numbers().n.to_bytes(bits // 8 + 1, "big")),
        "e": "AQAB",
    }
    imports = {
        "from_jwk": lambda: jwtkit.Key.from_jwk(jwk),
        "from_pem": lambda: jwtkit.Key.from_pem(pem),
        "from_pem PKCS#1": lambda: jwtkit.Key.from_pem(pkcs1),
        "from_der": lambda: jwtkit.Key.from_der(der),
        "from_cryptography": lambda: jwtkit.Key.from_cryptography(public_key),
    }

    for name, load in imports.items():
        with pytest.raises(errors.InvalidKeyError) as excinfo:
            load()
        assert excinfo.value.code == "invalid_key", name
        # A JWK modulus more than a byte over the limit fails on its text length.
        message = excinfo.value.message
        assert f"{MAX_RSA_BITS}-bit maximum" in message or "before decoding" in message, name


def test_oversized_modulus_rejected_as_verification_key() -> None:
    pem = _public_key(MAX_RSA_BITS + 1).public_bytes(
        Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
    )
    token = "eyJhbGciOiJSUzI1NiJ9.e30.AAAA"

    for key in (pem, pem.decode()):
        with pytest.raises(errors.InvalidKeyError):
            jwtkit.decode(token, key, algorithms=["RS256"])


def test_oversized_modulus_skipped_in_key_set() -> None:
    jwk = {
        "kty": "RSA",
        "kid": "huge",
        "n": b64(_modulus(MAX_RSA_BITS + 1).to_bytes(2049, "big")),
        "e": "AQAB",
    }

    keys = jwtkit.KeySet.from_jwks({"keys": [jwk]})

    assert len(keys) == 0
    assert f"over the {MAX_RSA_BITS}-bit maximum" in keys.skipped[0]


def test_largest_modulus_accepted() -> None:
    # The positive control: exactly 16384 bits is within the limit.
    n = _modulus(MAX_RSA_BITS)

    key = jwtkit.Key.from_jwk(
        {"kty": "RSA", "n": b64(n.to_bytes(MAX_RSA_BITS // 8, "big")), "e": "AQAB"}
    )
    assert key.size == MAX_RSA_BITS

    # A single leading zero byte, as some encoders write, is still accepted.
    padded = jwtkit.Key.from_jwk(
        {"kty": "RSA", "n": b64(b"\x00" + n.to_bytes(MAX_RSA_BITS // 8, "big")), "e": "AQAB"}
    )
    assert padded.size == MAX_RSA_BITS


def _huge_member() -> str:
    return "A" * TEN_MB


@pytest.fixture(scope="module")
def small_rsa_jwk() -> dict[str, str]:
    return jwtkit.Key.generate("RSA", size=2048).to_jwk(private=True)


@pytest.fixture(scope="module")
def ec_jwk() -> dict[str, str]:
    return jwtkit.Key.generate("EC", curve="P-256").to_jwk(private=True)


@pytest.fixture(scope="module")
def okp_jwk() -> dict[str, str]:
    return jwtkit.Key.generate("OKP", curve="Ed25519").to_jwk(private=True)


@pytest.mark.parametrize("member", ["n", "e", "d", "p", "q", "dp", "dq", "qi"])
def test_huge_rsa_member_rejected_before_decoding(
    small_rsa_jwk: dict[str, str], member: str
) -> None:
    jwk = {**small_rsa_jwk, member: _huge_member()}

    with pytest.raises(errors.InvalidKeyError) as excinfo:
        jwtkit.Key.from_jwk(jwk)

    message = excinfo.value.message
    assert repr(member) in message
    assert "before decoding" in message
    assert len(message) < 300


@pytest.mark.parametrize("member", ["x", "y", "d"])
def test_huge_ec_member_rejected_before_decoding(ec_jwk: dict[str, str], member: str) -> None:
    with pytest.raises(errors.InvalidKeyError) as excinfo:
        jwtkit.Key.from_jwk({**ec_jwk, member: _huge_member()})

    assert repr(member) in excinfo.value.message
    assert "before decoding" in excinfo.value.message
    assert len(excinfo.value.message) < 300


@pytest.mark.parametrize("member", ["x", "d"])
def test_huge_okp_member_rejected_before_decoding(okp_jwk: dict[str, str], member: str) -> None:
    with pytest.raises(errors.InvalidKeyError) as excinfo:
        jwtkit.Key.from_jwk({**okp_jwk, member: _huge_member()})

    assert repr(member) in excinfo.value.message
    assert "before decoding" in excinfo.value.message
    assert len(excinfo.value.message) < 300


@pytest.mark.parametrize("member", ["n", "x"])
def test_huge_member_not_base64url_rejected(
    small_rsa_jwk: dict[str, str], ec_jwk: dict[str, str], member: str
) -> None:
    # A huge member that is not even base64url fails on its length first, so
    # the character check never scans it.
    base = small_rsa_jwk if member == "n" else ec_jwk
    with pytest.raises(errors.InvalidKeyError) as excinfo:
        jwtkit.Key.from_jwk({**base, member: "!" * TEN_MB})

    assert "before decoding" in excinfo.value.message


def test_huge_member_skipped_in_key_set(ec_jwk: dict[str, str]) -> None:
    public = {name: value for name, value in ec_jwk.items() if name != "d"}
    huge = {**public, "kid": "huge", "x": _huge_member()}
    keys = jwtkit.KeySet.from_jwks({"keys": [huge, {**public, "kid": "fine"}]})

    assert [key.kid for key in keys] == ["fine"]
    assert "before decoding" in keys.skipped[0]
    assert len(keys.skipped[0]) < 300


def test_members_of_normal_keys_accepted(
    small_rsa_jwk: dict[str, str], ec_jwk: dict[str, str], okp_jwk: dict[str, str]
) -> None:
    # The positive control: the same JWKs without the huge member import.
    for jwk in (small_rsa_jwk, ec_jwk, okp_jwk):
        assert jwtkit.Key.from_jwk(jwk).is_private


@pytest.mark.parametrize("curve", [ec.SECP256R1(), ec.SECP521R1()])
def test_ec_coordinate_wrong_width_rejected(curve: ec.EllipticCurve) -> None:
    # RFC 7518 §6.2.1.2: coordinates are exactly the curve's width, so a
    # padded coordinate is an error, not another spelling of the same key.
    jwk: dict[str, Any] = jwtkit.Key.from_cryptography(
        ec.generate_private_key(curve).public_key()
    ).to_jwk()
    padded = dict(jwk, x=b64(b"\x00" + _decode(jwk["x"])))

    with pytest.raises(errors.InvalidKeyError) as excinfo:
        jwtkit.Key.from_jwk(padded)

    assert "exactly" in excinfo.value.message


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
