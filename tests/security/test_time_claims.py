"""A token whose ``nbf`` or ``iat`` lies in the future is not valid yet (RFC 7519 §4.1.5, §4.1.6).

A token minted with a future ``nbf`` or ``iat`` (pre-issued, or from an
issuer whose clock runs ahead, or forged with a stolen key for later use)
must be rejected until that time, allowing only the caller's leeway. Each
token has a valid MAC and the clock is fixed with ``now``.
"""

from __future__ import annotations

import pytest

from jwtkit import errors
from tests.security.conftest import NOW, Verify
from tests.security.forge import hmac_token

SECRET = b"a shared secret of at least 32 bytes for HS256"
HEADER = {"alg": "HS256"}
FUTURE_OFFSETS = [1, 0.5, 60, 86_400 * 365 * 100]


def _token(**claims: float) -> str:
    return hmac_token(SECRET, HEADER, {"sub": "alice", **claims})


@pytest.mark.parametrize("claim", ["nbf", "iat"])
@pytest.mark.parametrize("offset", FUTURE_OFFSETS)
def test_future_claim_rejected(verify_jwt: Verify, claim: str, offset: float) -> None:
    valid_from = NOW + offset

    with pytest.raises(errors.ImmatureTokenError) as excinfo:
        verify_jwt(_token(**{claim: valid_from}), SECRET, ["HS256"], now=NOW)

    assert excinfo.value.code == "token_not_yet_valid"
    assert excinfo.value.claim == claim
    assert excinfo.value.valid_from == valid_from
    assert excinfo.value.now == NOW
    assert "leeway" in excinfo.value.message


@pytest.mark.parametrize("claim", ["nbf", "iat"])
def test_future_claim_within_leeway_accepted(verify_jwt: Verify, claim: str) -> None:
    token = _token(**{claim: NOW + 30})

    assert verify_jwt(token, SECRET, ["HS256"], now=NOW, leeway=30)
    with pytest.raises(errors.ImmatureTokenError):
        verify_jwt(token, SECRET, ["HS256"], now=NOW, leeway=29.5)


@pytest.mark.parametrize("claim", ["nbf", "iat"])
def test_claim_equal_to_now_accepted(verify_jwt: Verify, claim: str) -> None:
    # RFC 7519 §4.1.5: the token is valid on or after nbf.
    assert verify_jwt(_token(**{claim: NOW}), SECRET, ["HS256"], now=NOW)


def test_future_nbf_beats_valid_exp(verify_jwt: Verify) -> None:
    # A token valid later must fail now even though it has not expired.
    token = _token(nbf=NOW + 3600, exp=NOW + 7200)

    with pytest.raises(errors.ImmatureTokenError) as excinfo:
        verify_jwt(token, SECRET, ["HS256"], now=NOW)

    assert excinfo.value.claim == "nbf"


def test_future_iat_with_max_age(verify_jwt: Verify) -> None:
    # A future iat would look young to a max_age check; it must fail as immature.
    token = _token(iat=NOW + 600)

    with pytest.raises(errors.ImmatureTokenError) as excinfo:
        verify_jwt(token, SECRET, ["HS256"], now=NOW, max_age=300)

    assert excinfo.value.claim == "iat"


def test_exp_boundary(verify_jwt: Verify) -> None:
    # RFC 7519 §4.1.4: the current time must be before exp, so exp == now is expired.
    with pytest.raises(errors.ExpiredTokenError) as excinfo:
        verify_jwt(_token(exp=NOW), SECRET, ["HS256"], now=NOW)

    assert excinfo.value.claim == "exp"
    assert excinfo.value.expired_at == NOW
    assert verify_jwt(_token(exp=NOW + 1), SECRET, ["HS256"], now=NOW)


def test_leeway_cannot_be_negative(verify_jwt: Verify) -> None:
    with pytest.raises(errors.UsageError):
        verify_jwt(_token(nbf=NOW), SECRET, ["HS256"], now=NOW, leeway=-60)
