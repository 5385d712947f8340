"""One adapter per JWT library, so that every row of the benchmark does the same work.

Each adapter prepares keys for one algorithm and returns four callables:
``encode`` and ``decode`` with a prepared key object, and ``encode_text`` and
``decode_text`` that pass the key as PEM text (or the secret string for HMAC) on
every call, the way many applications do. ``decode`` always verifies the
signature and checks exp, iss and aud.
"""

from __future__ import annotations

import base64
import hmac
import json
import re
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

import jwtkit

ISSUER = "https://issuer.example"
AUDIENCE = "orders-api"
SECRET = "benchmark-secret-0123456789abcdef"  # 33 bytes: long enough for HS256

ALGORITHMS = ("HS256", "RS256", "PS256", "ES256", "EdDSA")


class Unsupported(Exception):
    """The library does not implement this algorithm."""


@dataclass
class KeyMaterial:
    """The same key in every form an adapter may need."""

    alg: str
    private: Any  # cryptography private key, or the secret str for HMAC
    public: Any
    private_pem: str
    public_pem: str
    private_jwk: dict[str, Any]
    public_jwk: dict[str, Any]


def make_keys(alg: str) -> KeyMaterial:
    if alg == "HS256":
        secret_jwk = jwtkit.Key.from_secret(SECRET).to_jwk(private=True)
        return KeyMaterial(alg, SECRET, SECRET, SECRET, SECRET, secret_jwk, secret_jwk)
    if alg in ("RS256", "PS256"):
        private: Any = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif alg == "ES256":
        private = ec.generate_private_key(ec.SECP256R1())
    else:
        private = ed25519.Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    key = jwtkit.Key.from_cryptography(private)
    return KeyMaterial(
        alg,
        private,
        private.public_key(),
        private_pem,
        public_pem,
        key.to_jwk(private=True),
        key.to_jwk(),
    )


def make_claims(lifetime: int = 3600) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": "alice", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + lifetime}


@dataclass
class Operations:
    encode: Callable[[dict[str, Any]], str]
    decode: Callable[[str], dict[str, Any]]
    encode_text: Callable[[dict[str, Any]], str]
    decode_text: Callable[[str], dict[str, Any]]
    verifier: Callable[[str], dict[str, Any]] | None = None


def _text(token: str | bytes) -> str:
    return token.decode() if isinstance(token, bytes) else token


# -- jwtkit --------------------------------------------------------------------


def jwtkit_ops(keys: KeyMaterial) -> Operations:
    if keys.alg == "HS256":
        private = public = jwtkit.Key.from_secret(SECRET)
    else:
        private = jwtkit.Key.from_cryptography(keys.private)
        public = private.public_key()
    options = {"algorithms": [keys.alg], "issuer": ISSUER, "audience": AUDIENCE}
    verifier = jwtkit.Verifier(public, **options)
    return Operations(
        encode=lambda claims: jwtkit.encode(claims, private, keys.alg),
        decode=lambda token: jwtkit.decode(token, public, **options),
        encode_text=lambda claims: jwtkit.encode(claims, keys.private_pem, keys.alg),
        decode_text=lambda token: jwtkit.decode(token, keys.public_pem, **options),
        verifier=verifier.verify,
    )


# -- PyJWT ---------------------------------------------------------------------


def pyjwt_ops(keys: KeyMaterial) -> Operations:
    import jwt

    options = {"algorithms": [keys.alg], "issuer": ISSUER, "audience": AUDIENCE}
    return Operations(
        encode=lambda claims: _text(jwt.encode(claims, keys.private, algorithm=keys.alg)),
        decode=lambda token: jwt.decode(token, keys.public, **options),
        encode_text=lambda claims: _text(jwt.encode(claims, keys.private_pem, algorithm=keys.alg)),
        decode_text=lambda token: jwt.decode(token, keys.public_pem, **options),
    )


# -- joserfc -------------------------------------------------------------------


