"""The result of a successful JWS verification."""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple

    from jwtkit.jwk import Key

if TYPE_CHECKING:

    class Verified(NamedTuple):
        """A verified JWS: its protected header, its payload and the key that verified it."""

        protected: dict[str, Any]
        payload: bytes
        key: Key

else:
    Verified = namedtuple("Verified", ("protected", "payload", "key"))
    Verified.__doc__ = (
        "A verified JWS: its protected header, its payload and the key that verified it."
    )
