"""The exception tree: branches, fields and messages."""

from __future__ import annotations

import pytest

from jwtkit import errors

# Each class and the class it directly extends.
PARENTS: dict[type[errors.JWTError], type[Exception]] = {
    errors.UsageError: errors.JWTError,
    errors.InvalidKeyError: errors.UsageError,
    errors.WeakKeyError: errors.InvalidKeyError,
    errors.UnsupportedAlgorithmError: errors.UsageError,
    errors.InvalidTokenError: errors.JWTError,
    errors.MalformedTokenError: errors.InvalidTokenError,
    errors.TokenTooLargeError: errors.MalformedTokenError,
    errors.AlgorithmNotAllowedError: errors.InvalidTokenError,
    errors.KeyMismatchError: errors.InvalidTokenError,
    errors.KeyNotFoundError: errors.InvalidTokenError,
    errors.CriticalHeaderError: errors.InvalidTokenError,
    errors.InvalidHeaderError: errors.InvalidTokenError,
    errors.InvalidSignatureError: errors.InvalidTokenError,
    errors.InvalidClaimError: errors.InvalidTokenError,
    errors.MissingClaimError: errors.InvalidClaimError,
    errors.InvalidIssuerError: errors.InvalidClaimError,
    errors.InvalidAudienceError: errors.InvalidClaimError,
    errors.ExpiredTokenError: errors.InvalidClaimError,
    errors.ImmatureTokenError: errors.InvalidClaimError,
    errors.KeySetFetchError: errors.JWTError,
}


@pytest.mark.parametrize(("error_class", "parent"), list(PARENTS.items()), ids=lambda c: c.__name__)
def test_error_parent(error_class: type[errors.JWTError], parent: type[Exception]) -> None:
    assert error_class.__bases__[0] is parent


def test_every_exported_error_placed_in_tree() -> None:
    exported = {getattr(errors, name) for name in errors.__all__}

    assert exported == set(PARENTS) | {errors.JWTError}


def test_caller_and_token_branches_are_disjoint() -> None:
    for error_class in PARENTS:
        is_usage = issubclass(error_class, errors.UsageError)
        is_token = issubclass(error_class, errors.InvalidTokenError)
        assert not (is_usage and is_token), error_class


def test_usage_error_is_value_error() -> None:
    # Callers who catch ValueError around a bad option keep working.
    assert issubclass(errors.UsageError, ValueError)
    assert not issubclass(errors.InvalidTokenError, ValueError)


def test_message_is_str_and_attribute() -> None:
    error = errors.MalformedTokenError("the token's header is not base64url")

    assert str(error) == "the token's header is not base64url"
    assert error.message == "the token's header is not base64url"
    assert error.args == ("the token's header is not base64url",)


def test_invalid_claim_fields() -> None:
    error = errors.InvalidIssuerError("bad issuer", claim="iss", expected=["a"], received="b")

    assert (error.claim, error.expected, error.received) == ("iss", ["a"], "b")
    assert error.code == "invalid_issuer"


def test_missing_claim_fields_default() -> None:
    error = errors.MissingClaimError("no sub", claim="sub")

    assert error.claim == "sub"
    assert error.expected is None
    assert error.received is None


def test_expired_error_carries_timestamps() -> None:
    error = errors.ExpiredTokenError("expired", claim="exp", expired_at=100, now=160)

    assert isinstance(error, errors.InvalidClaimError)
    assert (error.claim, error.expired_at, error.now, error.received) == ("exp", 100, 160, 100)


def test_immature_error_carries_timestamps() -> None:
    error = errors.ImmatureTokenError("not yet", claim="nbf", valid_from=200, now=160)

    assert isinstance(error, errors.InvalidClaimError)
    assert (error.claim, error.valid_from, error.now, error.received) == ("nbf", 200, 160, 200)


def test_invalid_header_fields() -> None:
    error = errors.InvalidHeaderError("wrong typ", parameter="typ", expected="JWT", received=None)

    assert (error.parameter, error.expected, error.received) == ("typ", "JWT", None)


def test_key_set_fetch_error_fields() -> None:
    error = errors.KeySetFetchError(
        "fetch failed", url="https://127.0.0.1/jwks", reason="timed out"
    )

    assert (error.url, error.reason) == ("https://127.0.0.1/jwks", "timed out")
    assert not isinstance(error, (errors.InvalidTokenError, errors.UsageError))


def test_one_except_catches_expiry_and_claims() -> None:
    caught = []
    for error in (
        errors.ExpiredTokenError("e", claim="exp", expired_at=1, now=2),
        errors.InvalidAudienceError("a", claim="aud"),
    ):
        try:
            raise error
        except errors.InvalidClaimError as exc:
            caught.append(exc.code)

    assert caught == ["token_expired", "invalid_audience"]
