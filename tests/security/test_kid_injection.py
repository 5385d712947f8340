"""Hostile ``kid`` values only select among the caller's keys (RFC 8725 §3.10).

jwtkit never uses ``kid`` as a path, a query or a URL: it compares it exactly
with the ``kid`` of each key the caller supplied. Path traversal, SQL
fragments, NUL bytes and lookalikes therefore select nothing, and an
error message never echoes a huge ``kid`` back into logs.
"""

from __future__ import annotations

from typing import Any

import pytest

import jwtkit
from jwtkit import errors
from tests.security.conftest import Verify
from tests.security.forge import hmac_token

CLAIMS = {"sub": "admin"}
ATTACKER_SECRET = b"attacker secret of at least 64 bytes, so that HS512 also fits!!!!"

HOSTILE_KIDS = [
    "../../../../../../etc/passwd",
    "..\\..\\..\\windows\\win.ini",
    "/dev/null",
    "file:///dev/null",
    "key-1/../key-2",
    "' OR '1'='1",
    "key-1' --",
    "key-1'; DROP TABLE keys; --",
    '" OR ""="',
    "key-1\x00",
    "\x00key-1",
    "key-1\x00../../etc/passwd",
    "\x00",
    "",
    "KEY-1",
    "key-1 ",
    " key-1",
    "key-1\n",
    "key\u20111",
    "*",
    "%",
    "key-%",
    "key-1|key-2",
    "$(cat /etc/passwd)",
    "http://127.0.0.1:1/jwks.json",
]


@pytest.fixture(scope="module")
def caller_keys() -> jwtkit.KeySet:
    return jwtkit.KeySet(
        [jwtkit.Key.generate("oct", size=512, kid=kid) for kid in ("key-1", "key-2", "key-10")]
    )


@pytest.mark.parametrize("kid", HOSTILE_KIDS)
def test_hostile_kid_selects_nothing(verify: Verify, caller_keys: jwtkit.KeySet, kid: str) -> None:
    token = hmac_token(ATTACKER_SECRET, {"alg": "HS256", "kid": kid}, CLAIMS)

    with pytest.raises(errors.KeyNotFoundError) as excinfo:
        verify(token, caller_keys, ["HS256"])

    assert excinfo.value.code == "key_not_found"
    assert "no key in the key set has kid" in excinfo.value.message


@pytest.mark.parametrize("kid", ["key-1", "key-2", "key-10"])
def test_known_kid_still_needs_signature(
    verify: Verify, caller_keys: jwtkit.KeySet, kid: str
) -> None:
    # Naming a real kid selects that key, and the attacker's MAC then fails with it.
    token = hmac_token(ATTACKER_SECRET, {"alg": "HS256", "kid": kid}, CLAIMS)

    with pytest.raises(errors.InvalidSignatureError) as excinfo:
        verify(token, caller_keys, ["HS256"])

    assert excinfo.value.code == "invalid_signature"


def test_known_kid_selects_its_key(verify: Verify, caller_keys: jwtkit.KeySet) -> None:
    # The positive control: a kid selects exactly the key that carries it.
    key = caller_keys.get("key-10")
    assert key is not None
    token = jwtkit.jws.sign_compact(b'{"sub":"alice"}', key, "HS256")

    assert verify(token, caller_keys, ["HS256"])


@pytest.mark.parametrize("kid", HOSTILE_KIDS)
def test_kid_ignored_for_single_key(verify: Verify, hmac_secret: bytes, kid: str) -> None:
    # With one key passed directly there is nothing to select: kid plays no part.
    token = hmac_token(hmac_secret, {"alg": "HS256", "kid": kid}, CLAIMS)

    assert verify(token, hmac_secret, ["HS256"])


@pytest.mark.parametrize("kid", [0, 1.5, True, [], ["key-1"], {"kid": "key-1"}])
def test_kid_not_string(verify: Verify, caller_keys: jwtkit.KeySet, kid: Any) -> None:
    token = hmac_token(ATTACKER_SECRET, {"alg": "HS256", "kid": kid}, CLAIMS)

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify(token, caller_keys, ["HS256"])

    assert excinfo.value.code == "malformed_token"
    assert "'kid' must be a string" in excinfo.value.message


@pytest.mark.parametrize("filler", ["A", "\x00", "../", "'", "é"])
def test_long_kid_not_echoed(verify: Verify, caller_keys: jwtkit.KeySet, filler: str) -> None:
    kid = (filler * 100_000)[:100_000]
    token = hmac_token(ATTACKER_SECRET, {"alg": "HS256", "kid": kid}, CLAIMS)

    with pytest.raises(errors.KeyNotFoundError) as excinfo:
        verify(token, caller_keys, ["HS256"], max_token_size=2_000_000)

    message = excinfo.value.message
    assert len(message) < 1000
    assert kid not in message
    assert repr(kid) not in message


def test_long_kid_selecting_unusable_key(verify: Verify) -> None:
    # The caller's key set contains the long kid, but its key cannot serve the
    # token's alg: the mismatch message must stay short as well.
    kid = "k" * 100_000
    keys = jwtkit.KeySet([jwtkit.Key.generate("oct", size=512, kid=kid, alg="HS512")])
    token = hmac_token(ATTACKER_SECRET, {"alg": "HS256", "kid": kid}, CLAIMS)

    with pytest.raises(errors.KeyMismatchError) as excinfo:
        verify(token, keys, ["HS256"], max_token_size=2_000_000)

    assert len(excinfo.value.message) < 1000


def test_duplicate_long_kid_not_echoed(verify: Verify) -> None:
    kid = "d" * 100_000
    keys = jwtkit.KeySet([jwtkit.Key.generate("oct", size=512, kid=kid) for _ in range(2)])
    token = hmac_token(ATTACKER_SECRET, {"alg": "HS256", "kid": kid}, CLAIMS)

    with pytest.raises(errors.KeyNotFoundError) as excinfo:
        verify(token, keys, ["HS256"], max_token_size=2_000_000)

    assert len(excinfo.value.message) < 1000
