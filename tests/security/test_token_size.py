"""Oversized tokens are rejected by length before any decoding (RFC 8725 §3.x resource use).

A 10 MB token, or a token whose header alone is 10 MB, must fail with
``TokenTooLargeError`` at every entry point, and the check must come first:
each oversized token here is also malformed in some other way, so an error
other than ``TokenTooLargeError`` would show that decoding started. Timing is
measured separately by benchmarks/resource_bounds.py; these tests assert only
the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import jwtkit
from jwtkit import errors
from jwtkit.jws import DEFAULT_MAX_TOKEN_SIZE
from tests.security.conftest import Verify
from tests.security.forge import b64, hmac_token

SECRET = b"a shared secret of at least 32 bytes for HS256"
CLAIMS = {"sub": "alice"}
TEN_MB = 10 * 1024 * 1024


def _huge_header_token() -> str:
    """A token with a 10 MB header; its MAC is valid, so only the size can fail it."""
    return hmac_token(SECRET, {"alg": "HS256", "pad": "x" * TEN_MB}, CLAIMS)


HUGE_TOKENS: dict[str, Callable[[], Any]] = {
    "10 MB of base64url": lambda: "A" * TEN_MB,
    "10 MB of dots": lambda: "." * TEN_MB,
    "10 MB of NUL": lambda: "\x00" * TEN_MB,
    "10 MB of non-ASCII bytes": lambda: b"\xff" * TEN_MB,
    "10 MB header": _huge_header_token,
    "10 MB header as bytes": lambda: _huge_header_token().encode(),
    "10 MB payload": lambda: hmac_token(SECRET, {"alg": "HS256"}, {"pad": "x" * TEN_MB}),
    "10 MB signature": lambda: hmac_token(SECRET, {"alg": "HS256"}, CLAIMS) + "A" * TEN_MB,
    "deep header over the limit": lambda: b64(b"[" * TEN_MB) + ".e30.",
}


def _assert_too_large(excinfo: pytest.ExceptionInfo[errors.TokenTooLargeError], limit: int) -> None:
    assert excinfo.value.code == "token_too_large"
    assert f"over the maximum of {limit}" in excinfo.value.message
    assert "max_token_size" in excinfo.value.message
    # The message reports the size; it never echoes the token.
    assert len(excinfo.value.message) < 300


@pytest.fixture(scope="module")
def huge_tokens() -> dict[str, Any]:
    return {name: make() for name, make in HUGE_TOKENS.items()}


@pytest.mark.parametrize("case", sorted(HUGE_TOKENS))
def test_huge_token_rejected(verify: Verify, huge_tokens: dict[str, Any], case: str) -> None:
    with pytest.raises(errors.TokenTooLargeError) as excinfo:
        verify(huge_tokens[case], SECRET, ["HS256"])

    _assert_too_large(excinfo, DEFAULT_MAX_TOKEN_SIZE)


@pytest.mark.parametrize("case", sorted(HUGE_TOKENS))
def test_huge_token_rejected_unverified(huge_tokens: dict[str, Any], case: str) -> None:
    for read in (jwtkit.decode_unverified, jwtkit.jws.parse_compact):
        with pytest.raises(errors.TokenTooLargeError) as excinfo:
            read(huge_tokens[case])
        _assert_too_large(excinfo, DEFAULT_MAX_TOKEN_SIZE)


def test_huge_jws_json_rejected(huge_tokens: dict[str, Any]) -> None:
    header_part, payload_part, signature_part = huge_tokens["10 MB header"].split(".")
    document = {"payload": payload_part, "protected": header_part, "signature": signature_part}
    text = (
        f'{{"payload":"{payload_part}","protected":"{header_part}","signature":"{signature_part}"}}'
    )

    for jws in (document, text, text.encode()):
        with pytest.raises(errors.TokenTooLargeError) as excinfo:
            jwtkit.jws.verify_json(jws, SECRET, algorithms=["HS256"])
        assert excinfo.value.code == "token_too_large"


@pytest.mark.parametrize("padding", [0, 1000, 40_000])
def test_limit_boundary(verify: Verify, padding: int) -> None:
    # A token of exactly max_token_size characters passes; one fewer allowed fails.
    token = hmac_token(SECRET, {"alg": "HS256"}, {"p": "x" * padding})
    size = len(token)

    assert verify(token, SECRET, ["HS256"], max_token_size=size)
    assert verify(token.encode(), SECRET, ["HS256"], max_token_size=size)
    for too_large in (token, token.encode()):
        with pytest.raises(errors.TokenTooLargeError) as excinfo:
            verify(too_large, SECRET, ["HS256"], max_token_size=size - 1)
        _assert_too_large(excinfo, size - 1)


def test_raised_limit_accepts_large_header(verify: Verify, huge_tokens: dict[str, Any]) -> None:
    # The positive control: the limit is the only thing that rejected the
    # 10 MB header above, and a caller who expects such tokens can raise it.
    token = huge_tokens["10 MB header"]

    assert verify(token, SECRET, ["HS256"], max_token_size=2 * TEN_MB)


@pytest.mark.parametrize("limit", [0, -1, 1.5, "64k", None, True])
def test_invalid_limit_is_usage_error(verify: Verify, limit: Any) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, CLAIMS)

    with pytest.raises(errors.UsageError):
        verify(token, SECRET, ["HS256"], max_token_size=limit)
