"""Fixtures for the interoperability matrix: the results recorder and peer cleanup."""

from __future__ import annotations

import importlib.metadata
import platform
from collections.abc import Iterator

import pytest

from tests.conftest import require
from tests.interop.matrix import EXPECTED_ENTRIES, RESULTS_ORDER
from tests.interop.peers import PEERS, Peer
from tests.interop.peers.node_jose_peer import NodeJosePeer
from tests.interop.results import ResultsRecorder


@pytest.fixture(scope="session")
def results_recorder() -> Iterator[ResultsRecorder]:
    recorder = ResultsRecorder(EXPECTED_ENTRIES, RESULTS_ORDER)
    recorder.runtimes["Python"] = platform.python_version()
    recorder.runtimes["cryptography"] = importlib.metadata.version("cryptography")
    yield recorder

    if recorder.is_complete():
        recorder.write()


@pytest.fixture(scope="session", autouse=True)
def stop_node_driver() -> Iterator[None]:
    """Stop the one Node driver process, if a test started it, when the run ends."""
    yield
    for peer in PEERS:
        if isinstance(peer, NodeJosePeer):
            peer.close()


def require_peer(peer: Peer, recorder: ResultsRecorder) -> None:
    """Skip (fail under CI) when the peer cannot run; record its version when it can."""
    if isinstance(peer, NodeJosePeer):
        component = "Node.js and the npm package jose in tests/interop/node (run `make system`)"
    else:
        component = f"the Python package {peer.distribution}"
    require(peer.available(), component)
    recorder.peers.setdefault(peer.name, peer.version())
    if isinstance(peer, NodeJosePeer):
        recorder.runtimes.setdefault("Node.js", peer.node_version())
