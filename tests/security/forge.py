"""Craft tokens byte by byte, as an attacker would, without jwtkit's encoder.

The helpers take the exact bytes for each part, so a test can place a
duplicate member, a padded part or a DER signature where jwtkit itself would
never produce one. Signatures come from ``hmac`` and ``cryptography`` directly.
"""

from __future__ import annotations

import base64
import hmac
import json
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

HMAC_HASHES = {"HS256": "sha256", "HS384": "sha384", "HS512": "sha512"}
SIGNATURE_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "256": hashes.SHA256,
    "384": hashes.SHA384,
    "512": hashes.SHA512,
}
# Coordinate width in bytes of each ECDSA algorithm's curve (RFC 7518 §3.4).
ECDSA_WIDTHS = {"ES256": 32, "ES384": 48, "ES512": 66, "ES256K": 32}
ECDSA_CURVES: dict[str, type[ec.EllipticCurve]] = {
    "ES256": ec.SECP256R1,
    "ES384": ec.SECP384R1,
    "ES512": ec.SECP521R1,
    "ES256K": ec.SECP256K1,
}
# The order n of each curve's base point (FIPS 186-4 Appendix D.1.2, SEC 2 §2.4.1).
# cryptography does not expose it; a test checks each value against the curve.
ECDSA_ORDERS = {
    "ES256": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "ES384": int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
        "581A0DB248B0A77AECEC196ACCC52973",
        16,
    ),
    "ES512": int(
        "01FF" + "FFFFFFFF" * 7 + "FFFFFFFA51868783BF2F966B7FCC0148F709A5D0"
        "3BB5C9B8899C47AEBB6FB71E91386409",
        16,
    ),
    "ES256K": 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141,
}


def b64(data: bytes) -> str:
    """Encode base64url without padding, the only form a compact JWS allows."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def json_bytes(value: Any) -> bytes:
    """Serialize a header or claims set; bytes pass through as exact JSON text."""
    if isinstance(value, bytes):
        return value
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def assemble(header: Any, payload: Any, signature: bytes = b"") -> str:
    """Join three parts into a compact token without signing anything."""
    return f"{b64(json_bytes(header))}.{b64(json_bytes(payload))}.{b64(signature)}"


def hmac_token_from_parts(
    header_part: str, payload_part: str, secret: bytes, alg: str = "HS256"
) -> str:
    """MAC the given part text exactly as given, even when it is not canonical base64url."""
    signing_input = f"{header_part}.{payload_part}".encode()
    mac = hmac.new(secret, signing_input, HMAC_HASHES[alg]).digest()
    return f"{header_part}.{payload_part}.{b64(mac)}"


def hmac_token(secret: bytes, header: Any, payload: Any, alg: str = "HS256") -> str:
    """Build a token whose MAC is valid for ``secret`` over the exact header and payload."""
    return hmac_token_from_parts(b64(json_bytes(header)), b64(json_bytes(payload)), secret, alg)


def sign(private_key: Any, alg: str, header: Any, payload: Any) -> str:
    """Build a token signed by a ``cryptography`` private key for ``alg``."""
    header_part = b64(json_bytes(header))
    payload_part = b64(json_bytes(payload))
    signature = raw_signature(private_key, alg, f"{header_part}.{payload_part}".encode())
    return f"{header_part}.{payload_part}.{b64(signature)}"


def raw_signature(private_key: Any, alg: str, data: bytes) -> bytes:
    """Sign ``data`` in the signature format RFC 7518 defines for ``alg``."""
    if alg == "EdDSA":
        assert isinstance(private_key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey))
        return private_key.sign(data)

    if alg in ECDSA_WIDTHS:
        r, s = ecdsa_numbers(private_key, alg, data)
        width = ECDSA_WIDTHS[alg]
        return r.to_bytes(width, "big") + s.to_bytes(width, "big")

    hash_algorithm = SIGNATURE_HASHES[alg[-3:]]()
    if alg.startswith("RS"):
        assert isinstance(private_key, rsa.RSAPrivateKey)
        return private_key.sign(data, padding.PKCS1v15(), hash_algorithm)
    if alg.startswith("PS"):
        assert isinstance(private_key, rsa.RSAPrivateKey)
        pss = padding.PSS(mgf=padding.MGF1(hash_algorithm), salt_length=hash_algorithm.digest_size)
        return private_key.sign(data, pss, hash_algorithm)
    raise ValueError(f"forge cannot sign for alg {alg!r}")


def ecdsa_numbers(private_key: Any, alg: str, data: bytes) -> tuple[int, int]:
    """Sign ``data`` afresh and return the ECDSA signature (R, S) as integers.

    ECDSA signing is randomized, so the result differs from any earlier
    signature over the same data; use ``signature_numbers`` to read a token's own.
    """
    assert isinstance(private_key, ec.EllipticCurvePrivateKey)
    hash_algorithm = SIGNATURE_HASHES["256" if alg == "ES256K" else alg[-3:]]()
    der = private_key.sign(data, ec.ECDSA(hash_algorithm))
    return decode_dss_signature(der)


def signature_numbers(token: str, alg: str) -> tuple[int, int]:
    """Read (R, S) from the fixed-width ECDSA signature of a compact token."""
    signature = base64.urlsafe_b64decode(token.split(".")[2] + "==")
    width = ECDSA_WIDTHS[alg]
    return int.from_bytes(signature[:width], "big"), int.from_bytes(signature[width:], "big")


def signing_input(token: str) -> bytes:
    """Return the JWS signing input (header part, '.', payload part) of a compact token."""
    header_part, payload_part, _ = token.split(".")
    return f"{header_part}.{payload_part}".encode()


def with_signature(token: str, signature: bytes) -> str:
    """Replace a compact token's signature part."""
    header_part, payload_part, _ = token.split(".")
    return f"{header_part}.{payload_part}.{b64(signature)}"
