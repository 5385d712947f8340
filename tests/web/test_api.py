"""The debugger's JSON API over real HTTP: decode, verify, sign, keygen and lint."""

from __future__ import annotations

import base64
import json
import time

import pytest

import jwtkit
from jwtkit import Key, KeySet
from jwtkit.jws import verify_compact
from jwtkit.jws.verify import SIGNATURE_FAILED
from tests.cli.conftest import TUTORIAL_TOKEN
from tests.web.conftest import ApiClient, Vector


def flip_signature_character(token: str) -> str:
    head, _, signature = token.rpartition(".")
    replacement = "A" if signature[0] != "A" else "B"
    return f"{head}.{replacement}{signature[1:]}"


# -- decode ---------------------------------------------------------------------------


def test_decode_rfc7515_token(api: ApiClient, rfc7515_a1: Vector) -> None:
    result = api.call("decode", {"token": rfc7515_a1.token})

    assert result["error"] is None
    assert result["parts"] == rfc7515_a1.token.split(".")
    assert json.loads(result["header"]["json"]) == {"typ": "JWT", "alg": "HS256"}
    assert json.loads(result["claims"]["json"]) == {
        "iss": "joe",
        "exp": 1300819380,
        "http://example.com/is_root": True,
    }
    assert result["signature"] == {"bytes": 32}
    assert result["alg"] == "HS256"


def test_decode_dates(api: ApiClient, rfc7515_a1: Vector) -> None:
    result = api.call("decode", {"token": rfc7515_a1.token})

    [exp] = result["dates"]
    assert exp["claim"] == "exp"
    assert exp["value"] == "1300819380"
    assert exp["utc"] == "2011-03-22T18:43:00Z"
    assert exp["epoch_ms"] == 1300819380000
    assert exp["past"] is True
    assert exp["relative"].startswith("expired ")
    assert exp["relative"].endswith(" years ago")


def test_decode_future_dates(api: ApiClient) -> None:
    now = int(time.time())
    key = Key.generate("oct")
    claims = {"iat": now - 7200, "nbf": now + 7200, "exp": now + 3 * 86400 + 60}
    token = jwtkit.encode(claims, key, "HS256")

    result = api.call("decode", {"token": token})

    relative = {date["claim"]: date["relative"] for date in result["dates"]}
    assert relative == {
        "exp": "expires in 3 days",
        "nbf": "becomes valid in 2 h",
        "iat": "issued 2 h ago",
    }


def test_decode_date_not_numericdate(api: ApiClient) -> None:
    result = api.call("decode", {"token": TUTORIAL_TOKEN})

    assert result["dates"] == [
        {
            "claim": "exp",
            "value": '"2019-02-14"',
            "numericdate": False,
            "utc": None,
            "epoch_ms": None,
            "relative": "not a NumericDate",
            "past": False,
        }
    ]


def test_decode_date_out_of_browser_range(api: ApiClient) -> None:
    token = jwtkit.encode({"exp": 10**15}, Key.generate("oct"), "HS256")

    [exp] = api.call("decode", {"token": token})["dates"]

    assert exp["epoch_ms"] is None
    assert exp["relative"] == "expires in over 10000 years"
    assert exp["utc"].endswith("(out of the datetime range)")


def test_decode_bad_payload_keeps_header(api: ApiClient) -> None:
    token = "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln"

    result = api.call("decode", {"token": token})

    assert json.loads(result["header"]["json"]) == {"alg": "HS256"}
    assert result["claims"]["error"]["code"] == "malformed_token"
    assert "the token's payload is not valid JSON" in result["claims"]["error"]["message"]
    assert result["error"]["code"] == "malformed_token"
    assert result["signature"] == {"bytes": 3}


def test_decode_five_parts_is_jwe(api: ApiClient) -> None:
    result = api.call("decode", {"token": "a.b.c.d.e"})

    assert len(result["parts"]) == 5
    assert result["error"]["code"] == "malformed_token"
    assert "it is a JWE (encrypted), not a JWS" in result["error"]["message"]


def test_decode_strips_whitespace(api: ApiClient, rfc7515_a1: Vector) -> None:
    result = api.call("decode", {"token": f"  {rfc7515_a1.token}\n"})

    assert result["error"] is None


