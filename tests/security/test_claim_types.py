"""Registered claims of the wrong JSON type are rejected, never coerced (RFC 7519 §4.1).

An ``exp`` of "9999999999" compared as a string, ``true`` read as 1, null
read as "no expiry", NaN that compares false with everything, or a number
too large for a double: each one lets a token outlive its expiry in a
library that coerces the value or skips the check. Every token here has a
valid MAC, so only the claim checks can reject it. Each must raise a jwtkit
error naming the claim.
"""

from __future__ import annotations

from typing import Any

import pytest

import jwtkit
from jwtkit import errors
from tests.security.conftest import NOW, Verify
from tests.security.forge import hmac_token

SECRET = b"a shared secret of at least 32 bytes for HS256"
HEADER = {"alg": "HS256"}
NUMERICDATE_CLAIMS = ["exp", "nbf", "iat"]
STRING_CLAIMS = ["iss", "sub", "jti"]

# JSON text of values that are not NumericDates, with the word the message uses.
NOT_NUMERICDATES = {
    "string": (b'"9999999999"', "the string"),
    "empty string": (b'""', "the string"),
    "numeric string with exponent": (b'"1e10"', "the string"),
    "true": (b"true", "the boolean"),
    "false": (b"false", "the boolean"),
    "null": (b"null", "null"),
    "object": (b'{"$date":9999999999}', "a JSON object"),
    "empty object": (b"{}", "a JSON object"),
    "array": (b"[9999999999]", "a JSON array"),
    "empty array": (b"[]", "a JSON array"),
}
# Numbers outside what a NumericDate can be, with the message fragment.
OUT_OF_RANGE = {
    "10**400": (str(10**400).encode(), "outside the range of a NumericDate"),
    "-10**400": (str(-(10**400)).encode(), "outside the range of a NumericDate"),
}
# Literals that Python's json module reads as floats but JSON does not allow.
NOT_JSON_NUMBERS = {
    "NaN": b"NaN",
    "Infinity": b"Infinity",
    "-Infinity": b"-Infinity",
    "1e999": b"1e999",
    "-1e999": b"-1e999",
    "1e400 as decimal": b"1" + b"0" * 400 + b".0",
    "integer of 5000 digits": b"9" * 5000,
}


def _token(name: str, json_value: bytes, **others: int) -> str:
    extra = b"".join(f',"{key}":{value}'.encode() for key, value in others.items())
    claims = b'{"sub":"alice","' + name.encode() + b'":' + json_value + extra + b"}"
    return hmac_token(SECRET, HEADER, claims)


@pytest.mark.parametrize("case", sorted(NOT_NUMERICDATES))
@pytest.mark.parametrize("claim", NUMERICDATE_CLAIMS)
def test_numericdate_wrong_type_rejected(verify_jwt: Verify, claim: str, case: str) -> None:
    json_value, described = NOT_NUMERICDATES[case]

    with pytest.raises(errors.InvalidClaimError) as excinfo:
        verify_jwt(_token(claim, json_value), SECRET, ["HS256"])

    assert type(excinfo.value) is errors.InvalidClaimError
    assert excinfo.value.code == "invalid_claim"
    assert excinfo.value.claim == claim
    assert excinfo.value.expected == "NumericDate"
    assert f"claim {claim!r} must be a NumericDate" in excinfo.value.message
    assert described in excinfo.value.message


@pytest.mark.parametrize("case", sorted(OUT_OF_RANGE))
@pytest.mark.parametrize("claim", NUMERICDATE_CLAIMS)
def test_numericdate_out_of_range_rejected(verify_jwt: Verify, claim: str, case: str) -> None:
    json_value, fragment = OUT_OF_RANGE[case]

    # With max_age, an iat takes part in arithmetic (iat + max_age) as well.
    options = {"max_age": 3600} if claim == "iat" else {}

    with pytest.raises(errors.InvalidClaimError) as excinfo:
        verify_jwt(_token(claim, json_value), SECRET, ["HS256"], **options)

    assert excinfo.value.claim == claim
    assert fragment in excinfo.value.message
    # The message shows a shortened value, not 400 digits.
    assert len(excinfo.value.message) < 400


@pytest.mark.parametrize("case", sorted(NOT_JSON_NUMBERS))
@pytest.mark.parametrize("claim", NUMERICDATE_CLAIMS)
def test_numericdate_not_json_number_rejected(verify_jwt: Verify, claim: str, case: str) -> None:
    # These never reach the claim checks: the strict JSON parser refuses them.
    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify_jwt(_token(claim, NOT_JSON_NUMBERS[case]), SECRET, ["HS256"])

    assert excinfo.value.code == "malformed_token"
    assert "the token's claims is not valid JSON" in excinfo.value.message
    assert len(excinfo.value.message) < 400


