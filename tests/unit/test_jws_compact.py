"""JWS Compact Serialization: signing, verifying, tampering, detached and unencoded payloads."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jwtkit import Key, KeySet, jws
from jwtkit._encoding import b64url_decode, b64url_encode
from jwtkit.errors import (
    AlgorithmNotAllowedError,
    CriticalHeaderError,
    InvalidKeyError,
    InvalidSignatureError,
    JWTError,
    MalformedTokenError,
    UnsupportedAlgorithmError,
    UsageError,
)
from jwtkit.jwa import SIGNATURE_ALGORITHMS

from .conftest import KeyFactory

PAYLOAD = b'{"sub":"alice","scope":"read"}'
SECRET = Key.from_secret(b"0123456789abcdef0123456789abcdef")


def verification_key(key: Key) -> Key:
    return key if key.kty == "oct" else key.public_key()


def family_algorithms(key: Key) -> list[str]:
    """Every algorithm the key's family offers, so a flipped 'alg' stays allowed."""
    return [name for name, algorithm in SIGNATURE_ALGORITHMS.items() if algorithm.kty == key.kty]


def b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


# -- round trips ------------------------------------------------------------------


def test_sign_verify_round_trip(algorithm_and_key: tuple[str, Key]) -> None:
    algorithm, key = algorithm_and_key

    token = jws.sign_compact(PAYLOAD, key, algorithm)
    verified = jws.verify_compact(token, verification_key(key), algorithms=[algorithm])

    assert token.count(".") == 2
    assert verified.payload == PAYLOAD
    assert verified.protected == {"alg": algorithm}
    assert verified.key == verification_key(key)


def test_signature_width(algorithm_and_key: tuple[str, Key]) -> None:
    algorithm, key = algorithm_and_key
    expected = {
        "HS256": 32,
        "HS384": 48,
        "HS512": 64,
        "ES256": 64,
        "ES384": 96,
        "ES512": 132,
        "ES256K": 64,
    }.get(algorithm)
    if algorithm.startswith(("RS", "PS")):
        expected = 256
    if algorithm in ("EdDSA", "Ed25519", "Ed448"):
        expected = 64 if key.crv == "Ed25519" else 114  # type: ignore[attr-defined]

    token = jws.sign_compact(PAYLOAD, key, algorithm)

    assert len(b64url_decode(token.rsplit(".", 1)[1], "signature")) == expected


def test_kid_and_headers_in_protected_header(keys: KeyFactory) -> None:
    key = Key.from_jwk({**keys.get("EC", curve="P-256").to_jwk(private=True), "kid": "k1"})

    token = jws.sign_compact(PAYLOAD, key, "ES256", {"typ": "at+jwt", "x-extra": [1, 2]})
    verified = jws.verify_compact(token, key.public_key(), algorithms=["ES256"])

    assert verified.protected == {"alg": "ES256", "typ": "at+jwt", "x-extra": [1, 2], "kid": "k1"}


def test_explicit_kid_header_wins(keys: KeyFactory) -> None:
    key = Key.from_jwk({**keys.get("EC", curve="P-256").to_jwk(private=True), "kid": "k1"})

    token = jws.sign_compact(PAYLOAD, key, "ES256", {"kid": "override"})

    assert jws.parse_compact(token).header["kid"] == "override"


def test_header_order_starts_with_alg() -> None:
    token = jws.sign_compact(PAYLOAD, SECRET, "HS256", {"typ": "JWT"})

    assert b64url_decode(token.split(".")[0], "header") == b'{"alg":"HS256","typ":"JWT"}'


def test_empty_payload_round_trip() -> None:
    token = jws.sign_compact(b"", SECRET, "HS256")

    assert token.split(".")[1] == ""
    assert jws.verify_compact(token, SECRET, algorithms=["HS256"]).payload == b""


def test_verify_with_several_allowed_algorithms(keys: KeyFactory) -> None:
    key = keys.get("RSA", size=2048)
    token = jws.sign_compact(PAYLOAD, key, "PS384")

    verified = jws.verify_compact(token, key.public_key(), algorithms=["RS256", "PS384"])

    assert verified.protected["alg"] == "PS384"


