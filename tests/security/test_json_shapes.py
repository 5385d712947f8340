"""The header and the claims are JSON objects of bounded depth (RFC 7515 §4, RFC 7519 §7.2).

A header or claims set that is an array, a string, a number or null must be
rejected with a jwtkit error, not a TypeError from code that expects a dict.
Nesting deep enough to exhaust Python's recursion limit (100000 levels here)
must be rejected as malformed, not crash the parser with RecursionError; the
depth limit is 32 levels, and brackets inside strings do not count.
"""

from __future__ import annotations

import json

import pytest

import jwtkit
from jwtkit import errors
from jwtkit._encoding import MAX_JSON_DEPTH
from tests.security.conftest import Verify
from tests.security.forge import hmac_token

SECRET = b"a shared secret of at least 32 bytes for HS256"
HEADER = {"alg": "HS256"}
CLAIMS = {"sub": "alice"}
DEEP = 100_000
# Large enough for 100000 levels of nesting in base64url, so that the size
# limit does not stop these tokens before the depth limit does.
LARGE_TOKEN = 2_000_000

NOT_OBJECTS = {
    "array": b'[{"alg":"HS256"}]',
    "empty array": b"[]",
    "string": b'"HS256"',
    "empty string": b'""',
    "number": b"256",
    "negative number": b"-1.5e3",
    "true": b"true",
    "false": b"false",
    "null": b"null",
    "empty": b"",
    "whitespace": b" \n",
    "two objects": b'{"alg":"HS256"}{"alg":"none"}',
    "object and garbage": b'{"alg":"HS256"} x',
}
JSON_TYPES = {
    "array": "array",
    "empty array": "array",
    "string": "string",
    "empty string": "string",
    "number": "number",
    "negative number": "number",
    "true": "boolean",
    "false": "boolean",
    "null": "null",
}


def _assert_malformed(excinfo: pytest.ExceptionInfo[errors.MalformedTokenError], case: str) -> None:
    assert excinfo.value.code == "malformed_token"
    message = excinfo.value.message
    if case in JSON_TYPES:
        assert f"must be a JSON object, got a JSON {JSON_TYPES[case]}" in message
    elif case == "empty":
        # An empty header part is refused before decoding; empty claims are not JSON.
        assert "header part is empty" in message or "is not valid JSON" in message
    else:
        assert "is not valid JSON" in message


@pytest.mark.parametrize("case", sorted(NOT_OBJECTS))
def test_header_not_object_rejected(verify: Verify, case: str) -> None:
    token = hmac_token(SECRET, NOT_OBJECTS[case], CLAIMS)

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify(token, SECRET, ["HS256"])

    _assert_malformed(excinfo, case)
    assert "the token's header" in excinfo.value.message


@pytest.mark.parametrize("case", sorted(NOT_OBJECTS))
def test_claims_not_object_rejected(verify_jwt: Verify, case: str) -> None:
    token = hmac_token(SECRET, HEADER, NOT_OBJECTS[case])

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify_jwt(token, SECRET, ["HS256"])

    _assert_malformed(excinfo, case)
    assert "the token's claims" in excinfo.value.message


@pytest.mark.parametrize("case", sorted(NOT_OBJECTS))
def test_not_object_unverified(case: str) -> None:
    for token in (
        hmac_token(SECRET, NOT_OBJECTS[case], CLAIMS),
        hmac_token(SECRET, HEADER, NOT_OBJECTS[case]),
    ):
        with pytest.raises(errors.MalformedTokenError) as excinfo:
            jwtkit.decode_unverified(token)
        _assert_malformed(excinfo, case)


@pytest.mark.parametrize("case", sorted(NOT_OBJECTS))
def test_jws_payload_need_not_be_object(case: str) -> None:
    # A JWS payload is arbitrary bytes (RFC 7515 §2); only JWT claims must be
    # an object. verify_compact returns it unparsed.
    token = hmac_token(SECRET, HEADER, NOT_OBJECTS[case])

    assert (
        jwtkit.jws.verify_compact(token, SECRET, algorithms=["HS256"]).payload == NOT_OBJECTS[case]
    )


def _nested(depth: int, kind: str) -> bytes:
    if kind == "array":
        return b"[" * depth + b"]" * depth
    return b'{"a":' * depth + b"1" + b"}" * depth


def _nested_header(depth: int, kind: str) -> bytes:
    """A header whose member "x" makes the whole header ``depth`` levels deep."""
    return b'{"alg":"HS256","x":' + _nested(depth - 1, kind) + b"}"


def _nested_claims(depth: int, kind: str) -> bytes:
    return b'{"sub":"alice","x":' + _nested(depth - 1, kind) + b"}"


