"""Reject public-key material offered as an HMAC secret (RFC 8725 §2.1).

A server that verifies RS256 tokens with a public key, but also allows HS256,
can be handed a token MACed with that public key's bytes, and anyone who
has the public key can compute that MAC. Every ``OctKey`` built from caller
bytes passes through ``check_hmac_secret``, which recognizes the usual
serializations of a public key, a certificate or a private key, raw or as
base64 or hex text.

The check is cheap for a real secret: short secrets only pay for a few
substring tests, and parsing is attempted only on bytes that already have the
exact outer shape of a key structure. It cannot recognize a raw Ed25519 or
X25519 public key (any 32 bytes may be one) or a compressed EC point.
"""

from __future__ import annotations

import binascii
import re
from typing import Any

from jwtkit._encoding import json_loads
from jwtkit.errors import InvalidKeyError, MalformedTokenError

_BYTE_ORDER_MARK = b"\xef\xbb\xbf"
_OCT_JWK_TEXT = "an oct JWK as JSON text"

# The smallest DER key structure, an Ed25519 SubjectPublicKeyInfo, is 44
# bytes; the smallest SSH wire-format key, Ed25519, is 51. Shorter input
# skips the structure checks.
_MIN_STRUCTURE_BYTES = 44
_MIN_BASE64_CHARACTERS = 4 * _MIN_STRUCTURE_BYTES // 3

# A PEM BEGIN or END line, also with dashes missing or only its END line kept
# (RFC 7468 §2): the rest of the text is then the key's base64 body.
_PEM_MARKER = re.compile(rb"----\s*(?:begin|end) [a-z0-9 ]{0,40}?(?:key|certificate)\b")

# Standard or url-safe base64 with optional padding, once whitespace is removed.
_BASE64_PATTERN = re.compile(rb"[A-Za-z0-9+/_-]+={0,2}")
_TO_STANDARD = bytes.maketrans(b"-_", b"+/")

# OpenSSH key type names start like this, in the text form and in the wire
# format (RFC 4253 §6.6): ssh-rsa, ssh-ed25519, ecdsa-sha2-nistp256,
# sk-ssh-ed25519@openssh.com.
_SSH_NAME_PREFIXES = (b"ssh-", b"ecdsa-", b"sk-")
_MAX_SSH_NAME_BYTES = 64
# The magic string of the body of an "OPENSSH PRIVATE KEY" block.
_OPENSSH_PRIVATE_MAGIC = b"openssh-key-v1\x00"

# Uncompressed point length (SEC 1 §2.3.3) -> the names of the curves with that length.
_EC_POINT_CURVES: dict[int, tuple[str, ...]] = {
    65: ("SECP256R1", "SECP256K1"),
    97: ("SECP384R1",),
    133: ("SECP521R1",),
}


def check_hmac_secret(secret: bytes) -> None:
    """Raise ``InvalidKeyError`` if ``secret`` is a serialized key rather than raw secret bytes."""
    found = describe_key_material(secret)
    if found is None:
        return
    if found == _OCT_JWK_TEXT:
        reason = "import it with Key.from_jwk, which takes its 'k' member as the secret"
    elif "private key" in found:
        reason = (
            "a private key serves only its own asymmetric algorithm, never HMAC (RFC 8725 "
            "§3.1). Load it with Key.from_pem or Key.from_der and sign with that alg"
        )
    else:
        reason = (
            "anyone holding the public key could compute the MAC and forge tokens (RFC 8725 "
            "§2.1). Load the key with Key.from_pem or Key.from_jwk and verify with its own "
            "asymmetric alg (RS256, ES256, EdDSA)"
        )
    raise InvalidKeyError(
        f"the HMAC secret is {found}, not an HMAC secret: {reason}. An HMAC secret must be "
        "random bytes, for example from Key.generate('oct')"
    )


def describe_key_material(data: bytes) -> str | None:
    """Name the kind of key serialization ``data`` is, or return None for anything else."""
    text = data.strip().removeprefix(_BYTE_ORDER_MARK).strip()

    described = _describe_pem_marker(text)
    if described is not None:
        return described
    if text.startswith(b"{"):
        described = _describe_json(text)
        if described is not None:
            return described
    fields = text.split()
    if len(fields) > 1 and _has_ssh_key_field(fields):
        return "an OpenSSH public key"

    described = _describe_structure(data)
    if described is not None:
        return described
    for encoding, decoded in (("base64", _decode_base64(text)), ("hex", _decode_hex(text))):
        if decoded is not None:
            described = _describe_structure(decoded) or _describe_pem_marker(decoded)
            if described is not None:
                return f"{encoding} text of {described}"
    return None


