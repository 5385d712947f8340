"""Keys: JWK, PEM, DER, certificate and raw-secret import, export, generation, thumbprints."""

from __future__ import annotations

import base64
import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa, x448, x25519
from cryptography.x509.oid import NameOID

from jwtkit import ECKey, Key, KeySet, OctKey, OKPKey, RSAKey
from jwtkit.errors import InvalidKeyError, UsageError

# -- helpers that build JWKs and PEMs without jwtkit --------------------------


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64u_int(value: int, length: int | None = None) -> str:
    size = length if length is not None else max(1, (value.bit_length() + 7) // 8)
    return b64u(value.to_bytes(size, "big"))


EC_CURVES: dict[str, tuple[ec.EllipticCurve, int]] = {
    "P-256": (ec.SECP256R1(), 32),
    "P-384": (ec.SECP384R1(), 48),
    "P-521": (ec.SECP521R1(), 66),
    "secp256k1": (ec.SECP256K1(), 32),
}
OKP_CURVES: dict[str, Any] = {
    "Ed25519": ed25519.Ed25519PrivateKey,
    "Ed448": ed448.Ed448PrivateKey,
    "X25519": x25519.X25519PrivateKey,
    "X448": x448.X448PrivateKey,
}
RAW = serialization.Encoding.Raw


def rsa_private_jwk(key: rsa.RSAPrivateKey) -> dict[str, str]:
    numbers = key.private_numbers()
    public = numbers.public_numbers
    return {
        "kty": "RSA",
        "n": b64u_int(public.n),
        "e": b64u_int(public.e),
        "d": b64u_int(numbers.d),
        "p": b64u_int(numbers.p),
        "q": b64u_int(numbers.q),
        "dp": b64u_int(numbers.dmp1),
        "dq": b64u_int(numbers.dmq1),
        "qi": b64u_int(numbers.iqmp),
    }


def ec_private_jwk(key: ec.EllipticCurvePrivateKey, crv: str) -> dict[str, str]:
    width = EC_CURVES[crv][1]
    point = key.public_key().public_numbers()
    return {
        "kty": "EC",
        "crv": crv,
        "x": b64u_int(point.x, width),
        "y": b64u_int(point.y, width),
        "d": b64u_int(key.private_numbers().private_value, width),
    }


def okp_private_jwk(key: Any, crv: str) -> dict[str, str]:
    x = key.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    d = key.private_bytes(RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return {"kty": "OKP", "crv": crv, "x": b64u(x), "d": b64u(d)}


def public_part(jwk: dict[str, str]) -> dict[str, str]:
    private = {"d", "p", "q", "dp", "dq", "qi", "k"}
    return {name: value for name, value in jwk.items() if name not in private}


def pem_private(
    key: Any, form: serialization.PrivateFormat, password: bytes | None = None
) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, form, encryption)  # type: ignore[no-any-return]


def self_signed_certificate(private_key: Any) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "jwtkit test")])
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=3650))
    )
    digest = (
        None
        if isinstance(private_key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey))
        else hashes.SHA256()
    )
    return builder.sign(private_key, digest)


@pytest.fixture(scope="module")
def rsa_private() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def ec_private() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def ed25519_private() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


# -- JWK import ---------------------------------------------------------------


def test_oct_jwk_imported() -> None:
    key = Key.from_jwk({"kty": "oct", "k": b64u(b"0123456789abcdef0123456789abcdef"), "kid": "h1"})

    assert isinstance(key, OctKey)
    assert key.signing_key == b"0123456789abcdef0123456789abcdef"
    assert key.kid == "h1"
    assert key.size == 256
    assert key.is_private


def test_rsa_jwk_imported(rsa_private: rsa.RSAPrivateKey) -> None:
    jwk = rsa_private_jwk(rsa_private)

    private = Key.from_jwk(jwk)
    public = Key.from_jwk(public_part(jwk))

    assert isinstance(private, RSAKey)
    assert private.is_private
    assert private.signing_key.private_numbers() == rsa_private.private_numbers()
    assert not public.is_private
    assert public.verifying_key.public_numbers() == rsa_private.public_key().public_numbers()
    assert public.size == 2048


def test_rsa_jwk_with_only_d_imported(rsa_private: rsa.RSAPrivateKey) -> None:
    # RFC 7518 §6.3.2 makes the CRT members optional, so the primes are recovered.
    jwk = rsa_private_jwk(rsa_private)
    minimal = {name: jwk[name] for name in ("kty", "n", "e", "d")}

    key = Key.from_jwk(minimal)

    assert key.signing_key.private_numbers() == rsa_private.private_numbers()


