"""Hostile input never raises anything but a jwtkit error, and never hangs.

Hypothesis feeds random and mutated tokens, headers, claims, JWS JSON
documents, JWKs, PEM and DER to every public function that decodes, verifies
or imports. Each call must return or raise a ``jwtkit.errors.JWTError``
subclass; a ``TypeError``, ``KeyError``, ``RecursionError`` or an exception
from ``cryptography`` is a bug. The deadline bounds each single input at 2 s.

Under CI the examples are derandomized, so a run is reproducible; elsewhere
each run draws new ones. JWTKIT_FUZZ_EXAMPLES sets the examples per test
(default 400) for a longer local hunt.
"""

from __future__ import annotations

import base64
import functools
import hmac
import os
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import jwtkit
from jwtkit.errors import JWTError
from tests.conftest import IN_CI
from tests.security.conftest import NOW
from tests.security.forge import HMAC_HASHES, b64, hmac_token, json_bytes, raw_signature

EXAMPLES = int(os.environ.get("JWTKIT_FUZZ_EXAMPLES", "400"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=2),
    derandomize=IN_CI,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SECRET = b"a shared secret of at least 64 bytes, long enough for HS512 as well!"
ALGORITHMS = [
    "HS256",
    "HS384",
    "HS512",
    "RS256",
    "PS256",
    "ES256",
    "ES384",
    "ES512",
    "ES256K",
    "EdDSA",
]
REGISTERED_CLAIMS = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]
HEADER_PARAMETERS = ["alg", "kid", "typ", "cty", "crit", "b64", "jwk", "jku", "x5u", "x5c", "x5t"]


def _rejects_only_with_jwt_errors(call: Callable[[], Any]) -> None:
    """Run ``call``; a return or a JWTError passes, any other exception fails the test."""
    try:
        call()
    except JWTError as exc:
        assert exc.code, exc
        assert isinstance(exc.message, str)
        # Shown by --hypothesis-show-statistics: how far the inputs got.
        event(f"raised {exc.code}")
    else:
        event("returned")


# -- keys ---------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _keys() -> dict[str, Any]:
    """The caller's keys in each form a verifier accepts, built once per test run."""
    rsa_key = jwtkit.Key.from_cryptography(
        rsa.generate_private_key(public_exponent=65537, key_size=2048), kid="rsa"
    )
    ec_key = jwtkit.Key.from_cryptography(ec.generate_private_key(ec.SECP256R1()), kid="ec")
    ed_key = jwtkit.Key.from_cryptography(ed25519.Ed25519PrivateKey.generate(), kid="ed")
    public_keys = [rsa_key.public_key(), ec_key.public_key(), ed_key.public_key()]
    return {
        "secret": SECRET,
        "oct Key": jwtkit.Key.from_secret(SECRET, kid="oct"),
        "RSA Key": rsa_key.public_key(),
        "RSA PEM": rsa_key.to_pem().decode(),
        "EC JWK": ec_key.public_key().to_jwk(),
        "Ed25519 Key": ed_key.public_key(),
        "KeySet": jwtkit.KeySet(public_keys),
        "JWKS dict": jwtkit.KeySet(public_keys).to_jwks(),
        "private": {"RSA": rsa_key, "EC": ec_key, "OKP": ed_key},
    }


CALLER_KEY_NAMES = [
    "secret",
    "oct Key",
    "RSA Key",
    "RSA PEM",
    "EC JWK",
    "Ed25519 Key",
    "KeySet",
    "JWKS dict",
]


# -- strategies ---------------------------------------------------------------------------------

# Text that may hold lone surrogates (U+D800 to U+DFFF), which Python strings
# allow, JSON escapes can produce and UTF-8 cannot encode.
_characters = st.one_of(st.characters(), st.characters(categories=["Cs"]))


def any_text(max_size: int) -> st.SearchStrategy[str]:
    return st.text(_characters, max_size=max_size)


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(allow_nan=False, allow_infinity=False),
    any_text(20),
)
json_values = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
_names = st.one_of(st.sampled_from(HEADER_PARAMETERS), any_text(8))

