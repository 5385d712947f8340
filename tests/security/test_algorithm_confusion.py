"""Algorithm confusion: a public key is never usable as an HMAC secret (RFC 8725 §2.1, §3.1).

The attacker has the server's public key in some serialization, switches the
token's ``alg`` to HS256 and MACs the token with exactly the bytes the server
holds. Whatever form the server passes the key in (str, bytes, ``Key``, JWK
dict, ``cryptography`` object), the token must be rejected, even when the
allow-list also names an HMAC algorithm.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import NameOID

import jwtkit
from jwtkit import errors
from tests.security.conftest import Verify
from tests.security.forge import hmac_token, sign

CLAIMS = {"sub": "admin"}
# The asymmetric algorithm each key type really serves on the server.
SERVED_ALGORITHM = {"RSA": "RS256", "EC": "ES256", "OKP": "EdDSA"}
Encoding = serialization.Encoding
PublicFormat = serialization.PublicFormat


def _certificate(private_key: Any) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "token issuer")])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(1)
        .not_valid_before(datetime(2024, 1, 1, tzinfo=timezone.utc))
        .not_valid_after(datetime(2044, 1, 1, tzinfo=timezone.utc))
    )
    hash_algorithm = None if isinstance(private_key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(private_key, hash_algorithm)


def _key_forms(private_key: Any) -> dict[str, tuple[Any, list[bytes]]]:
    """Map each form a server may keep the public key in to (that value, bytes to MAC with)."""
    public = private_key.public_key()
    pem = public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    der = public.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    ssh = public.public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH)
    certificate = _certificate(private_key)
    certificate_pem = certificate.public_bytes(Encoding.PEM)
    certificate_der = certificate.public_bytes(Encoding.DER)
    key = jwtkit.Key.from_cryptography(public)
    jwk = key.to_jwk()
    jwk_texts = [
        json.dumps(jwk).encode(),
        json.dumps(jwk, separators=(",", ":")).encode(),
        json.dumps(jwk, sort_keys=True, separators=(",", ":")).encode(),
    ]
    bom_pem = "\ufeff" + pem.decode()
    annotated_pem = b"Public key of the token issuer\n" + pem

    forms: dict[str, tuple[Any, list[bytes]]] = {
        "PEM str": (pem.decode(), [pem]),
        "PEM bytes": (pem, [pem]),
        "PEM bytearray": (bytearray(pem), [pem]),
        "PEM memoryview": (memoryview(pem), [pem]),
        "PEM stripped": (pem.decode().strip(), [pem.strip()]),
        "PEM with CRLF": (pem.replace(b"\n", b"\r\n"), [pem.replace(b"\n", b"\r\n")]),
        "PEM after whitespace": (b"\n\t " + pem, [b"\n\t " + pem]),
        "PEM after UTF-8 BOM": (bom_pem, [bom_pem.encode()]),
        "PEM after explanatory text": (annotated_pem, [annotated_pem]),
        "SubjectPublicKeyInfo DER": (der, [der]),
        "OpenSSH str": (ssh.decode(), [ssh]),
        "OpenSSH bytes": (ssh, [ssh]),
        "OpenSSH with newline": (ssh + b"\n", [ssh + b"\n"]),
        "certificate PEM str": (certificate_pem.decode(), [certificate_pem]),
        "certificate PEM bytes": (certificate_pem, [certificate_pem]),
        "certificate DER": (certificate_der, [certificate_der]),
        "JWK dict": (jwk, jwk_texts),
        "JWK str": (jwk_texts[0].decode(), [jwk_texts[0]]),
        "JWK bytes": (jwk_texts[1], [jwk_texts[1]]),
        "JWK pretty str": (json.dumps(jwk, indent=2), [json.dumps(jwk, indent=2).encode()]),
        "Key": (key, [pem, der, *jwk_texts]),
        "cryptography key": (public, [pem, der, *jwk_texts]),
    }
    if jwk["kty"] == "RSA":
        pkcs1 = public.public_bytes(Encoding.PEM, PublicFormat.PKCS1)
        forms["PKCS#1 PEM"] = (pkcs1, [pkcs1])
    return forms


@pytest.fixture(scope="module")
def key_forms(
    rsa_private_key: Any, ec_private_keys: dict[str, Any], ed25519_private_key: Any
) -> dict[str, dict[str, tuple[Any, list[bytes]]]]:
    return {
        "RSA": _key_forms(rsa_private_key),
        "EC": _key_forms(ec_private_keys["ES256"]),
        "OKP": _key_forms(ed25519_private_key),
    }


FORM_NAMES = [
    "PEM str",
    "PEM bytes",
    "PEM bytearray",
    "PEM memoryview",
    "PEM stripped",
    "PEM with CRLF",
    "PEM after whitespace",
    "PEM after UTF-8 BOM",
    "PEM after explanatory text",
    "SubjectPublicKeyInfo DER",
    "OpenSSH str",
    "OpenSSH bytes",
    "OpenSSH with newline",
    "certificate PEM str",
    "certificate PEM bytes",
    "certificate DER",
    "JWK dict",
    "JWK str",
    "JWK bytes",
    "JWK pretty str",
    "Key",
    "cryptography key",
]


@pytest.mark.parametrize("kty", sorted(SERVED_ALGORITHM))
@pytest.mark.parametrize("form", FORM_NAMES)
@pytest.mark.parametrize("hmac_alg", ["HS256", "HS384", "HS512"])
def test_public_key_as_hmac_secret(
    verify: Verify,
    key_forms: dict[str, dict[str, tuple[Any, list[bytes]]]],
    kty: str,
    form: str,
    hmac_alg: str,
) -> None:
    server_key, attacker_secrets = key_forms[kty][form]
    allowed = [hmac_alg, SERVED_ALGORITHM[kty]]

    for secret in attacker_secrets:
        token = hmac_token(secret, {"alg": hmac_alg}, CLAIMS, hmac_alg)

        with pytest.raises(errors.KeyMismatchError) as excinfo:
            verify(token, server_key, allowed)

        assert excinfo.value.code == "key_mismatch"
        assert repr(hmac_alg) in excinfo.value.message


def test_rsa_pkcs1_pem_as_hmac_secret(
    verify: Verify, key_forms: dict[str, dict[str, tuple[Any, list[bytes]]]]
) -> None:
    server_key, attacker_secrets = key_forms["RSA"]["PKCS#1 PEM"]

    for secret in attacker_secrets:
        with pytest.raises(errors.KeyMismatchError):
            verify(hmac_token(secret, {"alg": "HS256"}, CLAIMS), server_key, ["HS256", "RS256"])


@pytest.mark.parametrize("kty", sorted(SERVED_ALGORITHM))
def test_public_key_in_keyset_as_hmac_secret(
    verify: Verify, key_forms: dict[str, dict[str, tuple[Any, list[bytes]]]], kty: str
) -> None:
    key, attacker_secrets = key_forms[kty]["Key"]
    jwk = key.to_jwk()
    allowed = ["HS256", SERVED_ALGORITHM[kty]]

    for server_keys in (jwtkit.KeySet([key]), {"keys": [jwk]}):
        for secret in attacker_secrets:
            token = hmac_token(secret, {"alg": "HS256"}, CLAIMS)

            with pytest.raises(errors.KeyNotFoundError) as excinfo:
                verify(token, server_keys, allowed)

            assert excinfo.value.code == "key_not_found"


def test_secret_for_asymmetric_alg(
    verify: Verify, hmac_secret: bytes, rsa_private_key: Any
) -> None:
    # The other direction: a token naming RS256 never gets the HMAC secret as its key.
    token = sign(rsa_private_key, "RS256", {"alg": "RS256"}, CLAIMS)

    for server_key in (hmac_secret, jwtkit.Key.from_secret(hmac_secret)):
        with pytest.raises(errors.KeyMismatchError) as excinfo:
            verify(token, server_key, ["HS256", "RS256"])
        assert excinfo.value.code == "key_mismatch"


@pytest.mark.parametrize("kty", sorted(SERVED_ALGORITHM))
@pytest.mark.parametrize("form", FORM_NAMES)
def test_key_forms_verify_their_own_alg(
    verify: Verify,
    key_forms: dict[str, dict[str, tuple[Any, list[bytes]]]],
    rsa_private_key: Any,
    ec_private_keys: dict[str, Any],
    ed25519_private_key: Any,
    kty: str,
    form: str,
) -> None:
    # The positive control: every form above is read as the public key it is,
    # so a token really signed for the served algorithm verifies with it.
    private_key = {
        "RSA": rsa_private_key,
        "EC": ec_private_keys["ES256"],
        "OKP": ed25519_private_key,
    }[kty]
    alg = SERVED_ALGORITHM[kty]
    server_key, _ = key_forms[kty][form]
    token = sign(private_key, alg, {"alg": alg}, CLAIMS)

    assert verify(token, server_key, ["HS256", alg])