@pytest.mark.parametrize("crv", list(EC_CURVES))
def test_ec_jwk_imported(crv: str) -> None:
    private_key = ec.generate_private_key(EC_CURVES[crv][0])
    jwk = ec_private_jwk(private_key, crv)

    private = Key.from_jwk(jwk)
    public = Key.from_jwk(public_part(jwk))

    assert isinstance(private, ECKey)
    assert private.crv == crv
    assert private.is_private
    assert private.signing_key.private_numbers() == private_key.private_numbers()
    assert not public.is_private
    assert public.verifying_key.public_numbers() == private_key.public_key().public_numbers()


@pytest.mark.parametrize("crv", list(OKP_CURVES))
def test_okp_jwk_imported(crv: str) -> None:
    private_key = OKP_CURVES[crv].generate()
    jwk = okp_private_jwk(private_key, crv)

    private = Key.from_jwk(jwk)
    public = Key.from_jwk(public_part(jwk))

    assert isinstance(private, OKPKey)
    assert private.crv == crv
    assert private.is_private
    assert private.to_jwk(private=True)["d"] == jwk["d"]
    assert not public.is_private
    assert public.to_jwk() == public_part(jwk)


def test_jwk_imported_from_json_text(ec_private: ec.EllipticCurvePrivateKey) -> None:
    jwk = ec_private_jwk(ec_private, "P-256")

    from_str = Key.from_jwk(json.dumps(jwk))
    from_bytes = Key.from_jwk(json.dumps(jwk).encode())

    assert from_str == Key.from_jwk(jwk)
    assert from_bytes == Key.from_jwk(jwk)


def test_jwk_common_members_kept(ec_private: ec.EllipticCurvePrivateKey) -> None:
    jwk = {**ec_private_jwk(ec_private, "P-256"), "kid": "k1", "alg": "ES256", "use": "sig"}
    jwk["key_ops"] = ["sign", "verify"]  # type: ignore[assignment]

    key = Key.from_jwk(jwk)

    assert key.kid == "k1"
    assert key.alg == "ES256"
    assert key.use == "sig"
    assert key.key_ops == ("sign", "verify")


def test_jwk_extra_members_exported(rsa_private: rsa.RSAPrivateKey) -> None:
    jwk = {**public_part(rsa_private_jwk(rsa_private)), "x5t": "abc", "ext": True}

    exported = Key.from_jwk(jwk).to_jwk()

    assert exported["x5t"] == "abc"
    assert exported["ext"] is True


def test_jwk_subclass_import_checks_kty(ec_private: ec.EllipticCurvePrivateKey) -> None:
    jwk = ec_private_jwk(ec_private, "P-256")

    assert isinstance(ECKey.from_jwk(jwk), ECKey)
    with pytest.raises(InvalidKeyError) as caught:
        RSAKey.from_jwk(jwk)
    assert str(caught.value) == "JWK 'kty' is 'EC', but RSAKey needs 'RSA'"


# -- invalid JWKs ---------------------------------------------------------------


def _valid_jwks() -> dict[str, dict[str, Any]]:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other_rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    other_ec_key = ec.generate_private_key(ec.SECP256R1())
    ed_key = ed25519.Ed25519PrivateKey.generate()
    other_ed_key = ed25519.Ed25519PrivateKey.generate()
    return {
        "rsa": rsa_private_jwk(rsa_key),
        "other_rsa": rsa_private_jwk(other_rsa_key),
        "ec": ec_private_jwk(ec_key, "P-256"),
        "other_ec": ec_private_jwk(other_ec_key, "P-256"),
        "okp": okp_private_jwk(ed_key, "Ed25519"),
        "other_okp": okp_private_jwk(other_ed_key, "Ed25519"),
    }


VALID = _valid_jwks()
RSA_JWK = VALID["rsa"]
EC_JWK = VALID["ec"]
OKP_JWK = VALID["okp"]
RSA_PUBLIC = public_part(RSA_JWK)
EC_PUBLIC = public_part(EC_JWK)

# Moving y by one takes a P-256 point off the curve unless y = (p - 1) / 2,
# which a generated key practically never has.
_P256_Y = int.from_bytes(base64.urlsafe_b64decode(EC_JWK["y"] + "=="), "big")
OFF_CURVE_Y = b64u_int((_P256_Y + 1) % (2**256), 32)


def drop_first_byte(value: str) -> str:
    return b64u(base64.urlsafe_b64decode(value + "==")[1:])


