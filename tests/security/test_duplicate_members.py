"""A JSON object with the same member name twice is rejected, wherever it appears.

RFC 7515 §5.2 and RFC 7519 §7.2 require a recipient to reject duplicate
header parameter and claim names, or to keep the last one. Keeping either
one is exploitable, because a library, a proxy and a logger in front of the
service may each keep a different one: ``{"alg":"none","alg":"HS256"}`` is
'none' to one reader and HS256 to another. jwtkit rejects every duplicate,
and the MAC of each token here is valid, so only the duplicate check can fail it.
"""

from __future__ import annotations

import json

import pytest

import jwtkit
from jwtkit import errors
from tests.security.conftest import NOW, Verify
from tests.security.forge import b64, hmac_token

SECRET = b"a shared secret of at least 32 bytes for HS256"
CLAIMS = b'{"sub":"alice"}'

DUPLICATE_HEADERS = {
    "alg none then HS256": b'{"alg":"none","alg":"HS256"}',
    "alg HS256 then none": b'{"alg":"HS256","alg":"none"}',
    "alg HS256 twice": b'{"alg":"HS256","alg":"HS256"}',
    "alg RS256 then HS256": b'{"alg":"RS256","alg":"HS256"}',
    "alg apart": b'{"alg":"none","typ":"JWT","alg":"HS256"}',
    "alg escaped": b'{"alg":"none","\\u0061lg":"HS256"}',
    "alg escaped first": b'{"\\u0061\\u006c\\u0067":"none","alg":"HS256"}',
    "kid": b'{"alg":"HS256","kid":"a","kid":"b"}',
    "typ": b'{"alg":"HS256","typ":"JWT","typ":"at+jwt"}',
    "crit": b'{"alg":"HS256","crit":["x"],"crit":["b64"],"b64":true}',
    "b64": b'{"alg":"HS256","crit":["b64"],"b64":false,"b64":true}',
    "inside a member": b'{"alg":"HS256","jwk":{"kty":"oct","kty":"RSA"}}',
}

DUPLICATE_CLAIMS = {
    "exp expired then future": b'{"exp":1,"exp":9999999999}',
    "exp future then expired": b'{"exp":9999999999,"exp":1}',
    "nbf": b'{"nbf":9999999999,"nbf":1}',
    "iat": b'{"iat":9999999999,"iat":1}',
    "sub": b'{"sub":"alice","sub":"admin"}',
    "iss": b'{"iss":"https://issuer.example","iss":"https://evil.example"}',
    "aud": b'{"aud":"api","aud":"admin"}',
    "jti": b'{"jti":"1","jti":"2"}',
    "private claim": b'{"role":"user","role":"admin"}',
    "escaped name": b'{"role":"user","r\\u006fle":"admin"}',
    "nested object": b'{"ctx":{"role":"user","role":"admin"}}',
    "object in array": b'{"grants":[{"scope":"read","scope":"write"}]}',
    "same value twice": b'{"sub":"alice","sub":"alice"}',
}


def _assert_duplicate(excinfo: pytest.ExceptionInfo[errors.MalformedTokenError]) -> None:
    assert excinfo.value.code == "malformed_token"
    assert "duplicate member name" in excinfo.value.message


@pytest.mark.parametrize("case", sorted(DUPLICATE_HEADERS))
def test_duplicate_header_parameter_rejected(verify: Verify, case: str) -> None:
    token = hmac_token(SECRET, DUPLICATE_HEADERS[case], CLAIMS)

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify(token, SECRET, ["HS256"])

    _assert_duplicate(excinfo)
    assert "header" in excinfo.value.message


@pytest.mark.parametrize("case", sorted(DUPLICATE_HEADERS))
def test_duplicate_header_parameter_unverified(case: str) -> None:
    token = hmac_token(SECRET, DUPLICATE_HEADERS[case], CLAIMS)

    for read in (jwtkit.decode_unverified, jwtkit.jws.parse_compact):
        with pytest.raises(errors.MalformedTokenError) as excinfo:
            read(token)
        _assert_duplicate(excinfo)


