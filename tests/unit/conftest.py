"""Keys shared by the unit tests: generated once per session, one per algorithm."""

from __future__ import annotations

from typing import Any

import pytest

from jwtkit import Key

# Every JWS algorithm jwtkit implements, with the key that signs it. EdDSA
# appears twice because it covers two curves.
ALGORITHM_KEYS: list[tuple[str, str, dict[str, Any]]] = [
    ("HS256", "oct", {"size": 256}),
    ("HS384", "oct", {"size": 384}),
    ("HS512", "oct", {"size": 512}),
    ("RS256", "RSA", {"size": 2048}),
    ("RS384", "RSA", {"size": 2048}),
    ("RS512", "RSA", {"size": 2048}),
    ("PS256", "RSA", {"size": 2048}),
    ("PS384", "RSA", {"size": 2048}),
    ("PS512", "RSA", {"size": 2048}),
    ("ES256", "EC", {"curve": "P-256"}),
    ("ES384", "EC", {"curve": "P-384"}),
    ("ES512", "EC", {"curve": "P-521"}),
    ("ES256K", "EC", {"curve": "secp256k1"}),
    ("EdDSA", "OKP", {"curve": "Ed25519"}),
    ("EdDSA", "OKP", {"curve": "Ed448"}),
    ("Ed25519", "OKP", {"curve": "Ed25519"}),
    ("Ed448", "OKP", {"curve": "Ed448"}),
]


def algorithm_case_id(case: tuple[str, str, dict[str, Any]]) -> str:
    algorithm, _, params = case
    curve = params.get("curve")
    return f"{algorithm}-{curve}" if algorithm == "EdDSA" else algorithm


class KeyFactory:
    """Generate each kind of key once and hand out the same object afterwards."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, tuple[tuple[str, Any], ...]], Key] = {}

    def get(self, kty: str, **params: Any) -> Key:
        cache_key = (kty, tuple(sorted(params.items())))
        if cache_key not in self._keys:
            self._keys[cache_key] = Key.generate(kty, **params)
        return self._keys[cache_key]


@pytest.fixture(scope="session")
def keys() -> KeyFactory:
    return KeyFactory()


@pytest.fixture(params=ALGORITHM_KEYS, ids=algorithm_case_id)
def algorithm_and_key(request: pytest.FixtureRequest, keys: KeyFactory) -> tuple[str, Key]:
    algorithm, kty, params = request.param
    return algorithm, keys.get(kty, **params)