@pytest.mark.parametrize("case", sorted(NOT_JSON_NUMBERS))
def test_not_json_number_unverified(case: str) -> None:
    with pytest.raises(errors.MalformedTokenError):
        jwtkit.decode_unverified(_token("exp", NOT_JSON_NUMBERS[case]))


@pytest.mark.parametrize("case", sorted(NOT_NUMERICDATES))
def test_wrong_type_exp_not_mistaken_for_absent(verify_jwt: Verify, case: str) -> None:
    # Even with exp required, a null or string exp is a type error, not a
    # missing claim and not a pass.
    json_value, _ = NOT_NUMERICDATES[case]

    with pytest.raises(errors.InvalidClaimError) as excinfo:
        verify_jwt(_token("exp", json_value), SECRET, ["HS256"], required=["exp"])

    assert not isinstance(excinfo.value, errors.MissingClaimError)
    assert excinfo.value.claim == "exp"


def test_numericdate_edge_values_accepted(verify_jwt: Verify) -> None:
    # The positive control: fractional and large-but-finite NumericDates are numbers.
    for exp in (b"1700000000.5", b"1.7e9", b"17000000000e-1", b"1e308", str(2**63).encode()):
        claims = verify_jwt(_token("exp", exp), SECRET, ["HS256"], now=1_600_000_000)
        assert claims["exp"] > 1_600_000_000


@pytest.mark.parametrize(
    "json_value",
    [b"1", b"1.5", b"true", b"null", b'["alice"]', b'{"name":"alice"}'],
    ids=["integer", "float", "boolean", "null", "array", "object"],
)
@pytest.mark.parametrize("claim", STRING_CLAIMS)
def test_string_claim_wrong_type_rejected(
    verify_jwt: Verify, claim: str, json_value: bytes
) -> None:
    claims = b'{"' + claim.encode() + b'":' + json_value + b"}"
    token = hmac_token(SECRET, HEADER, claims)

    with pytest.raises(errors.InvalidClaimError) as excinfo:
        verify_jwt(token, SECRET, ["HS256"])

    assert excinfo.value.claim == claim
    assert excinfo.value.expected == "string"
    assert f"claim {claim!r} must be a string" in excinfo.value.message


@pytest.mark.parametrize(
    "aud",
    [
        1,
        True,
        None,
        {"aud": "api"},
        [],
        [["api"]],
        [[["api"]]],
        ["api", ["api"]],
        ["api", None],
        ["api", 1],
        [{"aud": "api"}],
    ],
    ids=[
        "number",
        "boolean",
        "null",
        "object",
        "empty list",
        "nested list",
        "doubly nested list",
        "string and nested list",
        "string and null",
        "string and number",
        "list of object",
    ],
)
def test_aud_wrong_type_rejected(verify_jwt: Verify, aud: Any) -> None:
    # A list that also contains the expected value as a string is still rejected:
    # the whole claim must be well-formed, not just the member that matches.
    token = hmac_token(SECRET, HEADER, {"sub": "alice", "aud": aud})

    with pytest.raises(errors.InvalidClaimError) as excinfo:
        verify_jwt(token, SECRET, ["HS256"], audience="api")

    assert type(excinfo.value) is errors.InvalidClaimError
    assert excinfo.value.claim == "aud"
    assert "must be a string or a non-empty array of strings" in excinfo.value.message


def test_claim_types_checked_without_expectations(verify_jwt: Verify) -> None:
    # Type checks apply whenever the claim is present, not only when the
    # caller states an expected value for it.
    for claims in ({"iss": 1}, {"sub": None}, {"exp": "soon"}, {"iat": False}):
        with pytest.raises(errors.InvalidClaimError):
            verify_jwt(hmac_token(SECRET, HEADER, claims), SECRET, ["HS256"])


def test_boolean_exp_not_read_as_number(verify_jwt: Verify) -> None:
    # In Python True == 1, so an unchecked true would be an exp in 1970 and
    # false an exp of 0; either way it must be a type error, not expiry.
    for json_value in (b"true", b"false"):
        with pytest.raises(errors.InvalidClaimError) as excinfo:
            verify_jwt(_token("exp", json_value), SECRET, ["HS256"], now=NOW)
        assert not isinstance(excinfo.value, errors.ExpiredTokenError)
