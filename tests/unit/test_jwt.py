"""JWT: encode, decode, Verifier and decode_unverified, with every claim option."""

from __future__ import annotations

import copy
import hmac
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import jwtkit
from jwtkit import Key, Verifier
from jwtkit._encoding import b64url_decode, b64url_encode
from jwtkit.errors import (
    ExpiredTokenError,
    ImmatureTokenError,
    InvalidAudienceError,
    InvalidClaimError,
    InvalidHeaderError,
    InvalidIssuerError,
    InvalidSignatureError,
    JWTError,
    MalformedTokenError,
    MissingClaimError,
    UsageError,
    WeakKeyError,
)

SECRET = b"0123456789abcdef0123456789abcdef"
NOW = 1_700_000_000
NOW_TEXT = "2023-11-14T22:13:20Z"


def token_for(claims: dict[str, Any], headers: dict[str, Any] | None = None) -> str:
    return jwtkit.encode(claims, SECRET, "HS256", headers)


def decode(token: str, **options: Any) -> dict[str, Any]:
    options.setdefault("now", NOW)
    return jwtkit.decode(token, SECRET, algorithms=["HS256"], **options)


def header_of(token: str) -> dict[str, Any]:
    return jwtkit.decode_unverified(token).header


# -- encode ---------------------------------------------------------------------------


def test_encode_decode_round_trip(algorithm_and_key: tuple[str, Key]) -> None:
    algorithm, key = algorithm_and_key
    claims = {"sub": "alice", "n": 1, "nested": {"list": [1, "two", None]}}
    public = key if key.kty == "oct" else key.public_key()

    token = jwtkit.encode(claims, key, algorithm)

    assert jwtkit.decode(token, public, algorithms=[algorithm]) == claims


def test_encode_sets_typ_jwt() -> None:
    assert header_of(token_for({})) == {"alg": "HS256", "typ": "JWT"}


def test_encode_headers_override_typ() -> None:
    assert header_of(token_for({}, {"typ": "at+jwt", "kid": "k"})) == {
        "alg": "HS256",
        "typ": "at+jwt",
        "kid": "k",
    }


def test_encode_adds_key_kid() -> None:
    key = Key.from_secret(SECRET, kid="2024-01")

    assert header_of(jwtkit.encode({}, key, "HS256"))["kid"] == "2024-01"


@pytest.mark.parametrize("name", ["exp", "nbf", "iat"])
def test_encode_converts_datetime(name: str) -> None:
    moment = datetime(2030, 1, 2, 3, 4, 5, 678_000, tzinfo=timezone.utc)

    claims = jwtkit.decode_unverified(token_for({name: moment})).claims

    assert claims == {name: int(moment.timestamp())}
    assert isinstance(claims[name], int)


def test_encode_converts_non_utc_datetime() -> None:
    paris = timezone(timedelta(hours=1))
    moment = datetime(2030, 1, 1, 1, 0, 0, tzinfo=paris)

    claims = jwtkit.decode_unverified(token_for({"exp": moment})).claims

    assert claims["exp"] == int(datetime(2030, 1, 1, tzinfo=timezone.utc).timestamp())


def test_encode_rejects_naive_datetime() -> None:
    with pytest.raises(UsageError) as caught:
        token_for({"exp": datetime(2030, 1, 1)})

    assert str(caught.value) == (
        "datetime 2030-01-01T00:00:00 has no time zone, so its instant is ambiguous; use an "
        "aware datetime such as datetime.now(timezone.utc)"
    )


