"""The cells of the interoperability matrix: algorithms, directions, key forms, claims."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from functools import cache
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

import jwtkit
from jwtkit import Key

AUDIENCE = "api"


@dataclass(frozen=True)
class AlgorithmCase:
    """One JWS algorithm with the kind of key it needs.

    ``curve`` names the EC curve, and distinguishes Ed25519 from Ed448, which
    share the alg name EdDSA. ``size`` is the RSA modulus or the HMAC secret
    in bits.
    """

    alg: str
    kty: str
    curve: str | None = None
    size: int | None = None

    @property
    def id(self) -> str:
        return f"{self.alg}-{self.curve}" if self.alg == "EdDSA" else self.alg

    @property
    def label(self) -> str:
        """The name the matrix shows: the alg, with the curve where the alg alone is ambiguous."""
        return f"{self.alg} ({self.curve})" if self.alg == "EdDSA" else self.alg

    @property
    def key_forms(self) -> tuple[str, str]:
        """The two forms a key travels in: a JWK, and PEM (or the raw secret for HMAC)."""
        return ("jwk", "secret") if self.kty == "oct" else ("jwk", "pem")


ALGORITHM_CASES = (
    AlgorithmCase("HS256", "oct", size=256),
    AlgorithmCase("HS384", "oct", size=384),
    AlgorithmCase("HS512", "oct", size=512),
    AlgorithmCase("RS256", "RSA", size=2048),
    AlgorithmCase("RS384", "RSA", size=2048),
    AlgorithmCase("RS512", "RSA", size=2048),
    AlgorithmCase("PS256", "RSA", size=2048),
    AlgorithmCase("PS384", "RSA", size=2048),
    AlgorithmCase("PS512", "RSA", size=2048),
    AlgorithmCase("ES256", "EC", curve="P-256"),
    AlgorithmCase("ES384", "EC", curve="P-384"),
    AlgorithmCase("ES512", "EC", curve="P-521"),
    AlgorithmCase("ES256K", "EC", curve="secp256k1"),
    AlgorithmCase("EdDSA", "OKP", curve="Ed25519"),
    AlgorithmCase("EdDSA", "OKP", curve="Ed448"),
)
CASES_BY_ID = {case.id: case for case in ALGORITHM_CASES}

# Who signs and whose key export the other side imports. In the first two
# directions a token crosses. In the last two a private key crosses and the
# side that imported it signs, so a wrongly imported key shows up as a bad
# signature.
JWTKIT_SIGNS = "jwtkit signs, peer verifies"
PEER_SIGNS = "peer signs, jwtkit verifies"
PEER_IMPORTS_PRIVATE = "peer imports jwtkit's private key and signs"
JWTKIT_IMPORTS_PRIVATE = "jwtkit imports the peer's private key and signs"
DIRECTIONS = (JWTKIT_SIGNS, PEER_SIGNS, PEER_IMPORTS_PRIVATE, JWTKIT_IMPORTS_PRIVATE)
DIRECTION_IDS = {
    JWTKIT_SIGNS: "jwtkit-signs",
    PEER_SIGNS: "peer-signs",
    PEER_IMPORTS_PRIVATE: "peer-imports",
    JWTKIT_IMPORTS_PRIVATE: "jwtkit-imports",
}

_EC_CURVES = {
    "P-256": ec.SECP256R1,
    "P-384": ec.SECP384R1,
    "P-521": ec.SECP521R1,
    "secp256k1": ec.SECP256K1,
}


def make_claims(now: int | None = None) -> dict[str, Any]:
    """Build claims that exercise JSON on both sides: non-ASCII text, nesting, every JSON type.

    Numbers are integers or non-integral floats only, because JavaScript reads
    2.0 back as 2 and the exact comparison would then see a different JSON text.
    """
    issued_at = int(time.time()) if now is None else now
    return {
        "iss": "https://issuer.test",
        "sub": "user-Ünïcødé ✓",
        "aud": [AUDIENCE, "web"],
        "iat": issued_at,
        "nbf": issued_at - 60,
        "exp": issued_at + 3600,
        "jti": "3f1c2a9e-5b7d-4e2f-9c61-7a0d8e4b2f10",
        "scope": "read write",
        "emoji": "🔑 key",
        "escapes": 'quote " backslash \\ newline \n tab \t',
        "nested": {"list": [1, 2.5, True, False, None, "x"], "empty": {}, "zero": 0},
        "big": 9007199254740991,
    }


def canonical_json(claims: Any) -> str:
    """Serialize claims so that equal text means equal JSON values, types included."""
    return json.dumps(claims, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@cache
def jwtkit_key(case_id: str) -> Key:
    """Return jwtkit's own private key for an algorithm, generated once per test run."""
    case = CASES_BY_ID[case_id]
    if case.kty in ("oct", "RSA"):
        return Key.generate(case.kty, size=case.size, kid=f"jwtkit-{case.id}")
    return Key.generate(case.kty, curve=case.curve, kid=f"jwtkit-{case.id}")


@cache
def cryptography_key(case_id: str) -> Any:
    """Return a private key made by ``cryptography`` alone, for peers that cannot generate one.

    HMAC cases get random secret bytes as long as the hash output.
    """
    case = CASES_BY_ID[case_id]
    if case.kty == "oct":
        import secrets

        assert case.size is not None
        return secrets.token_bytes(case.size // 8)
    if case.kty == "RSA":
        assert case.size is not None
        return rsa.generate_private_key(public_exponent=65537, key_size=case.size)
    if case.kty == "EC":
        assert case.curve is not None
        return ec.generate_private_key(_EC_CURVES[case.curve]())
    if case.curve == "Ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    return ed448.Ed448PrivateKey.generate()


def pkcs8_pem(private_key: Any) -> str:
    """Serialize a ``cryptography`` private key as unencrypted PKCS#8 PEM text."""
    pem: bytes = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem.decode("ascii")


def spki_pem(public_key: Any) -> str:
    """Serialize a ``cryptography`` public key as SubjectPublicKeyInfo PEM text."""
    pem: bytes = public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode("ascii")


def export_jwtkit_key(key: Key, form: str, *, private: bool) -> Any:
    """Export a jwtkit key in a matrix key form: a JWK dict, PEM text or the raw secret."""
    if form == "jwk":
        return key.to_jwk(private=private or key.kty == "oct")
    if form == "pem":
        return key.to_pem(private=private).decode("ascii")
    secret: bytes = key.signing_key
    return secret


def import_into_jwtkit(material: Any, form: str) -> Key:
    """Import key material exported by a peer, through jwtkit's own importers."""
    if form == "jwk":
        return Key.from_jwk(material)
    if form == "pem":
        return Key.from_pem(material)
    return Key.from_secret(material)


def jwtkit_verify(token: str, key: Any, case: AlgorithmCase) -> dict[str, Any]:
    """Verify a token the way a server would: the alg allow-list and the expected audience."""
    return jwtkit.decode(token, key, algorithms=[case.alg], audience=AUDIENCE)