def joserfc_ops(keys: KeyMaterial) -> Operations:
    from joserfc import jwt
    from joserfc.jwk import ECKey, OctKey, OKPKey, RSAKey

    key_class = {"HS256": OctKey, "RS256": RSAKey, "PS256": RSAKey, "ES256": ECKey}.get(
        keys.alg, OKPKey
    )
    private = key_class.import_key(keys.private_pem)
    public = private if keys.alg == "HS256" else key_class.import_key(keys.public_pem)
    registry = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER}, aud={"essential": True, "value": AUDIENCE}
    )
    header = {"alg": keys.alg}

    def decode(token: str, key: Any) -> dict[str, Any]:
        result = jwt.decode(token, key, algorithms=[keys.alg])
        registry.validate(result.claims)
        return dict(result.claims)

    return Operations(
        encode=lambda claims: jwt.encode(header, claims, private, algorithms=[keys.alg]),
        decode=lambda token: decode(token, public),
        encode_text=lambda claims: jwt.encode(
            header, claims, key_class.import_key(keys.private_pem), algorithms=[keys.alg]
        ),
        decode_text=lambda token: decode(token, key_class.import_key(keys.public_pem)),
    )


# -- jwcrypto ------------------------------------------------------------------


def jwcrypto_ops(keys: KeyMaterial) -> Operations:
    from jwcrypto import jwk, jwt

    def load(pem: str, private: bool) -> Any:
        if keys.alg == "HS256":
            return jwk.JWK(**keys.private_jwk)
        return jwk.JWK.from_pem(pem.encode())

    private = load(keys.private_pem, True)
    public = load(keys.public_pem, False)
    checks = {"iss": ISSUER, "aud": AUDIENCE, "exp": None}

    def encode(claims: dict[str, Any], key: Any) -> str:
        token = jwt.JWT(header={"alg": keys.alg}, claims=claims)
        token.make_signed_token(key)
        return str(token.serialize())

    def decode(token: str, key: Any) -> dict[str, Any]:
        result = jwt.JWT(jwt=token, key=key, algs=[keys.alg], check_claims=checks)
        return dict(json.loads(result.claims))

    return Operations(
        encode=lambda claims: encode(claims, private),
        decode=lambda token: decode(token, public),
        encode_text=lambda claims: encode(claims, load(keys.private_pem, True)),
        decode_text=lambda token: decode(token, load(keys.public_pem, False)),
    )


# -- python-jose ---------------------------------------------------------------


def python_jose_ops(keys: KeyMaterial) -> Operations:
    from jose import jwt

    if keys.alg == "EdDSA":
        raise Unsupported("python-jose has no EdDSA")
    options = {"algorithms": [keys.alg], "issuer": ISSUER, "audience": AUDIENCE}
    private = keys.private_jwk if keys.alg != "HS256" else SECRET
    public = keys.public_jwk if keys.alg != "HS256" else SECRET
    return Operations(
        encode=lambda claims: jwt.encode(claims, private, algorithm=keys.alg),
        decode=lambda token: jwt.decode(token, public, **options),
        encode_text=lambda claims: jwt.encode(claims, keys.private_pem, algorithm=keys.alg),
        decode_text=lambda token: jwt.decode(token, keys.public_pem, **options),
    )


# -- authlib -------------------------------------------------------------------


def authlib_ops(keys: KeyMaterial) -> Operations:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from authlib.jose import JsonWebKey, JsonWebToken

    jwt = JsonWebToken([keys.alg])
    header = {"alg": keys.alg}
    options = {
        "iss": {"essential": True, "value": ISSUER},
        "aud": {"essential": True, "value": AUDIENCE},
        "exp": {"essential": True},
    }
    if keys.alg == "HS256":
        private = public = JsonWebKey.import_key(keys.private_jwk)
    else:
        private = JsonWebKey.import_key(keys.private_pem)
        public = JsonWebKey.import_key(keys.public_pem)

    def decode(token: str, key: Any) -> dict[str, Any]:
        claims = jwt.decode(token, key, claims_options=options)
        claims.validate()
        return dict(claims)

    return Operations(
        encode=lambda claims: _text(jwt.encode(header, claims, private)),
        decode=lambda token: decode(token, public),
        encode_text=lambda claims: _text(jwt.encode(header, claims, keys.private_pem)),
        decode_text=lambda token: decode(token, keys.public_pem),
    )