def test_encode_rejects_datetime_in_other_claim() -> None:
    with pytest.raises(UsageError) as caught:
        token_for({"auth_time": datetime(2030, 1, 1, tzinfo=timezone.utc)})

    assert "claim 'auth_time' is a datetime, but only exp, nbf and iat are converted" in str(
        caught.value
    )


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        pytest.param({"exp": "2030-01-01"}, "claim 'exp' must be a NumericDate", id="exp-string"),
        pytest.param({"nbf": True}, "claim 'nbf' must be a NumericDate", id="nbf-bool"),
        pytest.param({"iat": None}, "claim 'iat' must be a NumericDate", id="iat-null"),
        pytest.param({"iss": 5}, "claim 'iss' must be a string, got 5", id="iss-number"),
        pytest.param({"sub": ["a"]}, "claim 'sub' must be a string", id="sub-list"),
        pytest.param({"jti": 1}, "claim 'jti' must be a string", id="jti-number"),
        pytest.param(
            {"aud": []}, "claim 'aud' must be a string or a non-empty list", id="aud-empty"
        ),
        pytest.param(
            {"aud": ["a", 1]}, "claim 'aud' must be a string or a non-empty list", id="aud-mixed"
        ),
        pytest.param({1: "x"}, "claim names must be strings, got 1", id="name-number"),
        pytest.param({"x": {1, 2}}, "claims cannot be serialized as JSON", id="set-value"),
        pytest.param({"x": float("inf")}, "claims cannot be serialized as JSON", id="infinity"),
    ],
)
def test_encode_rejects_bad_claims(claims: dict[Any, Any], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        token_for(claims)

    assert message in str(caught.value)


def test_encode_rejects_non_mapping_claims() -> None:
    with pytest.raises(UsageError) as caught:
        jwtkit.encode([("sub", "a")], SECRET, "HS256")  # type: ignore[arg-type]

    assert str(caught.value) == "claims must be a dict, got list"


def test_encode_rejects_non_mapping_headers() -> None:
    with pytest.raises(UsageError) as caught:
        jwtkit.encode({}, SECRET, "HS256", [("kid", "a")])  # type: ignore[arg-type]

    assert "headers must be a dict, got list" in str(caught.value)


def test_encode_does_not_mutate_arguments() -> None:
    claims = {"sub": "alice", "exp": datetime(2030, 1, 1, tzinfo=timezone.utc), "x": [1]}
    headers = {"kid": "k1", "x-list": [1, 2]}
    claims_before = copy.deepcopy(claims)
    headers_before = copy.deepcopy(headers)

    jwtkit.encode(claims, SECRET, "HS256", headers)

    assert claims == claims_before
    assert headers == headers_before


def test_encode_algorithm_is_required() -> None:
    with pytest.raises(TypeError):
        jwtkit.encode({}, SECRET)  # type: ignore[call-arg]


# -- decode: algorithms -------------------------------------------------------------------


def test_decode_algorithms_is_required() -> None:
    with pytest.raises(TypeError):
        jwtkit.decode(token_for({}), SECRET)  # type: ignore[call-arg]


def test_decode_options_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        jwtkit.decode(token_for({}), SECRET, ["HS256"])  # type: ignore[call-arg]


def test_decode_rejects_bad_signature() -> None:
    token = token_for({"sub": "alice"})

    with pytest.raises(InvalidSignatureError):
        jwtkit.decode(token, b"another-secret-another-secret-32", algorithms=["HS256"])


def test_decode_claims_must_be_object() -> None:
    token = jwtkit.jws.sign_compact(b"[1,2]", SECRET, "HS256")

    with pytest.raises(MalformedTokenError) as caught:
        decode(token)

    assert str(caught.value) == "the token's claims must be a JSON object, got a JSON array"


def test_decode_claims_must_be_json() -> None:
    token = jwtkit.jws.sign_compact(b"not json", SECRET, "HS256")

    with pytest.raises(MalformedTokenError) as caught:
        decode(token)

    assert "the token's claims is not valid JSON" in str(caught.value)


# -- issuer ---------------------------------------------------------------------------------


def test_issuer_string_matches() -> None:
    assert decode(token_for({"iss": "https://issuer.example"}), issuer="https://issuer.example")


def test_issuer_collection_matches() -> None:
    token = token_for({"iss": "b"})

    assert decode(token, issuer=["a", "b"]) == {"iss": "b"}
    assert decode(token, issuer={"b", "c"}) == {"iss": "b"}
    assert decode(token, issuer=("b",)) == {"iss": "b"}


def test_issuer_mismatch() -> None:
    with pytest.raises(InvalidIssuerError) as caught:
        decode(token_for({"iss": "https://evil.example"}), issuer="https://issuer.example")

    assert caught.value.code == "invalid_issuer"
    assert caught.value.claim == "iss"
    assert caught.value.expected == ["https://issuer.example"]
    assert caught.value.received == "https://evil.example"
    assert str(caught.value) == (
        "the token's issuer 'https://evil.example' is not the expected "
        "'https://issuer.example'; issuers are compared exactly"
    )


def test_issuer_compared_exactly() -> None:
    for received in ("https://issuer.example/", "HTTPS://issuer.example", "https://issuer.exampl"):
        with pytest.raises(InvalidIssuerError):
            decode(token_for({"iss": received}), issuer="https://issuer.example")


def test_issuer_expected_makes_it_required() -> None:
    with pytest.raises(MissingClaimError) as caught:
        decode(token_for({}), issuer="a")

    assert caught.value.code == "missing_claim"
    assert caught.value.claim == "iss"
    assert str(caught.value) == "the token has no 'iss' claim, which is required"


def test_issuer_unchecked_without_expectation() -> None:
    assert decode(token_for({"iss": "anyone"})) == {"iss": "anyone"}


@pytest.mark.parametrize("issuer", [5, [], [1], b"a"])
def test_issuer_option_validated(issuer: Any) -> None:
    with pytest.raises(UsageError) as caught:
        decode(token_for({}), issuer=issuer)

    assert "issuer must be a string or a non-empty collection of strings" in str(caught.value)


# -- audience ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aud", "expected"),
    [
        ("api", "api"),
        ("api", ["other", "api"]),
        (["api", "web"], "web"),
        (["api", "web"], ["x", "api"]),
        (["api"], {"api"}),
    ],
)
def test_audience_matches(aud: Any, expected: Any) -> None:
    assert decode(token_for({"aud": aud}), audience=expected) == {"aud": aud}


