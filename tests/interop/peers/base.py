"""What every peer adapter offers: import, generate, export, sign and verify."""

from __future__ import annotations

import importlib.metadata
from typing import Any, ClassVar

from tests.interop.cases import AlgorithmCase


def describe_error(error: BaseException) -> str:
    """Name an exception and give its message, as results.json records it.

    An exception that carries the name of the error it stands for (a Node
    error relayed by the driver) is named by that instead of its own class.
    """
    name = getattr(error, "error_name", None) or type(error).__name__
    return f"{name}: {error}"


class Peer:
    """One JOSE implementation driven through its own public API.

    Key material crosses between jwtkit and a peer in one of three forms: a
    JWK dict, PEM text, or the raw secret bytes of an HMAC key. A peer keeps
    keys as whatever object its API uses; the tests never look inside one.
    """

    name: ClassVar[str]
    # The peer's name in test ids, free of spaces and brackets for ``-k``.
    test_id: ClassVar[str]
    # The Python distribution whose version results.json records.
    distribution: ClassVar[str] = ""
    # Algorithm case ids that the peer does not implement. Each one must be
    # confirmed by ``confirm_gap``, so an entry cannot hide a jwtkit failure.
    lacks: ClassVar[frozenset[str]] = frozenset()
    # Set when the peer cannot make a key of its own and the matrix notes how it got one.
    own_key_note: ClassVar[str | None] = None
    # Set when the peer cannot export PEM and the matrix notes who wrote it instead.
    pem_export_note: ClassVar[str | None] = None
    # Set when the peer has no JWK Set export, or does not select by kid.
    key_set_note: ClassVar[str | None] = None
    # True when the peer cannot verify against a JWK Set that mixes key types.
    # ``confirm_key_set_gap`` must confirm it, as ``confirm_gap`` does for algorithms.
    lacks_mixed_key_sets: ClassVar[bool] = False

    def __init__(self) -> None:
        self._own_keys: dict[str, Any] = {}

    def available(self) -> bool:
        """Tell whether the peer can run on this machine."""
        try:
            importlib.metadata.version(self.distribution)
        except importlib.metadata.PackageNotFoundError:
            return False
        return True

    def version(self) -> str:
        return importlib.metadata.version(self.distribution)

    def import_key(self, case: AlgorithmCase, form: str, material: Any, *, private: bool) -> Any:
        """Load key material exported by jwtkit; return the peer's key object."""
        raise NotImplementedError

    def own_key(self, case: AlgorithmCase) -> Any:
        """Return the peer's own private key for ``case``, made once and then reused."""
        if case.id not in self._own_keys:
            self._own_keys[case.id] = self.make_key(case)
        return self._own_keys[case.id]

    def make_key(self, case: AlgorithmCase) -> Any:
        """Make a new private key for ``case`` with the peer's own generator."""
        raise NotImplementedError

    def export_key(self, case: AlgorithmCase, key: Any, form: str, *, private: bool) -> Any:
        """Export the peer's key as a JWK dict, PEM text or the raw secret bytes."""
        raise NotImplementedError

    def sign(
        self, case: AlgorithmCase, key: Any, claims: dict[str, Any], *, kid: str | None = None
    ) -> str:
        """Sign ``claims`` as a compact JWT with the case's alg, and ``kid`` in the header."""
        raise NotImplementedError

    def verify(self, case: AlgorithmCase, key: Any, token: str, *, audience: str) -> dict[str, Any]:
        """Verify a compact JWT and validate exp, nbf and aud; return its claims."""
        raise NotImplementedError

    def export_key_set(self, entries: list[tuple[AlgorithmCase, Any, str]]) -> dict[str, Any]:
        """Export the public halves of the peer's keys as a JWK Set, each under the given kid."""
        raise NotImplementedError

    def verify_with_key_set(
        self, case: AlgorithmCase, jwks: dict[str, Any], token: str, *, audience: str
    ) -> dict[str, Any]:
        """Import a JWK Set, let the peer pick the key for the token's kid, and verify."""
        raise NotImplementedError

    def confirm_key_set_gap(self, cases: list[AlgorithmCase]) -> str:
        """Return the peer's own error for a mixed JWK Set, reached without jwtkit."""
        raise AssertionError(f"{self.name} declares no gap for mixed JWK Sets")

    def confirm_gap(self, case: AlgorithmCase) -> str:
        """Return the peer's own error for an algorithm it lacks, reached without jwtkit.

        Raise ``AssertionError`` when the peer accepts the algorithm after all
        or fails with anything but its "unsupported algorithm" error.
        """
        raise AssertionError(f"{self.name} declares no gap for {case.label}")
