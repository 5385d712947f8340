"""RFC 8037 Appendix A: the Ed25519 key, its JWS (A.4) and its verification (A.5).

The keys come from erlang-jose and the signatures from the JOSE Cookbook's
curve25519 example, which carries the RFC's A.4 values. Ed25519 is
deterministic, so signing again must reproduce every output byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jwtkit import Key
from jwtkit.errors import InvalidSignatureError
from jwtkit.jws import Signer, sign_compact, sign_json, verify_compact, verify_json
from tests.conformance.vectors import ERLANG_DIR, cookbook_example, load_json

EXAMPLE = "curve25519/jws.json"
# RFC 8037 §A.4: the payload of the example.
RFC8037_A4_PAYLOAD = b"Example of Ed25519 signing"


def private_jwk() -> dict[str, str]:
    jwk: dict[str, str] = load_json(ERLANG_DIR / "jose_cfrg_curves" / "a.1.jwk+json")
    return jwk


def public_jwk() -> dict[str, str]:
    jwk: dict[str, str] = load_json(ERLANG_DIR / "jose_cfrg_curves" / "a.2.jwk+json")
    return jwk


def test_a1_private_key_round_trip(vectors_dir: Path) -> None:
    assert Key.from_jwk(private_jwk()).to_jwk(private=True) == private_jwk()


def test_a2_public_key_from_private(vectors_dir: Path) -> None:
    assert Key.from_jwk(private_jwk()).public_key().to_jwk() == public_jwk()


def test_cookbook_key_is_a1_key(vectors_dir: Path) -> None:
    cookbook_key = dict(cookbook_example(EXAMPLE).keys[0])

    assert cookbook_key.pop("use") == "sig"
    assert cookbook_key == private_jwk()


@pytest.mark.parametrize("form", ["compact", "json", "json_flat"])
def test_a5_verification(vectors_dir: Path, form: str) -> None:
    jws = cookbook_example(EXAMPLE).data["output"][form]
    public = Key.from_jwk(public_jwk())

    if form == "compact":
        verified = verify_compact(jws, public, algorithms=["EdDSA"])
        assert verified.payload == RFC8037_A4_PAYLOAD
        assert verified.protected == {"alg": "EdDSA"}
        return
    verified_json = verify_json(jws, public, algorithms=["EdDSA"])
    assert verified_json.payload == RFC8037_A4_PAYLOAD
    assert verified_json.protected == {"alg": "EdDSA"}


@pytest.mark.parametrize("form", ["compact", "json", "json_flat"])
def test_a4_signing_reproduced(vectors_dir: Path, form: str) -> None:
    expected = cookbook_example(EXAMPLE).data["output"][form]
    private = Key.from_jwk(private_jwk())

    if form == "compact":
        produced: object = sign_compact(RFC8037_A4_PAYLOAD, private, "EdDSA")
    else:
        produced = sign_json(
            RFC8037_A4_PAYLOAD, Signer(private, "EdDSA"), flattened=form == "json_flat"
        )

    assert produced == expected


def test_a5_modified_signature_fails(vectors_dir: Path) -> None:
    token = cookbook_example(EXAMPLE).data["output"]["compact"]
    header, payload, signature = token.split(".")
    # The first character carries the top six bits of the first byte.
    modified = ("g" if signature[0] != "g" else "h") + signature[1:]

    with pytest.raises(InvalidSignatureError):
        verify_compact(f"{header}.{payload}.{modified}", public_jwk(), algorithms=["EdDSA"])