INVALID_JWKS: list[Any] = [
    pytest.param({}, "JWK 'kty' None is not supported", id="no-kty"),
    pytest.param({"kty": "DSA"}, "JWK 'kty' 'DSA' is not supported", id="unknown-kty"),
    pytest.param({"kty": 3}, "JWK 'kty' 3 is not supported", id="kty-number"),
    pytest.param({"kty": "rsa", "n": "AQAB", "e": "AQAB"}, "'kty' 'rsa'", id="kty-wrong-case"),
    pytest.param({"kty": "oct"}, "missing the required member 'k'", id="oct-no-k"),
    pytest.param(
        {"kty": "oct", "k": 12}, "member 'k' must be a base64url string", id="oct-k-number"
    ),
    pytest.param({"kty": "oct", "k": "AA=="}, "is not base64url", id="oct-k-padded"),
    pytest.param(
        {k: v for k, v in RSA_PUBLIC.items() if k != "n"},
        "missing the required member 'n'",
        id="rsa-no-n",
    ),
    pytest.param(
        {k: v for k, v in RSA_PUBLIC.items() if k != "e"},
        "missing the required member 'e'",
        id="rsa-no-e",
    ),
    pytest.param({**RSA_PUBLIC, "e": "AQ"}, "RSA public exponent 1 is invalid", id="rsa-e-1"),
    pytest.param({**RSA_PUBLIC, "e": "Ag"}, "RSA public exponent 2 is invalid", id="rsa-e-even"),
    pytest.param({**RSA_PUBLIC, "e": ""}, "member 'e' is empty", id="rsa-e-empty"),
    pytest.param(
        {**RSA_PUBLIC, "n": ["AQAB"]}, "member 'n' must be a base64url string", id="rsa-n-array"
    ),
    pytest.param(
        {**RSA_PUBLIC, "n": "AQAB"},
        "is invalid: it must be odd, at least 3 and below",
        id="rsa-n-tiny",
    ),
    pytest.param(
        {**RSA_JWK, "d": VALID["other_rsa"]["d"]},
        "inconsistent with 'n' and 'e'",
        id="rsa-d-other-key",
    ),
    pytest.param(
        {k: v for k, v in RSA_JWK.items() if k not in ("p", "q")},
        "missing ['p', 'q']",
        id="rsa-partial-crt",
    ),
    pytest.param({**RSA_PUBLIC, "p": RSA_JWK["p"]}, "has ['p'] but no 'd'", id="rsa-p-without-d"),
    pytest.param(
        {**RSA_JWK, "dq": 5}, "member 'dq' must be a base64url string", id="rsa-dq-number"
    ),
    pytest.param({**RSA_JWK, "qi": "AA=="}, "member 'qi' is not base64url", id="rsa-qi-padded"),
    pytest.param({**RSA_JWK, "oth": []}, "'oth'", id="rsa-multi-prime"),
    pytest.param(
        {k: v for k, v in EC_PUBLIC.items() if k != "crv"},
        "'crv' None is not supported",
        id="ec-no-crv",
    ),
    pytest.param(
        {**EC_PUBLIC, "crv": "P-192"}, "'crv' 'P-192' is not supported", id="ec-unknown-crv"
    ),
    pytest.param(
        {**EC_PUBLIC, "crv": ["P-256"]}, "'crv' ['P-256'] is not supported", id="ec-crv-array"
    ),
    pytest.param({**EC_PUBLIC, "crv": {"name": "P-256"}}, "is not supported", id="ec-crv-object"),
    pytest.param(
        {k: v for k, v in EC_PUBLIC.items() if k != "y"},
        "missing the required member 'y'",
        id="ec-no-y",
    ),
    pytest.param({**EC_PUBLIC, "x": None}, "missing the required member 'x'", id="ec-x-null"),
    pytest.param({**EC_PUBLIC, "y": OFF_CURVE_Y}, "is not on curve P-256", id="ec-off-curve"),
    pytest.param(
        {**EC_PUBLIC, "x": b64u(bytes(32)), "y": b64u(bytes(32))},
        "is not on curve P-256",
        id="ec-zero-point",
    ),
    pytest.param(
        {**EC_PUBLIC, "x": drop_first_byte(EC_PUBLIC["x"])},
        "member 'x' is 31 bytes",
        id="ec-x-short",
    ),
    pytest.param(
        {**EC_PUBLIC, "y": b64u(b"\x00" + base64.urlsafe_b64decode(EC_PUBLIC["y"] + "="))},
        "member 'y' is 33 bytes",
        id="ec-y-long",
    ),
    pytest.param(
        {**EC_PUBLIC, "crv": "P-384"},
        "member 'x' is 32 bytes, but P-384",
        id="ec-wrong-curve-width",
    ),
    pytest.param(
        {**EC_JWK, "d": VALID["other_ec"]["d"]},
        "does not match the public point",
        id="ec-d-other-key",
    ),
    pytest.param({**EC_JWK, "d": b64u(bytes(32))}, "'d' is out of range for P-256", id="ec-d-zero"),
    pytest.param({**EC_JWK, "d": drop_first_byte(EC_JWK["d"])}, "'d' is 31 bytes", id="ec-d-short"),
    pytest.param(
        {"kty": "OKP", "crv": "Ed25519"}, "missing the required member 'x'", id="okp-no-x"
    ),
    pytest.param(
        {**OKP_JWK, "crv": "Ed25520"}, "'crv' 'Ed25520' is not supported", id="okp-unknown-crv"
    ),
    pytest.param({**OKP_JWK, "crv": ["Ed25519"]}, "is not supported", id="okp-crv-array"),
    pytest.param(
        {**OKP_JWK, "x": drop_first_byte(OKP_JWK["x"])}, "member 'x' is 31 bytes", id="okp-x-short"
    ),
    pytest.param(
        {**OKP_JWK, "crv": "Ed448"}, "member 'x' is 32 bytes, but Ed448", id="okp-wrong-curve-width"
    ),
    pytest.param(
        {**OKP_JWK, "d": VALID["other_okp"]["d"]},
        "does not match the public member 'x'",
        id="okp-d-other-key",
    ),
    pytest.param({**EC_PUBLIC, "kid": 7}, "JWK 'kid' must be a string, got int", id="kid-number"),
    pytest.param(
        {**EC_PUBLIC, "alg": ["ES256"]}, "JWK 'alg' must be a string, got list", id="alg-array"
    ),
    pytest.param({**EC_PUBLIC, "alg": "none"}, "JWK 'alg' must not be 'none'", id="alg-none"),
    pytest.param({**EC_PUBLIC, "use": 1}, "JWK 'use' must be a string", id="use-number"),
    pytest.param(
        {**EC_PUBLIC, "key_ops": "verify"},
        "'key_ops' must be an array of strings",
        id="key-ops-string",
    ),
    pytest.param(
        {**EC_PUBLIC, "key_ops": [1]}, "'key_ops' must be an array of strings", id="key-ops-number"
    ),
    pytest.param(
        {**EC_PUBLIC, "key_ops": ["verify", "verify"]}, "repeats a value", id="key-ops-repeated"
    ),
]


