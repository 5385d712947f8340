"""RFC 7797 unencoded payloads (b64: false): the RFC's and the cookbook's examples, in every form.

The §4.1 and §4.2 values are typed in from RFC 7797; the key is the RFC 7515
Appendix A.1 HMAC key, which both sections use.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jwtkit import Key
from jwtkit.errors import (
    CriticalHeaderError,
    InvalidSignatureError,
    MalformedTokenError,
    UsageError,
)
from jwtkit.jws import Signer, sign_compact, sign_json, verify_compact, verify_json
from tests.conformance.decisions import VECTORS
from tests.conformance.vectors import cookbook_example

# RFC 7515 Appendix A.1 / RFC 7797 §4: the HMAC key of both examples.
RFC7515_A1_KEY = {
    "kty": "oct",
    "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
}
RFC7797_PAYLOAD = b"$.02"

# RFC 7797 §4.1: the same payload with the ordinary base64url encoding.
RFC7797_4_1_COMPACT = "eyJhbGciOiJIUzI1NiJ9.JC4wMg.5mvfOroL-g7HyqJoozehmsaqmvTYGEq5jTI1gVvoEoQ"

# RFC 7797 §4.2: {"alg":"HS256","b64":false,"crit":["b64"]}, payload detached
# in the compact form because it contains '.'.
RFC7797_4_2_PROTECTED = "eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19"
RFC7797_4_2_SIGNATURE = "A5dxf2s96_n5FLueVuW1Z_vh161FwXZC4YLPff6dmDY"
RFC7797_4_2_COMPACT = f"{RFC7797_4_2_PROTECTED}..{RFC7797_4_2_SIGNATURE}"
RFC7797_4_2_JSON = {
    "protected": RFC7797_4_2_PROTECTED,
    "payload": "$.02",
    "signature": RFC7797_4_2_SIGNATURE,
}

COOKBOOK_COMPATIBLE = "rfc7797/hmac-sha2_b64_false.json"
COOKBOOK_DRAFT = "rfc7797/4.2.hmac-sha2_b64_false.json"


@pytest.fixture
def key() -> Key:
    return Key.from_jwk(RFC7515_A1_KEY)


def test_rfc_4_1_encoded_verifies(key: Key) -> None:
    verified = verify_compact(RFC7797_4_1_COMPACT, key, algorithms=["HS256"])

    assert verified.payload == RFC7797_PAYLOAD
    assert verified.protected == {"alg": "HS256"}


def test_rfc_4_1_encoded_reproduced(key: Key) -> None:
    assert sign_compact(RFC7797_PAYLOAD, key, "HS256") == RFC7797_4_1_COMPACT


def test_rfc_4_2_compact_detached_verifies(key: Key) -> None:
    verified = verify_compact(
        RFC7797_4_2_COMPACT, key, algorithms=["HS256"], detached_payload=RFC7797_PAYLOAD
    )

    assert verified.payload == RFC7797_PAYLOAD
    assert verified.protected == {"alg": "HS256", "b64": False, "crit": ["b64"]}


def test_rfc_4_2_compact_reproduced(key: Key) -> None:
    token = sign_compact(RFC7797_PAYLOAD, key, "HS256", {"b64": False}, detached=True)

    assert token == RFC7797_4_2_COMPACT


def test_rfc_4_2_json_verifies(key: Key) -> None:
    verified = verify_json(RFC7797_4_2_JSON, key, algorithms=["HS256"])

    assert verified.payload == RFC7797_PAYLOAD
    assert verified.protected == {"alg": "HS256", "b64": False, "crit": ["b64"]}


def test_rfc_4_2_json_reproduced(key: Key) -> None:
    jws = sign_json(RFC7797_PAYLOAD, Signer(key, "HS256", protected={"b64": False}), flattened=True)

    assert jws == RFC7797_4_2_JSON


def test_rfc_4_2_json_detached_verifies(key: Key) -> None:
    detached = {"protected": RFC7797_4_2_PROTECTED, "signature": RFC7797_4_2_SIGNATURE}

    verified = verify_json(detached, key, algorithms=["HS256"], detached_payload=RFC7797_PAYLOAD)

    assert verified.payload == RFC7797_PAYLOAD


def test_rfc_4_2_json_detached_reproduced(key: Key) -> None:
    jws = sign_json(
        RFC7797_PAYLOAD,
        Signer(key, "HS256", protected={"b64": False}),
        flattened=True,
        detached=True,
    )

    assert jws == {"protected": RFC7797_4_2_PROTECTED, "signature": RFC7797_4_2_SIGNATURE}


def test_rfc_4_2_wrong_detached_payload_fails(key: Key) -> None:
    with pytest.raises(InvalidSignatureError):
        verify_compact(RFC7797_4_2_COMPACT, key, algorithms=["HS256"], detached_payload=b"$.03")


def test_rfc_4_2_encoded_payload_fails(key: Key) -> None:
    # Reading the unencoded payload as base64url changes the signing input.
    encoded = {**RFC7797_4_2_JSON, "payload": "JC4wMg"}

    with pytest.raises(InvalidSignatureError):
        verify_json(encoded, key, algorithms=["HS256"])


@pytest.mark.parametrize("form", ["compact", "json", "json_flat"])
def test_cookbook_compatible_example_verifies(vectors_dir: Path, form: str) -> None:
    example = cookbook_example(COOKBOOK_COMPATIBLE)
    jws = example.data["output"][form]
    key = Key.from_jwk(example.keys[0])

    if form == "compact":
        verified = verify_compact(jws, key, algorithms=["HS256"])
        assert verified.payload == example.payload
        return
    assert verify_json(jws, key, algorithms=["HS256"]).payload == example.payload


@pytest.mark.parametrize("form", ["compact", "json", "json_flat"])
def test_cookbook_compatible_example_reproduced(vectors_dir: Path, form: str) -> None:
    # Only the example's output is used: its "signing" block shows a
    # protected header that is not valid JSON and a signing input without crit.
    example = cookbook_example(COOKBOOK_COMPATIBLE)
    key = example.keys[0]

    if form == "compact":
        produced: object = sign_compact(example.payload, key, "HS256", {"b64": False})
    else:
        signer = Signer(key, "HS256", protected={"b64": False})
        produced = sign_json(example.payload, signer, flattened=form == "json_flat")

    assert produced == example.data["output"][form]


@pytest.mark.parametrize("form", ["json", "json_flat"])
def test_cookbook_draft_example_rejected(vectors_dir: Path, form: str) -> None:
    example = cookbook_example(COOKBOOK_DRAFT)
    decision = VECTORS["cookbook-rfc7797-4.2"]

    with pytest.raises(CriticalHeaderError) as caught:
        verify_json(example.data["output"][form], example.keys[0], algorithms=["HS256"])

    assert decision.error is CriticalHeaderError
    assert caught.value.code == "unsupported_critical_header"
    assert "'b64' but does not list it in 'crit'" in str(caught.value)


def test_cookbook_draft_example_rejected_compact(vectors_dir: Path) -> None:
    example = cookbook_example(COOKBOOK_DRAFT)
    flat = example.data["output"]["json_flat"]
    # The same signature as a detached compact JWS: '$.02' contains '.'.
    token = f"{flat['protected']}..{flat['signature']}"

    with pytest.raises(CriticalHeaderError):
        verify_compact(
            token, example.keys[0], algorithms=["HS256"], detached_payload=example.payload
        )


def test_b64_in_unprotected_header_rejected(key: Key) -> None:
    jws = {
        "protected": "eyJhbGciOiJIUzI1NiJ9",
        "header": {"b64": False},
        "payload": "$.02",
        "signature": RFC7797_4_2_SIGNATURE,
    }

    with pytest.raises(CriticalHeaderError) as caught:
        verify_json(jws, key, algorithms=["HS256"])

    assert "has 'b64' in its unprotected header" in str(caught.value)


def test_b64_unprotected_cannot_be_signed(key: Key) -> None:
    with pytest.raises(UsageError) as caught:
        sign_json(RFC7797_PAYLOAD, Signer(key, "HS256", header={"b64": False}))

    assert "puts 'b64' in the unprotected header" in str(caught.value)


def test_signatures_disagreeing_on_b64_rejected(key: Key) -> None:
    encoded = sign_json(RFC7797_PAYLOAD, Signer(key, "HS256"))
    mixed = {
        "payload": "$.02",
        "signatures": [
            {"protected": RFC7797_4_2_PROTECTED, "signature": RFC7797_4_2_SIGNATURE},
            encoded["signatures"][0],
        ],
    }

    with pytest.raises(MalformedTokenError) as caught:
        verify_json(mixed, key, algorithms=["HS256"])

    assert "disagree on 'b64'" in str(caught.value)


def test_signers_disagreeing_on_b64_rejected(key: Key) -> None:
    signers = [Signer(key, "HS256", protected={"b64": False}), Signer(key, "HS256")]

    with pytest.raises(UsageError) as caught:
        sign_json(RFC7797_PAYLOAD, signers)

    assert "disagree on 'b64'" in str(caught.value)


def test_unencoded_payload_with_dots_in_json(key: Key) -> None:
    payload = "a.b.c \u20ac".encode()
    signers = [
        Signer(key, "HS256", protected={"b64": False}),
        Signer(key, "HS512", protected={"b64": False}),
    ]

    jws = sign_json(payload, signers)
    verified = verify_json(jws, key, algorithms=["HS256", "HS512"], require="all")

    assert jws["payload"] == "a.b.c \u20ac"
    assert verified.payload == payload


def test_non_utf8_unencoded_payload_needs_detached(key: Key) -> None:
    signer = Signer(key, "HS256", protected={"b64": False})

    with pytest.raises(UsageError) as caught:
        sign_json(b"\xff\xfe", signer)
    jws = sign_json(b"\xff\xfe", signer, detached=True)

    assert "pass detached=True" in str(caught.value)
    assert verify_json(jws, key, algorithms=["HS256"], detached_payload=b"\xff\xfe").payload == (
        b"\xff\xfe"
    )