# Headers usually name an alg the caller allows, so that the fuzzing gets past
# the allow-list into key selection, crit, b64, signature and claim checks.
SIGNED_ALGORITHMS = ["HS256", "HS384", "HS512", "RS256", "PS256", "ES256", "EdDSA"]
_odd_algs = st.sampled_from(["none", "None", "HS256 ", "hs256", "", "RSA-OAEP", "ES384"])
header_extras = st.dictionaries(
    _names,
    st.one_of(
        json_values,
        st.sampled_from([["b64"], [], ["x"], ["alg"], "b64", True, False]),
        st.sampled_from(["rsa", "ec", "ed", "oct", "../etc/passwd", "JWT", "at+jwt"]),
    ),
    max_size=3,
)
_claim_values = st.one_of(
    json_values,
    st.integers(min_value=NOW - 10**6, max_value=NOW + 10**6),
    st.sampled_from(["api", "https://issuer.example", ["api"], [["api"]], []]),
)
claims = st.dictionaries(
    st.one_of(st.sampled_from(REGISTERED_CLAIMS), st.text(max_size=8)), _claim_values, max_size=6
)

# JSON-ish text heavy in brackets and quotes, to stress the depth scan and parser.
json_noise = st.text(alphabet='[]{}":,\\ 01aeNInfty-.', max_size=200)
part_text = st.one_of(
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", max_size=80
    ),
    any_text(40),
    st.builds(lambda data: b64(data), st.binary(max_size=80)),
    st.builds(lambda text: b64(text.encode()), json_noise),
)


@st.composite
def signed_tokens(draw: st.DrawFn) -> str:
    """A token over a fuzzed header and claims, signed correctly for its alg or not at all."""
    signing_alg = draw(st.sampled_from(SIGNED_ALGORITHMS))
    header: dict[str, Any] = {"alg": signing_alg}
    if draw(st.integers(0, 4)) == 4:
        header["alg"] = draw(st.one_of(_odd_algs, json_values))
    header.update(draw(header_extras))
    if draw(st.integers(0, 3)) == 3:
        header.pop("alg", None)
    payload = draw(
        st.one_of(
            claims.map(json_bytes),
            claims.map(json_bytes),
            claims.map(json_bytes),
            st.binary(max_size=60),
            json_noise.map(str.encode),
        )
    )

    header_part = b64(json_bytes(header))
    payload_part = b64(payload)
    data = f"{header_part}.{payload_part}".encode()
    if draw(st.integers(0, 5)) == 5:
        signature = draw(st.binary(max_size=140))
    elif signing_alg.startswith("HS"):
        signature = hmac.new(SECRET, data, HMAC_HASHES[signing_alg]).digest()
    else:
        kty = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}[signing_alg[:2]]
        private_key = _keys()["private"][kty].signing_key
        signature = raw_signature(private_key, signing_alg, data)
    return f"{header_part}.{payload_part}.{b64(signature)}"


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    """Apply a few byte-level edits (replace, insert, delete, duplicate) to a drawn text."""
    text = draw(base)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        position = draw(st.integers(min_value=0, max_value=len(text)))
        edit = draw(st.sampled_from(["replace", "insert", "delete", "duplicate", "dot"]))
        character = draw(
            st.sampled_from([*'A_-+/=. \n\x00é{}"', chr(draw(st.integers(0, 0x10FFFF)))])
        )
        if edit == "replace" and position < len(text):
            text = text[:position] + character + text[position + 1 :]
        elif edit == "insert":
            text = text[:position] + character + text[position:]
        elif edit == "delete":
            end = draw(st.integers(min_value=position, max_value=len(text)))
            text = text[:position] + text[end:]
        elif edit == "duplicate":
            text = text[:position] + text[position:] + text[position:]
        else:
            text = text[:position] + "." + text[position:]
    return text


random_tokens = st.one_of(
    any_text(200),
    st.binary(max_size=200),
    st.lists(part_text, min_size=0, max_size=6).map(".".join),
)
tokens = st.one_of(signed_tokens(), signed_tokens(), mutated(signed_tokens()), random_tokens)


# -- token entry points -------------------------------------------------------------------------


def _decode(token: Any, key: Any, options: dict[str, Any]) -> Any:
    return jwtkit.decode(token, key, algorithms=ALGORITHMS, now=NOW, **options)


def _verifier(token: Any, key: Any, options: dict[str, Any]) -> Any:
    return jwtkit.Verifier(key, algorithms=ALGORITHMS, now=NOW, **options).verify(token)


def _verify_compact(token: Any, key: Any, options: dict[str, Any]) -> Any:
    return jwtkit.jws.verify_compact(token, key, algorithms=ALGORITHMS)