@pytest.mark.parametrize(
    ("aud", "expected"),
    [
        ("web", "api"),
        (["web", "admin"], "api"),
        ("api", ["web"]),
    ],
)
def test_audience_mismatch(aud: Any, expected: Any) -> None:
    with pytest.raises(InvalidAudienceError) as caught:
        decode(token_for({"aud": aud}), audience=expected)

    assert caught.value.code == "invalid_audience"
    assert caught.value.claim == "aud"
    assert caught.value.received == aud
    assert "does not contain the expected" in str(caught.value)
    assert "compared exactly, member by member" in str(caught.value)


def test_audience_in_token_without_expectation_rejected() -> None:
    # RFC 7519 §4.1.3: a recipient that does not identify itself in aud rejects.
    with pytest.raises(InvalidAudienceError) as caught:
        decode(token_for({"aud": "api"}))

    assert str(caught.value) == (
        "the token is meant for audience 'api', but no audience was expected; pass "
        "audience=... with this service's identifier to accept it"
    )


def test_audience_expected_makes_it_required() -> None:
    with pytest.raises(MissingClaimError) as caught:
        decode(token_for({}), audience="api")

    assert caught.value.claim == "aud"


@pytest.mark.parametrize("aud", [[], 5, None, ["api", 5], {"api": True}])
def test_audience_wrong_type_rejected(aud: Any) -> None:
    token = jwtkit.jws.sign_compact(jwtkit._encoding.json_dumps({"aud": aud}), SECRET, "HS256")

    with pytest.raises(InvalidClaimError) as caught:
        decode(token, audience="api")

    assert caught.value.code == "invalid_claim"
    assert caught.value.claim == "aud"
    assert "claim 'aud' must be a string or a non-empty array of strings" in str(caught.value)


# -- subject ------------------------------------------------------------------------------


