"""Peer tokens that jwtkit rejects on purpose: keys below the minimum of RFC 7518.

RFC 7518 §3.2 requires an HMAC key at least as long as the hash output and
§3.3 an RSA modulus of at least 2048 bits. Several peers sign with shorter
keys anyway. jwtkit must reject their tokens with ``WeakKeyError``, and
accept the very same token once the caller opts in with
``allow_weak_key=True``, which shows that the key size alone caused the
rejection.
"""

from __future__ import annotations

import secrets
import warnings
from functools import cache
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

import jwtkit
from jwtkit.errors import WeakKeyError
from tests.interop.cases import (
    AUDIENCE,
    CASES_BY_ID,
    canonical_json,
    make_claims,
    pkcs8_pem,
    spki_pem,
)
from tests.interop.conftest import require_peer
from tests.interop.matrix import REJECTION_CELLS, RejectionCell, WeakKeyCase
from tests.interop.peers import describe_error
from tests.interop.results import FAIL, PEER_REJECTS_TOO, REJECTED, RejectionEntry, ResultsRecorder

# Words a peer's own peer_error must contain, so that a peer failing for some
# other reason is not mistaken for one that enforces the minimum too.
SIZE_WORDS = ("length", "size", "short", "bits", "bytes", "weak", "2048")


@cache
def weak_key_material(weak_key: WeakKeyCase) -> tuple[Any, Any]:
    """Return (signing material, verification material) for a weak key, made once."""
    if weak_key.form == "secret":
        secret = secrets.token_bytes(weak_key.size)
        return secret, secret
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=weak_key.size)
    return pkcs8_pem(private_key), spki_pem(private_key.public_key())


def check_weak_key(cell: RejectionCell) -> tuple[str, str]:
    weak_key = cell.weak_key
    case = CASES_BY_ID[weak_key.alg]
    signing, verification = weak_key_material(weak_key)
    claims = make_claims()

    try:
        with warnings.catch_warnings(record=True) as peer_warnings:
            warnings.simplefilter("always")
            peer_key = cell.peer.import_key(case, weak_key.form, signing, private=True)
            token = cell.peer.sign(case, peer_key, claims)
    except Exception as exc:
        message = describe_error(exc)
        assert any(word in message.lower() for word in SIZE_WORDS), (
            f"{cell.peer.name} failed for another reason than the key size: {message}"
        )
        return PEER_REJECTS_TOO, message

    with pytest.raises(WeakKeyError) as raised:
        jwtkit.decode(token, verification, algorithms=[case.alg], audience=AUDIENCE)
    assert raised.value.code == "weak_key"

    received = jwtkit.decode(
        token, verification, algorithms=[case.alg], audience=AUDIENCE, allow_weak_key=True
    )
    assert canonical_json(received) == canonical_json(claims)
    detail = f"{raised.value.code}: {raised.value}; accepted with allow_weak_key=True"
    if peer_warnings:
        warning = peer_warnings[0]
        detail += f". {cell.peer.name} signed with a warning: {warning.category.__name__}: "
        detail += str(warning.message)
    return REJECTED, detail


@pytest.mark.parametrize("cell", REJECTION_CELLS, ids=lambda cell: cell.id)
def test_weak_peer_key_rejected(cell: RejectionCell, results_recorder: ResultsRecorder) -> None:
    require_peer(cell.peer, results_recorder)

    def entry(status: str, detail: str) -> RejectionEntry:
        return RejectionEntry(cell.weak_key.name, cell.peer.name, status, detail)

    try:
        status, detail = check_weak_key(cell)
    except (Exception, pytest.fail.Exception) as exc:
        results_recorder.record("rejections", entry(FAIL, describe_error(exc)))
        raise

    results_recorder.record("rejections", entry(status, detail))