TOKEN_ENTRY_POINTS = {
    "decode": _decode,
    "Verifier.verify": _verifier,
    "jws.verify_compact": _verify_compact,
}
claim_options = st.fixed_dictionaries(
    {},
    optional={
        "audience": st.sampled_from(["api", ["api", "web"]]),
        "issuer": st.just("https://issuer.example"),
        "subject": st.just("alice"),
        "leeway": st.sampled_from([0, 30, 1.5]),
        "max_age": st.sampled_from([60, 3600]),
        "required": st.sampled_from([["exp"], ["exp", "nbf", "iat", "jti"]]),
        "typ": st.sampled_from(["JWT", "at+jwt"]),
    },
)


@pytest.mark.parametrize("entry_point", sorted(TOKEN_ENTRY_POINTS))
@FUZZ
@given(token=tokens, key_name=st.sampled_from(CALLER_KEY_NAMES), options=claim_options)
def test_verify_never_crashes(
    entry_point: str, token: Any, key_name: str, options: dict[str, Any]
) -> None:
    verify = TOKEN_ENTRY_POINTS[entry_point]

    _rejects_only_with_jwt_errors(lambda: verify(token, _keys()[key_name], options))


@FUZZ
@given(token=tokens)
def test_decode_unverified_never_crashes(token: Any) -> None:
    _rejects_only_with_jwt_errors(lambda: jwtkit.decode_unverified(token))


@FUZZ
@given(token=tokens, detached=st.one_of(st.none(), st.binary(max_size=40)))
def test_parse_compact_never_crashes(token: Any, detached: bytes | None) -> None:
    _rejects_only_with_jwt_errors(
        lambda: jwtkit.jws.parse_compact(token, detached_payload=detached)
    )


@st.composite
def jws_json_documents(draw: st.DrawFn) -> Any:
    """A flattened or general JWS JSON document built from a fuzzed token, then perturbed."""
    token = draw(signed_tokens())
    header_part, payload_part, signature_part = token.split(".")
    entry: dict[str, Any] = {"protected": header_part, "signature": signature_part}
    if draw(st.booleans()):
        entry["header"] = draw(
            st.one_of(st.dictionaries(_names, json_values, max_size=3), json_values)
        )
    general = draw(st.booleans())
    document: dict[str, Any] = (
        {"payload": payload_part, "signatures": [entry] * draw(st.integers(1, 3))}
        if general
        else {"payload": payload_part, **entry}
    )
    for name in draw(
        st.lists(
            st.sampled_from(["payload", "protected", "signature", "signatures", "header"]),
            max_size=2,
        )
    ):
        document[name] = draw(json_values)
    form = draw(st.sampled_from(["dict", "text", "bytes", "mutated text"]))
    if form == "dict":
        return document
    text = json_bytes(document).decode()
    if form == "text":
        return text
    if form == "bytes":
        return text.encode()
    return draw(mutated(st.just(text)))


@FUZZ
@given(
    document=st.one_of(jws_json_documents(), json_values, any_text(100)),
    key_name=st.sampled_from(CALLER_KEY_NAMES),
    require=st.sampled_from(["any", "all"]),
)
def test_verify_json_never_crashes(document: Any, key_name: str, require: str) -> None:
    _rejects_only_with_jwt_errors(
        lambda: jwtkit.jws.verify_json(
            document, _keys()[key_name], algorithms=ALGORITHMS, require=require
        )
    )


# -- key import ---------------------------------------------------------------------------------

_base64url_members = st.one_of(
    st.builds(lambda data: b64(data), st.binary(max_size=300)),
    part_text,
    json_values,
)
_JWK_MEMBERS = {
    "RSA": ["n", "e", "d", "p", "q", "dp", "dq", "qi", "oth"],
    "EC": ["crv", "x", "y", "d"],
    "OKP": ["crv", "x", "d"],
    "oct": ["k"],
}


@st.composite
def jwks(draw: st.DrawFn) -> Any:
    """A JWK dict: a real key's members with some replaced, removed or added."""
    kind = draw(st.sampled_from(["RSA", "EC", "OKP", "oct"]))
    real = {
        "RSA": lambda: _keys()["private"]["RSA"].to_jwk(private=True),
        "EC": lambda: _keys()["private"]["EC"].to_jwk(private=True),
        "OKP": lambda: _keys()["private"]["OKP"].to_jwk(private=True),
        "oct": lambda: {"kty": "oct", "k": b64(SECRET)},
    }[kind]()
    jwk: dict[str, Any] = dict(real) if draw(st.booleans()) else {"kty": kind}
    for name in draw(st.lists(st.sampled_from(_JWK_MEMBERS[kind]), max_size=3)):
        jwk[name] = draw(_base64url_members)
    for name in draw(
        st.lists(st.sampled_from(["kty", "crv", "kid", "alg", "use", "key_ops"]), max_size=2)
    ):
        jwk[name] = draw(
            st.one_of(
                json_values, st.sampled_from(["RSA", "EC", "P-256", "Ed25519", "sig", "HS256"])
            )
        )
    for name in draw(st.lists(st.sampled_from(sorted(jwk)), max_size=2)) if jwk else []:
        jwk.pop(name, None)
    return jwk