def test_decode_empty_token(api: ApiClient) -> None:
    error = api.call_error("decode", {"token": "  "})

    assert error == {"code": "invalid_request", "message": "the token is empty; paste a JWT"}


def test_decode_token_not_string(api: ApiClient) -> None:
    error = api.call_error("decode", {"token": 42})

    assert error == {
        "code": "invalid_request",
        "message": "the request needs 'token' as a string",
    }


def test_decode_token_too_large(api: ApiClient) -> None:
    error = api.call_error("decode", {"token": "a" * 70_000})

    assert error["code"] == "token_too_large"


# -- verify ---------------------------------------------------------------------------


def test_verify_rfc7515_token(api: ApiClient, rfc7515_a1: Vector) -> None:
    result = api.call(
        "verify", {"token": rfc7515_a1.token, "key": {"format": "jwk", "text": rfc7515_a1.jwk}}
    )

    assert result["signature"] == {
        "valid": True,
        "alg": "HS256",
        "key": "oct secret key, 512 bits",
    }
    # The signature holds, but exp 1300819380 is in 2011.
    assert result["claims"]["checked"] is True
    assert result["claims"]["valid"] is False
    assert result["claims"]["error"]["code"] == "token_expired"
    assert "the token expired at 2011-03-22T18:43:00Z" in result["claims"]["error"]["message"]


def test_verify_detects_format(api: ApiClient, rfc7515_a1: Vector) -> None:
    result = api.call("verify", {"token": rfc7515_a1.token, "key": {"text": rfc7515_a1.jwk}})

    assert result["signature"]["valid"] is True


def test_verify_flipped_signature(api: ApiClient, rfc7515_a1: Vector) -> None:
    token = flip_signature_character(rfc7515_a1.token)

    result = api.call("verify", {"token": token, "key": {"format": "jwk", "text": rfc7515_a1.jwk}})

    assert result["signature"]["valid"] is False
    assert result["signature"]["error"] == {
        "code": "invalid_signature",
        "message": SIGNATURE_FAILED,
    }
    assert result["claims"] == {"checked": False}


def test_verify_weak_secret(api: ApiClient) -> None:
    request = {"token": TUTORIAL_TOKEN, "key": {"format": "secret", "text": "secret"}}

    result = api.call("verify", request)

    assert result["signature"]["valid"] is False
    assert result["signature"]["error"]["code"] == "weak_key"
    assert "the HMAC secret is 6 bytes" in result["signature"]["error"]["message"]


def test_verify_weak_secret_allowed(api: ApiClient) -> None:
    request = {
        "token": TUTORIAL_TOKEN,
        "key": {"format": "secret", "text": "secret"},
        "allow_weak_key": True,
    }

    result = api.call("verify", request)

    assert result["signature"]["valid"] is True
    assert result["claims"]["error"]["code"] == "invalid_claim"
    assert "claim 'exp' must be a NumericDate" in result["claims"]["error"]["message"]


def test_verify_base64_secret(api: ApiClient) -> None:
    secret = bytes(range(256))[:48]
    token = jwtkit.encode({"sub": "a"}, Key.from_secret(secret), "HS384")
    standard = base64.b64encode(secret).decode()

    result = api.call(
        "verify", {"token": token, "key": {"format": "secret_base64", "text": standard}}
    )

    assert result["signature"]["valid"] is True
    assert result["claims"] == {"checked": True, "valid": True, "validated": ["sub"]}


def test_verify_bad_base64_secret(api: ApiClient) -> None:
    error = api.call_error(
        "verify", {"token": TUTORIAL_TOKEN, "key": {"format": "secret_base64", "text": "a"}}
    )

    assert error["code"] == "invalid_key"
    assert error["message"].startswith("the base64 secret is not base64url")


def test_verify_pem_key(api: ApiClient) -> None:
    key = Key.generate("EC", curve="P-384")
    token = jwtkit.encode({"sub": "a"}, key, "ES384")
    pem = key.public_key().to_pem().decode()

    result = api.call("verify", {"token": token, "key": {"format": "pem", "text": pem}})

    assert result["signature"] == {"valid": True, "alg": "ES384", "key": "EC public key, 384 bits"}


