"""Symmetric keys (JWK ``kty`` "oct", RFC 7518 §6.4) for HMAC."""

from __future__ import annotations

from jwtkit._encoding import b64url_encode
from jwtkit.errors import InvalidKeyError, JWTError, UsageError, WeakKeyError
from jwtkit.jwa import SignatureAlgorithm
from jwtkit.jwa.hmac import HMACAlgorithm
from jwtkit.jwk.base import Key, decode_member

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

# The largest secret Key.generate makes. HMAC hashes a longer key down to the
# hash output (RFC 2104 §2), so more bits only cost memory.
MAX_GENERATED_OCT_BITS = 8192


class OctKey(Key):
    """A secret key for HMAC (HS256, HS384, HS512)."""

    kty: ClassVar[str] = "oct"
    thumbprint_members: ClassVar[tuple[str, ...]] = ("k", "kty")
    private_members: ClassVar[frozenset[str]] = frozenset({"k"})

    def __init__(self, secret: bytes, **params: Any) -> None:
        super().__init__(**params)
        if not isinstance(secret, (bytes, bytearray, memoryview)):
            raise InvalidKeyError(f"an HMAC secret must be bytes, got {type(secret).__name__}")
        if not secret:
            raise InvalidKeyError(
                "the HMAC secret is empty; use random bytes at least as long as the hash "
                "output, for example from Key.generate('oct')"
            )
        from jwtkit.jwk.secret_check import check_hmac_secret  # loaded with the first secret

        check_hmac_secret(bytes(secret))
        self._secret = bytes(secret)
        self._check_declared_alg()

    @property
    def is_private(self) -> bool:
        return True

    @property
    def signing_key(self) -> bytes:
        return self._secret

    @property
    def verifying_key(self) -> bytes:
        return self._secret

    @property
    def size(self) -> int:
        return len(self._secret) * 8

    def public_key(self) -> Key:
        raise UsageError("an oct key is a shared secret and has no public part")

    def to_jwk(self, private: bool = False) -> dict[str, Any]:
        if not private:
            raise UsageError(
                "an oct key is a shared secret; export it with to_jwk(private=True) "
                "and keep the result secret"
            )
        return super().to_jwk(private=True)

    def thumbprint(self, hash_name: str = "sha256") -> str:
        # A thumbprint of a secret key reveals nothing about the secret, and
        # RFC 7638 §3.2 defines it over "k".
        return super().thumbprint(hash_name)

    def _material_members(self, private: bool) -> dict[str, str]:
        return {"k": b64url_encode(self._secret)}

    def _check_fits(
        self, algorithm: SignatureAlgorithm, allow_weak_key: bool, mismatch: type[JWTError]
    ) -> None:
        assert isinstance(algorithm, HMACAlgorithm)
        if not self._secret:
            raise InvalidKeyError(f"the HMAC secret for {algorithm.name} is empty")
        if len(self._secret) < algorithm.min_key_bytes and not allow_weak_key:
            raise WeakKeyError(
                f"the HMAC secret is {len(self._secret)} bytes, but {algorithm.name} needs at "
                f"least {algorithm.min_key_bytes} bytes (RFC 7518 §3.2: the key must be as long "
                "as the hash output). Use a longer random secret, for example from "
                "Key.generate('oct'); to verify a token made with a short secret in a test, "
                "pass allow_weak_key=True"
            )

    @classmethod
    def _from_jwk_members(cls, members: dict[str, Any], params: dict[str, Any]) -> Key:
        # An HMAC secret has no maximum length (RFC 2104 §2 hashes a long one).
        secret = decode_member(members, "k", "oct", max_bytes=None)
        extra = {name: value for name, value in members.items() if name != "k"}
        return cls(secret, extra=extra, **params)

    @classmethod
    def _wrap(cls, key: Any, params: dict[str, Any]) -> Key | None:
        return None

    @classmethod
    def _generate(cls, *, size: int | None, curve: str | None, params: dict[str, Any]) -> Key:
        if curve is not None:
            raise UsageError("an oct key has no curve; pass size in bits instead")
        bits = 256 if size is None else size
        if bits <= 0 or bits % 8:
            raise UsageError(f"oct key size must be a positive multiple of 8 bits, got {bits}")
        if bits > MAX_GENERATED_OCT_BITS:
            raise UsageError(
                f"oct key size {bits} bits is over the limit of {MAX_GENERATED_OCT_BITS}; "
                "HMAC gains nothing from a secret longer than its hash block (512 to 1024 "
                "bits), so use 256 to 512"
            )
        import secrets

        return cls(secrets.token_bytes(bits // 8), **params)