def test_verify_with_key_set_returns_selected_key(keys: KeyFactory) -> None:
    key = Key.from_jwk({**keys.get("OKP", curve="Ed25519").to_jwk(private=True), "kid": "ed"})
    other = Key.generate("OKP", curve="Ed25519", kid="other")
    token = jws.sign_compact(PAYLOAD, key, "EdDSA")

    verified = jws.verify_compact(
        token, KeySet([other.public_key(), key.public_key()]), algorithms=["EdDSA"]
    )

    assert verified.key.kid == "ed"


def test_verify_accepts_bytes_token() -> None:
    token = jws.sign_compact(PAYLOAD, SECRET, "HS256")

    assert jws.verify_compact(token.encode(), SECRET, algorithms=["HS256"]).payload == PAYLOAD


# -- tampering: every single bit ---------------------------------------------------


def _collect_accepted(
    tokens: list[str], verify: Callable[[str], object]
) -> list[tuple[int, str, str]]:
    accepted = []
    for index, token in enumerate(tokens):
        try:
            verify(token)
        except JWTError:
            continue
        accepted.append((index, token, "verified"))
    return accepted


def _flip_decoded_bits(token: str, part: int) -> list[str]:
    parts = token.split(".")
    raw = b64url_decode(parts[part], "part")
    tokens = []
    for bit in range(len(raw) * 8):
        flipped = bytearray(raw)
        flipped[bit // 8] ^= 1 << (bit % 8)
        mutated = list(parts)
        mutated[part] = b64url_encode(bytes(flipped))
        tokens.append(".".join(mutated))
    return tokens


def _flip_character_bits(token: str) -> list[str]:
    tokens = []
    for position, character in enumerate(token):
        for bit in range(8):
            replacement = chr(ord(character) ^ (1 << bit))
            tokens.append(token[:position] + replacement + token[position + 1 :])
    return tokens


@pytest.mark.parametrize("part", [0, 1, 2], ids=["header", "payload", "signature"])
def test_flipped_decoded_bit_rejected(algorithm_and_key: tuple[str, Key], part: int) -> None:
    algorithm, key = algorithm_and_key
    token = jws.sign_compact(PAYLOAD, key, algorithm, {"typ": "JWT"})
    public = verification_key(key)
    allowed = family_algorithms(key)
    mutated = _flip_decoded_bits(token, part)

    accepted = _collect_accepted(
        mutated, lambda candidate: jws.verify_compact(candidate, public, algorithms=allowed)
    )

    assert len(mutated) > 0
    assert accepted == []


def test_flipped_token_character_bit_rejected(algorithm_and_key: tuple[str, Key]) -> None:
    algorithm, key = algorithm_and_key
    token = jws.sign_compact(PAYLOAD, key, algorithm, {"typ": "JWT"})
    public = verification_key(key)
    allowed = family_algorithms(key)
    mutated = _flip_character_bits(token)

    accepted = _collect_accepted(
        mutated, lambda candidate: jws.verify_compact(candidate, public, algorithms=allowed)
    )

    assert len(mutated) == 8 * len(token)
    assert accepted == []


def test_tampered_signature_has_fixed_message() -> None:
    token = jws.sign_compact(PAYLOAD, SECRET, "HS256")
    header, payload, signature = token.split(".")
    raw = bytearray(b64url_decode(signature, "signature"))
    raw[0] ^= 1

    with pytest.raises(InvalidSignatureError) as caught:
        jws.verify_compact(
            f"{header}.{payload}.{b64url_encode(bytes(raw))}", SECRET, algorithms=["HS256"]
        )

    assert caught.value.code == "invalid_signature"
    assert str(caught.value) == "the token's signature does not verify with the given key"


@pytest.mark.parametrize("length", [0, 31, 33, 64])
def test_wrong_length_hmac_rejected(length: int) -> None:
    token = jws.sign_compact(PAYLOAD, SECRET, "HS256")
    header, payload, signature = token.split(".")
    truncated = (b64url_decode(signature, "signature") * 2)[:length]

    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(
            f"{header}.{payload}.{b64url_encode(truncated)}", SECRET, algorithms=["HS256"]
        )


def test_signature_from_other_key_rejected(algorithm_and_key: tuple[str, Key]) -> None:
    algorithm, key = algorithm_and_key
    params = {"curve": key.crv} if key.kty in ("EC", "OKP") else {"size": key.size}  # type: ignore[attr-defined]
    other = Key.generate(key.kty, **params)
    token = jws.sign_compact(PAYLOAD, other, algorithm)

    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(token, verification_key(key), algorithms=[algorithm])


@settings(deadline=None, max_examples=50)
@given(payload=st.binary(max_size=200), position=st.integers(min_value=0))
def test_hmac_round_trip_and_flipped_byte(payload: bytes, position: int) -> None:
    token = jws.sign_compact(payload, SECRET, "HS256")
    assert jws.verify_compact(token, SECRET, algorithms=["HS256"]).payload == payload

    header, _, signature = token.split(".")
    signing_input = bytearray(payload + b"\x00")
    signing_input[position % len(signing_input)] ^= 0xFF
    tampered = f"{header}.{b64url_encode(bytes(signing_input))}.{signature}"
    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(tampered, SECRET, algorithms=["HS256"])


# -- structure ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "message"),
    [
        pytest.param("abc", "the token has 1 part(s) separated by '.'", id="one-part"),
        pytest.param("a.b", "the token has 2 part(s)", id="two-parts"),
        pytest.param("a.b.c.d", "the token has 4 part(s)", id="four-parts"),
        pytest.param("a.b.c.d.e", "it is a JWE (encrypted), not a JWS", id="jwe"),
        pytest.param("", "the token has 1 part(s)", id="empty"),
        pytest.param("..", "the token's header part is empty", id="empty-header"),
        pytest.param(".e30.AAAA", "the token's header part is empty", id="no-header"),
        pytest.param(
            "eyJhbGciOiJIUzI1NiJ9=.e30.AAAA",
            "the token's header is not base64url",
            id="padded-header",
        ),
        pytest.param(
            "eyJhbGciOiJIUzI1NiJ9.e30=.AAAA",
            "the token's payload is not base64url",
            id="padded-payload",
        ),
        pytest.param(
            "eyJhbGciOiJIUzI1NiJ9.e30.AA+A",
            "the token's signature is not base64url",
            id="plus-signature",
        ),
        pytest.param(
            " eyJhbGciOiJIUzI1NiJ9.e30.AAAA",
            "the token's header is not base64url",
            id="leading-space",
        ),
        pytest.param(
            "eyJhbGciOiJIUzI1NiJ9.e30.AAAA\n",
            "the token's signature is not base64url",
            id="trailing-newline",
        ),
        pytest.param(
            "eyJhbGciOiJIUzI1NiJ9.e30.AAAAB",
            "the token's signature is not base64url",
            id="truncated-signature",
        ),
        pytest.param(
            b64("[1]") + ".e30.AAAA",
            "the token's header must be a JSON object, got a JSON array",
            id="header-array",
        ),
        pytest.param(
            b64("{") + ".e30.AAAA", "the token's header is not valid JSON", id="header-syntax"
        ),
        pytest.param(
            b64('{"alg":"HS256","alg":"HS256"}') + ".e30.AAAA",
            "duplicate member name 'alg'",
            id="header-duplicate",
        ),
        pytest.param(b64("{}") + ".e30.AAAA", "the JWS header has no 'alg' parameter", id="no-alg"),
        pytest.param(
            b64('{"alg":256}') + ".e30.AAAA",
            "'alg' must be a string, got a JSON number",
            id="alg-number",
        ),
        pytest.param(
            b64('{"alg":"HS256","kid":7}') + ".e30.AAAA",
            "'kid' must be a string, got a JSON number",
            id="kid-number",
        ),
    ],
)
def test_malformed_token_rejected(token: str, message: str) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        jws.verify_compact(token, SECRET, algorithms=["HS256"])

    assert caught.value.code == "malformed_token"
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "token",
    [None, 42, ["a.b.c"]],
    ids=["none", "number", "list"],
)
def test_token_of_wrong_type_rejected(token: object) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        jws.verify_compact(token, SECRET, algorithms=["HS256"])  # type: ignore[arg-type]

    assert "the token must be a str or bytes" in str(caught.value)


