"""The JWS JSON Serialization rules of RFC 7515 §7.2 and Appendix F, on generated keys.

Covers both syntaxes, several signatures with different keys and algorithms,
the header rules, the verification policy, detached payloads, strict parsing
and the size limits. The published vectors are in the other test modules.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import hmac
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jwtkit import Key, KeySet
from jwtkit.errors import (
    AlgorithmNotAllowedError,
    CriticalHeaderError,
    InvalidSignatureError,
    JWTError,
    KeyMismatchError,
    KeyNotFoundError,
    MalformedTokenError,
    TokenTooLargeError,
    UsageError,
)
from jwtkit.jws import (
    DEFAULT_MAX_SIGNATURES,
    Signer,
    VerifiedJSON,
    sign_compact,
    sign_json,
    verify_compact,
    verify_json,
)

PAYLOAD = b'{"iss":"joe","amount":"1.00"}'


@pytest.fixture(scope="module")
def secret() -> Key:
    return Key.generate("oct", kid="secret-1")


@pytest.fixture(scope="module")
def ec_key() -> Key:
    return Key.generate("EC", curve="P-256", kid="ec-1")


@pytest.fixture(scope="module")
def rsa_key() -> Key:
    return Key.generate("RSA", kid="rsa-1")


@pytest.fixture(scope="module")
def ed_key() -> Key:
    return Key.generate("OKP", curve="Ed25519", kid="ed-1")


@pytest.fixture(scope="module")
def general(secret: Key, ec_key: Key, rsa_key: Key, ed_key: Key) -> dict[str, Any]:
    """A general JWS with four signatures, one per key."""
    return sign_json(
        PAYLOAD,
        [
            Signer(secret, "HS256"),
            Signer(ec_key, "ES256", header={"x-note": "second"}),
            Signer(rsa_key, "PS256"),
            Signer(ed_key, "EdDSA"),
        ],
    )


ALL_ALGORITHMS = ["HS256", "ES256", "PS256", "EdDSA"]


def flattened_jws(key: Key, algorithm: str = "HS256", **signer: Any) -> dict[str, Any]:
    return sign_json(PAYLOAD, Signer(key, algorithm, **signer), flattened=True)


def with_header(jws: dict[str, Any], header: dict[str, Any]) -> dict[str, Any]:
    return {**jws, "header": header}


# -- signing -------------------------------------------------------------------


def test_general_syntax_shape(general: dict[str, Any]) -> None:
    assert list(general) == ["payload", "signatures"]
    assert len(general["signatures"]) == 4
    assert list(general["signatures"][1]) == ["protected", "header", "signature"]
    assert list(general["signatures"][0]) == ["protected", "signature"]


def test_flattened_syntax_shape(secret: Key) -> None:
    jws = flattened_jws(secret, header={"x-note": "n"})

    assert list(jws) == ["payload", "protected", "header", "signature"]


def test_key_kid_goes_to_protected_header(secret: Key) -> None:
    verified = verify_json(flattened_jws(secret), secret, algorithms=["HS256"])

    assert verified.protected == {"alg": "HS256", "kid": "secret-1"}


def test_unprotected_kid_keeps_kid_unprotected(secret: Key) -> None:
    jws = flattened_jws(secret, header={"kid": "other"})
    verified = verify_json(jws, secret, algorithms=["HS256"])

    assert verified.protected == {"alg": "HS256"}
    assert verified.signatures[0].header == {"kid": "other"}


def test_sign_json_matches_compact(secret: Key) -> None:
    compact = sign_compact(PAYLOAD, secret, "HS256", {"typ": "example"})
    jws = sign_json(PAYLOAD, Signer(secret, "HS256", protected={"typ": "example"}), flattened=True)

    assert f"{jws['protected']}.{jws['payload']}.{jws['signature']}" == compact


def test_signer_headers_not_modified(secret: Key) -> None:
    protected = {"typ": "example", "list": [1, 2]}
    header = {"x-tags": ["a"]}
    before = (copy.deepcopy(protected), copy.deepcopy(header))

    jws = flattened_jws(secret, protected=protected, header=header)
    jws["header"]["x-tags"].append("b")

    assert (protected, header) == before


@pytest.mark.parametrize("name", ["alg", "crit", "b64"])
def test_protected_only_parameter_unprotected_rejected(secret: Key, name: str) -> None:
    with pytest.raises(UsageError) as caught:
        sign_json(PAYLOAD, Signer(secret, "HS256", header={name: "x"}))

    assert caught.value.code == "usage_error"
    assert f"puts {name!r} in the unprotected header" in str(caught.value)


def test_signer_header_overlap_rejected(secret: Key) -> None:
    signer = Signer(secret, "HS256", protected={"typ": "a"}, header={"typ": "b"})

    with pytest.raises(UsageError) as caught:
        sign_json(PAYLOAD, signer)

    assert "sets ['typ'] in both its protected and its unprotected header" in str(caught.value)


@pytest.mark.parametrize(
    ("signers", "message"),
    [
        ([], "non-empty list of Signer objects"),
        ("HS256", "non-empty list of Signer objects"),
        ([("key", "HS256")], "signers[0] is a tuple"),
    ],
)
def test_invalid_signers_rejected(signers: Any, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        sign_json(PAYLOAD, signers)

    assert message in str(caught.value)


def test_flattened_takes_one_signer(secret: Key) -> None:
    with pytest.raises(UsageError) as caught:
        sign_json(PAYLOAD, [Signer(secret, "HS256"), Signer(secret, "HS384")], flattened=True)

    assert "exactly one signature, but 2 signers" in str(caught.value)


def test_payload_must_be_bytes(secret: Key) -> None:
    with pytest.raises(UsageError) as caught:
        sign_json("text", Signer(secret, "HS256"))  # type: ignore[arg-type]

    assert "payload must be bytes, got str" in str(caught.value)


@pytest.mark.parametrize("header", [["kid"], {1: "x"}, {"x-value": float("nan")}])
def test_invalid_unprotected_header_rejected(secret: Key, header: Any) -> None:
    with pytest.raises(UsageError):
        sign_json(PAYLOAD, Signer(secret, "HS256", header=header))


def test_public_key_cannot_sign(ec_key: Key) -> None:
    with pytest.raises(UsageError) as caught:
        sign_json(PAYLOAD, Signer(ec_key.public_key(), "ES256"))

    assert "cannot sign with a public EC key" in str(caught.value)


# -- verifying: which signatures, with which keys ---------------------------------


def test_all_signatures_verify_with_key_list(
    general: dict[str, Any], secret: Key, ec_key: Key, rsa_key: Key, ed_key: Key
) -> None:
    keys = [secret, ec_key.public_key(), rsa_key.public_key().to_jwk(), ed_key.public_key()]

    verified = verify_json(general, keys, algorithms=ALL_ALGORITHMS, require="all")

    assert verified.payload == PAYLOAD
    assert [result.verified for result in verified.signatures] == [True] * 4
    assert [result.key.kid if result.key else None for result in verified.signatures] == [
        "secret-1",
        "ec-1",
        "rsa-1",
        "ed-1",
    ]
    assert verified.signatures[1].header == {"x-note": "second"}


def test_one_key_finds_its_signature(general: dict[str, Any], rsa_key: Key) -> None:
    public = rsa_key.public_key()

    verified = verify_json(general, public, algorithms=ALL_ALGORITHMS)

    assert [result.index for result in verified.verified] == [2]
    assert verified.key is public
    assert verified.protected == {"alg": "PS256", "kid": "rsa-1"}
    assert [type(result.error) for result in verified.signatures] == [
        KeyMismatchError,
        KeyMismatchError,
        type(None),
        KeyMismatchError,
    ]


def test_key_set_selects_by_kid(general: dict[str, Any], ec_key: Key, ed_key: Key) -> None:
    key_set = KeySet([ec_key.public_key(), ed_key.public_key()])

    verified = verify_json(general, key_set, algorithms=ALL_ALGORITHMS)

    assert [result.index for result in verified.verified] == [1, 3]
    assert isinstance(verified.signatures[0].error, KeyNotFoundError)
    assert isinstance(verified.signatures[2].error, KeyNotFoundError)
    assert "no key in the key set has kid 'rsa-1'" in str(verified.signatures[2].error)


def test_allow_list_limits_signatures(general: dict[str, Any], secret: Key, ec_key: Key) -> None:
    verified = verify_json(general, [secret, ec_key], algorithms=["ES256"])

    assert [result.index for result in verified.verified] == [1]
    assert isinstance(verified.signatures[0].error, AlgorithmNotAllowedError)


def test_require_all_raises_first_failure(general: dict[str, Any], secret: Key) -> None:
    with pytest.raises(KeyMismatchError):
        verify_json(general, secret, algorithms=ALL_ALGORITHMS, require="all")


def test_no_fitting_signature_raises_mismatch(general: dict[str, Any]) -> None:
    other = Key.generate("EC", curve="P-384")

    with pytest.raises(KeyMismatchError):
        verify_json(general, other, algorithms=ALL_ALGORITHMS)


def test_forged_signature_raised_over_other_keys(
    general: dict[str, Any], secret: Key, ec_key: Key
) -> None:
    forged = copy.deepcopy(general)
    forged["signatures"][0]["signature"] = "A" * 43

    with pytest.raises(InvalidSignatureError) as caught:
        verify_json(forged, secret, algorithms=ALL_ALGORITHMS)

    assert caught.value.code == "invalid_signature"
    assert str(caught.value) == "the token's signature does not verify with the given key"


def test_modified_payload_fails_every_signature(
    general: dict[str, Any], secret: Key, ec_key: Key
) -> None:
    modified = {**general, "payload": general["payload"][:-2] + "fQ"}

    with pytest.raises(InvalidSignatureError):
        verify_json(modified, [secret, ec_key], algorithms=ALL_ALGORITHMS)


def test_unprotected_header_change_keeps_signature(secret: Key) -> None:
    jws = flattened_jws(secret, header={"x-note": "original"})
    changed = with_header(jws, {"x-note": "changed"})

    verified = verify_json(changed, secret, algorithms=["HS256"])

    assert verified.signatures[0].header == {"x-note": "changed"}


def test_require_rejects_other_values(secret: Key) -> None:
    with pytest.raises(UsageError) as caught:
        verify_json(flattened_jws(secret), secret, algorithms=["HS256"], require="most")  # type: ignore[arg-type]

    assert "require must be 'any' or 'all', got 'most'" in str(caught.value)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ([], "the list of keys is empty"),
        (["secret text"], "keys[0] is a str"),
    ],
)
def test_invalid_key_list_rejected(secret: Key, keys: list[Any], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        verify_json(flattened_jws(secret), keys, algorithms=["HS256"])

    assert message in str(caught.value)


def test_key_list_never_uses_public_key_as_secret(ec_key: Key) -> None:
    # An HS256 MAC made with the EC public key's PEM as the secret, by hand,
    # because jwtkit refuses to build such an HMAC key.
    pem = ec_key.public_key().to_pem()
    protected = base64.urlsafe_b64encode(b'{"alg":"HS256"}').rstrip(b"=").decode()
    payload = base64.urlsafe_b64encode(PAYLOAD).rstrip(b"=").decode()
    mac = hmac.digest(pem, f"{protected}.{payload}".encode(), "sha256")
    signature = base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    token = {"protected": protected, "payload": payload, "signature": signature}

    with pytest.raises(KeyNotFoundError):
        verify_json(token, [ec_key.public_key()], algorithms=["HS256", "ES256"])


def test_result_is_verified_json(secret: Key) -> None:
    verified = verify_json(flattened_jws(secret), secret, algorithms=["HS256"])

    assert isinstance(verified, VerifiedJSON)
    assert verified.verified == verified.signatures
    assert verified.key is secret


# -- verifying: header rules ---------------------------------------------------------


def test_disjoint_headers_required(secret: Key) -> None:
    jws = with_header(flattened_jws(secret), {"kid": "secret-1"})

    with pytest.raises(MalformedTokenError) as caught:
        verify_json(jws, secret, algorithms=["HS256"])

    assert "has ['kid'] in both its protected and its unprotected header" in str(caught.value)
    assert "RFC 7515 §7.2.1" in str(caught.value)


def test_unprotected_alg_rejected(secret: Key) -> None:
    jws = flattened_jws(secret)
    unprotected_alg = {
        "payload": jws["payload"],
        "protected": "eyJraWQiOiJzZWNyZXQtMSJ9",
        "header": {"alg": "HS256"},
        "signature": jws["signature"],
    }

    with pytest.raises(MalformedTokenError) as caught:
        verify_json(unprotected_alg, secret, algorithms=["HS256"])

    assert "has 'alg' in its unprotected header" in str(caught.value)


def test_unprotected_crit_rejected(secret: Key) -> None:
    jws = with_header(flattened_jws(secret), {"crit": ["exp"]})

    with pytest.raises(CriticalHeaderError) as caught:
        verify_json(jws, secret, algorithms=["HS256"])

    assert "has 'crit' in its unprotected header" in str(caught.value)


def test_missing_protected_header_rejected(secret: Key) -> None:
    jws = flattened_jws(secret)
    del jws["protected"]

    with pytest.raises(MalformedTokenError) as caught:
        verify_json(with_header(jws, {"kid": "secret-1"}), secret, algorithms=["HS256"])

    assert "has no 'alg' in its protected header" in str(caught.value)


def test_unknown_critical_extension_rejected(secret: Key) -> None:
    # jwtkit cannot sign this header, so it is encoded by hand; the header
    # rules reject it before the signature is checked.
    header = {"alg": "HS256", "crit": ["x-ext"], "x-ext": 1}
    protected = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    jws = {**flattened_jws(secret), "protected": protected}

    with pytest.raises(CriticalHeaderError) as caught:
        verify_json(jws, secret, algorithms=["HS256"])

    assert "'crit' lists the extension 'x-ext'" in str(caught.value)


def test_bad_header_keeps_other_signatures(general: dict[str, Any], ec_key: Key) -> None:
    jws = copy.deepcopy(general)
    jws["signatures"][0]["header"] = {"b64": True}

    verified = verify_json(jws, ec_key, algorithms=ALL_ALGORITHMS)

    assert [result.index for result in verified.verified] == [1]
    assert isinstance(verified.signatures[0].error, CriticalHeaderError)
    assert "signatures[0] of the JWS has 'b64'" in str(verified.signatures[0].error)


def test_unknown_header_parameters_ignored(secret: Key) -> None:
    jws = flattened_jws(secret, protected={"x-private": {"a": 1}}, header={"x-other": [1]})

    verified = verify_json(jws, secret, algorithms=["HS256"])

    assert verified.protected["x-private"] == {"a": 1}


def test_unknown_top_level_members_ignored(secret: Key) -> None:
    jws = {**flattened_jws(secret), "x-extra": {"anything": True}}

    assert verify_json(jws, secret, algorithms=["HS256"]).payload == PAYLOAD


# -- verifying: structure and strict parsing -------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda jws: jws.update(payload=1), "'payload' must be a string, got a JSON number"),
        (lambda jws: jws.update(protected=["x"]), "'protected' member of the JWS must be"),
        (lambda jws: jws.update(protected=""), "'protected' member of the JWS is empty"),
        (lambda jws: jws.update(header="kid"), "'header' member of the JWS must be a JSON obj"),
        (lambda jws: jws.update(signature=None), "the JWS has no 'signature' member"),
        (lambda jws: jws.update(signature=7), "'signature' member of the JWS must be a string"),
        (lambda jws: jws.update(signature="a+b/"), "signature of the JWS is not base64url"),
        (lambda jws: jws.update(payload="a b"), "the JWS payload is not base64url"),
        (lambda jws: jws.update(protected="bnVsbA"), "must be a JSON object, got a JSON null"),
        (lambda jws: jws.update(protected="e30="), "is not base64url"),
        (lambda jws: jws.pop("payload"), "no 'payload' member; if its payload is detached"),
    ],
)
def test_malformed_flattened_rejected(secret: Key, mutate: Any, message: str) -> None:
    jws = flattened_jws(secret)
    mutate(jws)

    with pytest.raises(MalformedTokenError) as caught:
        verify_json(jws, secret, algorithms=["HS256"])

    assert caught.value.code == "malformed_token"
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("signatures", "message"),
    [
        ([], "'signatures' must be a non-empty array"),
        ({"0": {}}, "'signatures' must be a non-empty array"),
        (["sig"], "signatures[0] must be a JSON object, got a JSON string"),
        ([{"protected": "eyJhbGciOiJIUzI1NiJ9"}], "signatures[0] of the JWS has no 'signature'"),
    ],
)
def test_malformed_general_rejected(secret: Key, signatures: Any, message: str) -> None:
    jws = {"payload": "e30", "signatures": signatures}

    with pytest.raises(MalformedTokenError) as caught:
        verify_json(jws, secret, algorithms=["HS256"])

    assert message in str(caught.value)


def test_mixed_syntaxes_rejected(general: dict[str, Any], secret: Key) -> None:
    mixed = {**general, "signature": general["signatures"][0]["signature"]}

    with pytest.raises(MalformedTokenError) as caught:
        verify_json(mixed, secret, algorithms=["HS256"])

    assert "also the top-level member(s) ['signature']" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"payload":"e30","payload":"e30"}', "duplicate member name 'payload'"),
        ('{"payload":NaN}', "is not a JSON number"),
        ("[1,2]", "must be a JSON object, got a JSON array"),
        ("{", "the JWS is not valid JSON"),
        (b'{"payload":"\xff"}', "not valid UTF-8"),
        ("[" * 40 + "]" * 40, "deeper than"),
    ],
)
def test_strict_json_text(secret: Key, text: str | bytes, message: str) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        verify_json(text, secret, algorithms=["HS256"])

    assert message in str(caught.value)


@pytest.mark.parametrize("value", [None, 42, ["payload"], object()])
def test_input_type_rejected(secret: Key, value: Any) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        verify_json(value, secret, algorithms=["HS256"])

    assert "must be a dict or JSON text" in str(caught.value)


def test_text_size_limit(secret: Key) -> None:
    text = json.dumps(flattened_jws(secret))

    with pytest.raises(TokenTooLargeError) as caught:
        verify_json(text, secret, algorithms=["HS256"], max_token_size=len(text) - 1)

    assert caught.value.code == "token_too_large"
    assert f"over the maximum of {len(text) - 1}" in str(caught.value)
    assert verify_json(text, secret, algorithms=["HS256"], max_token_size=len(text)).payload


def test_parsed_object_size_limit(secret: Key) -> None:
    jws = sign_json(b"x" * 3000, Signer(secret, "HS256"), flattened=True)

    with pytest.raises(TokenTooLargeError) as caught:
        verify_json(jws, secret, algorithms=["HS256"], max_token_size=1000)

    assert "are 4" in str(caught.value)


def test_signature_count_limit(secret: Key) -> None:
    signer = Signer(secret, "HS256")
    jws = sign_json(
        PAYLOAD, [signer] * (DEFAULT_MAX_SIGNATURES + 1), max_signatures=DEFAULT_MAX_SIGNATURES + 1
    )

    with pytest.raises(TokenTooLargeError) as caught:
        verify_json(jws, secret, algorithms=["HS256"])
    verified = verify_json(
        jws, secret, algorithms=["HS256"], max_signatures=DEFAULT_MAX_SIGNATURES + 1
    )

    assert f"has {DEFAULT_MAX_SIGNATURES + 1} signatures" in str(caught.value)
    assert len(verified.verified) == DEFAULT_MAX_SIGNATURES + 1


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"max_token_size": "64k"}, "max_token_size must be a positive integer, got '64k'"),
        ({"max_token_size": 0}, "max_token_size must be a positive integer, got 0"),
        ({"max_signatures": True}, "max_signatures must be a positive integer, got True"),
    ],
)
def test_invalid_limits_rejected(secret: Key, limits: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        verify_json(flattened_jws(secret), secret, algorithms=["HS256"], **limits)

    assert message in str(caught.value)


def test_unpaired_surrogate_unencoded_payload(secret: Key) -> None:
    jws = sign_json(b"ok", Signer(secret, "HS256", protected={"b64": False}), flattened=True)
    text = json.dumps(jws).replace('"ok"', '"\\ud800"')

    with pytest.raises(MalformedTokenError) as caught:
        verify_json(text, secret, algorithms=["HS256"])

    assert "unpaired surrogate" in str(caught.value)


# -- detached content (RFC 7515 Appendix F) ---------------------------------------------


@pytest.mark.parametrize("flattened", [True, False])
def test_detached_round_trip(secret: Key, ec_key: Key, flattened: bool) -> None:
    signers = (
        Signer(secret, "HS256") if flattened else [Signer(secret, "HS256"), Signer(ec_key, "ES256")]
    )

    jws = sign_json(PAYLOAD, signers, flattened=flattened, detached=True)
    verified = verify_json(
        jws,
        [secret, ec_key],
        algorithms=["HS256", "ES256"],
        detached_payload=PAYLOAD,
        require="all",
    )

    assert "payload" not in jws
    assert verified.payload == PAYLOAD


def test_detached_wrong_payload_fails(secret: Key) -> None:
    jws = sign_json(PAYLOAD, Signer(secret, "HS256"), flattened=True, detached=True)

    with pytest.raises(InvalidSignatureError):
        verify_json(jws, secret, algorithms=["HS256"], detached_payload=PAYLOAD + b" ")


def test_detached_and_attached_payload_rejected(secret: Key) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        verify_json(flattened_jws(secret), secret, algorithms=["HS256"], detached_payload=PAYLOAD)

    assert "carries a payload too" in str(caught.value)


def test_detached_payload_must_be_bytes(secret: Key) -> None:
    jws = sign_json(PAYLOAD, Signer(secret, "HS256"), flattened=True, detached=True)

    with pytest.raises(UsageError) as caught:
        verify_json(jws, secret, algorithms=["HS256"], detached_payload="text")  # type: ignore[arg-type]

    assert "detached_payload must be bytes, got str" in str(caught.value)


def test_compact_detached_round_trip(secret: Key) -> None:
    token = sign_compact(PAYLOAD, secret, "HS256", detached=True)

    verified = verify_compact(token, secret, algorithms=["HS256"], detached_payload=PAYLOAD)

    assert token.split(".")[1] == ""
    assert verified.payload == PAYLOAD


def test_compact_detached_needs_empty_payload(secret: Key) -> None:
    token = sign_compact(PAYLOAD, secret, "HS256")

    with pytest.raises(MalformedTokenError) as caught:
        verify_compact(token, secret, algorithms=["HS256"], detached_payload=PAYLOAD)

    assert "carries a payload too" in str(caught.value)


# -- properties ----------------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(payload=st.binary(max_size=200), flattened=st.booleans(), position=st.integers(0, 42))
def test_round_trip_and_flipped_signature(
    secret: Key, payload: bytes, flattened: bool, position: int
) -> None:
    jws = sign_json(payload, Signer(secret, "HS256"), flattened=flattened)
    entry = jws if flattened else jws["signatures"][0]

    assert verify_json(jws, secret, algorithms=["HS256"]).payload == payload

    signature = entry["signature"]
    replacement = "A" if signature[position] != "A" else "B"
    entry["signature"] = signature[:position] + replacement + signature[position + 1 :]
    with pytest.raises((InvalidSignatureError, MalformedTokenError)):
        verify_json(jws, secret, algorithms=["HS256"])


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=10,
)
MEMBER_NAMES = st.sampled_from(
    ["payload", "signatures", "protected", "header", "signature", "alg", "crit", "b64", "kid"]
)


@settings(max_examples=200, deadline=None)
@given(
    top=st.dictionaries(MEMBER_NAMES, JSON_VALUES, max_size=3),
    entry=st.dictionaries(MEMBER_NAMES, JSON_VALUES, max_size=3),
    protected=st.dictionaries(MEMBER_NAMES, JSON_VALUES, max_size=3),
    flattened=st.booleans(),
    require=st.sampled_from(["any", "all"]),
)
def test_altered_members_raise_only_jwtkit_errors(
    secret: Key,
    top: dict[str, Any],
    entry: dict[str, Any],
    protected: dict[str, Any],
    flattened: bool,
    require: Any,
) -> None:
    jws = sign_json(PAYLOAD, Signer(secret, "HS256", header={"x-note": 1}))
    signature = {**jws["signatures"][0], **entry}
    if protected:
        header = json.dumps({"alg": "HS256", **protected}).encode()
        signature["protected"] = base64.urlsafe_b64encode(header).rstrip(b"=").decode()
    document = (
        {"payload": jws["payload"], **signature}
        if flattened
        else {"payload": jws["payload"], "signatures": [signature, signature]}
    )
    document.update(top)

    for candidate in (document, json.dumps(document)):
        with contextlib.suppress(JWTError):
            verify_json(candidate, [secret], algorithms=["HS256", "ES256"], require=require)
