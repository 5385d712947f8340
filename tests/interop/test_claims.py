"""Registered claims honoured across implementations: exp, nbf and aud in both directions.

A peer's expired, not-yet-valid or misaddressed token must be rejected by
jwtkit with the specific error, and jwtkit's own such tokens must be rejected
by the peer. Each rejection test first shows that the same key and a valid
token pass, so a rejection cannot come from a key that failed to import.
"""

from __future__ import annotations

from typing import Any

import pytest

import jwtkit
from tests.interop.cases import (
    AUDIENCE,
    CASES_BY_ID,
    canonical_json,
    jwtkit_key,
    make_claims,
)
from tests.interop.conftest import require_peer
from tests.interop.matrix import (
    CLAIMS_ALGORITHM,
    CLAIMS_CELLS,
    PEER_TO_JWTKIT,
    ClaimsCell,
    ClaimsCheck,
)
from tests.interop.peers import describe_error
from tests.interop.results import FAIL, PASS, ClaimsEntry, ResultsRecorder

CASE = CASES_BY_ID[CLAIMS_ALGORITHM]

# Words each peer's error must contain for the claim it rejected: the peers
# name the claim, or the condition ("expired", "not yet valid", "audience").
REJECTION_WORDS = {
    "exp": ("exp",),
    "nbf": ("nbf", "not yet valid", "notyetvalid", "immature", "valid from"),
    "aud": ("aud",),
}


def changed_claims(check: ClaimsCheck) -> dict[str, Any]:
    claims = make_claims()
    now = claims["iat"]
    for name, value in check.changes.items():
        if value is None:
            del claims[name]
        elif name in ("exp", "nbf", "iat"):
            assert isinstance(value, int)
            claims[name] = now + value
        else:
            claims[name] = value
    return claims


def decode_in_jwtkit(token: str, key: Any, check: ClaimsCheck) -> dict[str, Any]:
    return jwtkit.decode(token, key, algorithms=[CASE.alg], audience=AUDIENCE, leeway=check.leeway)


def peer_to_jwtkit(cell: ClaimsCell) -> str:
    """Have the peer sign the changed claims, which jwtkit must accept or reject as expected."""
    peer, check = cell.peer, cell.check
    own = peer.own_key(CASE)
    public = peer.export_key(CASE, own, "jwk", private=False)

    valid = make_claims()
    received = decode_in_jwtkit(peer.sign(CASE, own, valid), public, check)
    assert canonical_json(received) == canonical_json(valid)

    claims = changed_claims(check)
    token = peer.sign(CASE, own, claims)
    if check.rejected_claim is None:
        assert canonical_json(decode_in_jwtkit(token, public, check)) == canonical_json(claims)
        return "accepted"

    assert check.error is not None
    with pytest.raises(check.error) as raised:
        decode_in_jwtkit(token, public, check)
    assert type(raised.value) is check.error
    assert raised.value.claim == check.rejected_claim
    assert raised.value.code == check.error.code
    return f"rejected: {type(raised.value).__name__} ({raised.value.code}): {raised.value}"


def jwtkit_to_peer(cell: ClaimsCell) -> str:
    """Have jwtkit sign the changed claims; the peer must reject them, naming the claim."""
    peer, check = cell.peer, cell.check
    key = jwtkit_key(CASE.id)
    peer_key = peer.import_key(CASE, "jwk", key.to_jwk(), private=False)

    valid = make_claims()
    received = peer.verify(CASE, peer_key, jwtkit.encode(valid, key, CASE.alg), audience=AUDIENCE)
    assert canonical_json(received) == canonical_json(valid)

    token = jwtkit.encode(changed_claims(check), key, CASE.alg)
    try:
        peer.verify(CASE, peer_key, token, audience=AUDIENCE)
    except Exception as exc:
        message = describe_error(exc)
    else:
        raise AssertionError(f"{peer.name} accepted a token with {check.name}")
    assert check.rejected_claim is not None
    words = REJECTION_WORDS[check.rejected_claim]
    assert any(word in message.lower() for word in words), (
        f"{peer.name} rejected the token, but not for {check.rejected_claim!r}: {message}"
    )
    return f"rejected: {message}"


@pytest.mark.parametrize("cell", CLAIMS_CELLS, ids=lambda cell: cell.id)
def test_claims_across_peers(cell: ClaimsCell, results_recorder: ResultsRecorder) -> None:
    require_peer(cell.peer, results_recorder)

    def entry(status: str, detail: str) -> ClaimsEntry:
        return ClaimsEntry(cell.check.name, cell.direction, cell.peer.name, status, detail)

    run = peer_to_jwtkit if cell.direction == PEER_TO_JWTKIT else jwtkit_to_peer
    try:
        detail = run(cell)
    except (Exception, pytest.fail.Exception) as exc:
        results_recorder.record("claims", entry(FAIL, describe_error(exc)))
        raise

    results_recorder.record("claims", entry(PASS, detail))