def test_verify_jwks_selects_by_kid(api: ApiClient) -> None:
    first = Key.generate("EC", kid="first")
    second = Key.generate("EC", kid="second")
    jwks = KeySet([first.public_key(), second.public_key()]).to_jwks()
    token = jwtkit.encode({"sub": "a"}, second, "ES256")

    result = api.call(
        "verify", {"token": token, "key": {"format": "jwks", "text": json.dumps(jwks)}}
    )

    assert result["signature"]["valid"] is True
    assert result["signature"]["key"] == "EC public key, 256 bits, kid 'second'"


def test_verify_algorithms_come_from_key(api: ApiClient) -> None:
    rsa_pem = Key.generate("RSA").public_key().to_pem().decode()

    result = api.call("verify", {"token": TUTORIAL_TOKEN, "key": {"text": rsa_pem}})

    error = result["signature"]["error"]
    assert error["code"] == "algorithm_not_allowed"
    assert "the token's alg 'HS256' is not in the allowed algorithms ['RS256'" in error["message"]
    assert result["signature"]["algorithms"] == [
        "RS256",
        "RS384",
        "RS512",
        "PS256",
        "PS384",
        "PS512",
    ]


def test_verify_chosen_algorithm(api: ApiClient, rfc7515_a1: Vector) -> None:
    request = {
        "token": rfc7515_a1.token,
        "key": {"format": "jwk", "text": rfc7515_a1.jwk},
        "algorithm": "HS512",
    }

    result = api.call("verify", request)

    assert result["signature"]["error"]["code"] == "algorithm_not_allowed"
    assert result["signature"]["algorithms"] == ["HS512"]


def test_verify_alg_none_rejected(api: ApiClient) -> None:
    token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0."

    result = api.call("verify", {"token": token, "key": {"text": "x" * 32}})

    assert result["signature"]["error"]["code"] == "algorithm_not_allowed"
    assert "unsigned tokens are never accepted" in result["signature"]["error"]["message"]


def test_verify_expected_issuer_and_audience(api: ApiClient) -> None:
    key = Key.generate("oct")
    token = jwtkit.encode({"iss": "https://issuer.example", "aud": "api"}, key, "HS256")
    jwk = json.dumps(key.to_jwk(private=True))
    request = {"token": token, "key": {"format": "jwk", "text": jwk}}

    unexpected = api.call("verify", request)
    expected = api.call(
        "verify", {**request, "issuer": "https://issuer.example", "audience": "api"}
    )
    wrong = api.call("verify", {**request, "issuer": "https://other.example", "audience": "api"})

    assert unexpected["claims"]["error"]["code"] == "invalid_audience"
    assert expected["claims"] == {
        "checked": True,
        "valid": True,
        "validated": ["iss", "aud"],
    }
    assert wrong["claims"]["error"]["code"] == "invalid_issuer"


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (None, 'the key must be an object such as {"format": "jwk", "text": "..."}'),
        ({"format": "jwk", "text": " "}, "the key is empty; paste a secret"),
        ({"format": "raw", "text": "x"}, "key format 'raw' is not one of: auto, secret"),
        ({"format": "jwk", "text": "{"}, "JWK is not valid JSON"),
        ({"format": "pem", "text": "-----BEGIN PUBLIC KEY-----\nAAAA\n"}, ""),
    ],
)
def test_verify_bad_key(api: ApiClient, key: object, message: str) -> None:
    error = api.call_error("verify", {"token": TUTORIAL_TOKEN, "key": key})

    assert error["code"] == "invalid_key"
    assert message in error["message"]


def test_verify_key_error_has_no_key_material(api: ApiClient) -> None:
    secret_jwk = '{"kty": "oct", "k": "c2VjcmV0LW1hdGVyaWFs", "use": "enc"}'

    error = api.call_error("verify", {"token": TUTORIAL_TOKEN, "key": {"text": secret_jwk}})
    body = json.dumps(error)

    assert "c2VjcmV0LW1hdGVyaWFs" not in body
    assert "secret-material" not in body
    assert error["message"].startswith("the key fits no JWS algorithm")


# -- sign -----------------------------------------------------------------------------