@FUZZ
@given(
    jwk=st.one_of(jwks(), json_values, jwks().map(lambda jwk: json_bytes(jwk).decode()), json_noise)
)
def test_key_from_jwk_never_crashes(jwk: Any) -> None:
    _rejects_only_with_jwt_errors(lambda: jwtkit.Key.from_jwk(jwk))


@FUZZ
@given(
    jwks_document=st.one_of(
        st.lists(st.one_of(jwks(), json_values), max_size=4).map(lambda keys: {"keys": keys}),
        json_values,
        any_text(100),
    )
)
def test_keyset_from_jwks_never_crashes(jwks_document: Any) -> None:
    _rejects_only_with_jwt_errors(lambda: jwtkit.KeySet.from_jwks(jwks_document))


@functools.lru_cache(maxsize=1)
def _real_key_bytes() -> dict[str, bytes]:
    private = _keys()["private"]
    rsa_public = private["RSA"].verifying_key
    encodings = {
        "PKCS#8 PEM": private["EC"].to_pem(private=True),
        "SPKI PEM": private["RSA"].to_pem(),
        "PKCS#1 PEM": rsa_public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.PKCS1
        ),
        "encrypted PEM": private["OKP"].to_pem(private=True, password=b"password"),
        "OpenSSH": rsa_public.public_bytes(
            serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
        ),
        "SPKI DER": rsa_public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        "PKCS#8 DER": private["EC"].signing_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    }
    return encodings


@st.composite
def key_bytes(draw: st.DrawFn) -> bytes:
    """Real PEM, OpenSSH or DER bytes with a few bytes changed, or random bytes."""
    if draw(st.integers(0, 4)) == 4:
        return draw(st.binary(max_size=300))
    data = bytearray(draw(st.sampled_from(sorted(_real_key_bytes().values()))))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(["replace", "delete", "truncate", "insert"]))
        if edit == "replace":
            data[position] = draw(st.integers(0, 255))
        elif edit == "delete":
            del data[position]
        elif edit == "truncate":
            del data[position:]
        else:
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
        if not data:
            break
    return bytes(data)


@st.composite
def key_texts(draw: st.DrawFn) -> str:
    """Key bytes read as text, with any text (lone surrogates included) inserted."""
    text = draw(key_bytes()).decode("utf-8", "replace")
    position = draw(st.integers(0, len(text)))
    return text[:position] + draw(any_text(8)) + text[position:]


@FUZZ
@given(
    pem=st.one_of(key_bytes(), key_texts()),
    password=st.one_of(st.sampled_from([None, b"password"]), any_text(8)),
)
def test_key_from_pem_never_crashes(pem: Any, password: Any) -> None:
    _rejects_only_with_jwt_errors(lambda: jwtkit.Key.from_pem(pem, password))


@FUZZ
@given(data=key_bytes(), password=st.sampled_from([None, b"password"]))
def test_key_from_der_never_crashes(data: bytes, password: Any) -> None:
    _rejects_only_with_jwt_errors(lambda: jwtkit.Key.from_der(data, password))


@FUZZ
@given(
    key=st.one_of(key_bytes(), key_texts(), any_text(40), jwks()),
    token=signed_tokens(),
)
def test_fuzzed_key_as_verification_key(key: Any, token: str) -> None:
    # The caller's key itself is garbage: still only jwtkit errors.
    _rejects_only_with_jwt_errors(lambda: jwtkit.decode(token, key, algorithms=ALGORITHMS, now=NOW))


def test_strategies_reach_success() -> None:
    # The positive control: the fuzzed shapes include tokens that verify, so
    # the tests above exercise the claim checks and not only the parser.
    token = hmac_token(SECRET, {"alg": "HS256", "kid": "oct"}, {"sub": "alice", "exp": NOW + 60})
    for key_name in ("secret", "oct Key"):
        assert (
            jwtkit.decode(token, _keys()[key_name], algorithms=ALGORITHMS, now=NOW)["sub"]
            == "alice"
        )
    assert base64.urlsafe_b64decode(token.split(".")[0] + "==")
