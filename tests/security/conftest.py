"""Keys and verification entry points shared by the attack-class tests."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

import jwtkit

# A fixed clock, so that claim checks never depend on when the suite runs.
# The JWT entry points use it unless a test passes its own ``now``.
NOW = 1_700_000_000

Verify = Callable[..., Any]


def _decode(token: Any, key: Any, algorithms: list[str], **options: Any) -> Any:
    options.setdefault("now", NOW)
    return jwtkit.decode(token, key, algorithms=algorithms, **options)


def _verifier(token: Any, key: Any, algorithms: list[str], **options: Any) -> Any:
    options.setdefault("now", NOW)
    return jwtkit.Verifier(key, algorithms=algorithms, **options).verify(token)


def _verify_compact(token: Any, key: Any, algorithms: list[str], **options: Any) -> Any:
    return jwtkit.jws.verify_compact(token, key, algorithms=algorithms, **options)


# Every public function that verifies a compact token; each attack runs against all.
VERIFY_ENTRY_POINTS: dict[str, Verify] = {
    "decode": _decode,
    "Verifier.verify": _verifier,
    "jws.verify_compact": _verify_compact,
}
JWT_ENTRY_POINTS = {name: VERIFY_ENTRY_POINTS[name] for name in ("decode", "Verifier.verify")}


@pytest.fixture(params=sorted(VERIFY_ENTRY_POINTS))
def verify(request: pytest.FixtureRequest) -> Verify:
    """Each verifying entry point in turn: ``verify(token, key, algorithms, **options)``."""
    return VERIFY_ENTRY_POINTS[request.param]


@pytest.fixture(params=sorted(JWT_ENTRY_POINTS))
def verify_jwt(request: pytest.FixtureRequest) -> Verify:
    """The entry points that also validate claims."""
    return JWT_ENTRY_POINTS[request.param]


@pytest.fixture(scope="session")
def hmac_secret() -> bytes:
    return secrets.token_bytes(64)


@pytest.fixture(scope="session")
def rsa_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def ec_private_keys() -> dict[str, ec.EllipticCurvePrivateKey]:
    """One private key per ECDSA algorithm, on that algorithm's curve."""
    curves = {
        "ES256": ec.SECP256R1(),
        "ES384": ec.SECP384R1(),
        "ES512": ec.SECP521R1(),
        "ES256K": ec.SECP256K1(),
    }
    return {alg: ec.generate_private_key(curve) for alg, curve in curves.items()}


@pytest.fixture(scope="session")
def ed25519_private_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


@pytest.fixture(scope="session")
def asymmetric_private_keys(
    rsa_private_key: rsa.RSAPrivateKey,
    ec_private_keys: dict[str, ec.EllipticCurvePrivateKey],
    ed25519_private_key: ed25519.Ed25519PrivateKey,
) -> dict[str, Any]:
    """The private key that signs for each asymmetric algorithm under test."""
    return {
        "RS256": rsa_private_key,
        "PS256": rsa_private_key,
        "ES256": ec_private_keys["ES256"],
        "ES512": ec_private_keys["ES512"],
        "EdDSA": ed25519_private_key,
    }