def test_non_ascii_bytes_token_rejected() -> None:
    with pytest.raises(MalformedTokenError) as caught:
        jws.verify_compact("eyJ\u00e9.e30.AAAA".encode(), SECRET, algorithms=["HS256"])

    assert "bytes outside ASCII" in str(caught.value)


def test_parse_compact_does_not_verify() -> None:
    token = jws.sign_compact(PAYLOAD, SECRET, "HS256")
    header, payload, _ = token.split(".")

    parts = jws.parse_compact(f"{header}.{payload}.AAAA")

    assert parts.header == {"alg": "HS256"}
    assert parts.payload == PAYLOAD
    assert parts.signature == b"\x00\x00\x00"
    assert parts.signing_input == f"{header}.{payload}".encode()


# -- algorithm allow-list -------------------------------------------------------------


def test_alg_outside_allow_list_rejected() -> None:
    token = jws.sign_compact(PAYLOAD, SECRET, "HS256")

    with pytest.raises(AlgorithmNotAllowedError) as caught:
        jws.verify_compact(token, SECRET, algorithms=["HS512"])

    assert caught.value.code == "algorithm_not_allowed"
    assert str(caught.value) == (
        "the token's alg 'HS256' is not in the allowed algorithms ['HS512']; if you expect "
        "tokens signed with it, add it to algorithms"
    )