@pytest.mark.parametrize(("jwk", "message"), INVALID_JWKS)
def test_invalid_jwk_rejected(jwk: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidKeyError) as caught:
        Key.from_jwk(jwk)

    assert caught.value.code == "invalid_key"
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("jwk", "message"),
    [
        pytest.param(["kty"], "a JWK must be a JSON object (a dict), got list", id="list"),
        pytest.param(42, "a JWK must be a JSON object (a dict), got int", id="number"),
        pytest.param(None, "a JWK must be a JSON object (a dict), got NoneType", id="none"),
        pytest.param("[1]", "JWK must be a JSON object, got a JSON array", id="json-array"),
        pytest.param(
            '{"kty":"oct","kty":"oct"}', "duplicate member name 'kty'", id="json-duplicate"
        ),
        pytest.param("{not json", "JWK is not valid JSON", id="json-syntax"),
        pytest.param(b"\xff", "JWK is not valid UTF-8", id="json-bad-utf8"),
    ],
)
def test_jwk_not_an_object_rejected(jwk: Any, message: str) -> None:
    with pytest.raises(InvalidKeyError) as caught:
        Key.from_jwk(jwk)

    assert message in str(caught.value)


# -- PEM and DER import -------------------------------------------------------

PRIVATE_FORMATS = [
    pytest.param(serialization.PrivateFormat.PKCS8, "PRIVATE KEY", id="pkcs8"),
    pytest.param(serialization.PrivateFormat.TraditionalOpenSSL, "", id="traditional"),
]


def _private_keys() -> list[Any]:
    return [
        pytest.param(rsa.generate_private_key(public_exponent=65537, key_size=2048), id="rsa"),
        pytest.param(ec.generate_private_key(ec.SECP256R1()), id="p256"),
        pytest.param(ec.generate_private_key(ec.SECP384R1()), id="p384"),
        pytest.param(ec.generate_private_key(ec.SECP521R1()), id="p521"),
        pytest.param(ec.generate_private_key(ec.SECP256K1()), id="secp256k1"),
        pytest.param(ed25519.Ed25519PrivateKey.generate(), id="ed25519"),
        pytest.param(ed448.Ed448PrivateKey.generate(), id="ed448"),
        pytest.param(x25519.X25519PrivateKey.generate(), id="x25519"),
        pytest.param(x448.X448PrivateKey.generate(), id="x448"),
    ]


PRIVATE_KEYS = _private_keys()


def _same_public(key: Key, private_key: Any) -> bool:
    expected = private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    actual = key.verifying_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return bool(expected == actual)


@pytest.mark.parametrize("private_key", PRIVATE_KEYS)
def test_pkcs8_pem_imported(private_key: Any) -> None:
    pem = pem_private(private_key, serialization.PrivateFormat.PKCS8)

    key = Key.from_pem(pem)

    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert key.is_private
    assert _same_public(key, private_key)


@pytest.mark.parametrize("private_key", PRIVATE_KEYS)
def test_spki_pem_imported(private_key: Any) -> None:
    pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    key = Key.from_pem(pem.decode())

    assert pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    assert not key.is_private
    assert _same_public(key, private_key)