def test_subject_matches() -> None:
    assert decode(token_for({"sub": "alice"}), subject="alice") == {"sub": "alice"}


def test_subject_mismatch() -> None:
    with pytest.raises(InvalidClaimError) as caught:
        decode(token_for({"sub": "mallory"}), subject="alice")

    assert caught.value.code == "invalid_claim"
    assert caught.value.claim == "sub"
    assert caught.value.expected == "alice"
    assert caught.value.received == "mallory"
    assert str(caught.value) == "the token's subject 'mallory' is not the expected 'alice'"


def test_subject_expected_makes_it_required() -> None:
    with pytest.raises(MissingClaimError) as caught:
        decode(token_for({}), subject="alice")

    assert caught.value.claim == "sub"


def test_subject_option_validated() -> None:
    with pytest.raises(UsageError) as caught:
        decode(token_for({}), subject=["alice"])

    assert str(caught.value) == "subject must be a string, got list"


# -- required -----------------------------------------------------------------------------


def test_required_claims_present() -> None:
    claims = {"jti": "1", "exp": NOW + 10, "custom": 0}

    assert decode(token_for(claims), required=["jti", "exp", "custom"]) == claims


@pytest.mark.parametrize("missing", ["exp", "jti", "custom"])
def test_required_claim_missing(missing: str) -> None:
    claims = {"jti": "1", "exp": NOW + 10, "custom": 0}
    del claims[missing]

    with pytest.raises(MissingClaimError) as caught:
        decode(token_for(claims), required=("exp", "jti", "custom"))

    assert caught.value.claim == missing
    assert str(caught.value) == f"the token has no {missing!r} claim, which is required"


@pytest.mark.parametrize("required", ["exp", [1], None])
def test_required_option_validated(required: Any) -> None:
    with pytest.raises(UsageError) as caught:
        decode(token_for({}), required=required)

    assert "required must be a list of claim names" in str(caught.value)


def test_required_option_not_mutated() -> None:
    required = ["exp"]
    issuers = ["a"]
    algorithms = ["HS256"]

    jwtkit.decode(
        token_for({"exp": NOW + 10, "iss": "a", "sub": "s"}),
        SECRET,
        algorithms=algorithms,
        required=required,
        issuer=issuers,
        subject="s",
        now=NOW,
    )

    assert required == ["exp"]
    assert issuers == ["a"]
    assert algorithms == ["HS256"]


# -- exp, nbf, iat --------------------------------------------------------------------------


def test_expired_token() -> None:
    with pytest.raises(ExpiredTokenError) as caught:
        decode(token_for({"exp": NOW - 90}))

    error = caught.value
    assert isinstance(error, InvalidClaimError)
    assert error.code == "token_expired"
    assert error.claim == "exp"
    assert error.expired_at == NOW - 90
    assert error.now == NOW
    assert str(error) == (
        f"the token expired at 2023-11-14T22:11:50Z (exp {NOW - 90}); now is {NOW_TEXT}, "
        "1.5 minutes later, with 0 s leeway. Get a new token"
    )


def test_exp_boundary() -> None:
    # RFC 7519 §4.1.4: the token may be used only before exp.
    assert decode(token_for({"exp": NOW + 1})) == {"exp": NOW + 1}
    with pytest.raises(ExpiredTokenError):
        decode(token_for({"exp": NOW}))


def test_exp_fractional() -> None:
    assert decode(token_for({"exp": NOW + 0.5})) == {"exp": NOW + 0.5}
    with pytest.raises(ExpiredTokenError):
        decode(token_for({"exp": NOW - 0.5}))


def test_not_yet_valid_token() -> None:
    with pytest.raises(ImmatureTokenError) as caught:
        decode(token_for({"nbf": NOW + 3600}))

    error = caught.value
    assert isinstance(error, InvalidClaimError)
    assert error.code == "token_not_yet_valid"
    assert error.claim == "nbf"
    assert error.valid_from == NOW + 3600
    assert error.now == NOW
    assert str(error) == (
        f"the token is not valid before 2023-11-14T23:13:20Z (nbf {NOW + 3600}); now is "
        f"{NOW_TEXT}, with 0 s leeway. Check the clocks of issuer and verifier, or raise leeway"
    )


