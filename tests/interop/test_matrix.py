"""jwtkit against PyJWT, joserfc, jwcrypto, python-jose and Node's jose, cell by cell.

Each cell moves either a token or a private key between jwtkit and one peer,
in one key form, and checks that the claims arrive unchanged, value for value
and type for type. A cell whose algorithm the peer lacks passes only when the
peer itself rejects the algorithm (checked without jwtkit) and jwtkit
completes the same round trip on its own, so a gap entry in results.json
cannot hide a jwtkit failure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest

import jwtkit
from tests.interop.cases import (
    AUDIENCE,
    JWTKIT_IMPORTS_PRIVATE,
    JWTKIT_SIGNS,
    PEER_IMPORTS_PRIVATE,
    PEER_SIGNS,
    AlgorithmCase,
    canonical_json,
    export_jwtkit_key,
    import_into_jwtkit,
    jwtkit_key,
    jwtkit_verify,
    make_claims,
)
from tests.interop.conftest import require_peer
from tests.interop.matrix import MATRIX_CELLS, Cell
from tests.interop.peers import Peer, describe_error
from tests.interop.results import FAIL, PASS, UNSUPPORTED, MatrixEntry, ResultsRecorder

T = TypeVar("T")

# joserfc 1.8 warns that RFC 9864 deprecates the alg name "EdDSA" in favour
# of "Ed25519" and "Ed448"; the matrix tests the name RFC 8037 registers.
pytestmark = pytest.mark.filterwarnings("ignore:EdDSA is deprecated")


class PeerFailed(Exception):
    """A step run by the peer raised; ``cause`` is the peer's own exception."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(describe_error(cause))
        self.cause = cause


@contextmanager
def peer_steps() -> Iterator[None]:
    """Mark the steps the peer runs, so that their errors are distinguished from jwtkit's."""
    try:
        yield
    except Exception as exc:
        raise PeerFailed(exc) from exc


def in_peer(step: Callable[[], T]) -> T:
    with peer_steps():
        return step()


def jwtkit_signs(peer: Peer, case: AlgorithmCase, form: str, claims: dict[str, Any]) -> Any:
    key = jwtkit_key(case.id)
    token = jwtkit.encode(claims, key, case.alg)
    public = export_jwtkit_key(key, form, private=False)

    with peer_steps():
        peer_key = peer.import_key(case, form, public, private=False)
        return peer.verify(case, peer_key, token, audience=AUDIENCE)


def peer_signs(peer: Peer, case: AlgorithmCase, form: str, claims: dict[str, Any]) -> Any:
    with peer_steps():
        own = peer.own_key(case)
        public = peer.export_key(case, own, form, private=False)
        token = peer.sign(case, own, claims)

    imported = import_into_jwtkit(public, form)
    received = jwtkit_verify(token, imported, case)

    # The same material passed straight to decode takes jwtkit's other import path.
    assert canonical_json(jwtkit_verify(token, public, case)) == canonical_json(received)
    return received


def peer_imports_private(peer: Peer, case: AlgorithmCase, form: str, claims: dict[str, Any]) -> Any:
    key = jwtkit_key(case.id)
    private = export_jwtkit_key(key, form, private=True)

    with peer_steps():
        peer_key = peer.import_key(case, form, private, private=True)
        token = peer.sign(case, peer_key, claims)

    return jwtkit_verify(token, key, case)


def jwtkit_imports_private(
    peer: Peer, case: AlgorithmCase, form: str, claims: dict[str, Any]
) -> Any:
    with peer_steps():
        own = peer.own_key(case)
        private = peer.export_key(case, own, form, private=True)

    imported = import_into_jwtkit(private, form)
    assert imported.is_private, f"jwtkit imported the peer's private {form} as a public key"
    token = jwtkit.encode(claims, imported, case.alg)

    return in_peer(lambda: peer.verify(case, own, token, audience=AUDIENCE))


RUNNERS = {
    JWTKIT_SIGNS: jwtkit_signs,
    PEER_SIGNS: peer_signs,
    PEER_IMPORTS_PRIVATE: peer_imports_private,
    JWTKIT_IMPORTS_PRIVATE: jwtkit_imports_private,
}


def pass_notes(cell: Cell) -> str:
    """Say where a passing cell's peer key did not come from the peer's own API alone."""
    notes = []
    uses_own_key = cell.direction in (PEER_SIGNS, JWTKIT_IMPORTS_PRIVATE)
    if uses_own_key and cell.peer.own_key_note:
        notes.append(cell.peer.own_key_note)
    if uses_own_key and cell.key_form == "pem" and cell.peer.pem_export_note:
        notes.append(cell.peer.pem_export_note)
    return "; ".join(notes)


def jwtkit_round_trip(case: AlgorithmCase, form: str, claims: dict[str, Any]) -> None:
    """Run a cell's steps with jwtkit on both sides: public and private export, sign, verify."""
    key = jwtkit_key(case.id)

    public = import_into_jwtkit(export_jwtkit_key(key, form, private=False), form)
    token = jwtkit.encode(claims, key, case.alg)
    assert canonical_json(jwtkit_verify(token, public, case)) == canonical_json(claims)

    private = import_into_jwtkit(export_jwtkit_key(key, form, private=True), form)
    token = jwtkit.encode(claims, private, case.alg)
    assert canonical_json(jwtkit_verify(token, key, case)) == canonical_json(claims)


def check_gap(cell: Cell, failure: PeerFailed, claims: dict[str, Any]) -> str:
    """Confirm that a declared gap is the peer's and not jwtkit's; return the detail to record."""
    peer_error = cell.peer.confirm_gap(cell.case)
    jwtkit_round_trip(cell.case, cell.key_form, claims)
    return f"{failure}; without jwtkit, {cell.peer.name} also rejects it: {peer_error}"


def run_cell(cell: Cell) -> MatrixEntry:
    claims = make_claims()
    runner = RUNNERS[cell.direction]

    def entry(status: str, detail: str) -> MatrixEntry:
        return MatrixEntry(
            cell.case.label, cell.direction, cell.peer.name, cell.key_form, status, detail
        )

    try:
        received = runner(cell.peer, cell.case, cell.key_form, claims)
    except PeerFailed as failure:
        if cell.case.id not in cell.peer.lacks:
            raise
        return entry(UNSUPPORTED, check_gap(cell, failure, claims))

    assert cell.case.id not in cell.peer.lacks, (
        f"{cell.peer.name} handled {cell.case.label}, which it is declared to lack; "
        "remove it from the peer's gaps"
    )
    assert canonical_json(received) == canonical_json(claims)
    return entry(PASS, pass_notes(cell))


@pytest.mark.parametrize("cell", MATRIX_CELLS, ids=lambda cell: cell.id)
def test_matrix_cell(cell: Cell, results_recorder: ResultsRecorder) -> None:
    require_peer(cell.peer, results_recorder)

    try:
        entry = run_cell(cell)
    except (Exception, pytest.fail.Exception) as exc:
        detail = describe_error(exc)
        failed = MatrixEntry(
            cell.case.label, cell.direction, cell.peer.name, cell.key_form, FAIL, detail
        )
        results_recorder.record("matrix", failed)
        raise

    results_recorder.record("matrix", entry)
