"""The algorithm table: which JWS algorithms exist and how each is described."""

from __future__ import annotations

from typing import Any

import pytest

import jwtkit
from jwtkit import Key
from jwtkit.errors import UnsupportedAlgorithmError
from jwtkit.jwa import SIGNATURE_ALGORITHMS, get_signature_algorithm


def test_algorithm_table_names() -> None:
    assert list(SIGNATURE_ALGORITHMS) == [
        "HS256",
        "HS384",
        "HS512",
        "RS256",
        "RS384",
        "RS512",
        "PS256",
        "PS384",
        "PS512",
        "ES256",
        "ES384",
        "ES512",
        "ES256K",
        "EdDSA",
        "Ed25519",
        "Ed448",
    ]


def test_fully_specified_eddsa_names_bind_one_curve() -> None:
    ed25519 = Key.generate("OKP", curve="Ed25519")
    ed448 = Key.generate("OKP", curve="Ed448")

    token = jwtkit.jws.sign_compact(b"payload", ed25519, "Ed25519")
    verified = jwtkit.jws.verify_compact(token, ed25519.public_key(), algorithms=["Ed25519"])
    assert verified.payload == b"payload"

    with pytest.raises(jwtkit.errors.InvalidKeyError, match="Ed25519"):
        jwtkit.jws.sign_compact(b"payload", ed448, "Ed25519")
    with pytest.raises(jwtkit.errors.KeyMismatchError, match="Ed25519"):
        jwtkit.jws.verify_compact(token, ed448.public_key(), algorithms=["Ed25519"])


@pytest.mark.parametrize(
    ("name", "kty", "curves"),
    [
        ("HS256", "oct", set()),
        ("RS384", "RSA", set()),
        ("PS512", "RSA", set()),
        ("ES256", "EC", {"P-256"}),
        ("ES384", "EC", {"P-384"}),
        ("ES512", "EC", {"P-521"}),
        ("ES256K", "EC", {"secp256k1"}),
        ("EdDSA", "OKP", {"Ed25519", "Ed448"}),
    ],
)
def test_descriptor_binds_key_family(name: str, kty: str, curves: set[str]) -> None:
    algorithm = get_signature_algorithm(name)

    assert algorithm.name == name
    assert algorithm.kty == kty
    assert set(algorithm.curves) == curves


@pytest.mark.parametrize(("name", "size"), [("HS256", 32), ("HS384", 48), ("HS512", 64)])
def test_hmac_minimum_key_size(name: str, size: int) -> None:
    # RFC 7518 §3.2: a key of the same size as the hash output or larger.
    assert get_signature_algorithm(name).min_key_bytes == size  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["none", "None", "NONE", "nOnE"])
def test_none_is_not_an_algorithm(name: str) -> None:
    with pytest.raises(UnsupportedAlgorithmError) as caught:
        get_signature_algorithm(name)

    assert caught.value.code == "unsupported_algorithm"
    assert str(caught.value).startswith(
        f"algorithm {name!r} is not supported. 'none' produces unsigned tokens and is never "
        "supported. Choose one of: HS256,"
    )


@pytest.mark.parametrize("name", ["HS265", "RSA1_5", "es256", "A128KW", "", "ed25519"])
def test_unknown_name_rejected(name: str) -> None:
    with pytest.raises(UnsupportedAlgorithmError) as caught:
        get_signature_algorithm(name)

    assert str(caught.value) == (
        f"algorithm {name!r} is not supported. Choose one of: HS256, HS384, HS512, RS256, RS384, "
        "RS512, PS256, PS384, PS512, ES256, ES384, ES512, ES256K, EdDSA, Ed25519, Ed448"
    )


@pytest.mark.parametrize("name", [None, 256, b"HS256", ["HS256"]])
def test_non_string_name_rejected(name: Any) -> None:
    with pytest.raises(UnsupportedAlgorithmError):
        get_signature_algorithm(name)


def test_key_passed_as_algorithm_not_echoed() -> None:
    # Swapping the key and algorithm arguments must not print the key.
    secret = "a-long-shared-secret-value-0123456789"
    pem = Key.generate("EC").to_pem(private=True)
    jwk = Key.generate("EC").to_jwk(private=True)

    for mistaken in (secret, secret.encode(), pem, pem.decode(), jwk):
        with pytest.raises(UnsupportedAlgorithmError) as caught:
            jwtkit.encode({}, "HS256", mistaken)  # type: ignore[arg-type]
        message = str(caught.value)
        assert secret not in message
        assert "PRIVATE KEY" not in message
        assert jwk["d"] not in message
        assert "is not an algorithm name" in message
