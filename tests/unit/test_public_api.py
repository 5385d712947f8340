"""The public surface: top-level names and error codes, pinned so changes are deliberate."""

from __future__ import annotations

from pathlib import Path

import jwtkit
from jwtkit import errors

PUBLIC_NAMES = [
    "ECKey",
    "Key",
    "KeySet",
    "OKPKey",
    "OctKey",
    "RSAKey",
    "UnverifiedToken",
    "VerifiedToken",
    "Verifier",
    "__version__",
    "decode",
    "decode_unverified",
    "encode",
    "errors",
    "jws",
]

# Codes appear in logs and HTTP responses, so changing one breaks callers.
ERROR_CODES = {
    "JWTError": "jwt_error",
    "UsageError": "usage_error",
    "InvalidKeyError": "invalid_key",
    "WeakKeyError": "weak_key",
    "UnsupportedAlgorithmError": "unsupported_algorithm",
    "InvalidTokenError": "invalid_token",
    "MalformedTokenError": "malformed_token",
    "TokenTooLargeError": "token_too_large",
    "AlgorithmNotAllowedError": "algorithm_not_allowed",
    "KeyMismatchError": "key_mismatch",
    "KeyNotFoundError": "key_not_found",
    "CriticalHeaderError": "unsupported_critical_header",
    "InvalidHeaderError": "invalid_header",
    "InvalidSignatureError": "invalid_signature",
    "InvalidClaimError": "invalid_claim",
    "MissingClaimError": "missing_claim",
    "InvalidIssuerError": "invalid_issuer",
    "InvalidAudienceError": "invalid_audience",
    "ExpiredTokenError": "token_expired",
    "ImmatureTokenError": "token_not_yet_valid",
    "KeySetFetchError": "key_set_fetch_failed",
}


def test_all_is_pinned() -> None:
    assert jwtkit.__all__ == PUBLIC_NAMES


def test_all_names_exist() -> None:
    for name in jwtkit.__all__:
        assert hasattr(jwtkit, name), name


def test_version_is_a_string() -> None:
    assert isinstance(jwtkit.__version__, str)
    assert jwtkit.__version__.count(".") == 2


def test_error_names_pinned() -> None:
    assert sorted(errors.__all__) == sorted(ERROR_CODES)


def test_error_codes_pinned() -> None:
    codes = {name: getattr(errors, name).code for name in errors.__all__}

    assert codes == ERROR_CODES


def test_error_codes_unique() -> None:
    codes = [getattr(errors, name).code for name in errors.__all__]

    assert len(set(codes)) == len(codes)


def test_every_error_defines_its_own_code() -> None:
    # A subclass that forgot its code would silently report its parent's.
    for name in errors.__all__:
        assert "code" in vars(getattr(errors, name)), name


def test_package_ships_type_information() -> None:
    assert (Path(jwtkit.__file__).parent / "py.typed").is_file()