def test_unknown_alg_in_token_rejected() -> None:
    token = b64('{"alg":"HS257"}') + ".e30.AAAA"

    with pytest.raises(AlgorithmNotAllowedError) as caught:
        jws.verify_compact(token, SECRET, algorithms=["HS256"])

    assert "the token's alg 'HS257' is not an algorithm jwtkit implements" in str(caught.value)
    assert "add it to algorithms" not in str(caught.value)


def test_long_alg_shortened_in_message() -> None:
    token = b64('{"alg":"' + "X" * 500 + '"}') + ".e30.AAAA"

    with pytest.raises(AlgorithmNotAllowedError) as caught:
        jws.verify_compact(token, SECRET, algorithms=["HS256"])

    assert "X" * 41 not in str(caught.value)
    assert "X" * 40 + "..." in str(caught.value)


@pytest.mark.parametrize(
    ("algorithms", "error", "message"),
    [
        pytest.param([], UsageError, "algorithms is empty", id="empty"),
        pytest.param(
            "HS256", UsageError, "algorithms must be a list of algorithm names", id="string"
        ),
        pytest.param(None, UsageError, "algorithms must be a list", id="none"),
        pytest.param(
            ["HS256", "XS256"],
            UnsupportedAlgorithmError,
            "algorithm 'XS256' is not supported",
            id="unknown",
        ),
        pytest.param(
            ["hs256"],
            UnsupportedAlgorithmError,
            "algorithm 'hs256' is not supported",
            id="wrong-case",
        ),
        pytest.param(
            [256],
            UnsupportedAlgorithmError,
            "algorithm (int, which is not an algorithm name) is not supported",
            id="number",
        ),
    ],
)
def test_bad_allow_list_rejected(algorithms: object, error: type, message: str) -> None:
    token = jws.sign_compact(PAYLOAD, SECRET, "HS256")

    with pytest.raises(error) as caught:
        jws.verify_compact(token, SECRET, algorithms=algorithms)  # type: ignore[arg-type]

    assert message in str(caught.value)


def test_allowed_algorithms_object_reused() -> None:
    allowed = jws.AllowedAlgorithms(["HS256", "HS384"])
    token = jws.sign_compact(PAYLOAD, SECRET, "HS256")

    assert jws.verify_compact(token, SECRET, algorithms=allowed).payload == PAYLOAD
    assert jws.AllowedAlgorithms(allowed).names == ("HS256", "HS384")


