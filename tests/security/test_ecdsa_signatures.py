"""ECDSA signatures are the fixed-width R || S of RFC 7518 §3.4, with 0 < R, S < n.

Each token carries a signature derived from a genuine one: R or S set to zero
(the "psychic signature" forgery, CVE-2022-21449), set to the curve order n,
shifted by n so that it is congruent to the genuine value, re-encoded as DER
or at another width. The caller's public key is wrapped in a spy that
delegates to the real key, so a test can tell whether jwtkit rejected the
signature itself or left the decision to the backend.
"""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

import jwtkit
from jwtkit import errors
from jwtkit.jws.verify import SIGNATURE_FAILED
from tests.security.conftest import Verify
from tests.security.forge import (
    ECDSA_CURVES,
    ECDSA_ORDERS,
    ECDSA_WIDTHS,
    ecdsa_numbers,
    sign,
    signature_numbers,
    signing_input,
    with_signature,
)
from tests.security.spies import spy_public_key

ALGORITHMS = sorted(ECDSA_WIDTHS)
CLAIMS = {"sub": "alice"}


class Signed:
    """A genuine token for one algorithm, its (R, S) and a spy on the caller's public key."""

    def __init__(self, alg: str, private_key: ec.EllipticCurvePrivateKey) -> None:
        self.alg = alg
        self.width = ECDSA_WIDTHS[alg]
        self.order = ECDSA_ORDERS[alg]
        self.token = sign(private_key, alg, {"alg": alg}, CLAIMS)
        self.r, self.s = signature_numbers(self.token, alg)
        self.spy = spy_public_key(private_key.public_key())
        self.key = jwtkit.Key.from_cryptography(self.spy)

    def fixed(self, r: int, s: int) -> bytes:
        """Encode (r, s) at this curve's width, as RFC 7518 §3.4 does."""
        return r.to_bytes(self.width, "big") + s.to_bytes(self.width, "big")

    def token_with(self, signature: bytes) -> str:
        return with_signature(self.token, signature)


@pytest.fixture(params=ALGORITHMS)
def signed(request: pytest.FixtureRequest, ec_private_keys: dict[str, Any]) -> Signed:
    """A fresh genuine ES256, ES384, ES512 or ES256K token and key spy."""
    alg: str = request.param
    return Signed(alg, ec_private_keys[alg])


def _assert_forged(
    verify: Verify, signed: Signed, signature: bytes
) -> pytest.ExceptionInfo[errors.InvalidSignatureError]:
    with pytest.raises(errors.InvalidSignatureError) as excinfo:
        verify(signed.token_with(signature), signed.key, [signed.alg])
    assert excinfo.value.code == "invalid_signature"
    assert excinfo.value.message == SIGNATURE_FAILED
    return excinfo


def test_curve_orders_match_curves() -> None:
    # A private scalar must lie in [1, n - 1], so n - 1 loads and n does not:
    # the tests below are only meaningful if ECDSA_ORDERS is exact.
    for alg, order in ECDSA_ORDERS.items():
        curve = ECDSA_CURVES[alg]()
        ec.derive_private_key(order - 1, curve)
        with pytest.raises(ValueError):
            ec.derive_private_key(order, curve)


def test_genuine_signature_verifies(verify: Verify, signed: Signed) -> None:
    # The positive control: the spy forwards to the real key, which accepts
    # the genuine signature, given to it as DER of the same (R, S).
    assert verify(signed.token, signed.key, [signed.alg])

    assert len(signed.spy.calls) == 1
    der_signature, data, _ = signed.spy.calls[0]
    assert der_signature == encode_dss_signature(signed.r, signed.s)
    assert data == signing_input(signed.token)


@pytest.mark.parametrize("zeroed", ["R", "S", "R and S"])
def test_zero_r_or_s_rejected_before_backend(verify: Verify, signed: Signed, zeroed: str) -> None:
    r = 0 if "R" in zeroed else signed.r
    s = 0 if "S" in zeroed else signed.s

    _assert_forged(verify, signed, signed.fixed(r, s))

    # jwtkit refuses a zero value itself instead of trusting every backend to.
    assert signed.spy.calls == []


@pytest.mark.parametrize("replaced", ["R", "S", "R and S"])
def test_r_or_s_equal_to_order_rejected(verify: Verify, signed: Signed, replaced: str) -> None:
    r = signed.order if "R" in replaced else signed.r
    s = signed.order if "S" in replaced else signed.s

    _assert_forged(verify, signed, signed.fixed(r, s))


