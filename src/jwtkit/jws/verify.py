"""The one signature-verification core that every JWS serialization and ``decode`` share."""

from __future__ import annotations

from collections.abc import Mapping

from jwtkit.errors import InvalidSignatureError
from jwtkit.jwk import Key, select_verification_key
from jwtkit.jws.header import AllowedAlgorithms

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from jwtkit.jwa import SignatureAlgorithm

# A forged or corrupted signature gets this message and nothing more: detail
# about why a signature failed helps an attacker more than a developer.
SIGNATURE_FAILED = "the token's signature does not verify with the given key"


class SignatureVerifier:
    """The verification core, bound to one caller's keys, allow-list and weak-key choice.

    Every step runs for every signature. The header's ``alg`` must be in the
    allow-list. The key is chosen only among the caller's keys, because ``kid``
    selects and never supplies a key. The key must fit the algorithm, and the
    signature must verify. When the caller gave one fixed ``Key``, the
    outcome of the first three steps depends on ``alg`` alone, so it is
    remembered per ``alg`` that passed them.
    """

    __slots__ = ("_algorithms", "_allow_weak_key", "_key", "_passed")

    def __init__(self, key: Any, algorithms: AllowedAlgorithms, *, allow_weak_key: bool) -> None:
        self._key = key
        self._algorithms = algorithms
        self._allow_weak_key = allow_weak_key
        self._passed: dict[str, tuple[SignatureAlgorithm, Key, Any]] | None = (
            {} if isinstance(key, Key) else None
        )

    def verify(self, header: Mapping[str, Any], signing_input: bytes, signature: bytes) -> Key:
        """Verify ``signature`` over ``signing_input``; return the key that verified it."""
        alg = header.get("alg")
        passed = self._passed
        entry = passed.get(alg) if passed is not None and type(alg) is str else None

        if entry is None:
            algorithm = self._algorithms.select(header)
            selected = select_verification_key(self._key, header.get("kid"), algorithm)
            selected.check_algorithm(algorithm, "verify", allow_weak_key=self._allow_weak_key)
            entry = (algorithm, selected, selected.verifying_key)
            if passed is not None:
                passed[algorithm.name] = entry

        algorithm, selected, verifying_key = entry
        if not algorithm.verify(verifying_key, signing_input, signature):
            raise InvalidSignatureError(SIGNATURE_FAILED)
        return selected


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

    A one-off use of ``SignatureVerifier``: the same checks, nothing remembered.
    """
    verifier = SignatureVerifier(key, algorithms, allow_weak_key=allow_weak_key)
    return verifier.verify(header, signing_input, signature)