@pytest.mark.parametrize("case", sorted(DUPLICATE_CLAIMS))
def test_duplicate_claim_rejected(verify_jwt: Verify, case: str) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, DUPLICATE_CLAIMS[case])

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify_jwt(token, SECRET, ["HS256"], audience="api")

    _assert_duplicate(excinfo)
    assert "claims" in excinfo.value.message


@pytest.mark.parametrize("case", sorted(DUPLICATE_CLAIMS))
def test_duplicate_claim_unverified(case: str) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, DUPLICATE_CLAIMS[case])

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        jwtkit.decode_unverified(token)

    _assert_duplicate(excinfo)


def test_distinct_names_accepted(verify_jwt: Verify) -> None:
    # The positive control: names that differ only in case are distinct members.
    header = b'{"alg":"HS256","Alg":"none","ALG":"none"}'
    claims = b'{"sub":"alice","Sub":"admin","SUB":"root","exp":9999999999,"EXP":1}'
    token = hmac_token(SECRET, header, claims)

    assert verify_jwt(token, SECRET, ["HS256"])["sub"] == "alice"


def test_duplicate_jws_json_member_rejected() -> None:
    header_part = b64(b'{"alg":"HS256"}')
    token = hmac_token(SECRET, b'{"alg":"HS256"}', CLAIMS)
    signature_part = token.split(".")[2]
    evil_payload = b64(b'{"sub":"admin"}')
    document = (
        f'{{"payload":"{b64(CLAIMS)}","protected":"{header_part}",'
        f'"signature":"{signature_part}","payload":"{evil_payload}"}}'
    )
    # The positive control: without the second payload the document verifies.
    genuine = document.rsplit(',"payload"', 1)[0] + "}"
    assert jwtkit.jws.verify_json(genuine, SECRET, algorithms=["HS256"]).payload == CLAIMS

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        jwtkit.jws.verify_json(document, SECRET, algorithms=["HS256"])

    _assert_duplicate(excinfo)


@pytest.mark.parametrize(
    "jwk_text",
    [
        '{"kty":"oct","k":"c2VjcmV0IG9uZQ","k":"c2VjcmV0IHR3bw"}',
        '{"kty":"RSA","kty":"oct","k":"c2VjcmV0IG9uZQ"}',
        '{"kty":"oct","k":"c2VjcmV0IG9uZQ","alg":"HS256","alg":"HS512"}',
        '{"kty":"oct","k":"c2VjcmV0IG9uZQ","use":"enc","use":"sig"}',
    ],
)
def test_duplicate_jwk_member_rejected(jwk_text: str) -> None:
    with pytest.raises(errors.InvalidKeyError) as excinfo:
        jwtkit.Key.from_jwk(jwk_text)

    assert excinfo.value.code == "invalid_key"
    assert "duplicate member name" in excinfo.value.message


def test_duplicate_jwks_member_rejected() -> None:
    first = json.dumps({"kty": "oct", "k": b64(b"first secret of 32 bytes or more!")})
    second = json.dumps({"kty": "oct", "k": b64(b"second secret of 32 bytes or more")})
    jwks_text = f'{{"keys":[{first}],"keys":[{second}]}}'

    with pytest.raises(errors.InvalidKeyError) as excinfo:
        jwtkit.KeySet.from_jwks(jwks_text)

    assert "duplicate member name 'keys'" in excinfo.value.message


def test_duplicate_claim_never_reaches_claim_checks(verify_jwt: Verify) -> None:
    # Whichever 'exp' a lenient parser kept, one of them is expired; jwtkit
    # stops at the parser, so the error is the duplicate, not the expiry.
    token = hmac_token(SECRET, {"alg": "HS256"}, f'{{"exp":{NOW + 60},"exp":{NOW - 60}}}'.encode())

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify_jwt(token, SECRET, ["HS256"])

    assert not isinstance(excinfo.value, errors.InvalidClaimError)
    _assert_duplicate(excinfo)