@pytest.mark.parametrize("shifted", ["R", "S"])
def test_r_or_s_plus_order_rejected(verify: Verify, signed: Signed, shifted: str) -> None:
    # R + n is congruent to R modulo n, so an implementation that reduces the
    # value before checking it accepts the shifted signature.
    r = signed.r + signed.order if shifted == "R" else signed.r
    s = signed.s + signed.order if shifted == "S" else signed.s

    if max(r, s).bit_length() <= 8 * signed.width:
        # P-521 leaves 7 spare bits in its 66 bytes, so R + n fits the width
        # and only the range check 0 < R, S < n can reject it.
        _assert_forged(verify, signed, signed.fixed(r, s))
        return

    # Elsewhere R + n overflows the width; its minimal encoding makes the
    # signature one byte too long.
    widened = _minimal_bytes(r, signed.width) + _minimal_bytes(s, signed.width)
    assert len(widened) == 2 * signed.width + 1
    _assert_forged(verify, signed, widened)
    assert signed.spy.calls == []


@pytest.mark.parametrize("shifted", ["R", "S"])
def test_overflowing_value_truncated_to_width_rejected(
    verify: Verify, signed: Signed, shifted: str
) -> None:
    # The low bytes of R + n, which is what a decoder that keeps only the
    # last width bytes of an over-long value would read.
    modulus = 1 << (8 * signed.width)
    r = (signed.r + signed.order) % modulus if shifted == "R" else signed.r
    s = (signed.s + signed.order) % modulus if shifted == "S" else signed.s

    _assert_forged(verify, signed, signed.fixed(r, s))


def test_der_signature_rejected(verify: Verify, signed: Signed) -> None:
    # The DER form cryptography itself produces and accepts, of a genuine (R, S).
    der_signature = encode_dss_signature(signed.r, signed.s)
    assert len(der_signature) != 2 * signed.width

    _assert_forged(verify, signed, der_signature)
    assert signed.spy.calls == []


def test_der_signature_padded_to_width_rejected(verify: Verify, signed: Signed) -> None:
    # A DER signature cut or padded to exactly 2 * width bytes has the right
    # length, so only reading it as R || S (and failing) can reject it.
    der_signature = encode_dss_signature(signed.r, signed.s)
    fitted = der_signature[: 2 * signed.width].ljust(2 * signed.width, b"\x00")

    _assert_forged(verify, signed, fitted)


# The width of another curve's coordinates, to build a signature of a wrong size.
OTHER_WIDTH = {32: 48, 48: 66, 66: 32}


def _fixed(r: int, s: int, width: int) -> bytes:
    modulus = 1 << (8 * width)
    return (r % modulus).to_bytes(width, "big") + (s % modulus).to_bytes(width, "big")


WIDTH_CHANGES = {
    "leading zero before R": lambda r, s, w: b"\x00" + _fixed(r, s, w),
    "leading zero on R and S": lambda r, s, w: _fixed(r, s, w + 1),
    "trailing zero byte": lambda r, s, w: _fixed(r, s, w) + b"\x00",
    "leading byte of S dropped": lambda r, s, w: r.to_bytes(w, "big") + s.to_bytes(w, "big")[1:],
    "last byte dropped": lambda r, s, w: _fixed(r, s, w)[:-1],
    "R only": lambda r, s, w: r.to_bytes(w, "big"),
    "R || S twice": lambda r, s, w: 2 * _fixed(r, s, w),
    "another curve's width": lambda r, s, w: _fixed(r, s, OTHER_WIDTH[w]),
    "empty": lambda r, s, w: b"",
}


@pytest.mark.parametrize("change", sorted(WIDTH_CHANGES))
def test_wrong_width_rejected_before_backend(verify: Verify, signed: Signed, change: str) -> None:
    signature = WIDTH_CHANGES[change](signed.r, signed.s, signed.width)
    assert len(signature) != 2 * signed.width

    _assert_forged(verify, signed, signature)
    assert signed.spy.calls == []


def test_signature_for_other_curve_rejected(
    verify: Verify, signed: Signed, ec_private_keys: dict[str, Any]
) -> None:
    # A genuine signature by every other algorithm's key over the same token.
    data = signing_input(signed.token)
    for other_alg, private_key in ec_private_keys.items():
        if other_alg == signed.alg:
            continue
        r, s = ecdsa_numbers(private_key, other_alg, data)
        width = ECDSA_WIDTHS[other_alg]

        _assert_forged(verify, signed, r.to_bytes(width, "big") + s.to_bytes(width, "big"))


def test_high_s_accepted(verify: Verify, signed: Signed) -> None:
    # ECDSA signatures are malleable: (R, n - S) verifies whenever (R, S) does.
    # RFC 7518 does not require low S, so jwtkit accepts both; a signature is
    # therefore not a unique token identifier (use the jti claim for that).
    malleated = signed.token_with(signed.fixed(signed.r, signed.order - signed.s))

    assert verify(malleated, signed.key, [signed.alg])


def _minimal_bytes(value: int, minimum: int) -> bytes:
    length = max(minimum, (value.bit_length() + 7) // 8)
    return value.to_bytes(length, "big")