def test_nbf_boundary() -> None:
    assert decode(token_for({"nbf": NOW})) == {"nbf": NOW}
    with pytest.raises(ImmatureTokenError):
        decode(token_for({"nbf": NOW + 1}))


def test_iat_in_future_rejected() -> None:
    with pytest.raises(ImmatureTokenError) as caught:
        decode(token_for({"iat": NOW + 60}))

    assert caught.value.claim == "iat"
    assert caught.value.valid_from == NOW + 60
    assert "is in the future" in str(caught.value)


@pytest.mark.parametrize(
    ("claims", "options"),
    [
        pytest.param({"exp": -(10**400)}, {}, id="exp-far-past"),
        pytest.param({"exp": 10**400}, {}, id="exp-far-future"),
        pytest.param({"nbf": 10**400}, {}, id="nbf-far-future"),
        pytest.param({"iat": -(10**400)}, {"max_age": 60}, id="iat-far-past"),
    ],
)
def test_numericdate_beyond_double_range_rejected(
    claims: dict[str, int], options: dict[str, Any]
) -> None:
    token = jwtkit.jws.sign_compact(jwtkit._encoding.json_dumps(claims), SECRET, "HS256")
    (name,) = claims

    with pytest.raises(InvalidClaimError) as caught:
        decode(token, **options)

    assert type(caught.value) is InvalidClaimError
    assert caught.value.claim == name
    assert f"claim {name!r} is outside the range of a NumericDate" in str(caught.value)


def test_iat_in_past_accepted() -> None:
    assert decode(token_for({"iat": NOW - 10**6})) == {"iat": NOW - 10**6}


@pytest.mark.parametrize("leeway", [30, 30.0, timedelta(seconds=30)])
def test_leeway_absorbs_skew(leeway: Any) -> None:
    assert decode(token_for({"exp": NOW - 29}), leeway=leeway)
    assert decode(token_for({"nbf": NOW + 30}), leeway=leeway)
    assert decode(token_for({"iat": NOW + 30}), leeway=leeway)
    with pytest.raises(ExpiredTokenError) as expired:
        decode(token_for({"exp": NOW - 30}), leeway=leeway)
    with pytest.raises(ImmatureTokenError):
        decode(token_for({"nbf": NOW + 31}), leeway=leeway)
    assert "with 30 s leeway" in str(expired.value)


