"""The peer JOSE implementations that jwtkit is tested against."""

from __future__ import annotations

from tests.interop.peers.base import Peer, describe_error
from tests.interop.peers.joserfc_peer import JoserfcPeer
from tests.interop.peers.jwcrypto_peer import JwcryptoPeer
from tests.interop.peers.node_jose_peer import NodeJosePeer
from tests.interop.peers.pyjwt_peer import PyJWTPeer
from tests.interop.peers.python_jose_peer import PythonJosePeer

PEERS: tuple[Peer, ...] = (
    PyJWTPeer(),
    JoserfcPeer(),
    JwcryptoPeer(),
    PythonJosePeer(),
    NodeJosePeer(),
)
PEERS_BY_NAME = {peer.name: peer for peer in PEERS}

__all__ = ["PEERS", "PEERS_BY_NAME", "Peer", "describe_error"]