DEEP_DOCUMENTS = {
    "array": lambda: _nested(DEEP, "array"),
    "object": lambda: _nested(DEEP, "object"),
    "array in member": lambda: _nested_header(DEEP, "array"),
    "object in member": lambda: _nested_header(DEEP, "object"),
    "unclosed": lambda: b"[" * DEEP,
    "unclosed object": lambda: b'{"a":' * DEEP,
    "alternating": lambda: b'[{"a":' * (DEEP // 2) + b"1" + b"}]" * (DEEP // 2),
}


@pytest.mark.parametrize("case", sorted(DEEP_DOCUMENTS))
def test_deep_header_rejected(verify: Verify, case: str) -> None:
    token = hmac_token(SECRET, DEEP_DOCUMENTS[case](), CLAIMS)

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify(token, SECRET, ["HS256"], max_token_size=LARGE_TOKEN)

    assert excinfo.value.code == "malformed_token"
    assert f"deeper than {MAX_JSON_DEPTH} levels" in excinfo.value.message
    assert "the token's header" in excinfo.value.message


@pytest.mark.parametrize("case", sorted(DEEP_DOCUMENTS))
def test_deep_claims_rejected(verify_jwt: Verify, case: str) -> None:
    document = DEEP_DOCUMENTS[case]().replace(b'"alg":"HS256"', b'"sub":"alice"')
    token = hmac_token(SECRET, HEADER, document)

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify_jwt(token, SECRET, ["HS256"], max_token_size=LARGE_TOKEN)

    assert f"deeper than {MAX_JSON_DEPTH} levels" in excinfo.value.message
    assert "the token's claims" in excinfo.value.message


@pytest.mark.parametrize("case", sorted(DEEP_DOCUMENTS))
def test_deep_json_unverified(case: str) -> None:
    deep = DEEP_DOCUMENTS[case]()
    for token in (hmac_token(SECRET, deep, CLAIMS), hmac_token(SECRET, HEADER, deep)):
        with pytest.raises(errors.MalformedTokenError) as excinfo:
            jwtkit.decode_unverified(token, max_token_size=LARGE_TOKEN)
        assert f"deeper than {MAX_JSON_DEPTH} levels" in excinfo.value.message


@pytest.mark.parametrize("kind", ["array", "object"])
def test_depth_limit_boundary(verify_jwt: Verify, kind: str) -> None:
    at_limit = hmac_token(
        SECRET, _nested_header(MAX_JSON_DEPTH, kind), _nested_claims(MAX_JSON_DEPTH, kind)
    )
    assert verify_jwt(at_limit, SECRET, ["HS256"])["sub"] == "alice"

    over_header = hmac_token(SECRET, _nested_header(MAX_JSON_DEPTH + 1, kind), CLAIMS)
    over_claims = hmac_token(SECRET, HEADER, _nested_claims(MAX_JSON_DEPTH + 1, kind))
    for token in (over_header, over_claims):
        with pytest.raises(errors.MalformedTokenError) as excinfo:
            verify_jwt(token, SECRET, ["HS256"])
        assert f"deeper than {MAX_JSON_DEPTH} levels" in excinfo.value.message


def test_brackets_in_strings_do_not_count(verify_jwt: Verify) -> None:
    # Brackets inside strings, escaped quotes included, are not nesting.
    text = "[{" * 20_000 + '\\"[' * 1000
    claims = json.dumps({"sub": "alice", "note": text}).encode()
    token = hmac_token(SECRET, HEADER, claims)

    assert verify_jwt(token, SECRET, ["HS256"], max_token_size=LARGE_TOKEN)["note"] == text


def test_deep_jwk_rejected() -> None:
    jwk_text = b'{"kty":"oct","k":"c2VjcmV0","x":' + _nested(DEEP, "array") + b"}"

    with pytest.raises(errors.InvalidKeyError) as excinfo:
        jwtkit.Key.from_jwk(jwk_text)
    assert f"deeper than {MAX_JSON_DEPTH} levels" in excinfo.value.message

    with pytest.raises(errors.InvalidKeyError):
        jwtkit.KeySet.from_jwks(b'{"keys":[' + jwk_text + b"]}")


def test_deep_jws_json_rejected() -> None:
    token = hmac_token(SECRET, HEADER, CLAIMS)
    header_part, payload_part, signature_part = token.split(".")
    document = (
        f'{{"payload":"{payload_part}","protected":"{header_part}","signature":"{signature_part}",'
        f'"header":{_nested(DEEP, "object").decode()}}}'
    )

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        jwtkit.jws.verify_json(document, SECRET, algorithms=["HS256"], max_token_size=LARGE_TOKEN)

    assert f"deeper than {MAX_JSON_DEPTH} levels" in excinfo.value.message