def _describe_pem_marker(text: bytes) -> str | None:
    """Name PEM text by any BEGIN or END line, even one damaged or left alone."""
    if b"----" not in text:
        return None
    lowered = text.lower()
    if _PEM_MARKER.search(lowered) is None:
        return None
    return "PEM text of a private key" if b"private key" in lowered else "PEM text"


def _describe_json(text: bytes) -> str | None:
    # Only a JSON object with "kty" or "keys" is a JWK or a JWK Set. Other
    # text that starts with "{" may still be a secret.
    try:
        value = json_loads(text, "the JWK text")
    except MalformedTokenError:
        return None
    if not isinstance(value, dict) or ("kty" not in value and "keys" not in value):
        return None
    return _OCT_JWK_TEXT if value.get("kty") == "oct" else "JWK JSON text"


def _has_ssh_key_field(fields: list[bytes]) -> bool:
    # An authorized_keys line may carry options before the key type and a
    # comment after the key, so each long field is tried as the key blob.
    for field in fields:
        if len(field) >= _MIN_BASE64_CHARACTERS:
            decoded = _decode_base64(field)
            if decoded is not None and _is_ssh_wire_key(decoded):
                return True
    return False


def _describe_structure(data: bytes) -> str | None:
    """Name the binary key structure ``data`` is, or return None."""
    if len(data) < _MIN_STRUCTURE_BYTES:
        return None
    if data[0] == 0x30 and _has_der_sequence_shape(data):
        kind = _der_kind(data)
        if kind is not None:
            return f"a DER {kind}"
    if _is_ssh_wire_key(data):
        return "an OpenSSH public key"
    if data.startswith(_OPENSSH_PRIVATE_MAGIC):
        return "an OpenSSH private key"
    if data[0] == 0x04 and _is_uncompressed_point(data):
        return "an uncompressed EC public point"
    return None


def _decode_base64(text: bytes) -> bytes | None:
    """Decode standard or url-safe base64, whitespace and padding optional; None if it is not."""
    if len(text) < _MIN_BASE64_CHARACTERS:
        return None
    compact = b"".join(text.split())
    if _BASE64_PATTERN.fullmatch(compact) is None:
        return None
    unpadded = compact.rstrip(b"=")
    if len(unpadded) % 4 == 1:
        return None
    padded = unpadded.translate(_TO_STANDARD) + b"=" * (-len(unpadded) % 4)
    try:
        return binascii.a2b_base64(padded)
    except binascii.Error:
        return None


def _decode_hex(text: bytes) -> bytes | None:
    if len(text) < 2 * _MIN_STRUCTURE_BYTES:
        return None
    try:
        return bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None


def _has_der_sequence_shape(data: bytes) -> bool:
    """Tell whether ``data`` is exactly one DER SEQUENCE: tag 0x30 and a length that fits."""
    first = data[1]
    if first < 0x80:
        return 2 + first == len(data)
    count = first & 0x7F
    if not 1 <= count <= 4 or len(data) < 2 + count:
        return False
    length = int.from_bytes(data[2 : 2 + count], "big")
    return 2 + count + length == len(data)


def _der_kind(data: bytes) -> str | None:
    """Name what DER ``data`` loads as: "public key", "certificate", "private key", or None."""
    # cryptography (x509 alone costs ~15 ms) is loaded only for DER-shaped input.
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    loaders: tuple[tuple[str, Any], ...] = (
        ("public key", serialization.load_der_public_key),
        ("certificate", x509.load_der_x509_certificate),
        ("private key", lambda raw: serialization.load_der_private_key(raw, None)),
    )
    for kind, load in loaders:
        try:
            load(data)
        except TypeError:
            # An encrypted private key that needs a password is still a private key.
            return kind
        except (ValueError, UnsupportedAlgorithm):
            continue
        return kind
    return None


def _is_ssh_wire_key(data: bytes) -> bool:
    """Tell whether ``data`` starts like an SSH public key blob: a length, then a key type name."""
    if len(data) < 8:
        return False
    length = int.from_bytes(data[:4], "big")
    if not 0 < length <= _MAX_SSH_NAME_BYTES or len(data) < 4 + length:
        return False
    return data[4 : 4 + length].startswith(_SSH_NAME_PREFIXES)


def _is_uncompressed_point(data: bytes) -> bool:
    curve_names = _EC_POINT_CURVES.get(len(data), ())
    if not curve_names or data[0] != 0x04:
        return False
    from cryptography.hazmat.primitives.asymmetric import ec

    for curve_name in curve_names:
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(getattr(ec, curve_name)(), data)
        except ValueError:
            continue
        return True
    return False
