"""Every JWK in the vectors folder imports and exports unchanged, member for member.

The keys come from RFC 7515, 7516, 7517, 7520, 7638 and 8037 through
latchset/jose, erlang-jose, joserfc and the JOSE Cookbook, JWE keys included.
A private key's public half must equal the same JWK without its private members.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jwtkit import Key
from tests.conformance.vectors import JWKVector, jwk_vectors, parametrize

# RFC 7518 §6: the members that hold private or secret key material.
PRIVATE_MEMBERS = {
    "RSA": {"d", "p", "q", "dp", "dq", "qi"},
    "EC": {"d"},
    "OKP": {"d"},
    "oct": {"k"},
}

VECTORS = jwk_vectors()


def is_private(jwk: dict[str, object]) -> bool:
    return bool(PRIVATE_MEMBERS[str(jwk["kty"])] & set(jwk))


@pytest.mark.parametrize("vector", parametrize(VECTORS, lambda vector: vector.id))
def test_jwk_round_trip(vectors_dir: Path, vector: JWKVector) -> None:
    key = Key.from_jwk(vector.jwk)

    assert key.to_jwk(private=is_private(vector.jwk)) == vector.jwk


@pytest.mark.parametrize(
    "vector",
    parametrize(
        [vector for vector in VECTORS if vector.jwk["kty"] != "oct" and is_private(vector.jwk)],
        lambda vector: vector.id,
    ),
)
def test_public_half_drops_private_members(vectors_dir: Path, vector: JWKVector) -> None:
    public = {
        name: value
        for name, value in vector.jwk.items()
        if name not in PRIVATE_MEMBERS[vector.jwk["kty"]]
    }

    assert Key.from_jwk(vector.jwk).public_key().to_jwk() == public
