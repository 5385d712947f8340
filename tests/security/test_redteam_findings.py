"""Attacks on, and crashes of, the key, JWS and JWT layers, each pinned by its hostile input.

Each section names the attack or the crash, builds the hostile input without
jwtkit where it can, and checks the error class, its code and its message.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

import jwtkit
from jwtkit import errors
from jwtkit._encoding import MAX_JSON_DEPTH, json_loads
from tests.security.conftest import NOW, Verify
from tests.security.forge import assemble, b64, hmac_token

SECRET = b"a shared secret of at least 32 bytes for HS256"
CLAIMS = {"sub": "alice"}
Encoding = serialization.Encoding
PublicFormat = serialization.PublicFormat
PrivateFormat = serialization.PrivateFormat


# -- public-key material given as an HMAC secret (RFC 8725 §2.1) -----------------


def _certificate(private_key: Any) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "token issuer")])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(7)
        .not_valid_before(datetime(2024, 1, 1, tzinfo=timezone.utc))
        .not_valid_after(datetime(2044, 1, 1, tzinfo=timezone.utc))
    )
    hash_algorithm = None if isinstance(private_key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return builder.sign(private_key, hash_algorithm)


def _pem_body(pem: bytes) -> bytes:
    """The base64 lines of a PEM block, without its BEGIN and END lines."""
    return b"\n".join(line for line in pem.splitlines() if not line.startswith(b"-----"))


def _ssh_blob(ssh_line: bytes) -> bytes:
    """The base64 wire-format part of an OpenSSH public key line."""
    return ssh_line.split()[1]


def _public_key_forms(private_key: Any) -> dict[str, bytes]:
    """Every serialization of one key pair that a server may hold and an attacker may know."""
    public = private_key.public_key()
    spki_der = public.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    spki_pem = public.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    ssh = public.public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH)
    certificate = _certificate(private_key)
    certificate_der = certificate.public_bytes(Encoding.DER)
    pkcs8_der = private_key.private_bytes(
        Encoding.DER, PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    pkcs8_pem = private_key.private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    encrypted_der = private_key.private_bytes(
        Encoding.DER, PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"password")
    )
    jwk = jwtkit.Key.from_cryptography(public).to_jwk()
    forms = {
        "SPKI PEM": spki_pem,
        "SPKI PEM, lowercase markers": spki_pem.replace(b"BEGIN", b"begin").replace(b"END", b"end"),
        "SPKI PEM after text": b"Bag Attributes\n    friendlyName: issuer\n" + spki_pem,
        "SPKI PEM body": _pem_body(spki_pem),
        "SPKI base64 on one line": base64.b64encode(spki_der),
        "SPKI base64url unpadded": base64.urlsafe_b64encode(spki_der).rstrip(b"="),
        "SPKI DER": spki_der,
        "SPKI hex": spki_der.hex().encode(),
        "OpenSSH public key": ssh,
        "OpenSSH public key with options": b'from="10.0.0.1",no-pty ' + ssh + b" issuer@host",
        "OpenSSH blob": _ssh_blob(ssh),
        "certificate PEM": certificate.public_bytes(Encoding.PEM),
        "certificate DER": certificate_der,
        "x5c string": base64.b64encode(certificate_der),
        "PKCS#8 private key PEM": pkcs8_pem,
        "PKCS#8 private key PEM body": _pem_body(pkcs8_pem),
        "PKCS#8 private key DER": pkcs8_der,
        "encrypted PKCS#8 private key DER": encrypted_der,
        "JWK JSON text": json.dumps(jwk).encode(),
        "JWK JSON text, indented": b"\n  " + json.dumps(jwk, indent=2).encode(),
        "JWK Set JSON text": json.dumps({"keys": [jwk]}).encode(),
    }
    if isinstance(private_key, rsa.RSAPrivateKey):
        forms["PKCS#1 public key DER"] = public.public_bytes(Encoding.DER, PublicFormat.PKCS1)
        forms["PKCS#1 private key DER"] = private_key.private_bytes(
            Encoding.DER, PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        point = public.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        forms["uncompressed EC point"] = point
        forms["uncompressed EC point, base64"] = base64.b64encode(point)
        forms["uncompressed EC point, hex"] = point.hex().encode()
        forms["SEC1 private key DER"] = private_key.private_bytes(
            Encoding.DER, PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
    return forms


@pytest.fixture(scope="module")
def key_forms(rsa_private_key: rsa.RSAPrivateKey) -> dict[str, bytes]:
    """Public-key material of RSA, EC (every NIST curve) and Ed25519 keys, labelled."""
    private_keys: dict[str, Any] = {
        "RSA": rsa_private_key,
        "P-256": ec.generate_private_key(ec.SECP256R1()),
        "P-384": ec.generate_private_key(ec.SECP384R1()),
        "P-521": ec.generate_private_key(ec.SECP521R1()),
        "Ed25519": ed25519.Ed25519PrivateKey.generate(),
    }
    return {
        f"{kind} {form}": data
        for kind, private_key in private_keys.items()
        for form, data in _public_key_forms(private_key).items()
    }


def _error_of(label: str, function: Callable[..., Any], *args: Any) -> errors.JWTError:
    """Return the jwtkit error that ``function(*args)`` raises; fail, naming ``label``, if none."""
    try:
        function(*args)
    except errors.JWTError as exc:
        return exc
    pytest.fail(f"{label}: accepted")


def _as_given(data: bytes) -> list[Any]:
    """The ways a caller may pass the same key material: bytes, and str when it is text."""
    return [data, data.decode()] if data.isascii() else [data]


def _assert_confusion_error(label: str, error: errors.JWTError) -> None:
    assert isinstance(error, errors.InvalidKeyError), f"{label}: {error!r}"
    assert error.code == "invalid_key", label
    if "private key" in label:
        assert "private key serves only its own asymmetric algorithm" in error.message, label
        assert "RFC 8725 §3.1" in error.message, f"{label}: {error.message}"
    else:
        assert "forge tokens" in error.message, f"{label}: {error.message}"
        assert "RFC 8725 §2.1" in error.message, f"{label}: {error.message}"


def test_from_secret_rejects_public_key_material(key_forms: dict[str, bytes]) -> None:
    for label, data in key_forms.items():
        for given in _as_given(data):
            error = _error_of(label, jwtkit.Key.from_secret, given)
            _assert_confusion_error(label, error)


def test_oct_jwk_rejects_public_key_material(key_forms: dict[str, bytes]) -> None:
    for label, data in key_forms.items():
        error = _error_of(label, jwtkit.Key.from_jwk, {"kty": "oct", "k": b64(data)})
        _assert_confusion_error(label, error)


def test_forged_hmac_token_rejected(verify: Verify, key_forms: dict[str, bytes]) -> None:
    # The attack itself: MAC with the exact bytes the server uses as its "secret".
    for label, data in key_forms.items():
        forged = hmac_token(data, {"alg": "HS256"}, CLAIMS)
        for given in [*_as_given(data), bytearray(data)]:
            error = _error_of(label, verify, forged, given, ["HS256"])
            assert isinstance(error, (errors.InvalidKeyError, errors.KeyMismatchError)), (
                f"{label}: {error!r}"
            )


def test_encode_rejects_public_key_as_secret(key_forms: dict[str, bytes]) -> None:
    for label, data in key_forms.items():
        error = _error_of(label, jwtkit.encode, CLAIMS, data, "HS256")
        assert isinstance(error, errors.InvalidKeyError), f"{label}: {error!r}"


def test_from_secret_accepts_random_secrets() -> None:
    # No real secret may be taken for a key: random bytes of every usual
    # length, and text forms of random bytes (base64, base64url, hex).
    generator = random.Random(8725)
    for _ in range(3000):
        raw = generator.randbytes(generator.randint(16, 128))
        for secret in (
            raw,
            base64.b64encode(raw),
            base64.urlsafe_b64encode(raw).rstrip(b"="),
            raw.hex().encode(),
        ):
            assert jwtkit.Key.from_secret(secret).size == len(secret) * 8


def test_from_secret_accepts_lookalike_secrets() -> None:
    # Random bytes shaped like the start of a key: a DER SEQUENCE header, an
    # uncompressed EC point prefix, an SSH name length, JSON text.
    generator = random.Random(7515)
    for _ in range(500):
        for length in (65, 97, 133):
            jwtkit.Key.from_secret(b"\x04" + generator.randbytes(length - 1))
        body = generator.randbytes(generator.randint(40, 120))
        jwtkit.Key.from_secret(b"\x30" + bytes([len(body)]) + body)
        jwtkit.Key.from_secret(base64.b64encode(b"\x30" + bytes([len(body)]) + body))
        jwtkit.Key.from_secret(b"\x00\x00\x00\x07" + generator.randbytes(60))
    for text in (
        "correct horse battery staple correct horse",
        '{"this is": "a JSON passphrase, not a JWK"}',
        "ssh-agent forwarding is not a key but a long passphrase",
        "-----not a PEM marker----- but dashes in a passphrase",
    ):
        assert jwtkit.Key.from_secret(text).size == len(text.encode()) * 8


def test_oct_jwk_text_as_secret_rejected() -> None:
    jwk_text = json.dumps({"kty": "oct", "k": b64(SECRET)})

    with pytest.raises(errors.InvalidKeyError) as caught:
        jwtkit.Key.from_secret(jwk_text)

    assert "the HMAC secret is an oct JWK as JSON text" in caught.value.message
    assert "import it with Key.from_jwk" in caught.value.message


def test_random_secret_still_verifies(verify: Verify) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, CLAIMS)
    assert verify(token, SECRET, ["HS256"])


# -- lone surrogates in JSON (RFC 7493 §2.1) --------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        r'{"sub":"\ud800"}',
        r'{"sub":"\udc00"}',
        r'{"sub":"\udc00\ud800"}',
        r'{"sub":"\ud800\ud800"}',
        r'{"sub":"x\uDBFF"}',
        r'{"\ud800":1}',
        r'{"a":[{"b":"\udfff"}]}',
    ],
)
def test_lone_surrogate_escape_rejected(text: str) -> None:
    with pytest.raises(errors.MalformedTokenError) as caught:
        json_loads(text.encode(), "the token's claims")

    assert caught.value.code == "malformed_token"
    assert "the token's claims" in caught.value.message
    assert "lone surrogate" in caught.value.message
    assert "RFC 7493" in caught.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (r'{"sub":"\ud83d\ude00"}', {"sub": "\U0001f600"}),
        (r'{"sub":"\\ud800"}', {"sub": "\\ud800"}),
        (r'{"sub":"\u00e9"}', {"sub": "é"}),
    ],
)
def test_valid_unicode_escapes_accepted(text: str, expected: dict[str, str]) -> None:
    assert json_loads(text.encode(), "the token's claims") == expected


def test_lone_surrogate_claim_token_rejected(verify_jwt: Verify) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, rb'{"sub":"\ud800"}')

    with pytest.raises(errors.MalformedTokenError) as caught:
        verify_jwt(token, SECRET, ["HS256"])

    assert "lone surrogate" in caught.value.message


def test_lone_surrogate_header_rejected(verify: Verify) -> None:
    token = hmac_token(SECRET, rb'{"alg":"HS256","kid":"\udbff"}', CLAIMS)

    with pytest.raises(errors.MalformedTokenError) as caught:
        verify(token, SECRET, ["HS256"])

    assert "the token's header" in caught.value.message


def test_lone_surrogate_in_jwk_text_rejected() -> None:
    with pytest.raises(errors.InvalidKeyError) as caught:
        jwtkit.Key.from_jwk('{"kty":"oct","k":"' + b64(SECRET) + '","kid":"\\ud800"}')

    assert "lone surrogate" in caught.value.message


# -- RFC 7797 unencoded payloads are not for JWTs ---------------------------------


def test_unencoded_payload_jwt_rejected(verify_jwt: Verify) -> None:
    token = jwtkit.jws.sign_compact(b'{"sub":"alice"}', SECRET, "HS256", {"b64": False})

    with pytest.raises(errors.MalformedTokenError) as caught:
        verify_jwt(token, SECRET, ["HS256"])

    assert caught.value.code == "malformed_token"
    assert "'b64': false" in caught.value.message
    assert "RFC 7797 §7" in caught.value.message
    assert "jwtkit.jws.verify_compact" in caught.value.message


def test_unencoded_payload_jws_still_verifies() -> None:
    token = jwtkit.jws.sign_compact(b'{"sub":"alice"}', SECRET, "HS256", {"b64": False})

    verified = jwtkit.jws.verify_compact(token, SECRET, algorithms=["HS256"])

    assert verified.payload == b'{"sub":"alice"}'


def test_encoded_b64_true_jwt_accepted(verify_jwt: Verify) -> None:
    token = hmac_token(SECRET, {"alg": "HS256", "crit": ["b64"], "b64": True}, CLAIMS)

    assert verify_jwt(token, SECRET, ["HS256"]) == CLAIMS


@pytest.mark.parametrize("claims", [CLAIMS, {"sub": "a.b"}])
def test_encode_rejects_unencoded_payload(claims: dict[str, str]) -> None:
    with pytest.raises(errors.UsageError) as caught:
        jwtkit.encode(claims, SECRET, "HS256", headers={"b64": False})

    assert "RFC 7797 §7" in caught.value.message
    assert "jwtkit.jws.sign_compact" in caught.value.message
    assert "detached=True" not in caught.value.message


# -- foreign exceptions from odd arguments ----------------------------------------


@pytest.fixture(scope="module")
def rsa_key(rsa_private_key: rsa.RSAPrivateKey) -> jwtkit.Key:
    return jwtkit.Key.from_cryptography(rsa_private_key)


def test_secret_with_lone_surrogate_rejected() -> None:
    with pytest.raises(errors.InvalidKeyError) as caught:
        jwtkit.Key.from_secret("\ud800" + "x" * 40)

    assert "lone surrogate" in caught.value.message
    assert "index 0" in caught.value.message


def test_pem_with_lone_surrogate_rejected(rsa_key: jwtkit.Key) -> None:
    pem = rsa_key.to_pem().decode() + "\ud800"

    with pytest.raises(errors.InvalidKeyError) as caught:
        jwtkit.Key.from_pem(pem)

    assert "lone surrogate" in caught.value.message


def test_from_der_rejects_text(rsa_key: jwtkit.Key) -> None:
    for text in (rsa_key.to_pem().decode(), "\ud800"):
        with pytest.raises(errors.InvalidKeyError) as caught:
            jwtkit.Key.from_der(text)  # type: ignore[arg-type]

        assert "DER key must be bytes, got str" in caught.value.message
        assert "Key.from_pem" in caught.value.message


def test_password_with_lone_surrogate_rejected(rsa_key: jwtkit.Key) -> None:
    with pytest.raises(errors.UsageError) as caught:
        rsa_key.to_pem(private=True, password="pass\ud800")

    assert "password" in caught.value.message
    assert "lone surrogate" in caught.value.message


def test_decode_with_surrogate_key_text(verify: Verify) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, CLAIMS)

    for algorithms in (["HS256"], ["RS256", "HS256"]):
        with pytest.raises(errors.InvalidKeyError) as caught:
            verify(token, "\ud800" * 40, algorithms)
        assert "lone surrogate" in caught.value.message

    ec_token = jwtkit.jws.sign_compact(b"{}", jwtkit.Key.generate("EC"), "ES256")
    with pytest.raises(errors.InvalidKeyError):
        verify(ec_token, "\ud800" * 40, ["ES256"])


@pytest.mark.parametrize("password", [5, 1.5, ["pw"], True])
def test_password_of_wrong_type_rejected(rsa_key: jwtkit.Key, password: Any) -> None:
    encrypted = rsa_key.to_pem(private=True, password=b"password")
    der = serialization.load_pem_private_key(encrypted, b"password").private_bytes(
        Encoding.DER, PrivateFormat.PKCS8, serialization.BestAvailableEncryption(b"password")
    )

    for load in (
        lambda: jwtkit.Key.from_pem(encrypted, password=password),
        lambda: jwtkit.Key.from_pem(rsa_key.to_pem(), password=password),
        lambda: jwtkit.Key.from_der(der, password=password),
        lambda: rsa_key.to_pem(private=True, password=password),
    ):
        with pytest.raises(errors.UsageError) as caught:
            load()
        assert f"password must be str or bytes, got {type(password).__name__}" in (
            caught.value.message
        )


@pytest.mark.parametrize(
    ("kty", "options", "message"),
    [
        ("RSA", {"size": "2048"}, "size must be an integer number of bits, got str"),
        ("RSA", {"size": 2048.0}, "size must be an integer number of bits, got float"),
        ("oct", {"size": True}, "size must be an integer number of bits, got bool"),
        ("EC", {"curve": 256}, "curve must be a string such as 'P-256', got int"),
        (["RSA"], {}, "kty must be a string such as 'RSA', got list"),
    ],
)
def test_generate_rejects_wrong_types(kty: Any, options: dict[str, Any], message: str) -> None:
    with pytest.raises(errors.UsageError) as caught:
        jwtkit.Key.generate(kty, **options)

    assert message in caught.value.message


@pytest.mark.parametrize("keys", [None, 5, "keys", b"keys", {"keys": []}])
def test_keyset_rejects_non_iterable(keys: Any) -> None:
    with pytest.raises(errors.InvalidKeyError) as caught:
        jwtkit.KeySet(keys)

    assert "KeySet takes an iterable of jwtkit Key objects" in caught.value.message


def _nested(depth: int) -> dict[str, Any]:
    """A dict whose JSON nests ``depth`` objects, counting itself."""
    value: dict[str, Any] = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


def test_encode_rejects_deep_recursion() -> None:
    with pytest.raises(errors.UsageError) as caught:
        jwtkit.encode(_nested(1000), SECRET, "HS256")

    assert f"deeper than {MAX_JSON_DEPTH} levels" in caught.value.message


def test_encode_depth_matches_decoder() -> None:
    # The deepest claims encode accepts, decode accepts too; one level more fails.
    token = jwtkit.encode(_nested(MAX_JSON_DEPTH), SECRET, "HS256")
    assert jwtkit.decode(token, SECRET, algorithms=["HS256"]) == _nested(MAX_JSON_DEPTH)

    with pytest.raises(errors.UsageError) as caught:
        jwtkit.encode(_nested(MAX_JSON_DEPTH + 1), SECRET, "HS256")
    assert "claims cannot be serialized as JSON" in caught.value.message
    assert f"deeper than {MAX_JSON_DEPTH} levels" in caught.value.message


def test_encode_rejects_deep_header() -> None:
    deep_header = {"x": _nested(MAX_JSON_DEPTH)}

    with pytest.raises(errors.UsageError) as caught:
        jwtkit.encode(CLAIMS, SECRET, "HS256", headers=deep_header)

    assert "headers cannot be serialized as JSON" in caught.value.message
    assert f"deeper than {MAX_JSON_DEPTH} levels" in caught.value.message


# -- small-order and non-canonical EdDSA public keys (RFC 8032) -------------------

# Curve constants from RFC 8032 §5.1 (Ed25519) and §5.2 (Ed448): the field
# prime p, the curve constants a and d, the prime order L of the base point,
# the cofactor and the encoded length.
_ED25519_P = 2**255 - 19
_ED448_P = 2**448 - 2**224 - 1
EDWARDS_CURVES: dict[str, dict[str, int]] = {
    "Ed25519": {
        "p": _ED25519_P,
        "a": -1,
        "d": -121665 * pow(121666, -1, _ED25519_P) % _ED25519_P,
        "order": 2**252 + 27742317777372353535851937790883648493,
        "cofactor": 8,
        "size": 32,
    },
    "Ed448": {
        "p": _ED448_P,
        "a": 1,
        "d": -39081 % _ED448_P,
        "order": 2**446 - 13818066809895115352007386748515426880336692474882178609894547503885,
        "cofactor": 4,
        "size": 57,
    },
}
Point = tuple[int, int]


def _add(curve: dict[str, int], first: Point, second: Point) -> Point:
    p, a, d = curve["p"], curve["a"], curve["d"]
    (x1, y1), (x2, y2) = first, second
    t = d * x1 * x2 * y1 * y2 % p
    x3 = (x1 * y2 + y1 * x2) * pow(1 + t, -1, p) % p
    y3 = (y1 * y2 - a * x1 * x2) * pow(1 - t, -1, p) % p
    return x3, y3


def _multiply(curve: dict[str, int], scalar: int, point: Point) -> Point:
    result: Point = (0, 1)
    while scalar:
        if scalar & 1:
            result = _add(curve, result, point)
        point = _add(curve, point, point)
        scalar >>= 1
    return result


def _point_with_y(curve: dict[str, int], y: int) -> Point | None:
    p, a, d = curve["p"], curve["a"], curve["d"]
    x_squared = (y * y - 1) * pow(d * y * y - a, -1, p) % p
    # A square root by Euler's criterion and a generic search-free exponent:
    # both primes have a root formula, but the oracle only needs some root.
    if pow(x_squared, (p - 1) // 2, p) not in (0, 1):
        return None
    root = _square_root(x_squared, p)
    return root, y


def _square_root(value: int, p: int) -> int:
    # Tonelli-Shanks, written independently of jwtkit's formulas.
    if value == 0:
        return 0
    q, s = p - 1, 0
    while q % 2 == 0:
        q, s = q // 2, s + 1
    z = 2
    while pow(z, (p - 1) // 2, p) != p - 1:
        z += 1
    m, c, t, root = s, pow(z, q, p), pow(value, q, p), pow(value, (q + 1) // 2, p)
    while t != 1:
        i, t_power = 0, t
        while t_power != 1:
            t_power, i = t_power * t_power % p, i + 1
        b = pow(c, 1 << (m - i - 1), p)
        m, c, t, root = i, b * b % p, t * b * b % p, root * b % p
    return root


def _torsion_points(crv: str) -> list[Point]:
    """Every point whose order divides the cofactor, found as multiples of [L]P."""
    curve = EDWARDS_CURVES[crv]
    cofactor = curve["cofactor"]
    y = 2
    while True:
        point = _point_with_y(curve, y)
        y += 1
        if point is None:
            continue
        torsion = _multiply(curve, curve["order"], point)
        # A generator of the whole torsion subgroup has order exactly the cofactor.
        if _multiply(curve, cofactor // 2, torsion) != (0, 1):
            return [_multiply(curve, k, torsion) for k in range(cofactor)]


def _encode_point(crv: str, x: int, y: int) -> bytes:
    size = EDWARDS_CURVES[crv]["size"]
    return (y | (x & 1) << (8 * size - 1)).to_bytes(size, "little")


def _okp_jwk(crv: str, x: bytes) -> dict[str, str]:
    return {"kty": "OKP", "crv": crv, "x": b64(x)}


def _public_der(crv: str, x: bytes) -> bytes:
    public_class = ed25519.Ed25519PublicKey if crv == "Ed25519" else ed448.Ed448PublicKey
    return public_class.from_public_bytes(x).public_bytes(
        Encoding.DER, PublicFormat.SubjectPublicKeyInfo
    )


def test_torsion_oracle_finds_whole_subgroup() -> None:
    # The oracle itself: 8 distinct points for Ed25519, 4 for Ed448, with the
    # well-known y values 1, p - 1 and 0 among them.
    for crv, curve in EDWARDS_CURVES.items():
        points = _torsion_points(crv)
        assert len(set(points)) == curve["cofactor"]
        assert {1, curve["p"] - 1, 0} <= {y for _, y in points}


@pytest.mark.parametrize("crv", sorted(EDWARDS_CURVES))
def test_small_order_public_keys_rejected(crv: str) -> None:
    # Each point in both encodings: its own x sign, and the flipped sign, which
    # is -x (also of small order) or, for x = 0, a non-canonical "-0".
    for x, y in _torsion_points(crv):
        for flip in (0, 1):
            encoded = _encode_point(crv, x ^ flip, y)
            with pytest.raises(errors.InvalidKeyError) as caught:
                jwtkit.Key.from_jwk(_okp_jwk(crv, encoded))
            assert crv in caught.value.message
            expected = "not canonical" if x == 0 and flip else "forged tokens"
            assert expected in caught.value.message

            with pytest.raises(errors.InvalidKeyError):
                jwtkit.Key.from_der(_public_der(crv, encoded))


@pytest.mark.parametrize("crv", sorted(EDWARDS_CURVES))
def test_non_canonical_public_keys_rejected(crv: str) -> None:
    curve = EDWARDS_CURVES[crv]
    size = curve["size"]
    for y in (curve["p"], curve["p"] + 1, curve["p"] + 5, 2 ** (8 * size - 1) - 1):
        encoded = y.to_bytes(size, "little")
        with pytest.raises(errors.InvalidKeyError) as caught:
            jwtkit.Key.from_jwk(_okp_jwk(crv, encoded))
        assert "not canonical" in caught.value.message


def test_small_order_key_forgery_blocked() -> None:
    # With the identity as public key, R = identity and S = 0 pass RFC 8032
    # verification in OpenSSL for any message: the key must never load.
    identity = b"\x01" + bytes(31)
    forged_signature = b"\x01" + bytes(63)
    token = assemble({"alg": "EdDSA"}, {"sub": "admin"}, forged_signature)
    raw_key = ed25519.Ed25519PublicKey.from_public_bytes(identity)
    raw_key.verify(forged_signature, token.rsplit(".", 1)[0].encode())

    for key in (_okp_jwk("Ed25519", identity), raw_key):
        with pytest.raises(errors.InvalidKeyError):
            jwtkit.decode(token, key, algorithms=["EdDSA"], now=NOW)


@pytest.mark.parametrize("crv", sorted(EDWARDS_CURVES))
def test_other_curve_points_accepted(crv: str) -> None:
    # Points outside the prime-order subgroup but not of small order load as
    # cryptography loads them; only the small-order ones are rejected.
    curve = EDWARDS_CURVES[crv]
    torsion_y = {y for _, y in _torsion_points(crv)}
    accepted = 0
    for y in range(2, 200):
        point = _point_with_y(curve, y)
        if point is None or y in torsion_y:
            continue
        encoded = _encode_point(crv, *point)
        assert jwtkit.Key.from_jwk(_okp_jwk(crv, encoded)).kty == "OKP"
        accepted += 1
    assert accepted > 20


def test_ordinary_eddsa_keys_accepted() -> None:
    for private_class in (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey):
        for _ in range(20):
            public = private_class.generate().public_key()
            key = jwtkit.Key.from_cryptography(public)
            assert jwtkit.Key.from_jwk(key.to_jwk()) == key


# -- keys whose parameters contradict each other ----------------------------------


def test_empty_oct_secret_rejected() -> None:
    for load in (
        lambda: jwtkit.Key.from_jwk({"kty": "oct", "k": ""}),
        lambda: jwtkit.Key.from_secret(b""),
        lambda: jwtkit.Key.from_secret(""),
    ):
        with pytest.raises(errors.InvalidKeyError) as caught:
            load()
        assert "secret is empty" in caught.value.message


@pytest.mark.parametrize(
    ("kind", "alg", "message"),
    [
        ("RSA", "HS256", "JWK 'alg' is 'HS256', which needs a secret (kty 'oct') key"),
        ("RSA", "ES256", "JWK 'alg' is 'ES256', which needs an EC key"),
        ("P-256", "ES384", "alg 'ES384' needs an EC key on P-384"),
        ("P-256", "RS256", "needs an RSA key, but the key is an EC key"),
        ("Ed25519", "ES256", "needs an EC key"),
        ("oct", "RS256", "needs an RSA key, but the key is a secret"),
    ],
)
def test_jwk_alg_of_other_family_rejected(
    rsa_key: jwtkit.Key, kind: str, alg: str, message: str
) -> None:
    keys = {
        "RSA": rsa_key,
        "P-256": jwtkit.Key.generate("EC"),
        "Ed25519": jwtkit.Key.generate("OKP"),
        "oct": jwtkit.Key.from_secret(SECRET),
    }
    jwk = {**keys[kind].to_jwk(private=True), "alg": alg}

    with pytest.raises(errors.InvalidKeyError) as caught:
        jwtkit.Key.from_jwk(jwk)
    assert message in caught.value.message

    key_set = jwtkit.KeySet.from_jwks({"keys": [jwk]})
    assert len(key_set) == 0
    assert message in key_set.skipped[0]


def test_jwk_alg_unknown_to_jwtkit_kept(rsa_key: jwtkit.Key) -> None:
    # An alg of a family jwtkit does not implement yet (JWE) is left to its user.
    jwk = {**rsa_key.to_jwk(), "alg": "RSA-OAEP-256"}

    assert jwtkit.Key.from_jwk(jwk).alg == "RSA-OAEP-256"


def test_empty_key_ops_rejected() -> None:
    jwk = {**jwtkit.Key.generate("EC").to_jwk(), "key_ops": []}

    with pytest.raises(errors.InvalidKeyError) as caught:
        jwtkit.Key.from_jwk(jwk)

    assert "JWK 'key_ops' is empty" in caught.value.message


@pytest.mark.parametrize(
    ("kty", "options", "message"),
    [
        ("EC", {"alg": "RS256"}, "needs an RSA key, but the key is an EC key"),
        ("EC", {"curve": "P-384", "alg": "ES256"}, "needs an EC key on P-256"),
        ("OKP", {"alg": "HS256"}, "needs a secret (kty 'oct') key"),
        ("oct", {"alg": "ES256"}, "needs an EC key"),
    ],
)
def test_generate_rejects_incoherent_alg(kty: str, options: dict[str, Any], message: str) -> None:
    with pytest.raises(errors.InvalidKeyError) as caught:
        jwtkit.Key.generate(kty, **options)

    assert message in caught.value.message


def test_generate_rsa_size_multiple_of_8() -> None:
    with pytest.raises(errors.UsageError) as caught:
        jwtkit.Key.generate("RSA", size=2049)

    assert "RSA key size must be a multiple of 8 bits, got 2049" in caught.value.message


def test_pem_with_several_blocks_rejected(rsa_private_key: rsa.RSAPrivateKey) -> None:
    certificate = _certificate(rsa_private_key).public_bytes(Encoding.PEM)
    private_pem = rsa_private_key.private_bytes(
        Encoding.PEM, PrivateFormat.PKCS8, serialization.NoEncryption()
    )

    for bundle, labels in (
        (certificate + private_pem, "CERTIFICATE, PRIVATE KEY"),
        (certificate + certificate, "CERTIFICATE, CERTIFICATE"),
    ):
        with pytest.raises(errors.InvalidKeyError) as caught:
            jwtkit.Key.from_pem(bundle)
        assert f"2 PEM blocks ({labels})" in caught.value.message
        assert "pass one block" in caught.value.message


# -- header parameters of the wrong type, and null values ------------------------


def test_null_kid_rejected(verify: Verify) -> None:
    token = hmac_token(SECRET, {"alg": "HS256", "kid": None}, CLAIMS)

    with pytest.raises(errors.MalformedTokenError) as caught:
        verify(token, SECRET, ["HS256"])

    assert "'kid' must be a string, got a JSON null" in caught.value.message


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("jku", 1, "a string"),
        ("x5u", ["https://keys.example"], "a string"),
        ("jwk", "a JWK", "a JSON object"),
        ("jwk", [], "a JSON object"),
        ("x5c", "MIIB", "a non-empty array of base64 strings"),
        ("x5c", [1], "a non-empty array of base64 strings"),
        ("x5c", [], "a non-empty array of base64 strings"),
        ("x5t", 1, "a string"),
        ("x5t#S256", {}, "a string"),
        ("typ", 1, "a string"),
        ("typ", None, "a string"),
        ("cty", True, "a string"),
    ],
)
def test_header_parameter_types_checked(
    verify: Verify, name: str, value: Any, expected: str
) -> None:
    token = hmac_token(SECRET, {"alg": "HS256", name: value}, CLAIMS)

    with pytest.raises(errors.MalformedTokenError) as caught:
        verify(token, SECRET, ["HS256"])

    assert f"the JWS header's {name!r} must be {expected}" in caught.value.message


def test_well_typed_header_parameters_accepted(verify: Verify) -> None:
    header = {
        "alg": "HS256",
        "typ": "JWT",
        "cty": "json",
        "jku": "https://keys.example/jwks",
        "x5u": "https://keys.example/cert",
        "x5t": "dGh1bWI",
        "x5t#S256": "dGh1bWI",
        "x5c": ["MIIB"],
        "jwk": {"kty": "oct"},
    }
    token = hmac_token(SECRET, header, CLAIMS)

    assert verify(token, SECRET, ["HS256"])


def test_encode_omits_none_parameters() -> None:
    key = jwtkit.Key.from_secret(SECRET, kid="k1")

    token = jwtkit.encode(CLAIMS, key, "HS256", headers={"typ": None, "kid": None, "cty": None})

    assert jwtkit.decode_unverified(token).header == {"alg": "HS256"}
    assert jwtkit.decode(token, key, algorithms=["HS256"]) == CLAIMS


def test_sign_compact_omits_none_parameters() -> None:
    token = jwtkit.jws.sign_compact(b"{}", SECRET, "HS256", {"kid": None, "x": 1})

    assert jwtkit.decode_unverified(token).header == {"alg": "HS256", "x": 1}


def test_encode_rejects_private_jwk_header(rsa_key: jwtkit.Key) -> None:
    for jwk in (rsa_key.to_jwk(private=True), {"kty": "oct", "k": b64(SECRET)}):
        with pytest.raises(errors.UsageError) as caught:
            jwtkit.encode(CLAIMS, SECRET, "HS256", headers={"jwk": jwk})
        assert "would publish the private key" in caught.value.message
        assert "key.public_key().to_jwk()" in caught.value.message
        assert "public_key().to_jwk()" in caught.value.message


def test_encode_accepts_public_jwk_header(rsa_key: jwtkit.Key) -> None:
    token = jwtkit.encode(CLAIMS, rsa_key, "RS256", headers={"jwk": rsa_key.to_jwk()})

    assert jwtkit.decode_unverified(token).header["jwk"] == rsa_key.to_jwk()


# -- messages ---------------------------------------------------------------------


def test_typ_mismatch_message_bounded(verify_jwt: Verify) -> None:
    token = hmac_token(SECRET, {"alg": "HS256", "typ": "x" * 30_000}, CLAIMS)

    with pytest.raises(errors.InvalidHeaderError) as caught:
        verify_jwt(token, SECRET, ["HS256"], typ="JWT")

    assert len(caught.value.message) < 300
    assert "30000 characters" in caught.value.message


def test_b64_wrong_type_message_bounded(verify: Verify) -> None:
    token = hmac_token(SECRET, {"alg": "HS256", "crit": ["b64"], "b64": "x" * 30_000}, CLAIMS)

    with pytest.raises(errors.MalformedTokenError) as caught:
        verify(token, SECRET, ["HS256"])

    assert len(caught.value.message) < 300
    assert "'b64' must be true or false, got a JSON string" in caught.value.message


def test_jwe_message_names_no_missing_module(verify: Verify) -> None:
    with pytest.raises(errors.MalformedTokenError) as caught:
        verify("a.b.c.d.e", SECRET, ["HS256"])

    assert "jwtkit.jwe" not in caught.value.message
    assert "jwtkit does not decrypt JWE" in caught.value.message


def test_sign_family_mismatch_reported_first(rsa_key: jwtkit.Key) -> None:
    public_pem = rsa_key.to_pem()

    for key in (public_pem, rsa_key.public_key()):
        with pytest.raises(errors.InvalidKeyError) as caught:
            jwtkit.encode(CLAIMS, key, "HS256")
        assert "alg 'HS256' needs a secret (kty 'oct') key, but the key is an RSA key" in (
            caught.value.message
        )
        assert "public key can never be used as an HMAC secret" in caught.value.message


def test_hmac_sentence_only_for_hmac_mismatch() -> None:
    ec_key = jwtkit.Key.generate("EC")
    token = jwtkit.jws.sign_compact(b"{}", ec_key, "ES256")

    with pytest.raises(errors.KeyMismatchError) as caught:
        jwtkit.jws.verify_compact(token, jwtkit.Key.generate("OKP"), algorithms=["ES256"])

    assert "needs an EC key, but the key is an OKP" in caught.value.message
    assert "HMAC" not in caught.value.message


@pytest.mark.parametrize("alg", ["", "HS999", "x" * 200, "none!"])
def test_unknown_alg_gets_no_add_advice(verify: Verify, alg: str) -> None:
    token = hmac_token(SECRET, {"alg": alg}, CLAIMS)

    with pytest.raises(errors.AlgorithmNotAllowedError) as caught:
        verify(token, SECRET, ["HS256"])

    assert "add it to algorithms" not in caught.value.message
    assert "is not an algorithm jwtkit implements" in caught.value.message
    assert len(caught.value.message) < 300


def test_known_alg_gets_add_advice(verify: Verify) -> None:
    token = hmac_token(SECRET, {"alg": "HS384"}, CLAIMS, alg="HS384")

    with pytest.raises(errors.AlgorithmNotAllowedError) as caught:
        verify(token, SECRET, ["HS256"])

    assert "add it to algorithms" in caught.value.message
