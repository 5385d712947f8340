"""The algorithm descriptor shared by every JWS algorithm family."""

from __future__ import annotations

from abc import ABC, abstractmethod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class SignatureAlgorithm(ABC):
    """One JWS ``alg`` value: the key type it needs and how it signs and verifies.

    ``sign`` and ``verify`` take the ``cryptography`` key object (or the raw
    secret for HMAC) that a jwtkit ``Key`` holds; checking that the key fits
    the algorithm is the jwk layer's job and happens before these are called.
    """

    name: str
    kty: str
    curves: frozenset[str] = frozenset()

    @abstractmethod
    def sign(self, key: Any, signing_input: bytes) -> bytes:
        """Return the signature or MAC over ``signing_input``."""

    @abstractmethod
    def verify(self, key: Any, signing_input: bytes, signature: bytes) -> bool:
        """Return whether ``signature`` is valid; a bad signature returns False, not an error."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"
