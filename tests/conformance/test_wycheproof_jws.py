"""Wycheproof JWS vectors: json_web_signature_test.json and the JWS of json_web_crypto_test.json.

Each token is verified with the group's key, the public one when the group
has it. The allow-list contains every algorithm jwtkit implements, so each
rejection comes from the key binding, the header rules or the signature, never
from a narrow allow-list. Every compact token is also checked in the
flattened JSON Serialization, which must give the same outcome.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from jwtkit import Key, KeySet
from jwtkit.errors import (
    AlgorithmNotAllowedError,
    InvalidSignatureError,
    JWTError,
    KeyMismatchError,
    MalformedTokenError,
)
from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.jws import verify_compact, verify_json
from tests.conformance.decisions import WYCHEPROOF_CRYPTO, WYCHEPROOF_JWS, Decision
from tests.conformance.vectors import (
    WycheproofTest,
    b64url_decode_stdlib,
    parametrize,
    wycheproof_test,
    wycheproof_tests,
)

SIGNATURE_FILE = "json_web_signature_test.json"
CRYPTO_FILE = "json_web_crypto_test.json"

EVERY_ALGORITHM = list(SIGNATURE_ALGORITHMS)

# The error classes each Wycheproof flag implies. Cases without a flag may
# fail for any reason, so they only need to raise some jwtkit error. A flag
# missing here fails the test, so that a new flag gets a look.
FLAG_ERRORS: dict[str, tuple[type[JWTError], ...]] = {
    "AlgIsNone": (AlgorithmNotAllowedError,),
    "ModifiedPadding": (InvalidSignatureError,),
    "ModifiedSignature": (InvalidSignatureError,),
    # The header names either the key's own algorithm (so the signature made
    # with another one fails) or another algorithm (so the key's alg refuses).
    "WrongPrimitive": (InvalidSignatureError, KeyMismatchError),
    "JsonSerialization": (MalformedTokenError,),
    # Says only that the group's key is a JWK Set, not why a case fails.
    "JsonWebKeyset": (JWTError,),
}

SIGNATURE_TESTS = wycheproof_tests(SIGNATURE_FILE)
CRYPTO_TESTS = wycheproof_tests(CRYPTO_FILE)


def load_key(jwk_or_jwks: dict[str, Any]) -> Key | KeySet:
    if "keys" in jwk_or_jwks:
        return KeySet.from_jwks(jwk_or_jwks)
    return Key.from_jwk(jwk_or_jwks)


def expected_outcome(test: WycheproofTest, decision: Decision | None) -> str:
    if decision is not None:
        return decision.outcome
    if test.result == "acceptable":
        pytest.fail(f"tcId {test.tc_id} is 'acceptable' and needs a written decision")
    return test.result


def check_rejection(test: WycheproofTest, decision: Decision | None, error: JWTError) -> None:
    if decision is not None and decision.error is not None:
        assert isinstance(error, decision.error), repr(error)
    for flag in test.flags:
        assert isinstance(error, FLAG_ERRORS[flag]), f"{flag}: {error!r}"


def as_flattened(token: str) -> dict[str, str]:
    protected, payload, signature = token.split(".")
    return {"protected": protected, "payload": payload, "signature": signature}


def is_three_part(test: WycheproofTest) -> bool:
    return isinstance(test.token, str) and test.token.count(".") == 2


def compact_text(test: WycheproofTest) -> str:
    # json_web_crypto_test.json stores some JSON-serialization cases as
    # objects; a compact verifier receives them as the JSON text.
    return test.token if isinstance(test.token, str) else json.dumps(test.token)


def run_compact(test: WycheproofTest, decision: Decision | None) -> None:
    token = compact_text(test)
    if expected_outcome(test, decision) == "valid":
        verified = verify_compact(
            token, load_key(test.verification_key), algorithms=EVERY_ALGORITHM
        )
        assert verified.payload == b64url_decode_stdlib(token.split(".")[1])
        return

    with pytest.raises(JWTError) as caught:
        verify_compact(token, load_key(test.verification_key), algorithms=EVERY_ALGORITHM)
    check_rejection(test, decision, caught.value)


def run_flattened(test: WycheproofTest, decision: Decision | None) -> None:
    flattened = as_flattened(test.token)
    if expected_outcome(test, decision) == "valid":
        verified = verify_json(
            flattened, load_key(test.verification_key), algorithms=EVERY_ALGORITHM
        )
        assert verified.payload == b64url_decode_stdlib(flattened["payload"])
        assert [result.index for result in verified.verified] == [0]
        return

    with pytest.raises(JWTError) as caught:
        verify_json(flattened, load_key(test.verification_key), algorithms=EVERY_ALGORITHM)
    check_rejection(test, decision, caught.value)


@pytest.mark.parametrize("test", parametrize(SIGNATURE_TESTS, lambda test: test.id))
def test_signature_file_compact(vectors_dir: Path, test: WycheproofTest) -> None:
    run_compact(test, WYCHEPROOF_JWS.get(test.tc_id))


@pytest.mark.parametrize(
    "test", parametrize(filter(is_three_part, SIGNATURE_TESTS), lambda test: test.id)
)
def test_signature_file_flattened(vectors_dir: Path, test: WycheproofTest) -> None:
    run_flattened(test, WYCHEPROOF_JWS.get(test.tc_id))


@pytest.mark.parametrize("test", parametrize(CRYPTO_TESTS, lambda test: test.id))
def test_crypto_file_compact(vectors_dir: Path, test: WycheproofTest) -> None:
    run_compact(test, WYCHEPROOF_CRYPTO.get(test.tc_id))


@pytest.mark.parametrize(
    "test", parametrize(filter(is_three_part, CRYPTO_TESTS), lambda test: test.id)
)
def test_crypto_file_flattened(vectors_dir: Path, test: WycheproofTest) -> None:
    run_flattened(test, WYCHEPROOF_CRYPTO.get(test.tc_id))


def test_decisions_name_existing_cases(vectors_dir: Path) -> None:
    signature_ids = {test.tc_id for test in SIGNATURE_TESTS}
    crypto_ids = {test.tc_id for test in CRYPTO_TESTS}

    assert set(WYCHEPROOF_JWS) <= signature_ids
    assert set(WYCHEPROOF_CRYPTO) <= crypto_ids


def test_decisions_differ_from_labels(vectors_dir: Path) -> None:
    labels = {test.tc_id: test.result for test in SIGNATURE_TESTS}

    for tc_id, decision in WYCHEPROOF_JWS.items():
        assert decision.outcome != labels[tc_id], f"tcId {tc_id} needs no decision"


def test_lost_padding_cases_equal_valid_case(vectors_dir: Path) -> None:
    valid = wycheproof_test(SIGNATURE_FILE, 357)

    assert valid.result == "valid"
    assert wycheproof_test(SIGNATURE_FILE, 367).token == valid.token
    assert wycheproof_test(SIGNATURE_FILE, 370).token == valid.token


def test_inserted_character_cases_name_base64url(vectors_dir: Path) -> None:
    for tc_id, part in ((372, "header"), (373, "payload")):
        test = wycheproof_test(SIGNATURE_FILE, tc_id)

        with pytest.raises(MalformedTokenError) as caught:
            verify_compact(test.token, Key.from_jwk(test.private), algorithms=["HS256"])

        assert caught.value.code == "malformed_token"
        assert f"the token's {part} is not base64url" in str(caught.value)


def test_key_alg_mismatch_message(vectors_dir: Path) -> None:
    test = wycheproof_test(SIGNATURE_FILE, 346)

    with pytest.raises(KeyMismatchError) as caught:
        verify_compact(test.token, Key.from_jwk(test.private), algorithms=["PS384"])

    assert caught.value.code == "key_mismatch"
    assert "JWK 'alg' is 'PS256'" in str(caught.value)
    assert "'PS384'" in str(caught.value)


def test_crypto_json_case_verifies_as_json(vectors_dir: Path) -> None:
    test = wycheproof_test(CRYPTO_FILE, 17)

    verified = verify_json(test.token, Key.from_jwk(test.private), algorithms=["HS256"])

    assert verified.payload == b"foo"
    assert verified.signatures[0].header == {"unknown": "untrustworthy"}
    assert verified.protected == {"alg": "HS256", "kid": "kid-aes-sign"}


def test_signature_file_json_case_is_truncated(vectors_dir: Path) -> None:
    test = wycheproof_test(SIGNATURE_FILE, 17)

    with pytest.raises(MalformedTokenError) as caught:
        verify_json(test.token, Key.from_jwk(test.private), algorithms=["HS256"])

    assert "the JWS is not valid JSON" in str(caught.value)