# -- signing errors ----------------------------------------------------------------------


def test_sign_needs_bytes_payload() -> None:
    with pytest.raises(UsageError) as caught:
        jws.sign_compact("text", SECRET, "HS256")  # type: ignore[arg-type]

    assert str(caught.value) == (
        "payload must be bytes, got str; encode text with .encode() or use jwtkit.encode for "
        "a claims dict"
    )


def test_sign_accepts_bytearray_payload() -> None:
    token = jws.sign_compact(bytearray(b"data"), SECRET, "HS256")  # type: ignore[arg-type]

    assert jws.verify_compact(token, SECRET, algorithms=["HS256"]).payload == b"data"


def test_sign_with_public_key_rejected(keys: KeyFactory) -> None:
    public = keys.get("EC", curve="P-256").public_key()

    with pytest.raises(InvalidKeyError) as caught:
        jws.sign_compact(PAYLOAD, public, "ES256")

    assert str(caught.value) == "cannot sign with a public EC key; pass the private key"


def test_sign_with_wrong_family_rejected(keys: KeyFactory) -> None:
    with pytest.raises(InvalidKeyError) as caught:
        jws.sign_compact(PAYLOAD, keys.get("EC", curve="P-256"), "RS256")

    assert "alg 'RS256' needs an RSA key, but the key is an EC key" in str(caught.value)


def test_sign_header_alg_conflict_rejected() -> None:
    with pytest.raises(UsageError) as caught:
        jws.sign_compact(PAYLOAD, SECRET, "HS256", {"alg": "HS512"})

    assert "headers sets alg 'HS512' but algorithm is 'HS256'" in str(caught.value)


