"""The result of a successful JWS verification."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jwtkit.jwk import Key


@dataclass(frozen=True)
class Verified:
    """A verified JWS: its protected header, its payload and the key that verified it."""

    protected: dict[str, Any]
    payload: bytes
    key: Key
