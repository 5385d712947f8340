"""Wycheproof JWK vectors: json_web_key_test.json, key sets imported and then used to verify.

An invalid case passes when jwtkit rejects the key set on import or rejects
the token when verifying with it. Either way the error must be a jwtkit error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jwtkit import KeySet
from jwtkit.errors import JWTError, KeyNotFoundError
from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.jws import verify_compact
from tests.conformance.decisions import WYCHEPROOF_JWK
from tests.conformance.vectors import (
    WycheproofTest,
    b64url_decode_stdlib,
    parametrize,
    wycheproof_test,
    wycheproof_tests,
)

KEY_FILE = "json_web_key_test.json"
EVERY_ALGORITHM = list(SIGNATURE_ALGORITHMS)
KEY_TESTS = wycheproof_tests(KEY_FILE)


def verify_with_set(test: WycheproofTest) -> bytes:
    key_set = KeySet.from_jwks(test.verification_key)
    return verify_compact(test.token, key_set, algorithms=EVERY_ALGORITHM).payload


@pytest.mark.parametrize("test", parametrize(KEY_TESTS, lambda test: test.id))
def test_key_file(vectors_dir: Path, test: WycheproofTest) -> None:
    decision = WYCHEPROOF_JWK.get(test.tc_id)
    expected = decision.outcome if decision is not None else test.result
    if expected == "acceptable":
        pytest.fail(f"tcId {test.tc_id} is 'acceptable' and needs a written decision")

    if expected == "valid":
        assert verify_with_set(test) == b64url_decode_stdlib(test.token.split(".")[1])
        return

    with pytest.raises(JWTError) as caught:
        verify_with_set(test)
    if decision is not None and decision.error is not None:
        assert isinstance(caught.value, decision.error), repr(caught.value)


def test_decisions_differ_from_labels(vectors_dir: Path) -> None:
    labels = {test.tc_id: test.result for test in KEY_TESTS}

    for tc_id, decision in WYCHEPROOF_JWK.items():
        assert decision.outcome != labels[tc_id], f"tcId {tc_id} needs no decision"


def test_duplicate_kid_case_skips_noncanonical_key(vectors_dir: Path) -> None:
    test = wycheproof_test(KEY_FILE, 4)

    key_set = KeySet.from_jwks(test.private)

    assert len(key_set) == 1
    assert len(key_set.skipped) == 1
    assert key_set.skipped[0].startswith("keys[1]: ")
    assert "not canonical base64url" in key_set.skipped[0]


def test_duplicate_kid_with_usable_keys_rejected(vectors_dir: Path) -> None:
    test = wycheproof_test(KEY_FILE, 4)
    first, second = test.private["keys"]
    # The same second key with canonical base64url: both keys are usable now.
    usable_second = {**second, "k": second["k"][:-1] + "Q"}
    key_set = KeySet.from_jwks({"keys": [first, usable_second]})

    with pytest.raises(KeyNotFoundError) as caught:
        verify_compact(test.token, key_set, algorithms=["HS256"])

    assert caught.value.code == "key_not_found"
    assert "2 keys in the key set have kid 'kid-aes-sign'" in str(caught.value)
