"""JWK Sets across implementations: one side exports a set, the other selects by kid.

The set mixes EC and RSA keys, so the side that imports it has to pick the
key by the token's kid and alg rather than try the first key that fits.
"""

from __future__ import annotations

import pytest

import jwtkit
from jwtkit import KeySet
from jwtkit.errors import KeyNotFoundError
from tests.interop.cases import (
    AUDIENCE,
    CASES_BY_ID,
    canonical_json,
    jwtkit_key,
    jwtkit_verify,
    make_claims,
)
from tests.interop.conftest import require_peer
from tests.interop.matrix import JWTKIT_SET_TO_PEER, KEY_SET_ALGORITHMS, KEY_SET_CELLS, KeySetCell
from tests.interop.peers import Peer, describe_error
from tests.interop.results import FAIL, PASS, UNSUPPORTED, KeySetEntry, ResultsRecorder

CASES = [CASES_BY_ID[alg] for alg in KEY_SET_ALGORITHMS]


def jwtkit_set_to_peer(peer: Peer) -> tuple[str, str]:
    jwks = KeySet([jwtkit_key(case.id) for case in CASES]).to_jwks()
    assert [member["kid"] for member in jwks["keys"]] == [
        f"jwtkit-{alg}" for alg in KEY_SET_ALGORITHMS
    ]

    for case in CASES:
        key = jwtkit_key(case.id)
        claims = make_claims()
        token = jwtkit.encode(claims, key, case.alg)
        assert jwtkit.decode_unverified(token).header["kid"] == key.kid

        try:
            received = peer.verify_with_key_set(case, jwks, token, audience=AUDIENCE)
        except Exception as exc:
            if not peer.lacks_mixed_key_sets:
                raise
            peer_error = peer.confirm_key_set_gap(CASES)
            # jwtkit itself selects the key from the same set for the same token.
            selected = jwtkit_verify(token, KeySet.from_jwks(jwks), case)
            assert canonical_json(selected) == canonical_json(claims)
            detail = f"{describe_error(exc)} (for {case.alg}); without jwtkit too: {peer_error}"
            return UNSUPPORTED, detail
        assert canonical_json(received) == canonical_json(claims)

    assert not peer.lacks_mixed_key_sets, (
        f"{peer.name} verified with a mixed JWK Set, which it is declared to lack"
    )
    return PASS, peer.key_set_note or ""


def peer_set_to_jwtkit(peer: Peer) -> tuple[str, str]:
    entries = [(case, peer.own_key(case), f"{peer.test_id}-{case.id}") for case in CASES]
    jwks = peer.export_key_set(entries)
    key_set = KeySet.from_jwks(jwks)
    assert sorted(key.kid or "" for key in key_set) == sorted(kid for _, _, kid in entries)

    for case, key, kid in entries:
        claims = make_claims()
        token = peer.sign(case, key, claims, kid=kid)
        assert canonical_json(jwtkit_verify(token, key_set, case)) == canonical_json(claims)
        # The JWK Set dict itself, passed straight to decode, selects the same key.
        assert canonical_json(jwtkit_verify(token, jwks, case)) == canonical_json(claims)

    case, key, _ = entries[0]
    token = peer.sign(case, key, make_claims(), kid="kid-not-in-the-set")
    with pytest.raises(KeyNotFoundError) as raised:
        jwtkit_verify(token, key_set, case)
    assert raised.value.code == "key_not_found"
    assert "kid-not-in-the-set" in str(raised.value)
    return PASS, peer.key_set_note or ""


@pytest.mark.parametrize("cell", KEY_SET_CELLS, ids=lambda cell: cell.id)
def test_key_set_across_peers(cell: KeySetCell, results_recorder: ResultsRecorder) -> None:
    require_peer(cell.peer, results_recorder)

    run = jwtkit_set_to_peer if cell.direction == JWTKIT_SET_TO_PEER else peer_set_to_jwtkit
    try:
        status, detail = run(cell.peer)
    except (Exception, pytest.fail.Exception) as exc:
        detail = describe_error(exc)
        results_recorder.record(
            "key_sets", KeySetEntry(cell.direction, cell.peer.name, FAIL, detail)
        )
        raise

    results_recorder.record("key_sets", KeySetEntry(cell.direction, cell.peer.name, status, detail))