@pytest.mark.parametrize(
    ("leeway", "message"),
    [
        (-1, "leeway must not be negative, got -1"),
        (timedelta(seconds=-1), "leeway must not be negative"),
        ("30", "leeway must be a number of seconds or a timedelta, got str"),
        (True, "leeway must be a number of seconds or a timedelta, got bool"),
        (float("nan"), "leeway must be a finite number of seconds, got nan"),
        (float("inf"), "leeway must be a finite number of seconds, got inf"),
    ],
)
def test_leeway_option_validated(leeway: Any, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        decode(token_for({}), leeway=leeway)

    assert message in str(caught.value)


# -- max_age --------------------------------------------------------------------------------


@pytest.mark.parametrize("max_age", [600, timedelta(minutes=10)])
def test_max_age_accepts_recent_token(max_age: Any) -> None:
    assert decode(token_for({"iat": NOW - 600}), max_age=max_age) == {"iat": NOW - 600}


def test_max_age_rejects_old_token() -> None:
    with pytest.raises(ExpiredTokenError) as caught:
        decode(token_for({"iat": NOW - 601}), max_age=600)

    assert caught.value.code == "token_expired"
    assert caught.value.claim == "iat"
    assert caught.value.expired_at == NOW - 1
    assert caught.value.now == NOW
    assert "more than max_age 600 s before now" in str(caught.value)


def test_max_age_with_leeway() -> None:
    assert decode(token_for({"iat": NOW - 610}), max_age=600, leeway=10)
    with pytest.raises(ExpiredTokenError):
        decode(token_for({"iat": NOW - 611}), max_age=600, leeway=10)


def test_max_age_must_be_finite() -> None:
    with pytest.raises(UsageError) as caught:
        decode(token_for({"iat": NOW}), max_age=float("inf"))

    assert str(caught.value) == "max_age must be a finite number of seconds, got inf"


def test_max_age_makes_iat_required() -> None:
    with pytest.raises(MissingClaimError) as caught:
        decode(token_for({}), max_age=600)

    assert caught.value.claim == "iat"


# -- now --------------------------------------------------------------------------------------


def test_now_as_datetime() -> None:
    token = token_for({"exp": NOW + 10})
    moment = datetime.fromtimestamp(NOW, tz=timezone.utc)

    assert decode(token, now=moment) == {"exp": NOW + 10}
    with pytest.raises(ExpiredTokenError):
        decode(token, now=moment + timedelta(seconds=10))


@pytest.mark.parametrize(
    ("now", "message"),
    [
        (datetime(2030, 1, 1), "has no time zone"),
        ("2030-01-01", "now must be a NumericDate (seconds since the epoch) or an aware datetime"),
        (True, "now must be a NumericDate"),
        (float("nan"), "now must be a finite NumericDate, got nan"),
        (float("inf"), "now must be a finite NumericDate, got inf"),
    ],
)
def test_now_option_validated(now: Any, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        decode(token_for({}), now=now)

    assert message in str(caught.value)


def test_system_clock_used_by_default() -> None:
    past = datetime(2000, 1, 1, tzinfo=timezone.utc)
    future = datetime(2999, 1, 1, tzinfo=timezone.utc)

    assert jwtkit.decode(token_for({"exp": future}), SECRET, algorithms=["HS256"])
    with pytest.raises(ExpiredTokenError):
        jwtkit.decode(token_for({"exp": past}), SECRET, algorithms=["HS256"])


# -- typ --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header_typ", "expected"),
    [
        ("JWT", "JWT"),
        ("JWT", "jwt"),
        ("jwt", "JWT"),
        ("JWT", "application/jwt"),
        ("application/JWT", "jwt"),
        ("at+jwt", "AT+JWT"),
        ("application/at+jwt", "at+jwt"),
        ("at+jwt", "Application/At+JWT"),
    ],
)
def test_typ_matches(header_typ: str, expected: str) -> None:
    # RFC 7515 §4.1.9: media types are case-insensitive and "application/" may be left out.
    token = token_for({}, {"typ": header_typ})

    assert decode(token, typ=expected) == {}


@pytest.mark.parametrize(
    ("header_typ", "expected"),
    [
        ("JWT", "at+jwt"),
        ("at+jwt", "jwt"),
        ("application/example/at+jwt", "at+jwt"),
        ("text/at+jwt", "at+jwt"),
    ],
)
def test_typ_mismatch(header_typ: str, expected: str) -> None:
    with pytest.raises(InvalidHeaderError) as caught:
        decode(token_for({}, {"typ": header_typ}), typ=expected)

    assert caught.value.code == "invalid_header"
    assert caught.value.parameter == "typ"
    assert caught.value.expected == expected
    assert caught.value.received == header_typ
    assert f"the token's header has typ {header_typ!r}, but typ {expected!r} is expected" in str(
        caught.value
    )


def test_typ_missing_rejected() -> None:
    token = jwtkit.jws.sign_compact(b"{}", SECRET, "HS256")

    with pytest.raises(InvalidHeaderError) as caught:
        decode(token, typ="JWT")

    assert caught.value.received is None
    assert "the token's header has no 'typ', but typ 'JWT' is expected" in str(caught.value)


def test_typ_not_string_rejected() -> None:
    # encode refuses a typ that is not a string, so this token is MACed by hand.
    header = b64url_encode(b'{"alg":"HS256","typ":1}')
    payload = b64url_encode(b"{}")
    mac = hmac.digest(SECRET, f"{header}.{payload}".encode(), "sha256")
    token = f"{header}.{payload}.{b64url_encode(mac)}"

    with pytest.raises(MalformedTokenError) as caught:
        decode(token, typ="JWT")

    assert "'typ' must be a string, got a JSON number" in str(caught.value)


def test_typ_unchecked_without_expectation() -> None:
    assert decode(token_for({}, {"typ": "anything"})) == {}


def test_typ_option_validated() -> None:
    with pytest.raises(UsageError) as caught:
        decode(token_for({}), typ=["JWT"])

    assert str(caught.value) == "typ must be a string such as 'JWT', got list"


# -- Verifier gives the same results as decode ---------------------------------------------------

SCENARIOS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("valid", {"sub": "a", "exp": NOW + 60}, {}),
    ("expired", {"exp": NOW - 60}, {}),
    ("immature", {"nbf": NOW + 60}, {}),
    ("issuer", {"iss": "x"}, {"issuer": "y"}),
    ("audience", {"aud": "x"}, {"audience": "y"}),
    ("audience-unexpected", {"aud": "x"}, {}),
    ("subject", {"sub": "x"}, {"subject": "y"}),
    ("required", {}, {"required": ["jti"]}),
    ("max-age", {"iat": NOW - 100}, {"max_age": 10}),
    ("leeway", {"exp": NOW - 5}, {"leeway": 10}),
    ("typ", {}, {"typ": "at+jwt"}),
    ("exp-string", {"x": 1}, {"required": ["x"]}),
]