@pytest.mark.parametrize("private_key", PRIVATE_KEYS)
def test_der_imported(private_key: Any) -> None:
    private_der = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_der = private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    private = Key.from_der(private_der)
    public = Key.from_der(public_der)

    assert private.is_private
    assert _same_public(private, private_key)
    assert not public.is_private
    assert _same_public(public, private_key)


def test_pkcs1_rsa_pem_and_der_imported(rsa_private: rsa.RSAPrivateKey) -> None:
    private_pem = pem_private(rsa_private, serialization.PrivateFormat.TraditionalOpenSSL)
    public_pem = rsa_private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.PKCS1
    )
    private_der = rsa_private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public_der = rsa_private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.PKCS1
    )

    assert private_pem.startswith(b"-----BEGIN RSA PRIVATE KEY-----")
    assert public_pem.startswith(b"-----BEGIN RSA PUBLIC KEY-----")
    for data, is_private in ((private_pem, True), (public_pem, False)):
        key = Key.from_pem(data)
        assert isinstance(key, RSAKey)
        assert key.is_private is is_private
        assert _same_public(key, rsa_private)
    for data, is_private in ((private_der, True), (public_der, False)):
        key = Key.from_der(data)
        assert isinstance(key, RSAKey)
        assert key.is_private is is_private
        assert _same_public(key, rsa_private)


def test_sec1_ec_pem_and_der_imported(ec_private: ec.EllipticCurvePrivateKey) -> None:
    pem = pem_private(ec_private, serialization.PrivateFormat.TraditionalOpenSSL)
    der = ec_private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )

    assert pem.startswith(b"-----BEGIN EC PRIVATE KEY-----")
    for key in (Key.from_pem(pem), Key.from_der(der)):
        assert isinstance(key, ECKey)
        assert key.crv == "P-256"
        assert key.is_private
        assert key.signing_key.private_numbers() == ec_private.private_numbers()


@pytest.mark.parametrize(
    "private_key",
    [
        pytest.param(rsa.generate_private_key(public_exponent=65537, key_size=2048), id="rsa"),
        pytest.param(ec.generate_private_key(ec.SECP384R1()), id="p384"),
        pytest.param(ed25519.Ed25519PrivateKey.generate(), id="ed25519"),
    ],
)
def test_certificate_imported(private_key: Any) -> None:
    certificate = self_signed_certificate(private_key)
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    der = certificate.public_bytes(serialization.Encoding.DER)

    from_pem = Key.from_pem(pem)
    from_der = Key.from_der(der)

    assert pem.startswith(b"-----BEGIN CERTIFICATE-----")
    for key in (from_pem, from_der):
        assert not key.is_private
        assert _same_public(key, private_key)


@pytest.mark.parametrize("password", [b"correct horse", "correct horse"], ids=["bytes", "str"])
def test_encrypted_pkcs8_imported(ec_private: ec.EllipticCurvePrivateKey, password: Any) -> None:
    pem = pem_private(ec_private, serialization.PrivateFormat.PKCS8, b"correct horse")
    der = ec_private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"correct horse"),
    )

    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    for key in (Key.from_pem(pem, password=password), Key.from_der(der, password=password)):
        assert key.is_private
        assert key.signing_key.private_numbers() == ec_private.private_numbers()


def test_encrypted_pkcs8_wrong_password(ec_private: ec.EllipticCurvePrivateKey) -> None:
    pem = pem_private(ec_private, serialization.PrivateFormat.PKCS8, b"correct horse")

    with pytest.raises(InvalidKeyError) as caught:
        Key.from_pem(pem, password=b"battery staple")

    assert caught.value.code == "invalid_key"
    assert str(caught.value).startswith("cannot load the PEM key")
    assert "battery staple" not in str(caught.value)


def test_encrypted_pkcs8_missing_password(ec_private: ec.EllipticCurvePrivateKey) -> None:
    pem = pem_private(ec_private, serialization.PrivateFormat.PKCS8, b"correct horse")
    der = ec_private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"correct horse"),
    )

    with pytest.raises(InvalidKeyError) as from_pem:
        Key.from_pem(pem)
    with pytest.raises(InvalidKeyError) as from_der:
        Key.from_der(der)

    assert "password" in str(from_pem.value).lower()
    assert "password" in str(from_der.value).lower()


def test_pem_params_applied(rsa_private: rsa.RSAPrivateKey) -> None:
    pem = pem_private(rsa_private, serialization.PrivateFormat.PKCS8)

    key = Key.from_pem(pem, kid="2024-01", alg="PS256", use="sig", key_ops=["sign"])

    assert key.kid == "2024-01"
    assert key.alg == "PS256"
    assert key.use == "sig"
    assert key.key_ops == ("sign",)


def test_pem_unknown_param_rejected(rsa_private: rsa.RSAPrivateKey) -> None:
    pem = pem_private(rsa_private, serialization.PrivateFormat.PKCS8)

    with pytest.raises(UsageError) as caught:
        Key.from_pem(pem, kyd="typo")

    assert str(caught.value) == "unknown key parameter(s) ['kyd']; use kid, alg, use or key_ops"


