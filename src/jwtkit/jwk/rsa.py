"""RSA keys (JWK ``kty`` "RSA", RFC 7518 §6.3)."""

from __future__ import annotations

from typing import Any, ClassVar

from cryptography.hazmat.primitives.asymmetric import rsa

from jwtkit.errors import InvalidKeyError, JWTError, UsageError, WeakKeyError
from jwtkit.jwa import SignatureAlgorithm
from jwtkit.jwa.rsa import MIN_RSA_BITS
from jwtkit.jwk.base import Key, decode_int_member, encode_int
from jwtkit.jwk.roca import is_roca_modulus

_PRIVATE = ("d", "p", "q", "dp", "dq", "qi")
# RFC 7518 §6.3.2.7: "oth" describes multi-prime keys, which jwtkit does not load.
_UNSUPPORTED_PRIVATE = ("oth",)

# A modulus larger than this is refused before any arithmetic, because verifying
# with a huge key costs time an attacker who controls a key set could exploit.
MAX_RSA_BITS = 16384


class RSAKey(Key):
    """An RSA key for RS256/384/512 and PS256/384/512."""

    kty: ClassVar[str] = "RSA"
    thumbprint_members: ClassVar[tuple[str, ...]] = ("e", "kty", "n")
    private_members: ClassVar[frozenset[str]] = frozenset(_PRIVATE + _UNSUPPORTED_PRIVATE)

    def __init__(self, key: rsa.RSAPrivateKey | rsa.RSAPublicKey, **params: Any) -> None:
        super().__init__(**params)
        self._private = key if isinstance(key, rsa.RSAPrivateKey) else None
        self._public = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
        self._check_declared_alg()

    @property
    def is_private(self) -> bool:
        return self._private is not None

    @property
    def signing_key(self) -> rsa.RSAPrivateKey:
        assert self._private is not None
        return self._private

    @property
    def verifying_key(self) -> rsa.RSAPublicKey:
        return self._public

    @property
    def size(self) -> int:
        return self._public.key_size

    def public_key(self) -> Key:
        return RSAKey(self._public, **self._params())

    def _params(self) -> dict[str, Any]:
        key_ops = list(self.key_ops) if self.key_ops is not None else None
        return {"kid": self.kid, "alg": self.alg, "use": self.use, "key_ops": key_ops}

    def _material_members(self, private: bool) -> dict[str, str]:
        public = self._public.public_numbers()
        members = {"n": encode_int(public.n), "e": encode_int(public.e)}
        if private and self._private is not None:
            numbers = self._private.private_numbers()
            members.update(
                d=encode_int(numbers.d),
                p=encode_int(numbers.p),
                q=encode_int(numbers.q),
                dp=encode_int(numbers.dmp1),
                dq=encode_int(numbers.dmq1),
                qi=encode_int(numbers.iqmp),
            )
        return members

    def _check_fits(
        self, algorithm: SignatureAlgorithm, allow_weak_key: bool, mismatch: type[JWTError]
    ) -> None:
        if self.size < MIN_RSA_BITS and not allow_weak_key:
            raise WeakKeyError(
                f"the RSA key is {self.size} bits, but {algorithm.name} needs at least "
                f"{MIN_RSA_BITS} bits (RFC 7518 §3.3); use a 2048-bit or larger key, or pass "
                "allow_weak_key=True to accept it in a test"
            )

    @classmethod
    def _from_jwk_members(cls, members: dict[str, Any], params: dict[str, Any]) -> Key:
        n = decode_int_member(members, "n", "RSA")
        e = decode_int_member(members, "e", "RSA")
        _check_public_numbers(n, e)
        extra = {
            name: value
            for name, value in members.items()
            if name not in {"n", "e", *_PRIVATE, *_UNSUPPORTED_PRIVATE}
        }

        for name in _UNSUPPORTED_PRIVATE:
            if name in members:
                raise InvalidKeyError(
                    "RSA JWK has 'oth' (more than two primes), which jwtkit does not support"
                )

        public_numbers = rsa.RSAPublicNumbers(e, n)
        if "d" not in members:
            present = [name for name in _PRIVATE if name in members]
            if present:
                raise InvalidKeyError(f"RSA JWK has {present} but no 'd'; it is incomplete")
            return cls(public_numbers.public_key(), extra=extra, **params)

        d = decode_int_member(members, "d", "RSA")
        primes = [name for name in ("p", "q", "dp", "dq", "qi") if name in members]
        try:
            if primes:
                if len(primes) != 5:
                    missing = sorted({"p", "q", "dp", "dq", "qi"} - set(primes))
                    raise InvalidKeyError(
                        f"RSA JWK has some of p, q, dp, dq, qi but is missing {missing}; "
                        "give all five or only 'd' (RFC 7518 §6.3.2)"
                    )
                numbers = rsa.RSAPrivateNumbers(
                    p=decode_int_member(members, "p", "RSA"),
                    q=decode_int_member(members, "q", "RSA"),
                    d=d,
                    dmp1=decode_int_member(members, "dp", "RSA"),
                    dmq1=decode_int_member(members, "dq", "RSA"),
                    iqmp=decode_int_member(members, "qi", "RSA"),
                    public_numbers=public_numbers,
                )
            else:
                p, q = rsa.rsa_recover_prime_factors(n, e, d)
                numbers = rsa.RSAPrivateNumbers(
                    p=p,
                    q=q,
                    d=d,
                    dmp1=rsa.rsa_crt_dmp1(d, p),
                    dmq1=rsa.rsa_crt_dmq1(d, q),
                    iqmp=rsa.rsa_crt_iqmp(p, q),
                    public_numbers=public_numbers,
                )
            private_key = numbers.private_key()
        except InvalidKeyError:
            # A ValueError subclass, raised above with a precise message.
            raise
        except ValueError:
            raise InvalidKeyError(
                "RSA JWK private members are inconsistent with 'n' and 'e'; "
                "the key is corrupt or its members come from different keys"
            ) from None
        return cls(private_key, extra=extra, **params)

    @classmethod
    def _wrap(cls, key: Any, params: dict[str, Any]) -> Key | None:
        if isinstance(key, (rsa.RSAPrivateKey, rsa.RSAPublicKey)):
            numbers = (
                key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
            ).public_numbers()
            _check_public_numbers(numbers.n, numbers.e)
            return cls(key, **params)
        return None

    @classmethod
    def _generate(cls, *, size: int | None, curve: str | None, params: dict[str, Any]) -> Key:
        if curve is not None:
            raise UsageError("an RSA key has no curve; pass size in bits instead")
        bits = 2048 if size is None else size
        if bits < MIN_RSA_BITS or bits > MAX_RSA_BITS:
            raise UsageError(
                f"RSA key size must be between {MIN_RSA_BITS} and {MAX_RSA_BITS} bits, got {bits}"
            )
        # cryptography 50 returns a 2048-bit key when asked for 2049 bits, so
        # an odd size would silently give a smaller key; whole bytes avoid it.
        if bits % 8:
            raise UsageError(f"RSA key size must be a multiple of 8 bits, got {bits}")
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=bits), **params)


def _check_public_numbers(n: int, e: int) -> None:
    if n.bit_length() > MAX_RSA_BITS:
        raise InvalidKeyError(
            f"RSA modulus is {n.bit_length()} bits, over the {MAX_RSA_BITS}-bit maximum"
        )
    if e < 3 or e % 2 == 0 or e >= n:
        raise InvalidKeyError(
            f"RSA public exponent {e} is invalid: it must be odd, at least 3 and below the "
            "modulus (65537 is the usual value)"
        )
    if n % 2 == 0 or n.bit_length() < 512:
        raise InvalidKeyError("RSA modulus is not a valid RSA modulus (even, or under 512 bits)")
    if is_roca_modulus(n):
        raise WeakKeyError(
            "RSA key was generated by a library with the ROCA flaw (CVE-2017-15361), so its "
            "private key can be recovered from the public key; replace the key"
        )
