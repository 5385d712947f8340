"""Octet key pairs (JWK ``kty`` "OKP", RFC 8037 §2): Ed25519, Ed448, X25519, X448."""

from __future__ import annotations

from typing import Any, ClassVar

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed448, ed25519, x448, x25519

from jwtkit._encoding import b64url_encode
from jwtkit.errors import InvalidKeyError, JWTError, UsageError
from jwtkit.jwa import SignatureAlgorithm
from jwtkit.jwk.base import Key, decode_member
from jwtkit.jwk.edwards import check_eddsa_public_key

# JWK "crv" -> (private class, public class, key size in bytes, size in bits).
_CURVES: dict[str, tuple[Any, Any, int, int]] = {
    "Ed25519": (ed25519.Ed25519PrivateKey, ed25519.Ed25519PublicKey, 32, 256),
    "Ed448": (ed448.Ed448PrivateKey, ed448.Ed448PublicKey, 57, 456),
    "X25519": (x25519.X25519PrivateKey, x25519.X25519PublicKey, 32, 256),
    "X448": (x448.X448PrivateKey, x448.X448PublicKey, 56, 448),
}
_RAW = serialization.Encoding.Raw
_EDDSA_CURVES = frozenset({"Ed25519", "Ed448"})


class OKPKey(Key):
    """An octet key pair: Ed25519 or Ed448 for EdDSA, X25519 or X448 for ECDH-ES."""

    kty: ClassVar[str] = "OKP"
    thumbprint_members: ClassVar[tuple[str, ...]] = ("crv", "kty", "x")
    private_members: ClassVar[frozenset[str]] = frozenset({"d"})

    def __init__(self, key: Any, **params: Any) -> None:
        super().__init__(**params)
        for crv, (private_class, public_class, _, _) in _CURVES.items():
            if isinstance(key, private_class):
                self.crv = crv
                self._private: Any = key
                self._public: Any = key.public_key()
                break
            if isinstance(key, public_class):
                # A key derived from a private key is sound by construction;
                # a public key from outside may be a small-order point.
                if crv in _EDDSA_CURVES:
                    check_eddsa_public_key(
                        crv, key.public_bytes(_RAW, serialization.PublicFormat.Raw)
                    )
                self.crv = crv
                self._private = None
                self._public = key
                break
        else:
            raise InvalidKeyError(f"{type(key).__name__} is not an OKP key")
        self._check_declared_alg()

    @property
    def is_private(self) -> bool:
        return self._private is not None

    @property
    def signing_key(self) -> Any:
        assert self._private is not None
        return self._private

    @property
    def verifying_key(self) -> Any:
        return self._public

    @property
    def size(self) -> int:
        return _CURVES[self.crv][3]

    def public_key(self) -> Key:
        key_ops = list(self.key_ops) if self.key_ops is not None else None
        return OKPKey(self._public, kid=self.kid, alg=self.alg, use=self.use, key_ops=key_ops)

    def _material_members(self, private: bool) -> dict[str, str]:
        x = self._public.public_bytes(_RAW, serialization.PublicFormat.Raw)
        members = {"crv": self.crv, "x": b64url_encode(x)}
        if private and self._private is not None:
            d = self._private.private_bytes(
                _RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            )
            members["d"] = b64url_encode(d)
        return members

    def _check_fits(
        self, algorithm: SignatureAlgorithm, allow_weak_key: bool, mismatch: type[JWTError]
    ) -> None:
        if self.crv not in algorithm.curves:
            expected = " or ".join(sorted(algorithm.curves))
            raise mismatch(
                f"alg {algorithm.name!r} needs an OKP key on {expected}, but the key's curve "
                f"is {self.crv}"
            )

    @classmethod
    def _from_jwk_members(cls, members: dict[str, Any], params: dict[str, Any]) -> Key:
        crv = members.get("crv")
        if not isinstance(crv, str) or crv not in _CURVES:
            raise InvalidKeyError(
                f"OKP JWK 'crv' {crv!r} is not supported; use one of: {', '.join(_CURVES)}"
            )
        private_class, public_class, width, _ = _CURVES[crv]

        x = decode_member(members, "x", "OKP")
        if len(x) != width:
            raise InvalidKeyError(
                f"OKP JWK member 'x' is {len(x)} bytes, but {crv} public keys are {width} bytes"
            )
        try:
            public_key = public_class.from_public_bytes(x)
        except ValueError:
            raise InvalidKeyError(f"OKP JWK member 'x' is not a valid {crv} public key") from None

        extra = {name: value for name, value in members.items() if name not in {"crv", "x", "d"}}
        if "d" not in members:
            return cls(public_key, extra=extra, **params)

        d = decode_member(members, "d", "OKP")
        if len(d) != width:
            raise InvalidKeyError(
                f"OKP JWK member 'd' is {len(d)} bytes, but {crv} private keys are {width} bytes"
            )
        private_key = private_class.from_private_bytes(d)
        derived = private_key.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
        if derived != x:
            raise InvalidKeyError(
                "OKP JWK private member 'd' does not match the public member 'x'; "
                "the members come from different keys"
            )
        return cls(private_key, extra=extra, **params)

    @classmethod
    def _wrap(cls, key: Any, params: dict[str, Any]) -> Key | None:
        for private_class, public_class, _, _ in _CURVES.values():
            if isinstance(key, (private_class, public_class)):
                return cls(key, **params)
        return None

    @classmethod
    def _generate(cls, *, size: int | None, curve: str | None, params: dict[str, Any]) -> Key:
        if size is not None:
            raise UsageError("an OKP key's size follows from its curve; pass curve instead")
        crv = "Ed25519" if curve is None else curve
        if crv not in _CURVES:
            raise UsageError(
                f"OKP curve {crv!r} is not supported; use one of: {', '.join(_CURVES)}"
            )
        return cls(_CURVES[crv][0].generate(), **params)