def test_sign_edited_claims(api: ApiClient, rfc7515_a1: Vector) -> None:
    exp = int(time.time()) + 3600
    claims = json.dumps({"iss": "alice", "exp": exp})
    request = {
        "header": '{"typ": "JWT", "alg": "HS256"}',
        "claims": claims,
        "algorithm": "HS256",
        "key": {"format": "jwk", "text": rfc7515_a1.jwk},
    }

    token = api.call("sign", request)["token"]

    key = Key.from_jwk(rfc7515_a1.jwk)
    assert jwtkit.decode(token, key, algorithms=["HS256"], issuer="alice") == {
        "iss": "alice",
        "exp": exp,
    }
    assert jwtkit.decode_unverified(token).header == {"alg": "HS256", "typ": "JWT"}


def test_sign_algorithm_replaces_header_alg(api: ApiClient) -> None:
    key = Key.generate("oct", size=512)
    request = {
        "header": '{"alg": "HS256", "kid": "k1"}',
        "claims": '{"sub": "a"}',
        "algorithm": "HS512",
        "key": {"format": "jwk", "text": json.dumps(key.to_jwk(private=True))},
    }

    token = api.call("sign", request)["token"]

    assert verify_compact(token, key, algorithms=["HS512"]).protected == {
        "alg": "HS512",
        "kid": "k1",
    }


def test_sign_keeps_nonstandard_claims(api: ApiClient) -> None:
    # The page is a debugger: it signs what the user wrote, and lint reports it.
    request = {
        "header": "{}",
        "claims": '{"exp": "2019-02-14"}',
        "algorithm": "HS256",
        "key": {"format": "secret", "text": "secret"},
        "allow_weak_key": True,
    }

    token = api.call("sign", request)["token"]

    assert jwtkit.decode_unverified(token).claims == {"exp": "2019-02-14"}


def test_sign_weak_key_refused(api: ApiClient) -> None:
    request = {
        "header": "{}",
        "claims": "{}",
        "algorithm": "HS256",
        "key": {"format": "secret", "text": "secret"},
    }

    error = api.call_error("sign", request)

    assert error["code"] == "weak_key"


@pytest.mark.parametrize(
    ("field", "value", "code", "message"),
    [
        ("claims", "{", "malformed_token", "the claims JSON is not valid JSON"),
        ("claims", "[]", "malformed_token", "the claims JSON must be a JSON object"),
        ("header", '{"a": 1, "a": 2}', "malformed_token", "duplicate member name 'a'"),
        ("algorithm", "none", "unsupported_algorithm", "'none' produces unsigned tokens"),
        ("algorithm", 5, "invalid_request", "the request needs 'algorithm' as a string"),
    ],
)
def test_sign_bad_input(api: ApiClient, field: str, value: object, code: str, message: str) -> None:
    request = {
        "header": "{}",
        "claims": "{}",
        "algorithm": "HS256",
        "key": {"format": "secret", "text": "s" * 32},
        field: value,
    }

    error = api.call_error("sign", request)

    assert error["code"] == code
    assert message in error["message"]


def test_sign_with_key_set_refused(api: ApiClient) -> None:
    jwks = KeySet([Key.generate("EC")]).to_jwks(private=True)
    request = {
        "header": "{}",
        "claims": "{}",
        "algorithm": "ES256",
        "key": {"format": "jwks", "text": json.dumps(jwks)},
    }

    error = api.call_error("sign", request)

    assert error["code"] == "invalid_key"
    assert error["message"].startswith("a JWK Set cannot sign")


def test_sign_with_public_key_refused(api: ApiClient) -> None:
    pem = Key.generate("EC").public_key().to_pem().decode()
    request = {"header": "{}", "claims": "{}", "algorithm": "ES256", "key": {"text": pem}}

    error = api.call_error("sign", request)

    assert error["code"] == "invalid_key"
    assert "cannot sign with a public EC key" in error["message"]


# -- keygen ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("algorithm", "kty", "size"),
    [("HS256", "oct", 256), ("HS512", "oct", 512), ("ES384", "EC", 384), ("EdDSA", "OKP", 256)],
)
def test_keygen_then_sign_and_verify(api: ApiClient, algorithm: str, kty: str, size: int) -> None:
    generated = api.call("keygen", {"algorithm": algorithm})
    private = Key.from_jwk(generated["private_jwk"])
    sign_request = {
        "header": '{"typ": "JWT"}',
        "claims": '{"sub": "a"}',
        "algorithm": algorithm,
        "key": {"format": "jwk", "text": generated["private_jwk"]},
    }

    token = api.call("sign", sign_request)["token"]

    assert generated["algorithm"] == algorithm
    assert private.kty == kty
    assert private.size == size
    assert private.alg == algorithm
    assert generated["kid"] == private.thumbprint()
    verifier = private if kty == "oct" else Key.from_jwk(generated["public_jwk"])
    assert jwtkit.decode(token, verifier, algorithms=[algorithm]) == {"sub": "a"}
    assert jwtkit.decode_unverified(token).header["kid"] == generated["kid"]


