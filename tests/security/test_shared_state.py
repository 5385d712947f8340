"""What one verification returns cannot change how the next one decides.

jwtkit keeps parsed headers and text keys in caches for speed. A caller (or
an attacker-influenced code path in it) that modifies the header dict it got
back must not alter the cached entry that the next token with the same
header text will be checked against.
"""

from __future__ import annotations

import pytest

import jwtkit
from jwtkit import errors
from tests.security.conftest import NOW
from tests.security.forge import hmac_token

SECRET = b"a shared secret of at least 32 bytes for HS256"
HEADER = {"alg": "HS256", "typ": "JWT", "kid": "k1"}


def _poison(header: dict[str, object]) -> None:
    header["alg"] = "none"
    header["kid"] = "attacker"
    header["crit"] = ["b64"]
    header["b64"] = False


def test_mutated_header_from_verify_compact_not_reused() -> None:
    token = hmac_token(SECRET, HEADER, {"sub": "alice"})
    first = jwtkit.jws.verify_compact(token, SECRET, algorithms=["HS256"])

    _poison(first.protected)

    second = jwtkit.jws.verify_compact(token, SECRET, algorithms=["HS256"])
    assert second.protected == HEADER
    assert second.payload == b'{"sub":"alice"}'


def test_mutated_header_from_parse_compact_not_reused() -> None:
    token = hmac_token(SECRET, HEADER, {"sub": "alice"})
    _poison(jwtkit.jws.parse_compact(token).header)

    assert jwtkit.jws.parse_compact(token).header == HEADER
    assert jwtkit.decode_unverified(token).header == HEADER


def test_mutated_header_from_verifier_not_reused() -> None:
    verifier = jwtkit.Verifier(SECRET, algorithms=["HS256"], typ="JWT", now=NOW)
    token = hmac_token(SECRET, HEADER, {"sub": "alice"})
    first = verifier.verify_complete(token)

    _poison(first.header)
    first.claims["sub"] = "admin"

    second = verifier.verify_complete(token)
    assert second.header == HEADER
    assert second.claims == {"sub": "alice"}


def test_rejected_header_not_cached_as_valid() -> None:
    # A header text that failed its checks once fails again: the cache never
    # contains a header that did not pass.
    token = hmac_token(SECRET, {"alg": "HS256", "crit": None}, {"sub": "alice"})

    for _ in range(3):
        with pytest.raises(errors.CriticalHeaderError):
            jwtkit.jws.verify_compact(token, SECRET, algorithms=["HS256"])
