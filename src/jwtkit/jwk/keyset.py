"""``KeySet``: a JWK Set (RFC 7517 §5) and key selection for verification."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from jwtkit._encoding import json_loads_object, json_type_name
from jwtkit.errors import (
    InvalidKeyError,
    JWTError,
    KeyMismatchError,
    KeyNotFoundError,
    MalformedTokenError,
)
from jwtkit.jwa import SignatureAlgorithm
from jwtkit.jwk.base import Key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_MAX_LISTED_KIDS = 10
# A token's kid is attacker input of any length; messages show at most this many characters.
_MAX_SHOWN_KID = 40


class KeySet:
    """A set of keys from which verification selects one by ``kid``, then by ``alg``.

    A set may not mix secret (``oct``) keys with public-key keys: such a set
    is either a secret published by mistake or an invitation to algorithm
    confusion, so it is rejected when built.
    """

    def __init__(self, keys: Iterable[Key], *, skipped: Iterable[str] = ()) -> None:
        if isinstance(keys, (str, bytes, Mapping)) or not isinstance(keys, Iterable):
            raise InvalidKeyError(
                f"KeySet takes an iterable of jwtkit Key objects, got {type(keys).__name__}; "
                "use KeySet.from_jwks for a JWKS dict or JSON text"
            )
        self.keys: tuple[Key, ...] = tuple(keys)
        for key in self.keys:
            if not isinstance(key, Key):
                raise InvalidKeyError(
                    f"KeySet takes jwtkit Key objects, got {type(key).__name__}; "
                    "use KeySet.from_jwks for a JWKS dict"
                )
        kinds = {key.kty == "oct" for key in self.keys}
        if len(kinds) > 1:
            raise InvalidKeyError(
                "the key set mixes secret (kty 'oct') keys with RSA, EC or OKP keys; keep HMAC "
                "secrets in a separate KeySet from public keys"
            )
        # Reasons why members of an imported JWKS were left out (RFC 7517 §5
        # recommends ignoring keys that cannot be used), kept for error messages.
        self.skipped: tuple[str, ...] = tuple(skipped)
        # The kid values of those members: a token naming one of them cannot
        # be matched to a single key with certainty.
        self.skipped_kids: frozenset[str] = frozenset()

    @classmethod
    def from_jwks(cls, jwks: Mapping[str, Any] | str | bytes) -> KeySet:
        """Import a JWK Set given as a dict or JSON text.

        Members whose ``kty`` or parameters jwtkit cannot use are skipped, as
        RFC 7517 §5 recommends; the reasons are kept in ``skipped``.
        """
        if isinstance(jwks, (str, bytes)):
            try:
                jwks = json_loads_object(jwks, "JWK Set")
            except MalformedTokenError as exc:
                raise InvalidKeyError(str(exc)) from None
        if not isinstance(jwks, Mapping):
            raise InvalidKeyError(f"a JWK Set must be a JSON object, got {type(jwks).__name__}")
        members = jwks.get("keys")
        if not isinstance(members, list):
            raise InvalidKeyError("a JWK Set must have a 'keys' member that is an array of JWKs")

        keys: list[Key] = []
        skipped: list[str] = []
        skipped_kids: set[str] = set()
        for index, member in enumerate(members):
            # Key.from_jwk also reads JSON text, but a JWKS member must be an object.
            if not isinstance(member, Mapping):
                skipped.append(
                    f"keys[{index}]: a JWK must be a JSON object, got a JSON "
                    f"{json_type_name(member)}"
                )
                continue
            try:
                keys.append(Key.from_jwk(member))
            except JWTError as exc:
                skipped.append(f"keys[{index}]: {exc}")
                if isinstance(member.get("kid"), str):
                    skipped_kids.add(member["kid"])

        key_set = cls(keys, skipped=skipped)
        key_set.skipped_kids = frozenset(skipped_kids)
        return key_set

    def to_jwks(self, private: bool = False) -> dict[str, Any]:
        """Export as a JWK Set dict; private members only when ``private=True``."""
        return {"keys": [key.to_jwk(private=private) for key in self.keys]}

    def __iter__(self) -> Iterator[Key]:
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)

    def __repr__(self) -> str:
        return f"<KeySet of {len(self.keys)} keys>"

    def get(self, kid: str) -> Key | None:
        """Return the key with this ``kid``, or None; several with it raise ``InvalidKeyError``."""
        matches = [key for key in self.keys if key.kid == kid]
        if len(matches) > 1:
            raise InvalidKeyError(f"the key set has {len(matches)} keys with kid {_show_kid(kid)}")
        return matches[0] if matches else None

    def find_key(self, kid: str | None, algorithm: SignatureAlgorithm) -> Key:
        """Select the one key that may verify a token with this ``kid`` and ``alg``.

        With a ``kid``, only keys with that ``kid`` are candidates; without one,
        every key is. Candidates whose type, curve, ``alg``, ``use`` or
        ``key_ops`` do not allow verifying ``alg`` drop out. Exactly one must
        remain: zero raises ``KeyNotFoundError`` (or ``KeyMismatchError`` for a
        ``kid`` whose key cannot serve ``alg``), and several raise
        ``KeyNotFoundError`` because picking one would be a guess.
        """
        if kid is not None and kid in self.skipped_kids:
            raise KeyNotFoundError(
                f"the key set has a member with kid {_show_kid(kid)} that could not be "
                f"imported{self._skipped_note()}; a kid must name exactly one key, so no key "
                "is chosen. Fix or remove that member of the JWKS"
            )
        if kid is not None:
            candidates = [key for key in self.keys if key.kid == kid]
            if not candidates:
                raise KeyNotFoundError(
                    f"no key in the key set has kid {_show_kid(kid)}; the set has kids "
                    f"{self._kids()}{self._skipped_note()}"
                )
        else:
            candidates = list(self.keys)

        usable = [key for key in candidates if key.allows_algorithm(algorithm, "verify")]
        if len(usable) == 1:
            return usable[0]

        if not usable:
            if kid is not None:
                # Raise the specific reason the kid's key cannot serve alg.
                candidates[0].check_algorithm(algorithm, "verify", allow_weak_key=True)
                raise KeyMismatchError(
                    f"the key with kid {_show_kid(kid)} cannot verify alg {algorithm.name!r}"
                )
            raise KeyNotFoundError(
                f"the token has no kid, and no key in the key set can verify alg "
                f"{algorithm.name!r}{self._skipped_note()}"
            )

        if kid is not None:
            raise KeyNotFoundError(
                f"{len(usable)} keys in the key set have kid {_show_kid(kid)} and fit alg "
                f"{algorithm.name!r}; kid values must be unique, so none is chosen"
            )
        raise KeyNotFoundError(
            f"the token has no kid and {len(usable)} keys in the key set can verify alg "
            f"{algorithm.name!r}; give tokens a kid or pass the single key to use"
        )

    def _kids(self) -> str:
        kids = [key.kid for key in self.keys if key.kid is not None]
        shown = ", ".join(_show_kid(kid) for kid in kids[:_MAX_LISTED_KIDS])
        more = f" and {len(kids) - _MAX_LISTED_KIDS} more" if len(kids) > _MAX_LISTED_KIDS else ""
        return f"[{shown}{more}]"

    def _skipped_note(self) -> str:
        if not self.skipped:
            return ""
        return f" ({len(self.skipped)} member(s) of the JWKS were skipped: {self.skipped[0]})"


def _show_kid(kid: str) -> str:
    if len(kid) <= _MAX_SHOWN_KID:
        return repr(kid)
    return f"{kid[:_MAX_SHOWN_KID]!r}... ({len(kid)} characters)"
