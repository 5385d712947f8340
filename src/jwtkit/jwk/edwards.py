"""Reject Ed25519 and Ed448 public keys that let anyone forge signatures (RFC 8032).

``cryptography`` loads any 32 or 57 bytes as an EdDSA public key. If the point
has small order (its order divides the cofactor: 8 for Ed25519, 4 for Ed448),
the verification equation no longer depends on the private key, so a fixed
signature verifies for every message: with A = (0, 1), R = (0, 1) and S = 0 it
holds for any token. A non-canonical encoding (y >= p, or x = 0 with the sign
bit set) is rejected too, because libraries disagree on whether it is valid.

The arithmetic uses plain integers and projective doubling, which is complete
on both curves. It runs once per imported public key and costs about one modular
exponentiation, the square root that recovers x.
"""

from __future__ import annotations

from typing import NamedTuple

from jwtkit.errors import InvalidKeyError


class _EdwardsCurve(NamedTuple):
    """The curve a*x^2 + y^2 = 1 + d*x^2*y^2 over GF(p), as RFC 8032 §5.1 and §5.2 define it."""

    p: int
    a: int
    d: int
    cofactor: int
    encoded_bytes: int


_P25519 = 2**255 - 19
_P448 = 2**448 - 2**224 - 1

_CURVES = {
    "Ed25519": _EdwardsCurve(
        p=_P25519,
        a=-1,
        d=-121665 * pow(121666, -1, _P25519) % _P25519,
        cofactor=8,
        encoded_bytes=32,
    ),
    "Ed448": _EdwardsCurve(p=_P448, a=1, d=-39081 % _P448, cofactor=4, encoded_bytes=57),
}

# A square root of -1 modulo the Ed25519 prime, for the square root of RFC 8032 §5.1.3.
_SQRT_MINUS_ONE_25519 = pow(2, (_P25519 - 1) // 4, _P25519)


def check_eddsa_public_key(crv: str, encoded: bytes) -> None:
    """Raise ``InvalidKeyError`` unless ``encoded`` is a canonical point not of small order."""
    curve = _CURVES[crv]
    point = _decode_point(curve, encoded, crv)

    # The order of a point divides cofactor * L (L prime), so it divides the
    # cofactor exactly when [cofactor]P is the identity. The cofactor is a
    # power of two, so [cofactor]P takes only doublings.
    x, y = point
    z = 1
    for _ in range(curve.cofactor.bit_length() - 1):
        x, y, z = _double(curve, x, y, z)
    if x == 0 and y == z:
        raise InvalidKeyError(
            f"the {crv} public key is a point of small order, so a fixed signature verifies "
            "for every message and anyone could present forged tokens as signed by it; the key "
            "is corrupt or hostile, so obtain the issuer's real public key"
        )


def _decode_point(curve: _EdwardsCurve, encoded: bytes, crv: str) -> tuple[int, int]:
    # RFC 8032 §5.1.3 and §5.2.3: y in little-endian, the top bit is the sign
    # (the low bit) of x, and x is recovered from the curve equation.
    value = int.from_bytes(encoded, "little")
    sign_bit = 8 * curve.encoded_bytes - 1
    x_sign = value >> sign_bit
    y = value & ((1 << sign_bit) - 1)
    if y >= curve.p:
        raise InvalidKeyError(
            f"the {crv} public key is not canonical: its y-coordinate is not below the field "
            "prime (RFC 8032 §5.1.3), and libraries disagree on such keys; use the issuer's "
            "key as it was generated"
        )

    p = curve.p
    x_squared = (y * y - 1) * pow(curve.d * y * y - curve.a, -1, p) % p
    x = _square_root(x_squared, p)
    if x is None:
        raise InvalidKeyError(f"the {crv} public key is not a point on the {crv} curve")
    if x == 0 and x_sign:
        raise InvalidKeyError(
            f"the {crv} public key is not canonical: x is 0 but its sign bit is set "
            "(RFC 8032 §5.1.3); use the issuer's key as it was generated"
        )
    if x & 1 != x_sign:
        x = p - x
    return x, y


def _square_root(value: int, p: int) -> int | None:
    """Return a square root of ``value`` modulo ``p`` (p = 3 or 5 mod 8), or None if none exists."""
    if p % 4 == 3:
        root = pow(value, (p + 1) // 4, p)
    else:
        # p = 5 mod 8 (RFC 8032 §5.1.3): a candidate root, corrected by sqrt(-1).
        root = pow(value, (p + 3) // 8, p)
        if root * root % p != value % p:
            root = root * _SQRT_MINUS_ONE_25519 % p
    return root if root * root % p == value % p else None


def _double(curve: _EdwardsCurve, x: int, y: int, z: int) -> tuple[int, int, int]:
    """Double the projective point (x : y : z), x = X/Z and y = Y/Z, without an inversion."""
    # The doubling formulas "dbl-2008-bbjlp" of the Explicit-Formulas Database
    # for twisted Edwards curves in projective coordinates.
    p = curve.p
    sum_squared = (x + y) * (x + y) % p
    x_squared = x * x % p
    y_squared = y * y % p
    ax_squared = curve.a * x_squared % p
    f = (ax_squared + y_squared) % p
    j = (f - 2 * z * z) % p
    x3 = (sum_squared - x_squared - y_squared) * j % p
    return x3, f * (ax_squared - y_squared) % p, f * j % p
