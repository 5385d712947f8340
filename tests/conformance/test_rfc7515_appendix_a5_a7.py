"""RFC 7515 Appendix A.5 (an unsecured JWS, rejected), A.6 (general JSON) and A.7 (flattened JSON).

Vectors from latchset/jose, the A.5 header also from erlang-jose. The A.6
payload is typed in from RFC 7515 §A.1.1, which A.6 and A.7 reuse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import jwtkit
from jwtkit import Key
from jwtkit.errors import (
    AlgorithmNotAllowedError,
    KeyMismatchError,
    KeyNotFoundError,
    UsageError,
)
from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.jws import Signer, sign_json, verify_compact, verify_json
from tests.conformance.decisions import VECTORS
from tests.conformance.vectors import ERLANG_DIR, b64url_decode_stdlib, latchset_vectors, load_json

# RFC 7515 §A.1.1: the JWS Payload of A.1, A.6 and A.7, with its CRLF line breaks.
RFC7515_PAYLOAD = b'{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}'
# RFC 7515 §A.6: the kid of each signature's unprotected header.
A6_KIDS = ("2010-12-29", "e9bc097a-ce51-4036-9562-d2ade882db0d")


def appendix(stem: str) -> dict[str, Any]:
    return latchset_vectors(stem)[stem]


# -- A.5: unsecured JWS ---------------------------------------------------------


def test_a5_header_is_alg_none(vectors_dir: Path) -> None:
    token = appendix("rfc7515_A.5")["jwsc"]
    header = json.loads(b64url_decode_stdlib(token.split(".")[0]))

    assert header == load_json(ERLANG_DIR / "jws" / "a.5.jws+json")
    assert b64url_decode_stdlib(token.split(".")[1]) == RFC7515_PAYLOAD


def test_a5_compact_rejected(vectors_dir: Path) -> None:
    token = appendix("rfc7515_A.5")["jwsc"]
    assert VECTORS["rfc7515-A.5"].outcome == "invalid"

    with pytest.raises(AlgorithmNotAllowedError) as caught:
        verify_compact(token, Key.generate("oct"), algorithms=list(SIGNATURE_ALGORITHMS))

    assert caught.value.code == "algorithm_not_allowed"
    assert "unsigned tokens are never accepted" in str(caught.value)


def test_a5_decode_rejected(vectors_dir: Path) -> None:
    token = appendix("rfc7515_A.5")["jwsc"]

    with pytest.raises(AlgorithmNotAllowedError):
        jwtkit.decode(token, Key.generate("oct"), algorithms=["HS256"])


def test_a5_as_json_rejected(vectors_dir: Path) -> None:
    protected, payload, _ = appendix("rfc7515_A.5")["jwsc"].split(".")
    jws = {"protected": protected, "payload": payload, "signature": ""}

    with pytest.raises(AlgorithmNotAllowedError):
        verify_json(jws, Key.generate("oct"), algorithms=list(SIGNATURE_ALGORITHMS))


@pytest.mark.parametrize("name", ["none", "NONE", "None"])
def test_none_cannot_be_allowed(name: str) -> None:
    with pytest.raises(UsageError) as caught:
        verify_json({}, Key.generate("oct"), algorithms=[name])

    assert "'none' cannot be allowed" in str(caught.value)


# -- A.6: general JSON Serialization ---------------------------------------------


def test_a6_each_key_finds_its_signature(vectors_dir: Path) -> None:
    jws = appendix("rfc7515_A.6")["jwsg"]

    for index in (0, 1):
        key = Key.from_jwk(appendix(f"rfc7515_A.6.{index + 1}")["jwk"])

        verified = verify_json(jws, key, algorithms=["RS256", "ES256"])

        assert [result.index for result in verified.verified] == [index]
        assert verified.payload == RFC7515_PAYLOAD
        assert verified.signatures[index].header == {"kid": A6_KIDS[index]}
        assert isinstance(verified.signatures[1 - index].error, KeyMismatchError)


def test_a6_all_signatures_with_kids(vectors_dir: Path) -> None:
    jws = appendix("rfc7515_A.6")["jwsg"]
    keys = [
        {**key, "kid": kid}
        for key, kid in zip(appendix("rfc7515_A.6")["jwkset"]["keys"], A6_KIDS, strict=True)
    ]

    verified = verify_json(jws, keys, algorithms=["RS256", "ES256"], require="all")

    assert [result.protected for result in verified.signatures] == [
        {"alg": "RS256"},
        {"alg": "ES256"},
    ]
    assert [result.key.kid if result.key else None for result in verified.signatures] == list(
        A6_KIDS
    )


def test_a6_key_set_without_kids(vectors_dir: Path) -> None:
    # A key set selects by kid first, and the A.6 keys have none.
    jws = appendix("rfc7515_A.6")["jwsg"]
    keys = appendix("rfc7515_A.6")["jwkset"]["keys"]

    with pytest.raises(KeyNotFoundError) as caught:
        verify_json(jws, keys, algorithms=["RS256", "ES256"])

    assert "no key in the key set has kid '2010-12-29'" in str(caught.value)


def test_a6_rsa_signature_reproduced(vectors_dir: Path) -> None:
    jws = appendix("rfc7515_A.6")["jwsg"]
    key = appendix("rfc7515_A.6.1")["jwk"]

    produced = sign_json(RFC7515_PAYLOAD, Signer(key, "RS256", header={"kid": A6_KIDS[0]}))

    assert produced["payload"] == jws["payload"]
    assert produced["signatures"][0] == jws["signatures"][0]


# -- A.7: flattened JSON Serialization ------------------------------------------


def test_a7_verifies(vectors_dir: Path) -> None:
    files = appendix("rfc7515_A.7")

    verified = verify_json(files["jwsf"], Key.from_jwk(files["jwk"]), algorithms=["ES256"])

    assert verified.payload == RFC7515_PAYLOAD
    assert verified.protected == {"alg": "ES256"}
    assert verified.signatures[0].header == {"kid": A6_KIDS[1]}


def test_a7_is_a6_second_signature(vectors_dir: Path) -> None:
    general = appendix("rfc7515_A.6")["jwsg"]
    flattened = appendix("rfc7515_A.7")["jwsf"]

    assert flattened == {"payload": general["payload"], **general["signatures"][1]}


def test_a7_as_text_verifies(vectors_dir: Path) -> None:
    files = appendix("rfc7515_A.7")
    text = json.dumps(files["jwsf"])

    for jws in (text, text.encode()):
        verified = verify_json(jws, files["jwk"], algorithms=["ES256"])
        assert verified.payload == RFC7515_PAYLOAD
