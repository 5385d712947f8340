"""``KeyProvider``: the interface of objects that select verification keys."""

from __future__ import annotations

from typing import Protocol

from jwtkit.jwa import SignatureAlgorithm
from jwtkit.jwk.base import Key


class KeyProvider(Protocol):
    """Anything that selects a verification key by ``kid`` and algorithm.

    ``KeySet`` is one; remote JWKS clients are others. ``kid`` is the token's
    ``kid`` header (None when absent). A provider returns a key only among the
    keys its owner configured, never one named by the token itself.
    """

    def find_key(self, kid: str | None, algorithm: SignatureAlgorithm) -> Key: ...
