"""JWK thumbprints: RFC 7638 §3.1 (RSA) and RFC 8037 Appendix A.3 (Ed25519).

Expected thumbprints come from the vector files or are typed in from the RFC,
never computed by jwtkit.
"""

from __future__ import annotations

from pathlib import Path

from jwtkit import Key
from tests.conformance.vectors import ERLANG_DIR, latchset_vectors, load_json

# RFC 8037 §A.3: the SHA-256 thumbprint of the A.2 Ed25519 public key.
RFC8037_A3_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_rfc7638_rsa_thumbprint(vectors_dir: Path) -> None:
    files = latchset_vectors("rfc7638_3.1")["rfc7638_3.1"]

    assert Key.from_jwk(files["jwk"]).thumbprint() == files["thp"]


def test_rfc7638_ignores_optional_members(vectors_dir: Path) -> None:
    files = latchset_vectors("rfc7638_3.1")["rfc7638_3.1"]
    # The §3.1 key carries alg and kid, which RFC 7638 §3.2 leaves out of the hash.
    assert {"alg", "kid"} <= set(files["jwk"])
    bare = {name: files["jwk"][name] for name in ("kty", "n", "e")}

    assert Key.from_jwk(bare).thumbprint() == files["thp"]


def test_rfc8037_ed25519_thumbprint(vectors_dir: Path) -> None:
    public = load_json(ERLANG_DIR / "jose_cfrg_curves" / "a.2.jwk+json")

    assert Key.from_jwk(public).thumbprint() == RFC8037_A3_THUMBPRINT


def test_rfc8037_private_key_same_thumbprint(vectors_dir: Path) -> None:
    private = load_json(ERLANG_DIR / "jose_cfrg_curves" / "a.1.jwk+json")

    assert Key.from_jwk(private).thumbprint() == RFC8037_A3_THUMBPRINT