# -- the floor: the least work a correct implementation can do -----------------

_B64URL = re.compile(r"[A-Za-z0-9_-]*")


def _b64decode(part: str) -> bytes:
    if _B64URL.fullmatch(part) is None:
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _check_claims(claims: dict[str, Any]) -> dict[str, Any]:
    if claims["exp"] <= time.time() or claims["iss"] != ISSUER or claims["aud"] != AUDIENCE:
        raise ValueError("claims")
    return claims


def floor_ops(keys: KeyMaterial) -> Operations:
    """Hand-written stdlib HS256, and the bare cryptography call for the others."""
    if keys.alg == "HS256":
        secret = SECRET.encode()
        header = _b64encode(b'{"alg":"HS256","typ":"JWT"}')

        def encode(claims: dict[str, Any]) -> str:
            signing_input = header + "." + _b64encode(json.dumps(claims).encode())
            mac = hmac.digest(secret, signing_input.encode(), "sha256")
            return signing_input + "." + _b64encode(mac)

        def decode(token: str) -> dict[str, Any]:
            header_part, payload_part, signature_part = token.split(".")
            json.loads(_b64decode(header_part))
            mac = hmac.digest(secret, f"{header_part}.{payload_part}".encode(), "sha256")
            if not hmac.compare_digest(mac, _b64decode(signature_part)):
                raise ValueError("signature")
            return _check_claims(json.loads(_b64decode(payload_part)))

        return Operations(encode, decode, encode, decode)

    sign, verify = _bare_calls(keys)
    header = _b64encode(json.dumps({"alg": keys.alg, "typ": "JWT"}).encode())

    def encode_bare(claims: dict[str, Any]) -> str:
        signing_input = header + "." + _b64encode(json.dumps(claims).encode())
        return signing_input + "." + _b64encode(sign(signing_input.encode()))

    def decode_bare(token: str) -> dict[str, Any]:
        signing_input, _, signature_part = token.rpartition(".")
        verify(_b64decode(signature_part), signing_input.encode())
        return _check_claims(json.loads(_b64decode(signing_input.partition(".")[2])))

    return Operations(encode_bare, decode_bare, encode_bare, decode_bare)


def _bare_calls(keys: KeyMaterial) -> tuple[Callable[[bytes], bytes], Callable[[bytes, bytes], None]]:
    private, public = keys.private, keys.public
    if keys.alg == "RS256":
        return (
            lambda data: private.sign(data, padding.PKCS1v15(), hashes.SHA256()),
            lambda sig, data: public.verify(sig, data, padding.PKCS1v15(), hashes.SHA256()),
        )
    if keys.alg == "PS256":
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        return (
            lambda data: private.sign(data, pss, hashes.SHA256()),
            lambda sig, data: public.verify(sig, data, pss, hashes.SHA256()),
        )
    if keys.alg == "ES256":
        ecdsa = ec.ECDSA(hashes.SHA256())

        def sign_es(data: bytes) -> bytes:
            r, s = decode_dss_signature(private.sign(data, ecdsa))
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")

        def verify_es(sig: bytes, data: bytes) -> None:
            der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
            public.verify(der, data, ecdsa)

        return sign_es, verify_es
    return (lambda data: private.sign(data), lambda sig, data: public.verify(sig, data))


LIBRARIES: dict[str, Callable[[KeyMaterial], Operations]] = {
    "jwtkit": jwtkit_ops,
    "PyJWT": pyjwt_ops,
    "joserfc": joserfc_ops,
    "jwcrypto": jwcrypto_ops,
    "python-jose": python_jose_ops,
    "authlib": authlib_ops,
    "floor": floor_ops,
}

# Distribution names, for the versions printed with the results.
DISTRIBUTIONS = {
    "jwtkit": "jwtkit",
    "PyJWT": "PyJWT",
    "joserfc": "joserfc",
    "jwcrypto": "jwcrypto",
    "python-jose": "python-jose",
    "authlib": "Authlib",
    "floor": "cryptography",
}

__all__ = ["ALGORITHMS", "DISTRIBUTIONS", "LIBRARIES", "Operations", "Unsupported"]
