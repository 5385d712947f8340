"""The one signature-verification core that every JWS serialization and ``decode`` share."""

from __future__ import annotations

from collections.abc import Mapping

from jwtkit.errors import InvalidSignatureError
from jwtkit.jwk import Key, select_verification_key
from jwtkit.jws.header import AllowedAlgorithms

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# A forged or corrupted signature gets this message and nothing more: detail
# about why a signature failed helps an attacker more than a developer.
SIGNATURE_FAILED = "the token's signature does not verify with the given key"


def verify_signature(
    header: Mapping[str, Any],
    signing_input: bytes,
    signature: bytes,
    key: Any,
    algorithms: AllowedAlgorithms,
    *,
    allow_weak_key: bool = False,
) -> Key:
    """Verify ``signature`` over ``signing_input`` as the header's ``alg``; return the key used.

    The algorithm must be in the caller's allow-list, and the key is chosen
    only among the caller's keys (``kid`` selects, it never supplies a key).
    """
    algorithm = algorithms.select(header)
    selected = select_verification_key(key, header.get("kid"), algorithm)
    selected.check_algorithm(algorithm, "verify", allow_weak_key=allow_weak_key)
    if not algorithm.verify(selected.verifying_key, signing_input, signature):
        raise InvalidSignatureError(SIGNATURE_FAILED)
    return selected
