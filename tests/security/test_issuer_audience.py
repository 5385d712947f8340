"""``iss`` and ``aud`` match the expected values exactly (RFC 7519 §4.1.1, §4.1.3).

Matching with ``in``, ``startswith``, a regular expression or a case-folding
comparison lets an attacker who controls a neighbouring issuer or audience
name reuse its tokens: "https://issuer.example.evil" contains
"https://issuer.example", and "api" is a substring of "api-admin". Each token
here has a valid MAC, so only the claim match can reject it.
"""

from __future__ import annotations

from typing import Any

import pytest

from jwtkit import errors
from tests.security.conftest import Verify
from tests.security.forge import hmac_token

SECRET = b"a shared secret of at least 32 bytes for HS256"
HEADER = {"alg": "HS256"}
ISSUER = "https://issuer.example"
AUDIENCE = "api"

ISSUER_TRICKS = {
    "prefix": "https://issuer",
    "substring": "issuer.example",
    "suffix domain": "https://issuer.example.evil",
    "suffix path": "https://issuer.example/evil",
    "trailing slash": "https://issuer.example/",
    "userinfo": "https://issuer.example@evil.example",
    "query": "https://issuer.example?x=1",
    "fragment": "https://issuer.example#x",
    "containing": "https://evil.example/https://issuer.example",
    "upper case": "HTTPS://ISSUER.EXAMPLE",
    "mixed case host": "https://Issuer.Example",
    "leading space": " https://issuer.example",
    "trailing space": "https://issuer.example ",
    "trailing newline": "https://issuer.example\n",
    "trailing NUL": "https://issuer.example\x00",
    "http scheme": "http://issuer.example",
    "Cyrillic e": "https://issu\u0435r.example",
    "fullwidth colon": "https\uff1a//issuer.example",
    "empty": "",
    "regex wildcard": "https://issuer.exampl.",
}

AUDIENCE_TRICKS: dict[str, Any] = {
    "prefix": "ap",
    "longer": "api2",
    "suffix": "my-api",
    "containing": "api-admin",
    "upper case": "API",
    "trailing space": "api ",
    "trailing NUL": "api\x00",
    "comma list in a string": "api,admin",
    "space list in a string": "admin api",
    "JSON list in a string": '["api"]',
    "empty string": "",
    "list with substring": ["api-admin"],
    "list with superstring of each": ["xapi", "apix"],
    "list with case variant": ["API", "Api"],
    "list with comma string": ["admin,api"],
    "list with empty string": [""],
}


def _token(claims: dict[str, Any]) -> str:
    return hmac_token(SECRET, HEADER, {"sub": "alice", **claims})


@pytest.mark.parametrize("case", sorted(ISSUER_TRICKS))
def test_issuer_trick_rejected(verify_jwt: Verify, case: str) -> None:
    token = _token({"iss": ISSUER_TRICKS[case]})

    with pytest.raises(errors.InvalidIssuerError) as excinfo:
        verify_jwt(token, SECRET, ["HS256"], issuer=ISSUER)

    assert excinfo.value.code == "invalid_issuer"
    assert excinfo.value.claim == "iss"
    assert excinfo.value.received == ISSUER_TRICKS[case]
    assert "compared exactly" in excinfo.value.message


@pytest.mark.parametrize("case", sorted(ISSUER_TRICKS))
def test_issuer_trick_rejected_among_several(verify_jwt: Verify, case: str) -> None:
    expected = [ISSUER, "https://other.example"]

    with pytest.raises(errors.InvalidIssuerError):
        verify_jwt(_token({"iss": ISSUER_TRICKS[case]}), SECRET, ["HS256"], issuer=expected)


@pytest.mark.parametrize("iss", [[ISSUER], {"iss": ISSUER}, None, 1])
def test_issuer_not_string_rejected(verify_jwt: Verify, iss: Any) -> None:
    # A list holding the expected issuer is not the issuer.
    with pytest.raises(errors.InvalidClaimError) as excinfo:
        verify_jwt(_token({"iss": iss}), SECRET, ["HS256"], issuer=ISSUER)

    assert excinfo.value.claim == "iss"