def test_keygen_public_parts(api: ApiClient) -> None:
    generated = api.call("keygen", {"algorithm": "ES256"})

    public_jwk = json.loads(generated["public_jwk"])
    assert "d" not in public_jwk
    assert public_jwk["crv"] == "P-256"
    assert generated["public_pem"].startswith("-----BEGIN PUBLIC KEY-----")
    assert "d" in json.loads(generated["private_jwk"])


def test_keygen_secret_has_no_public_part(api: ApiClient) -> None:
    generated = api.call("keygen", {"algorithm": "HS384"})

    assert generated["public_jwk"] is None
    assert generated["public_pem"] is None


def test_keygen_rsa(api: ApiClient) -> None:
    generated = api.call("keygen", {"algorithm": "PS256", "size": 3072})

    assert Key.from_jwk(generated["private_jwk"]).size == 3072


@pytest.mark.parametrize(
    ("request_body", "code"),
    [
        ({"algorithm": "none"}, "unsupported_algorithm"),
        ({"algorithm": "RS256", "size": 1024}, "invalid_request"),
        ({}, "invalid_request"),
    ],
)
def test_keygen_bad_request(api: ApiClient, request_body: dict[str, object], code: str) -> None:
    assert api.call_error("keygen", request_body)["code"] == code


# -- lint -----------------------------------------------------------------------------


def test_lint_tutorial_token(api: ApiClient) -> None:
    result = api.call("lint", {"token": TUTORIAL_TOKEN})

    codes = [finding["code"] for finding in result["findings"]]
    assert codes == ["known-secret", "exp-not-numericdate", "aud-missing", "iss-missing"]
    assert result["findings"][0]["severity"] == "high"
    assert set(result["findings"][0]) == {"severity", "code", "message", "fix", "location"}


def test_lint_with_key(api: ApiClient) -> None:
    token = jwtkit.encode(
        {"iss": "i", "aud": "a", "exp": int(time.time()) + 60},
        Key.from_secret(b"short"),
        "HS256",
        allow_weak_key=True,
    )

    result = api.call("lint", {"token": token, "key": {"format": "secret", "text": "short"}})

    assert [finding["code"] for finding in result["findings"]] == ["short-hmac-secret"]


def test_lint_max_lifetime(api: ApiClient) -> None:
    now = int(time.time())
    token = jwtkit.encode(
        {"iss": "i", "aud": "a", "iat": now, "exp": now + 7200}, Key.generate("oct"), "HS256"
    )

    default = api.call("lint", {"token": token})
    strict = api.call("lint", {"token": token, "max_lifetime": 3600})

    assert default["findings"] == []
    assert [finding["code"] for finding in strict["findings"]] == ["lifetime-too-long"]


def test_lint_bad_max_lifetime(api: ApiClient) -> None:
    error = api.call_error("lint", {"token": TUTORIAL_TOKEN, "max_lifetime": "1d"})

    assert error == {
        "code": "invalid_request",
        "message": "max_lifetime must be a number of seconds",
    }


def test_lint_malformed_token(api: ApiClient) -> None:
    error = api.call_error("lint", {"token": "abc"})

    assert error["code"] == "malformed_token"


def test_unknown_endpoint(api: ApiClient) -> None:
    response = api.post("nothing", {})

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "no API endpoint /api/nothing"}
    }


def test_lint_huge_max_lifetime(api: ApiClient) -> None:
    response = api.http.post(
        "/api/lint",
        content=b'{"token": "%s", "max_lifetime": %s}' % (TUTORIAL_TOKEN.encode(), b"9" * 400),
        headers=api.headers(),
    )

    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "usage_error"
    assert "too large" in response.json()["error"]["message"]