def test_pem_subclass_import_checks_kty(rsa_private: rsa.RSAPrivateKey) -> None:
    pem = pem_private(rsa_private, serialization.PrivateFormat.PKCS8)

    assert isinstance(RSAKey.from_pem(pem), RSAKey)
    with pytest.raises(InvalidKeyError) as caught:
        ECKey.from_pem(pem)
    assert "ECKey" in str(caught.value)
    assert "'RSA'" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"not a key", "the key is not PEM", id="not-pem"),
        pytest.param(
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
            "cannot load the PEM key",
            id="corrupt-body",
        ),
        pytest.param(
            b"-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n",
            "PEM block 'X509 CRL' is not a key",
            id="not-a-key-block",
        ),
        pytest.param(12, "a PEM key must be bytes or str, got int", id="wrong-type"),
    ],
)
def test_invalid_pem_rejected(data: Any, message: str) -> None:
    with pytest.raises(InvalidKeyError) as caught:
        Key.from_pem(data)

    assert message in str(caught.value)


def test_invalid_der_rejected() -> None:
    with pytest.raises(InvalidKeyError) as caught:
        Key.from_der(b"\x30\x03\x02\x01\x01")

    assert str(caught.value).startswith("the bytes are not a DER private key")


def test_unsupported_key_types_rejected() -> None:
    dsa_key = dsa.generate_private_key(key_size=2048)
    brainpool_key = ec.generate_private_key(ec.BrainpoolP256R1())

    with pytest.raises(InvalidKeyError) as dsa_error:
        Key.from_pem(pem_private(dsa_key, serialization.PrivateFormat.PKCS8))
    with pytest.raises(InvalidKeyError) as curve_error:
        Key.from_cryptography(brainpool_key)

    assert "is not a key type jwtkit supports" in str(dsa_error.value)
    assert "EC curve 'brainpoolP256r1' is not supported" in str(curve_error.value)


# -- raw secrets ----------------------------------------------------------------


def test_secret_from_bytes_and_text() -> None:
    from_bytes = Key.from_secret(b"\x00\x01secret")
    from_text = Key.from_secret("pässword", kid="s1")

    assert isinstance(from_bytes, OctKey)
    assert from_bytes.signing_key == b"\x00\x01secret"
    assert from_text.signing_key == "pässword".encode()
    assert from_text.kid == "s1"


def test_secret_wrong_type_rejected() -> None:
    with pytest.raises(InvalidKeyError) as caught:
        Key.from_secret(1234)  # type: ignore[arg-type]

    assert str(caught.value) == "a secret must be bytes or str, got int"


# -- export -----------------------------------------------------------------------


def test_rsa_jwk_export_public_by_default(rsa_private: rsa.RSAPrivateKey) -> None:
    jwk = rsa_private_jwk(rsa_private)
    key = Key.from_jwk({**jwk, "kid": "r1"})

    assert key.to_jwk() == {**public_part(jwk), "kid": "r1"}
    assert key.to_jwk(private=True) == {**jwk, "kid": "r1"}


@pytest.mark.parametrize("crv", list(EC_CURVES))
def test_ec_jwk_export_round_trip(crv: str) -> None:
    jwk = ec_private_jwk(ec.generate_private_key(EC_CURVES[crv][0]), crv)
    key = Key.from_jwk(jwk)

    assert key.to_jwk() == public_part(jwk)
    assert key.to_jwk(private=True) == jwk


@pytest.mark.parametrize("crv", list(OKP_CURVES))
def test_okp_jwk_export_round_trip(crv: str) -> None:
    jwk = okp_private_jwk(OKP_CURVES[crv].generate(), crv)
    key = Key.from_jwk(jwk)

    assert key.to_jwk() == public_part(jwk)
    assert key.to_jwk(private=True) == jwk


def test_p521_coordinates_exported_full_width() -> None:
    # RFC 7518 §6.2.1.2: coordinates keep leading zero octets, 66 bytes on P-521.
    for _ in range(20):
        jwk = Key.generate("EC", curve="P-521").to_jwk(private=True)
        for name in ("x", "y", "d"):
            assert len(base64.urlsafe_b64decode(jwk[name] + "==")) == 66


def test_oct_jwk_export_needs_private() -> None:
    key = Key.from_secret(b"s" * 32, kid="h1")

    with pytest.raises(UsageError) as caught:
        key.to_jwk()

    assert "export it with to_jwk(private=True)" in str(caught.value)
    assert key.to_jwk(private=True) == {"kty": "oct", "k": b64u(b"s" * 32), "kid": "h1"}


