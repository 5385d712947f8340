"""The decoded token and the caller's keys, shared by every lint check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jwtkit.jwa import SIGNATURE_ALGORITHMS, SignatureAlgorithm
from jwtkit.jwa.hmac import HMACAlgorithm
from jwtkit.jwk import Key


@dataclass(frozen=True)
class LintContext:
    """A token decoded without verification, the keys given with it, and the lint settings."""

    header: dict[str, Any]
    claims: dict[str, Any]
    signing_input: bytes
    signature: bytes
    keys: tuple[Key, ...]
    now: float
    max_lifetime: float
    # The key exactly as the caller gave it (file or pasted text), when known.
    key_text: bytes | None = None

    @property
    def algorithm(self) -> SignatureAlgorithm | None:
        """The descriptor of the header's ``alg``, or None when jwtkit does not implement it."""
        alg = self.header.get("alg")
        return SIGNATURE_ALGORITHMS.get(alg) if isinstance(alg, str) else None

    @property
    def hmac_algorithm(self) -> HMACAlgorithm | None:
        """The header's ``alg`` when it is HS256, HS384 or HS512."""
        algorithm = self.algorithm
        return algorithm if isinstance(algorithm, HMACAlgorithm) else None
