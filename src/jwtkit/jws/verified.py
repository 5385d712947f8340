"""The result of a successful JWS verification."""

from __future__ import annotations

from typing import Any, NamedTuple

from jwtkit.jwk import Key


class Verified(NamedTuple):
    """A verified JWS: its protected header, its payload and the key that verified it."""

    protected: dict[str, Any]
    payload: bytes
    key: Key