def test_public_key_private_export_rejected(rsa_private: rsa.RSAPrivateKey) -> None:
    public = Key.from_jwk(public_part(rsa_private_jwk(rsa_private)))

    with pytest.raises(UsageError) as jwk_error:
        public.to_jwk(private=True)
    with pytest.raises(UsageError) as pem_error:
        public.to_pem(private=True)

    assert "has no private part" in str(jwk_error.value)
    assert "has no private part" in str(pem_error.value)


def test_private_extra_members_stay_private() -> None:
    key = Key.from_jwk({**EC_PUBLIC, "d": EC_JWK["d"], "x5t": "thumb"})

    assert "d" not in key.to_jwk()
    assert key.to_jwk()["x5t"] == "thumb"


@pytest.mark.parametrize("private_key", PRIVATE_KEYS)
def test_pem_export_round_trip(private_key: Any) -> None:
    key = Key.from_cryptography(private_key, kid="p1")

    public_pem = key.to_pem()
    private_pem = key.to_pem(private=True)

    assert public_pem.startswith(b"-----BEGIN PUBLIC KEY-----")
    assert private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert Key.from_pem(public_pem) == key.public_key()
    assert Key.from_pem(private_pem) == key


def test_pem_export_with_password(ec_private: ec.EllipticCurvePrivateKey) -> None:
    key = Key.from_cryptography(ec_private)

    pem = key.to_pem(private=True, password="hunter2")

    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert Key.from_pem(pem, password="hunter2") == key
    with pytest.raises(InvalidKeyError):
        Key.from_pem(pem)


def test_oct_pem_export_rejected() -> None:
    with pytest.raises(UsageError) as caught:
        Key.from_secret(b"s" * 32).to_pem()

    assert "an oct key is a raw secret and has no PEM form" in str(caught.value)


def test_public_key_keeps_params(rsa_private: rsa.RSAPrivateKey) -> None:
    key = Key.from_cryptography(rsa_private, kid="r1", alg="RS256", use="sig", key_ops=["sign"])

    public = key.public_key()

    assert not public.is_private
    assert (public.kid, public.alg, public.use, public.key_ops) == ("r1", "RS256", "sig", ("sign",))


def test_oct_has_no_public_key() -> None:
    with pytest.raises(UsageError) as caught:
        Key.from_secret(b"s" * 32).public_key()

    assert "has no public part" in str(caught.value)


def test_key_repr_shows_no_material() -> None:
    secret = Key.from_secret(b"topsecret-topsecret-topsecret-00", kid="h1")

    assert repr(secret) == "<OctKey secret 256 bits kid='h1'>"


# -- generation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kty", "params", "key_class", "size"),
    [
        pytest.param("oct", {}, OctKey, 256, id="oct-default"),
        pytest.param("oct", {"size": 512}, OctKey, 512, id="oct-512"),
        pytest.param("RSA", {}, RSAKey, 2048, id="rsa-default"),
        pytest.param("RSA", {"size": 3072}, RSAKey, 3072, id="rsa-3072"),
        pytest.param("EC", {}, ECKey, 256, id="ec-default"),
        pytest.param("EC", {"curve": "P-256"}, ECKey, 256, id="p256"),
        pytest.param("EC", {"curve": "P-384"}, ECKey, 384, id="p384"),
        pytest.param("EC", {"curve": "P-521"}, ECKey, 521, id="p521"),
        pytest.param("EC", {"curve": "secp256k1"}, ECKey, 256, id="secp256k1"),
        pytest.param("OKP", {}, OKPKey, 256, id="okp-default"),
        pytest.param("OKP", {"curve": "Ed25519"}, OKPKey, 256, id="ed25519"),
        pytest.param("OKP", {"curve": "Ed448"}, OKPKey, 456, id="ed448"),
        pytest.param("OKP", {"curve": "X25519"}, OKPKey, 256, id="x25519"),
        pytest.param("OKP", {"curve": "X448"}, OKPKey, 448, id="x448"),
    ],
)
def test_generate_every_kind(kty: str, params: dict[str, Any], key_class: type, size: int) -> None:
    key = Key.generate(kty, kid="new", **params)

    assert type(key) is key_class
    assert key.kty == kty
    assert key.is_private
    assert key.size == size
    assert key.kid == "new"
    if "curve" in params:
        assert key.crv == params["curve"]  # type: ignore[attr-defined]
    assert Key.from_jwk(key.to_jwk(private=True)) == key


def test_generated_keys_differ() -> None:
    assert Key.generate("oct") != Key.generate("oct")
    assert Key.generate("OKP").thumbprint() != Key.generate("OKP").thumbprint()