def _outcome(call: Callable[[], Any]) -> Any:
    try:
        return ("claims", call())
    except JWTError as exc:
        return (type(exc), exc.code, str(exc))


@pytest.mark.parametrize(
    ("claims", "options"), [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS]
)
def test_verifier_matches_decode(claims: dict[str, Any], options: dict[str, Any]) -> None:
    token = token_for(claims)
    verifier = Verifier(SECRET, algorithms=["HS256"], now=NOW, **options)

    from_decode = _outcome(lambda: decode(token, **options))
    from_verifier = _outcome(lambda: verifier.verify(token))

    assert from_verifier == from_decode


def test_verifier_reused_for_many_tokens() -> None:
    verifier = Verifier(SECRET, algorithms=["HS256"], issuer="me", now=NOW)

    for index in range(5):
        assert verifier.verify(token_for({"iss": "me", "n": index})) == {"iss": "me", "n": index}
    with pytest.raises(InvalidIssuerError):
        verifier.verify(token_for({"iss": "you"}))


def test_verifier_verify_complete() -> None:
    key = Key.from_secret(SECRET, kid="k1")
    token = jwtkit.encode({"sub": "a"}, key, "HS256")

    result = Verifier(key, algorithms=["HS256"]).verify_complete(token)

    assert result.header == {"alg": "HS256", "typ": "JWT", "kid": "k1"}
    assert result.claims == {"sub": "a"}
    assert result.key is key


@pytest.mark.parametrize(
    "options",
    [
        {"algorithms": []},
        {"algorithms": ["none"]},
        {"algorithms": ["HS256"], "leeway": -1},
        {"algorithms": ["HS256"], "issuer": []},
        {"algorithms": ["HS256"], "typ": 1},
        {"algorithms": ["HS256"], "now": "today"},
        {"algorithms": ["HS256"], "max_token_size": 0},
        {"algorithms": ["HS256"], "max_age": "1h"},
    ],
    ids=["no-algorithms", "none", "leeway", "issuer", "typ", "now", "max-size", "max-age"],
)
def test_verifier_checks_options_when_built(options: dict[str, Any]) -> None:
    with pytest.raises(UsageError):
        Verifier(SECRET, **options)


