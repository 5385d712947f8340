"""``lint_token``: each check on tokens built for it, with a fixed clock."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from jwtkit import Key, KeySet
from jwtkit.errors import InvalidKeyError, MalformedTokenError, UsageError
from jwtkit.jws import sign_compact
from jwtkit.lint import KNOWN_SECRETS, Finding, Severity, format_duration, lint_token
from tests.cli.conftest import TUTORIAL_TOKEN

NOW = 1_700_000_000
STRONG_SECRET = b"a random 32-byte secret for lint"
GOOD_CLAIMS = {
    "iss": "https://issuer.example",
    "sub": "user-42",
    "aud": "api",
    "iat": NOW,
    "exp": NOW + 900,
}


def sign(
    claims: dict[str, Any],
    headers: dict[str, Any] | None = None,
    secret: bytes = STRONG_SECRET,
    algorithm: str = "HS256",
) -> str:
    payload = json.dumps(claims).encode("utf-8")
    return sign_compact(payload, Key.from_secret(secret), algorithm, headers, allow_weak_key=True)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}."


def lint(token: str | bytes, key: Any = None, **options: Any) -> list[Finding]:
    return lint_token(token, key, now=NOW, **options)


def codes(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]


def only(findings: list[Finding], code: str) -> Finding:
    matching = [finding for finding in findings if finding.code == code]
    assert len(matching) == 1, codes(findings)
    return matching[0]


# -- the whole report ---------------------------------------------------------------


def test_clean_token_has_no_findings() -> None:
    assert lint(sign(GOOD_CLAIMS)) == []


def test_tutorial_token_findings() -> None:
    findings = lint(TUTORIAL_TOKEN)

    assert codes(findings) == ["known-secret", "exp-not-numericdate", "aud-missing", "iss-missing"]
    assert [finding.severity for finding in findings] == [
        Severity.HIGH,
        Severity.HIGH,
        Severity.MEDIUM,
        Severity.LOW,
    ]


def test_tutorial_token_secret_named() -> None:
    finding = only(lint(TUTORIAL_TOKEN), "known-secret")

    assert finding.message.startswith("the token's HS256 MAC verifies with 'secret', ")
    assert finding.location == "signature"
    assert "at least 32 random bytes" in finding.fix


def test_tutorial_token_exp_string() -> None:
    finding = only(lint(TUTORIAL_TOKEN), "exp-not-numericdate")

    assert "claim 'exp' is the string '2019-02-14', not a NumericDate" in finding.message
    assert "1550102400 for '2019-02-14' read as UTC" in finding.fix
    assert finding.location == "claims.exp"


def test_findings_sorted_by_severity() -> None:
    token = sign({"email": "ann@example.com", "password": "hunter2"}, {"kid": "a/b"})

    ranks = [finding.severity.rank for finding in lint(token)]

    assert ranks == sorted(ranks, reverse=True)


def test_finding_to_dict() -> None:
    finding = only(lint(TUTORIAL_TOKEN), "iss-missing")

    assert finding.to_dict() == {
        "severity": "low",
        "code": "iss-missing",
        "message": finding.message,
        "fix": finding.fix,
        "location": "claims",
    }


# -- header -------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_alg_none(alg: str) -> None:
    finding = only(lint(unsigned({"alg": alg}, GOOD_CLAIMS)), "alg-none")

    assert finding.severity is Severity.HIGH
    assert f"the header's alg is {alg!r}: the token is unsigned" in finding.message


def test_alg_missing() -> None:
    finding = only(lint(unsigned({"typ": "JWT"}, GOOD_CLAIMS)), "alg-missing")

    assert finding.severity is Severity.MEDIUM


def test_jwk_header() -> None:
    public = Key.generate("EC").public_key().to_jwk()

    finding = only(lint(sign(GOOD_CLAIMS, {"jwk": public})), "jwk-header")

    assert finding.severity is Severity.HIGH
    assert finding.location == "header.jwk"


@pytest.mark.parametrize("name", ["jku", "x5u"])
def test_key_url_header(name: str) -> None:
    token = sign(GOOD_CLAIMS, {name: "https://keys.example/jwks.json"})

    finding = only(lint(token), f"{name}-header")

    assert finding.severity is Severity.MEDIUM
    assert f"the header has {name}, a URL to fetch the verification key from" in finding.message


@pytest.mark.parametrize(
    ("kid", "severity"),
    [
        ("../../../dev/null", Severity.HIGH),
        ("key' OR '1'='1", Severity.HIGH),
        ("key;rm -rf", Severity.HIGH),
        ("key\x00", Severity.HIGH),
        ("keys?id=1", Severity.MEDIUM),
        ("key#1", Severity.MEDIUM),
        ("key 1", Severity.MEDIUM),
        ("abc/def+ghi=", Severity.LOW),
    ],
)
def test_kid_unsafe(kid: str, severity: Severity) -> None:
    finding = only(lint(sign(GOOD_CLAIMS, {"kid": kid})), "kid-unsafe")

    assert finding.severity is severity
    assert finding.location == "header.kid"


@pytest.mark.parametrize(
    "kid", ["2024-05_a", "NjVBRjY5MDlCMUIwNzU4RTA2QzZFMDQ4QzQ2MDAyQjVDNjk1RTM2Qg"]
)
def test_kid_safe(kid: str) -> None:
    assert lint(sign(GOOD_CLAIMS, {"kid": kid})) == []


def test_kid_message_names_characters() -> None:
    finding = only(lint(sign(GOOD_CLAIMS, {"kid": "../keys?x"})), "kid-unsafe")

    assert "contains '..', '/' '?'" in finding.message


# -- published and short secrets ----------------------------------------------------


@pytest.mark.parametrize(
    ("secret", "algorithm"),
    [
        ("your-256-bit-secret", "HS256"),
        ("your-384-bit-secret", "HS384"),
        ("your-512-bit-secret", "HS512"),
        ("changeme", "HS256"),
        ("keyboard cat", "HS384"),
    ],
)
def test_known_secret_found(secret: str, algorithm: str) -> None:
    token = sign(GOOD_CLAIMS, secret=secret.encode(), algorithm=algorithm)

    finding = only(lint(token), "known-secret")

    assert f"the token's {algorithm} MAC verifies with {secret!r}" in finding.message


def test_known_secrets_list_has_examples() -> None:
    for secret in ("secret", "your-256-bit-secret", "changeme", "password", "secretkey"):
        assert secret in KNOWN_SECRETS


def test_known_secret_not_tried_on_signatures() -> None:
    key = Key.generate("EC")
    token = sign_compact(json.dumps(GOOD_CLAIMS).encode(), key, "ES256")

    assert lint(token) == []


def test_given_short_secret() -> None:
    secret = b"0123456789"
    token = sign(GOOD_CLAIMS, secret=secret)

    finding = only(lint(token, secret), "short-hmac-secret")

    assert finding.severity is Severity.HIGH
    assert finding.message.startswith(
        "the given HMAC secret is 10 bytes, but HS256 needs at least 32"
    )
    assert finding.location == "key"
    assert "0123456789" not in finding.message + finding.fix


def test_given_short_secret_for_hs512() -> None:
    secret = b"s" * 48
    token = sign(GOOD_CLAIMS, secret=secret, algorithm="HS512")

    finding = only(lint(token, Key.from_secret(secret)), "short-hmac-secret")

    assert "but HS512 needs at least 64" in finding.message


def test_given_known_secret_of_other_token() -> None:
    finding = only(lint(sign(GOOD_CLAIMS), "changeme"), "known-secret")

    assert finding.location == "key"
    assert "changeme" not in finding.message


def test_given_known_secret_reported_once() -> None:
    findings = lint(TUTORIAL_TOKEN, "secret")

    assert codes(findings).count("known-secret") == 1
    assert "short-hmac-secret" not in codes(findings)


def test_given_strong_secret() -> None:
    assert lint(sign(GOOD_CLAIMS), STRONG_SECRET) == []


# -- RSA keys and algorithm confusion ----------------------------------------------


@pytest.fixture(scope="module")
def rsa_1024() -> Key:
    return Key.from_cryptography(rsa.generate_private_key(public_exponent=65537, key_size=1024))


def test_small_rsa_key(rsa_1024: Key) -> None:
    token = sign_compact(json.dumps(GOOD_CLAIMS).encode(), rsa_1024, "RS256", allow_weak_key=True)

    finding = only(lint(token, rsa_1024.public_key()), "rsa-key-too-small")

    assert finding.severity is Severity.HIGH
    assert "the given RSA key is 1024 bits, under the 2048 bits" in finding.message


def test_small_rsa_key_from_pem(rsa_1024: Key) -> None:
    token = sign(GOOD_CLAIMS)
    pem = rsa_1024.public_key().to_pem().decode()

    assert codes(lint(token, pem)) == ["rsa-key-too-small"]


def test_rsa_2048_key_passes() -> None:
    key = Key.generate("RSA", size=2048)
    token = sign_compact(json.dumps(GOOD_CLAIMS).encode(), key, "RS256")

    assert lint(token, key.public_key()) == []


def test_algorithm_confusion() -> None:
    key = Key.generate("RSA", size=2048)
    public_pem = key.public_key().to_pem()
    # The forgery: an HS256 MAC whose secret is the public key's PEM text.
    header = b64url(b'{"alg":"HS256"}')
    signing_input = f"{header}.{b64url(json.dumps(GOOD_CLAIMS).encode())}"
    mac = hmac.digest(public_pem, signing_input.encode(), hashlib.sha256)
    token = f"{signing_input}.{b64url(mac)}"

    finding = only(lint(token, key.public_key()), "alg-confusion")

    assert finding.severity is Severity.HIGH
    assert "its MAC verifies with the given RSA public key's PEM text" in finding.message


# -- expiry and time claims -----------------------------------------------------------


def test_exp_missing() -> None:
    claims = {name: value for name, value in GOOD_CLAIMS.items() if name != "exp"}

    finding = only(lint(sign(claims)), "exp-missing")

    assert finding.severity is Severity.MEDIUM
    assert "at most 24 h" in finding.fix


def test_lifetime_too_long() -> None:
    token = sign({**GOOD_CLAIMS, "exp": NOW + 30 * 86400})

    finding = only(lint(token), "lifetime-too-long")

    assert finding.message.startswith("the token lives 30 days from iat to exp, longer than 24 h")


def test_lifetime_limit_option() -> None:
    token = sign({**GOOD_CLAIMS, "exp": NOW + 30 * 86400})

    assert lint(token, max_lifetime=timedelta(days=31)) == []
    assert codes(lint(token, max_lifetime=3600)) == ["lifetime-too-long"]


def test_lifetime_without_iat() -> None:
    claims = {**GOOD_CLAIMS, "exp": NOW + 3 * 86400}
    del claims["iat"]

    finding = only(lint(sign(claims)), "lifetime-too-long")

    assert finding.message.startswith("the token has no iat and expires in 3 days")


def test_expired_token_without_iat_has_no_lifetime_finding() -> None:
    claims = {**GOOD_CLAIMS, "exp": NOW - 86400 * 400}
    del claims["iat"]

    assert lint(sign(claims)) == []


def test_huge_exp_does_not_overflow() -> None:
    token = sign({**GOOD_CLAIMS, "exp": 10**300})

    finding = only(lint(token), "lifetime-too-long")

    assert "over 10000 years" in finding.message


def test_iat_in_future() -> None:
    token = sign({**GOOD_CLAIMS, "iat": NOW + 3600, "exp": NOW + 4000})

    finding = only(lint(token), "iat-in-future")

    assert "claim 'iat' is 2023-11-14T23:13:20Z, 60 min in the future" in finding.message


def test_iat_within_clock_skew() -> None:
    assert lint(sign({**GOOD_CLAIMS, "iat": NOW + 30})) == []


@pytest.mark.parametrize(
    ("claim", "severity"),
    [("exp", Severity.HIGH), ("nbf", Severity.MEDIUM), ("iat", Severity.LOW)],
)
def test_numericdate_as_string(claim: str, severity: Severity) -> None:
    token = sign({**GOOD_CLAIMS, claim: "1700000900"})

    finding = only(lint(token), f"{claim}-not-numericdate")

    assert finding.severity is severity
    assert f"claim {claim!r} is the string '1700000900', not a NumericDate" in finding.message


def test_boolean_exp_is_not_numericdate() -> None:
    finding = only(lint(sign({**GOOD_CLAIMS, "exp": True})), "exp-not-numericdate")

    assert "is the boolean True" in finding.message
    assert f"such as {NOW} for now" in finding.fix


def test_nbf_after_exp_never_valid() -> None:
    token = sign({**GOOD_CLAIMS, "nbf": NOW + 1000, "exp": NOW + 900})

    finding = only(lint(token), "never-valid")

    assert finding.location == "claims.nbf"
    assert "so no verifier can ever accept the token" in finding.message


# -- issuer and audience ------------------------------------------------------------


def test_iss_and_aud_missing() -> None:
    claims = {"sub": "user-42", "iat": NOW, "exp": NOW + 900}

    findings = lint(sign(claims))

    assert codes(findings) == ["aud-missing", "iss-missing"]
    assert "RFC 8725 §3.9" in findings[0].message


@pytest.mark.parametrize(
    ("claim", "value"),
    [("iss", 42), ("sub", ["a"]), ("jti", None), ("aud", []), ("aud", ["api", 1]), ("aud", {})],
)
def test_claim_wrong_type(claim: str, value: Any) -> None:
    finding = only(lint(sign({**GOOD_CLAIMS, claim: value})), "claim-wrong-type")

    assert finding.location == f"claims.{claim}"


def test_aud_list_is_fine() -> None:
    assert lint(sign({**GOOD_CLAIMS, "aud": ["api", "admin"]})) == []


# -- personal and secret data ---------------------------------------------------------


def test_email_in_claims() -> None:
    finding = only(lint(sign({**GOOD_CLAIMS, "email": "ann@example.com"})), "email-in-claims")

    assert finding.severity is Severity.LOW
    assert finding.message.startswith("claim claims.email contains an email address, which anyone")
    assert "encoded, not encrypted" in finding.message


def test_email_paths_listed() -> None:
    claims = {**GOOD_CLAIMS, "sub": "ann@example.com", "contact": {"emails": ["b@example.org"]}}

    finding = only(lint(sign(claims)), "email-in-claims")

    assert finding.message.startswith(
        "claims claims.sub, claims.contact.emails[0] contain an email address"
    )
    assert finding.location == "claims.sub"


def test_many_paths_shortened() -> None:
    claims = {**GOOD_CLAIMS, "emails": [f"user{i}@example.com" for i in range(8)]}

    finding = only(lint(sign(claims)), "email-in-claims")

    assert "claims.emails[4] and 3 more contain" in finding.message


@pytest.mark.parametrize(
    ("name", "value"),
    [("phone_number", "+44 20 7946 0958"), ("mobile", 15551234567), ("contact", "+1-555-123-4567")],
)
def test_phone_in_claims(name: str, value: Any) -> None:
    finding = only(lint(sign({**GOOD_CLAIMS, name: value})), "phone-in-claims")

    assert finding.location == f"claims.{name}"


def test_digits_without_phone_name_are_no_phone() -> None:
    assert lint(sign({**GOOD_CLAIMS, "order": "5551234567"})) == []


@pytest.mark.parametrize("value", ["4111 1111 1111 1111", "5500-0000-0000-0004", 4012888888881881])
def test_card_number_in_claims(value: Any) -> None:
    finding = only(lint(sign({**GOOD_CLAIMS, "payment": value})), "card-number-in-claims")

    assert finding.severity is Severity.HIGH
    assert "a payment card number (it passes the Luhn check)" in finding.message


@pytest.mark.parametrize("value", ["4111111111111112", "9999999999999995", "12345"])
def test_not_card_numbers(value: str) -> None:
    assert lint(sign({**GOOD_CLAIMS, "ref": value})) == []


@pytest.mark.parametrize(
    "name", ["password", "db_password", "clientSecret", "api_key", "refresh_token", "pwd", "pin"]
)
def test_secret_named_claim(name: str) -> None:
    finding = only(lint(sign({**GOOD_CLAIMS, name: "x1"})), "secret-in-claims")

    assert finding.severity is Severity.HIGH
    assert finding.location == f"claims.{name}"


def test_nested_secret_claim() -> None:
    claims = {**GOOD_CLAIMS, "user": {"name": "ann", "credentials": {"password": "hunter2"}}}

    finding = only(lint(sign(claims)), "secret-in-claims")

    assert finding.location == "claims.user.credentials.password"
    assert "hunter2" not in finding.message


@pytest.mark.parametrize("value", [True, False, None, ""])
def test_secret_named_flag_is_fine(value: Any) -> None:
    assert lint(sign({**GOOD_CLAIMS, "has_password": value})) == []


# -- keys and errors ------------------------------------------------------------------


def test_key_set_checked() -> None:
    keys = KeySet([Key.from_secret(b"short", kid="a"), Key.from_secret(STRONG_SECRET, kid="b")])

    assert codes(lint(sign(GOOD_CLAIMS), keys)) == ["short-hmac-secret"]


def test_jwk_dict_and_jwks_dict() -> None:
    jwk = Key.from_secret(b"short").to_jwk(private=True)

    assert codes(lint(sign(GOOD_CLAIMS), jwk)) == ["short-hmac-secret"]
    assert codes(lint(sign(GOOD_CLAIMS), {"keys": [jwk]})) == ["short-hmac-secret"]


def test_bad_key_type() -> None:
    with pytest.raises(InvalidKeyError) as caught:
        lint(sign(GOOD_CLAIMS), 42)

    assert caught.value.code == "invalid_key"
    assert "a lint key must be a Key, KeySet, JWK dict, PEM text or secret, got int" in str(
        caught.value
    )


@pytest.mark.parametrize("token", ["not a token", "a.b", "e30.e30.e30.e30.e30", "e30.W10.sig"])
def test_malformed_token(token: str) -> None:
    with pytest.raises(MalformedTokenError):
        lint(token)


def test_bytes_token() -> None:
    assert codes(lint(TUTORIAL_TOKEN.encode("ascii")))[0] == "known-secret"


def test_negative_max_lifetime() -> None:
    with pytest.raises(UsageError, match="max_lifetime must not be negative"):
        lint(TUTORIAL_TOKEN, max_lifetime=-1)


def test_severity_parse() -> None:
    assert Severity.parse("HIGH") is Severity.HIGH
    with pytest.raises(UsageError, match="severity 'urgent' is not one of: low, medium, high"):
        Severity.parse("urgent")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (45, "45 s"),
        (14 * 60 + 20, "14 min"),
        (14 * 60 + 40, "15 min"),
        (5 * 3600, "5 h"),
        (35 * 3600, "35 h"),
        (3 * 86400, "3 days"),
        (86400 * 800, "2 years"),
        (-3 * 86400, "3 days"),
    ],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