@pytest.mark.parametrize(
    ("kty", "params", "message"),
    [
        pytest.param("DSA", {}, "cannot generate a key of kty 'DSA'", id="unknown-kty"),
        pytest.param(
            "RSA", {"size": 1024}, "between 2048 and 16384 bits, got 1024", id="rsa-small"
        ),
        pytest.param("RSA", {"curve": "P-256"}, "an RSA key has no curve", id="rsa-curve"),
        pytest.param("EC", {"curve": "P-192"}, "EC curve 'P-192' is not supported", id="ec-curve"),
        pytest.param("EC", {"size": 256}, "pass curve instead", id="ec-size"),
        pytest.param(
            "OKP", {"curve": "Ed25520"}, "OKP curve 'Ed25520' is not supported", id="okp-curve"
        ),
        pytest.param(
            "oct", {"size": 100}, "positive multiple of 8 bits, got 100", id="oct-odd-size"
        ),
        pytest.param("oct", {"size": 0}, "positive multiple of 8 bits, got 0", id="oct-zero"),
        pytest.param("oct", {"curve": "P-256"}, "an oct key has no curve", id="oct-curve"),
    ],
)
def test_generate_rejects_bad_request(kty: str, params: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        Key.generate(kty, **params)

    assert message in str(caught.value)


# -- thumbprints ------------------------------------------------------------------

# RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
RFC7638_JWK = {
    "kty": "RSA",
    "n": (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP"
        "ebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY"
        "368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0f"
        "M4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    ),
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}
RFC7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"

# RFC 8037 A.1 gives the Ed25519 private key, and A.3 the thumbprint of its public key.
RFC8037_JWK = {
    "kty": "OKP",
    "crv": "Ed25519",
    "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
    "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
}
RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_rfc7638_thumbprint() -> None:
    assert Key.from_jwk(RFC7638_JWK).thumbprint() == RFC7638_THUMBPRINT


def test_rfc8037_thumbprint() -> None:
    key = Key.from_jwk(RFC8037_JWK)

    assert key.thumbprint() == RFC8037_THUMBPRINT
    assert key.public_key().thumbprint() == RFC8037_THUMBPRINT


def test_thumbprint_literals_match_vector_files(vectors_dir: Path) -> None:
    latchset = vectors_dir / "latchset-jose" / "tests" / "vectors"
    cfrg = vectors_dir / "erlang-jose" / "test" / "jose_SUITE_data" / "jose_cfrg_curves"

    assert json.loads((latchset / "rfc7638_3.1.jwk").read_text()) == RFC7638_JWK
    assert (latchset / "rfc7638_3.1.thp").read_text().strip() == RFC7638_THUMBPRINT
    assert json.loads((cfrg / "a.1.jwk+json").read_text()) == RFC8037_JWK


def test_thumbprint_ignores_optional_members(ec_private: ec.EllipticCurvePrivateKey) -> None:
    key = Key.from_cryptography(ec_private)
    decorated = Key.from_jwk({**key.to_jwk(private=True), "kid": "x", "use": "sig", "x5t": "y"})

    assert decorated.thumbprint() == key.thumbprint()
    assert key.public_key().thumbprint() == key.thumbprint()


def test_thumbprint_other_hash() -> None:
    key = Key.from_jwk(RFC7638_JWK)

    assert len(base64.urlsafe_b64decode(key.thumbprint("sha512") + "==")) == 64
    with pytest.raises(UsageError) as caught:
        key.thumbprint("nohash")
    assert str(caught.value) == "hash 'nohash' is not available; use 'sha256'"


def test_oct_thumbprint_uses_k() -> None:
    # RFC 7638 §3.2: the required members of an oct key are "k" and "kty".
    key = Key.from_secret(b"s" * 32)
    canonical = json.dumps({"k": b64u(b"s" * 32), "kty": "oct"}, separators=(",", ":"))
    digest = hashes.Hash(hashes.SHA256())
    digest.update(canonical.encode())

    assert key.thumbprint() == b64u(digest.finalize())


def test_keys_compare_by_material(rsa_private: rsa.RSAPrivateKey) -> None:
    jwk = rsa_private_jwk(rsa_private)

    assert Key.from_jwk(jwk) == Key.from_jwk({**jwk, "kid": "other"})
    assert Key.from_jwk(jwk) != Key.from_jwk(public_part(jwk))
    assert hash(Key.from_jwk(jwk)) == hash(Key.from_jwk(public_part(jwk)))
    assert len({Key.from_jwk(jwk), Key.from_jwk(jwk)}) == 1


def test_import_does_not_mutate_input(ec_private: ec.EllipticCurvePrivateKey) -> None:
    jwk: dict[str, Any] = {**ec_private_jwk(ec_private, "P-256"), "key_ops": ["sign"], "x5t": "t"}
    jwks = {"keys": [dict(jwk)]}
    before = json.dumps(jwk, sort_keys=True)
    jwks_before = json.dumps(jwks, sort_keys=True)

    key = Key.from_jwk(jwk)
    KeySet.from_jwks(jwks)
    exported = key.to_jwk(private=True)
    exported["key_ops"].append("verify")

    assert json.dumps(jwk, sort_keys=True) == before
    assert json.dumps(jwks, sort_keys=True) == jwks_before
    assert key.key_ops == ("sign",)