def test_expected_issuer_requires_claim(verify_jwt: Verify) -> None:
    with pytest.raises(errors.MissingClaimError) as excinfo:
        verify_jwt(_token({}), SECRET, ["HS256"], issuer=ISSUER)

    assert excinfo.value.claim == "iss"


def test_exact_issuer_accepted(verify_jwt: Verify) -> None:
    # The positive control.
    claims = verify_jwt(_token({"iss": ISSUER}), SECRET, ["HS256"], issuer=ISSUER)
    assert claims["iss"] == ISSUER

    either = [ISSUER, "https://other.example"]
    assert verify_jwt(_token({"iss": "https://other.example"}), SECRET, ["HS256"], issuer=either)


@pytest.mark.parametrize("case", sorted(AUDIENCE_TRICKS))
def test_audience_trick_rejected(verify_jwt: Verify, case: str) -> None:
    token = _token({"aud": AUDIENCE_TRICKS[case]})

    with pytest.raises(errors.InvalidAudienceError) as excinfo:
        verify_jwt(token, SECRET, ["HS256"], audience=AUDIENCE)

    assert excinfo.value.code == "invalid_audience"
    assert excinfo.value.claim == "aud"
    assert "compared exactly" in excinfo.value.message


@pytest.mark.parametrize("case", sorted(AUDIENCE_TRICKS))
def test_audience_trick_rejected_among_several(verify_jwt: Verify, case: str) -> None:
    with pytest.raises(errors.InvalidAudienceError):
        verify_jwt(
            _token({"aud": AUDIENCE_TRICKS[case]}), SECRET, ["HS256"], audience=[AUDIENCE, "web"]
        )


@pytest.mark.parametrize("aud", [[["api"]], [["api"], "web"], ["web", ["api"]]])
def test_nested_audience_list_rejected(verify_jwt: Verify, aud: Any) -> None:
    with pytest.raises(errors.InvalidClaimError) as excinfo:
        verify_jwt(_token({"aud": aud}), SECRET, ["HS256"], audience=["api", "web"])

    assert excinfo.value.claim == "aud"
    assert "array of strings" in excinfo.value.message


def test_audience_without_expectation_rejected(verify_jwt: Verify) -> None:
    # RFC 7519 §4.1.3: a recipient that cannot find itself in aud rejects the token.
    with pytest.raises(errors.InvalidAudienceError) as excinfo:
        verify_jwt(_token({"aud": AUDIENCE}), SECRET, ["HS256"])

    assert "no audience was expected" in excinfo.value.message


def test_expected_audience_requires_claim(verify_jwt: Verify) -> None:
    with pytest.raises(errors.MissingClaimError) as excinfo:
        verify_jwt(_token({}), SECRET, ["HS256"], audience=AUDIENCE)

    assert excinfo.value.claim == "aud"


@pytest.mark.parametrize("aud", ["api", ["api"], ["web", "api"], ["api", "api-admin"]])
def test_exact_audience_accepted(verify_jwt: Verify, aud: Any) -> None:
    # The positive control: one list member equal to the expected value suffices.
    assert verify_jwt(_token({"aud": aud}), SECRET, ["HS256"], audience=AUDIENCE)["aud"] == aud


@pytest.mark.parametrize("subject", ["alic", "alice ", "ALICE", "alice\x00", "alicex"])
def test_subject_matched_exactly(verify_jwt: Verify, subject: str) -> None:
    with pytest.raises(errors.InvalidClaimError) as excinfo:
        verify_jwt(_token({"sub": subject}), SECRET, ["HS256"], subject="alice")

    assert excinfo.value.claim == "sub"
    assert verify_jwt(_token({}), SECRET, ["HS256"], subject="alice")["sub"] == "alice"