def test_sign_header_alg_same_allowed() -> None:
    token = jws.sign_compact(PAYLOAD, SECRET, "HS256", {"alg": "HS256"})

    assert jws.parse_compact(token).header == {"alg": "HS256"}


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        pytest.param(["typ"], "headers must be a dict, got list", id="not-dict"),
        pytest.param({1: "x"}, "header parameter names must be strings, got 1", id="name-number"),
        pytest.param({"x": b"bytes"}, "headers cannot be serialized as JSON", id="bytes-value"),
        pytest.param({"x": float("nan")}, "headers cannot be serialized as JSON", id="nan-value"),
        pytest.param(
            {"b64": "no"}, "header 'b64' must be True or False, got 'no'", id="b64-string"
        ),
        pytest.param(
            {"crit": ["exp"], "exp": 1}, "'crit' lists the extension 'exp'", id="crit-unknown"
        ),
        pytest.param(
            {"crit": ["b64"]}, "'crit' lists 'b64', but the header has no 'b64'", id="crit-absent"
        ),
        pytest.param({"kid": 5}, "'kid' must be a string, got a JSON number", id="kid-number"),
    ],
)
def test_sign_bad_headers_rejected(headers: object, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        jws.sign_compact(PAYLOAD, SECRET, "HS256", headers)  # type: ignore[arg-type]

    assert message in str(caught.value)


@pytest.mark.parametrize("algorithm", ["none", "None", "NONE", "HS1", "RSA-OAEP", ""])
def test_sign_unsupported_algorithm_rejected(algorithm: str) -> None:
    with pytest.raises(UnsupportedAlgorithmError) as caught:
        jws.sign_compact(PAYLOAD, SECRET, algorithm)

    assert caught.value.code == "unsupported_algorithm"
    assert f"algorithm {algorithm!r} is not supported" in str(caught.value)
    assert "Choose one of: HS256, HS384, HS512" in str(caught.value)


# -- detached payloads (RFC 7515 Appendix F) ----------------------------------------------


def test_detached_round_trip(algorithm_and_key: tuple[str, Key]) -> None:
    algorithm, key = algorithm_and_key

    token = jws.sign_compact(PAYLOAD, key, algorithm, detached=True)
    verified = jws.verify_compact(
        token, verification_key(key), algorithms=[algorithm], detached_payload=PAYLOAD
    )

    assert token.split(".")[1] == ""
    assert verified.payload == PAYLOAD


def test_detached_wrong_payload_rejected() -> None:
    token = jws.sign_compact(PAYLOAD, SECRET, "HS256", detached=True)

    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(token, SECRET, algorithms=["HS256"], detached_payload=b"other")


def test_detached_payload_not_supplied_rejected() -> None:
    token = jws.sign_compact(PAYLOAD, SECRET, "HS256", detached=True)

    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(token, SECRET, algorithms=["HS256"])


def test_detached_payload_with_attached_rejected() -> None:
    token = jws.sign_compact(PAYLOAD, SECRET, "HS256")

    with pytest.raises(MalformedTokenError) as caught:
        jws.verify_compact(token, SECRET, algorithms=["HS256"], detached_payload=PAYLOAD)

    assert "a detached payload was given, but the token carries a payload too" in str(caught.value)


def test_attached_token_equals_detached_plus_payload() -> None:
    attached = jws.sign_compact(PAYLOAD, SECRET, "HS256")
    detached = jws.sign_compact(PAYLOAD, SECRET, "HS256", detached=True)

    header, _, signature = attached.split(".")

    assert detached == f"{header}..{signature}"


# -- unencoded payloads (RFC 7797) -------------------------------------------------------

# RFC 7797 §4: the examples use the HMAC key of RFC 7515 Appendix A.1.
RFC7797_KEY = {
    "kty": "oct",
    "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
}
# RFC 7797 §4.1: the payload "$.02" signed with "b64": true.
RFC7797_4_1_TOKEN = "eyJhbGciOiJIUzI1NiJ9.JC4wMg.5mvfOroL-g7HyqJoozehmsaqmvTYGEq5jTI1gVvoEoQ"
# RFC 7797 §4.2: the same payload with "b64": false. Because "$.02" contains
# '.', the compact form must carry it detached.
RFC7797_4_2_HEADER = "eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19"
RFC7797_4_2_SIGNATURE = "A5dxf2s96_n5FLueVuW1Z_vh161FwXZC4YLPff6dmDY"


def test_rfc7797_b64_true_example() -> None:
    verified = jws.verify_compact(RFC7797_4_1_TOKEN, RFC7797_KEY, algorithms=["HS256"])

    assert verified.payload == b"$.02"
    assert jws.sign_compact(b"$.02", RFC7797_KEY, "HS256") == RFC7797_4_1_TOKEN


def test_rfc7797_b64_false_example() -> None:
    token = f"{RFC7797_4_2_HEADER}..{RFC7797_4_2_SIGNATURE}"

    verified = jws.verify_compact(
        token, RFC7797_KEY, algorithms=["HS256"], detached_payload=b"$.02"
    )

    assert verified.protected == {"alg": "HS256", "b64": False, "crit": ["b64"]}
    assert verified.payload == b"$.02"
    assert jws.sign_compact(b"$.02", RFC7797_KEY, "HS256", {"b64": False}, detached=True) == token


def test_b64_false_attached_round_trip(algorithm_and_key: tuple[str, Key]) -> None:
    algorithm, key = algorithm_and_key
    payload = b"plain text payload ~ with spaces and \xc3\xa9"

    token = jws.sign_compact(payload, key, algorithm, {"b64": False})
    verified = jws.verify_compact(token, verification_key(key), algorithms=[algorithm])

    assert token.split(".")[1] == payload.decode()
    assert verified.protected["b64"] is False
    assert verified.protected["crit"] == ["b64"]
    assert verified.payload == payload


def test_b64_false_tampered_payload_rejected() -> None:
    token = jws.sign_compact(b"amount=100", SECRET, "HS256", {"b64": False})
    header, _, signature = token.split(".")

    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(f"{header}.amount=900.{signature}", SECRET, algorithms=["HS256"])


def test_b64_false_signature_differs_from_b64_true() -> None:
    encoded = jws.sign_compact(b"abc", SECRET, "HS256", {"b64": True, "crit": ["b64"]})
    unencoded = jws.sign_compact(b"abc", SECRET, "HS256", {"b64": False})

    assert jws.verify_compact(encoded, SECRET, algorithms=["HS256"]).payload == b"abc"
    assert encoded.split(".")[1] == b64url_encode(b"abc")
    assert unencoded.split(".")[1] == "abc"


def test_b64_false_payload_with_dot_must_be_detached() -> None:
    with pytest.raises(UsageError) as caught:
        jws.sign_compact(b"a.b", SECRET, "HS256", {"b64": False})

    assert "containing '.' cannot be attached to a compact JWS; pass detached=True" in str(
        caught.value
    )


def test_b64_false_binary_payload_must_be_detached() -> None:
    with pytest.raises(UsageError) as caught:
        jws.sign_compact(b"\xff\xfe", SECRET, "HS256", {"b64": False})

    assert "must be UTF-8 text; pass detached=True" in str(caught.value)

    token = jws.sign_compact(b"\xff\xfe", SECRET, "HS256", {"b64": False}, detached=True)
    verified = jws.verify_compact(token, SECRET, algorithms=["HS256"], detached_payload=b"\xff\xfe")
    assert verified.payload == b"\xff\xfe"


def test_b64_without_crit_rejected() -> None:
    # RFC 7797 §6: "b64" must be listed in "crit" wherever it is used.
    token = b64('{"alg":"HS256","b64":false}') + ".abc.AAAA"

    with pytest.raises(CriticalHeaderError) as caught:
        jws.verify_compact(token, SECRET, algorithms=["HS256"])

    assert caught.value.code == "unsupported_critical_header"
    assert "has 'b64' but does not list it in 'crit'" in str(caught.value)


def test_b64_not_boolean_rejected() -> None:
    token = b64('{"alg":"HS256","b64":0,"crit":["b64"]}') + ".abc.AAAA"

    with pytest.raises(MalformedTokenError) as caught:
        jws.verify_compact(token, SECRET, algorithms=["HS256"])

    assert "'b64' must be true or false, got a JSON number" in str(caught.value)


# -- crit ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "message"),
    [
        pytest.param(
            '{"alg":"HS256","crit":["exp"],"exp":1}',
            "'crit' lists the extension 'exp', which jwtkit does not process",
            id="unknown",
        ),
        pytest.param(
            '{"alg":"HS256","crit":["x"]}', "'crit' lists the extension 'x'", id="unknown-absent"
        ),
        pytest.param('{"alg":"HS256","crit":[]}', "'crit' must be a non-empty array", id="empty"),
        pytest.param(
            '{"alg":"HS256","crit":"b64","b64":true}',
            "'crit' must be a non-empty array",
            id="string",
        ),
        pytest.param(
            '{"alg":"HS256","crit":[1]}', "'crit' contains 1, which is not a string", id="number"
        ),
        pytest.param(
            '{"alg":"HS256","crit":["b64","b64"],"b64":true}',
            "'crit' lists 'b64' twice",
            id="twice",
        ),
        pytest.param(
            '{"alg":"HS256","crit":["alg"]}',
            "'crit' lists 'alg', a parameter RFC 7515 defines",
            id="registered",
        ),
        pytest.param(
            '{"alg":"HS256","crit":["b64"]}',
            "'crit' lists 'b64', but the header has no 'b64'",
            id="b64-absent",
        ),
    ],
)
def test_bad_crit_rejected(header: str, message: str) -> None:
    token = f"{b64(header)}.e30.AAAA"

    with pytest.raises(CriticalHeaderError) as caught:
        jws.verify_compact(token, SECRET, algorithms=["HS256"])

    assert caught.value.code == "unsupported_critical_header"
    assert message in str(caught.value)


def test_crit_checked_before_signature() -> None:
    # An unknown critical extension is rejected even with a valid signature.
    token = jws.sign_compact(PAYLOAD, SECRET, "HS256", {"b64": True})
    header = b64('{"alg":"HS256","crit":["b64","urn:x"],"b64":true,"urn:x":1}')
    _, payload, signature = token.split(".")

    with pytest.raises(CriticalHeaderError):
        jws.verify_compact(f"{header}.{payload}.{signature}", SECRET, algorithms=["HS256"])