# -- decode_unverified --------------------------------------------------------------------------


def test_decode_unverified_reads_without_key() -> None:
    token = token_for({"sub": "a", "exp": NOW - 10**6})
    header, payload, _ = token.split(".")
    forged = f"{header}.{payload}.{b64url_encode(b'not a signature')}"

    result = jwtkit.decode_unverified(forged)

    assert result.header == {"alg": "HS256", "typ": "JWT"}
    assert result.claims == {"sub": "a", "exp": NOW - 10**6}
    assert result.signature == b"not a signature"


def test_decode_unverified_shows_alg_none() -> None:
    token = b64url_encode(b'{"alg":"none"}') + "." + b64url_encode(b"{}") + "."

    result = jwtkit.decode_unverified(token)

    assert result.header == {"alg": "none"}
    assert result.signature == b""


def test_decode_unverified_reads_unencoded_payload() -> None:
    token = jwtkit.jws.sign_compact(b'{"a":1}', SECRET, "HS256", {"b64": False})

    assert jwtkit.decode_unverified(token).claims == {"a": 1}


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("a.b", "the token has 2 part(s)"),
        ("eyJhbGciOiJIUzI1NiJ9=.e30.", "the token's header is not base64url"),
        ("eyJhbGciOiJIUzI1NiJ9.W10.", "the token's claims must be a JSON object, got a JSON array"),
        ("W10.e30.", "the token's header must be a JSON object"),
        ("eyJhbGciOiJIUzI1NiJ9.e30.A", "the token's signature is not base64url"),
    ],
)
def test_decode_unverified_is_strict(token: str, message: str) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        jwtkit.decode_unverified(token)

    assert message in str(caught.value)


# -- the tutorial token -------------------------------------------------------------------------

# HS256 with the secret "secret": six bytes, far below the 32 HS256 needs, and
# an "exp" written as a date string instead of a NumericDate.
TUTORIAL_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJleHAiOiIyMDE5LTAyLTE0IiwibWVzc2FnZSI6InJvc2VzIGFyZSByZWQifQ"
    ".0u-mkgLo5479CPjJJ4mXCwn2RW4dFT12fiYiopRWsZw"
)


def test_tutorial_token_unverified() -> None:
    result = jwtkit.decode_unverified(TUTORIAL_TOKEN)

    assert result.header == {"alg": "HS256", "typ": "JWT"}
    assert result.claims == {"exp": "2019-02-14", "message": "roses are red"}
    assert len(result.signature) == 32


def test_tutorial_token_weak_secret() -> None:
    with pytest.raises(WeakKeyError) as caught:
        jwtkit.decode(TUTORIAL_TOKEN, "secret", algorithms=["HS256"])

    assert caught.value.code == "weak_key"
    assert str(caught.value).startswith(
        "the HMAC secret is 6 bytes, but HS256 needs at least 32 bytes"
    )
    assert "allow_weak_key=True" in str(caught.value)


def test_tutorial_token_exp_not_numericdate() -> None:
    with pytest.raises(InvalidClaimError) as caught:
        jwtkit.decode(TUTORIAL_TOKEN, "secret", algorithms=["HS256"], allow_weak_key=True)

    error = caught.value
    assert type(error) is InvalidClaimError
    assert error.code == "invalid_claim"
    assert error.claim == "exp"
    assert error.expected == "NumericDate"
    assert error.received == "2019-02-14"
    assert str(error) == (
        "claim 'exp' must be a NumericDate (a number of seconds since 1970-01-01T00:00:00Z), "
        "got the string '2019-02-14'; the issuer must fix the token"
    )


def test_tutorial_token_signature_is_genuine() -> None:
    verified = jwtkit.jws.verify_compact(
        TUTORIAL_TOKEN, "secret", algorithms=["HS256"], allow_weak_key=True
    )

    assert b64url_decode(TUTORIAL_TOKEN.split(".")[1], "payload") == verified.payload
