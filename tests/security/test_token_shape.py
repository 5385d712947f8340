"""A compact JWS has exactly three parts: header.payload.signature (RFC 7515 §7.1).

Extra or missing dots, empty parts where content is required, a JWE-shaped
token of five parts, and values that are not text at all must be rejected as
malformed at every entry point, with a message that names the shape.
"""

from __future__ import annotations

from typing import Any

import pytest

import jwtkit
from jwtkit import errors
from tests.security.conftest import Verify
from tests.security.forge import b64, hmac_token

SECRET = b"a shared secret of at least 32 bytes for HS256"
CLAIMS = {"sub": "alice"}
GENUINE = hmac_token(SECRET, {"alg": "HS256"}, CLAIMS)
HEADER_PART, PAYLOAD_PART, SIGNATURE_PART = GENUINE.split(".")

# Token text -> number of parts it splits into.
WRONG_PART_COUNTS = {
    "": 1,
    "x": 1,
    ".": 2,
    "...": 4,
    "....": 5,
    f"{HEADER_PART}": 1,
    f"{HEADER_PART}.{PAYLOAD_PART}": 2,
    f"{HEADER_PART}.{PAYLOAD_PART}.{SIGNATURE_PART}.": 4,
    f".{HEADER_PART}.{PAYLOAD_PART}.{SIGNATURE_PART}": 4,
    f"{HEADER_PART}..{PAYLOAD_PART}.{SIGNATURE_PART}": 4,
    f"{HEADER_PART}.{PAYLOAD_PART}.{SIGNATURE_PART}.{SIGNATURE_PART}": 4,
    f"{HEADER_PART}.{PAYLOAD_PART}.{SIGNATURE_PART}.{PAYLOAD_PART}.{SIGNATURE_PART}": 5,
    f"{GENUINE}.{GENUINE}": 6,
    "." * 100: 101,
}


def _jwe_shaped() -> str:
    # RFC 7516 §7.1: protected header, encrypted key, IV, ciphertext, tag.
    header = b64(b'{"alg":"RSA-OAEP","enc":"A256GCM"}')
    return ".".join(
        [header, b64(b"\x01" * 256), b64(b"\x02" * 12), b64(b"secret"), b64(b"\x03" * 16)]
    )


@pytest.mark.parametrize("text", sorted(WRONG_PART_COUNTS), ids=repr)
def test_wrong_part_count_rejected(verify: Verify, text: str) -> None:
    parts = WRONG_PART_COUNTS[text]

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify(text, SECRET, ["HS256"])

    assert excinfo.value.code == "malformed_token"
    if parts != 5:
        assert f"the token has {parts} part(s)" in excinfo.value.message
        assert "exactly 3" in excinfo.value.message


@pytest.mark.parametrize("text", sorted(WRONG_PART_COUNTS), ids=repr)
def test_wrong_part_count_unverified(text: str) -> None:
    for read in (jwtkit.decode_unverified, jwtkit.jws.parse_compact):
        with pytest.raises(errors.MalformedTokenError) as excinfo:
            read(text)
        assert "part" in excinfo.value.message


def test_jwe_shaped_token_named(verify: Verify) -> None:
    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify(_jwe_shaped(), SECRET, ["HS256"])

    assert excinfo.value.code == "malformed_token"
    assert "5 parts" in excinfo.value.message
    assert "JWE" in excinfo.value.message


def test_jwe_shaped_token_unverified() -> None:
    for read in (jwtkit.decode_unverified, jwtkit.jws.parse_compact):
        with pytest.raises(errors.MalformedTokenError) as excinfo:
            read(_jwe_shaped())
        assert "JWE" in excinfo.value.message


def test_jwe_header_in_three_parts_rejected(verify: Verify) -> None:
    # A JWE protected header squeezed into a JWS shape names no allowed alg.
    token = hmac_token(SECRET, {"alg": "dir", "enc": "A256GCM"}, CLAIMS)

    with pytest.raises(errors.AlgorithmNotAllowedError):
        verify(token, SECRET, ["HS256"])


@pytest.mark.parametrize(
    "text",
    [f".{PAYLOAD_PART}.{SIGNATURE_PART}", f"..{SIGNATURE_PART}", ".."],
    ids=["no header", "header and payload empty", "all empty"],
)
def test_empty_header_rejected(verify: Verify, text: str) -> None:
    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify(text, SECRET, ["HS256"])

    assert "header" in excinfo.value.message


def test_empty_payload_is_not_a_claims_set(verify_jwt: Verify) -> None:
    # An empty payload is a valid JWS payload but not a JWT claims set.
    token = hmac_token(SECRET, {"alg": "HS256"}, b"")

    assert jwtkit.jws.verify_compact(token, SECRET, algorithms=["HS256"]).payload == b""
    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify_jwt(token, SECRET, ["HS256"])
    assert "the token's claims" in excinfo.value.message


@pytest.mark.parametrize(
    "value",
    [None, 123, 1.5, ["a", "b", "c"], {"token": GENUINE}, object()],
    ids=["None", "int", "float", "list", "dict", "object"],
)
def test_non_text_token_rejected(verify: Verify, value: Any) -> None:
    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify(value, SECRET, ["HS256"])

    assert "must be a str or bytes" in excinfo.value.message


@pytest.mark.parametrize(
    "token",
    [GENUINE + "\u00e9", "\u00e9" + GENUINE, GENUINE.replace(".", "\u2024", 1), GENUINE + "\x00"],
    ids=["trailing non-ASCII", "leading non-ASCII", "one dot leader for a dot", "trailing NUL"],
)
def test_foreign_characters_rejected(verify: Verify, token: str) -> None:
    with pytest.raises(errors.MalformedTokenError):
        verify(token, SECRET, ["HS256"])
    with pytest.raises(errors.MalformedTokenError):
        verify(token.encode("utf-8"), SECRET, ["HS256"])


@pytest.mark.parametrize("wrapper", [" {} ", "{}\n", "Bearer {}", '"{}"'])
def test_wrapped_token_rejected(verify: Verify, wrapper: str) -> None:
    # jwtkit does not strip an Authorization scheme, quotes or whitespace:
    # the caller extracts the token, so two spellings never both verify.
    with pytest.raises(errors.MalformedTokenError):
        verify(wrapper.format(GENUINE), SECRET, ["HS256"])


def test_genuine_token_verifies(verify: Verify) -> None:
    # The positive control for the parts every test above rearranges.
    assert verify(GENUINE, SECRET, ["HS256"])
    assert verify(GENUINE.encode(), SECRET, ["HS256"])
    assert verify(bytearray(GENUINE.encode()), SECRET, ["HS256"])
