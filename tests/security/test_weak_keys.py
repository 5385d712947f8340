"""RSA public keys with the ROCA fingerprint (CVE-2017-15361) are rejected in every form.

The flawed generator made primes of the form k * M + (65537**a mod M), M being
the product of the small primes, so the modulus is a power of 65537 modulo
each of those primes and its private key can be recovered from it. The test
moduli here are built to carry exactly that fingerprint; they are not
products of two primes, which jwtkit cannot check for a public key anyway.
"""

from __future__ import annotations

import math
import secrets

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import jwtkit
from jwtkit import errors
from jwtkit.jwk.roca import _SMALL_PRIMES
from tests.security.forge import b64

PRIMORIAL = math.prod(_SMALL_PRIMES)


def _roca_modulus(bits: int = 2048) -> int:
    """An odd number of ``bits`` bits that is a power of 65537 modulo every small prime."""
    residue = pow(65537, secrets.randbelow(PRIMORIAL), PRIMORIAL)
    multiplier = (secrets.randbits(bits) | (1 << (bits - 1))) // PRIMORIAL
    modulus = residue + multiplier * PRIMORIAL
    if modulus % 2 == 0:
        # PRIMORIAL is odd, so adding it flips the parity and keeps every residue.
        modulus += PRIMORIAL
    assert modulus.bit_length() == bits
    return modulus


@pytest.fixture(scope="module")
def roca_public_key() -> rsa.RSAPublicKey:
    return rsa.RSAPublicNumbers(65537, _roca_modulus()).public_key()


def test_roca_key_rejected_in_every_form(roca_public_key: rsa.RSAPublicKey) -> None:
    pem = roca_public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    der = roca_public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    n = roca_public_key.public_numbers().n
    jwk = {"kty": "RSA", "n": b64(n.to_bytes(256, "big")), "e": "AQAB"}
    imports = {
        "from_jwk": lambda: jwtkit.Key.from_jwk(jwk),
        "from_pem": lambda: jwtkit.Key.from_pem(pem),
        "from_der": lambda: jwtkit.Key.from_der(der),
        "from_cryptography": lambda: jwtkit.Key.from_cryptography(roca_public_key),
        "decode with PEM": lambda: jwtkit.decode(
            "eyJhbGciOiJSUzI1NiJ9.e30.AA", pem, algorithms=["RS256"]
        ),
    }

    for name, load in imports.items():
        with pytest.raises(errors.WeakKeyError) as excinfo:
            load()
        assert excinfo.value.code == "weak_key", name
        assert "CVE-2017-15361" in excinfo.value.message, name


def test_roca_key_skipped_in_key_set(roca_public_key: rsa.RSAPublicKey) -> None:
    n = roca_public_key.public_numbers().n
    jwks = {"keys": [{"kty": "RSA", "kid": "roca", "n": b64(n.to_bytes(256, "big")), "e": "AQAB"}]}

    keys = jwtkit.KeySet.from_jwks(jwks)

    assert len(keys) == 0
    assert "CVE-2017-15361" in keys.skipped[0]


def test_ordinary_key_accepted() -> None:
    # The positive control: a key from a sound generator has no fingerprint.
    public_key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()

    assert jwtkit.Key.from_cryptography(public_key).size == 2048
