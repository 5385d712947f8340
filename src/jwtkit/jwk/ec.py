"""Elliptic-curve keys (JWK ``kty`` "EC", RFC 7518 §6.2): P-256, P-384, P-521, secp256k1."""

from __future__ import annotations

from typing import Any, ClassVar

from cryptography.hazmat.primitives.asymmetric import ec

from jwtkit.errors import InvalidKeyError, JWTError, UsageError
from jwtkit.jwa import SignatureAlgorithm
from jwtkit.jwk.base import Key, decode_member, encode_int

# JWK "crv" name -> (cryptography curve class, coordinate size in bytes).
CURVES: dict[str, tuple[type[ec.EllipticCurve], int]] = {
    "P-256": (ec.SECP256R1, 32),
    "P-384": (ec.SECP384R1, 48),
    "P-521": (ec.SECP521R1, 66),
    "secp256k1": (ec.SECP256K1, 32),
}
_CURVE_NAMES = {curve_class().name: crv for crv, (curve_class, _) in CURVES.items()}


class ECKey(Key):
    """An elliptic-curve key for ES256, ES384, ES512 and ES256K."""

    kty: ClassVar[str] = "EC"
    thumbprint_members: ClassVar[tuple[str, ...]] = ("crv", "kty", "x", "y")
    private_members: ClassVar[frozenset[str]] = frozenset({"d"})

    def __init__(
        self, key: ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey, **params: Any
    ) -> None:
        super().__init__(**params)
        crv = _CURVE_NAMES.get(key.curve.name)
        if crv is None:
            raise InvalidKeyError(
                f"EC curve {key.curve.name!r} is not supported; use one of: {', '.join(CURVES)}"
            )
        self.crv = crv
        self._private = key if isinstance(key, ec.EllipticCurvePrivateKey) else None
        self._public = key.public_key() if isinstance(key, ec.EllipticCurvePrivateKey) else key
        self._check_declared_alg()

    @property
    def is_private(self) -> bool:
        return self._private is not None

    @property
    def signing_key(self) -> ec.EllipticCurvePrivateKey:
        assert self._private is not None
        return self._private

    @property
    def verifying_key(self) -> ec.EllipticCurvePublicKey:
        return self._public

    @property
    def size(self) -> int:
        return self._public.curve.key_size

    def public_key(self) -> Key:
        key_ops = list(self.key_ops) if self.key_ops is not None else None
        return ECKey(self._public, kid=self.kid, alg=self.alg, use=self.use, key_ops=key_ops)

    def _material_members(self, private: bool) -> dict[str, str]:
        width = CURVES[self.crv][1]
        point = self._public.public_numbers()
        members = {
            "crv": self.crv,
            "x": encode_int(point.x, width),
            "y": encode_int(point.y, width),
        }
        if private and self._private is not None:
            members["d"] = encode_int(self._private.private_numbers().private_value, width)
        return members

    def _check_fits(
        self, algorithm: SignatureAlgorithm, allow_weak_key: bool, mismatch: type[JWTError]
    ) -> None:
        if self.crv not in algorithm.curves:
            expected = ", ".join(sorted(algorithm.curves))
            raise mismatch(
                f"alg {algorithm.name!r} needs an EC key on {expected}, but the key's curve "
                f"is {self.crv}"
            )

    @classmethod
    def _from_jwk_members(cls, members: dict[str, Any], params: dict[str, Any]) -> Key:
        crv = members.get("crv")
        if not isinstance(crv, str) or crv not in CURVES:
            raise InvalidKeyError(
                f"EC JWK 'crv' {crv!r} is not supported; use one of: {', '.join(CURVES)}"
            )
        curve_class, width = CURVES[crv]

        coordinates = {}
        for name in ("x", "y"):
            raw = decode_member(members, name, "EC")
            # RFC 7518 §6.2.1.2: coordinates are always the full width of the curve.
            if len(raw) != width:
                raise InvalidKeyError(
                    f"EC JWK member {name!r} is {len(raw)} bytes, but {crv} coordinates are "
                    f"exactly {width} bytes"
                )
            coordinates[name] = int.from_bytes(raw, "big")

        try:
            public_key = ec.EllipticCurvePublicNumbers(
                coordinates["x"], coordinates["y"], curve_class()
            ).public_key()
        except ValueError:
            # An off-curve point is the invalid-curve attack on ECDH and a
            # corrupt key for ECDSA; either way it must not load.
            raise InvalidKeyError(f"EC JWK point (x, y) is not on curve {crv}") from None

        extra = {
            name: value for name, value in members.items() if name not in {"crv", "x", "y", "d"}
        }
        if "d" not in members:
            return cls(public_key, extra=extra, **params)

        raw_d = decode_member(members, "d", "EC")
        if len(raw_d) != width:
            raise InvalidKeyError(
                f"EC JWK member 'd' is {len(raw_d)} bytes, but {crv} private keys are exactly "
                f"{width} bytes"
            )
        try:
            private_key = ec.derive_private_key(int.from_bytes(raw_d, "big"), curve_class())
        except ValueError:
            raise InvalidKeyError(f"EC JWK member 'd' is out of range for {crv}") from None
        if private_key.public_key().public_numbers() != public_key.public_numbers():
            raise InvalidKeyError(
                "EC JWK private member 'd' does not match the public point (x, y); "
                "the members come from different keys"
            )
        return cls(private_key, extra=extra, **params)

    @classmethod
    def _wrap(cls, key: Any, params: dict[str, Any]) -> Key | None:
        if isinstance(key, (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey)):
            return cls(key, **params)
        return None

    @classmethod
    def _generate(cls, *, size: int | None, curve: str | None, params: dict[str, Any]) -> Key:
        if size is not None:
            raise UsageError("an EC key's size follows from its curve; pass curve instead")
        crv = "P-256" if curve is None else curve
        if crv not in CURVES:
            raise UsageError(f"EC curve {crv!r} is not supported; use one of: {', '.join(CURVES)}")
        return cls(ec.generate_private_key(CURVES[crv][0]()), **params)
