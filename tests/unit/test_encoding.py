"""Strict base64url and strict JSON, the first layer every token passes through."""

from __future__ import annotations

import base64
import contextlib
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jwtkit
from jwtkit import jws
from jwtkit._encoding import (
    MAX_JSON_DEPTH,
    b64url_decode,
    b64url_encode,
    json_dumps,
    json_loads,
    json_loads_object,
)
from jwtkit.errors import MalformedTokenError, TokenTooLargeError, UsageError

BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
SECRET = b"k" * 32

# -- base64url --------------------------------------------------------------


def test_b64url_encode_has_no_padding() -> None:
    assert b64url_encode(b"f") == "Zg"
    assert b64url_encode(b"fo") == "Zm8"
    assert b64url_encode(b"foo") == "Zm9v"
    assert b64url_encode(b"") == ""


def test_b64url_encode_uses_url_alphabet() -> None:
    assert b64url_encode(b"\xfb\xff") == "-_8"


def test_b64url_decode_accepts_canonical_text() -> None:
    assert b64url_decode("Zm9vYmFy", "value") == b"foobar"
    assert b64url_decode("-_8", "value") == b"\xfb\xff"
    assert b64url_decode("", "value") == b""


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Zg==", id="padding"),
        pytest.param("Zm8=", id="single-padding"),
        pytest.param("+_8", id="plus"),
        pytest.param("-/8", id="slash"),
        pytest.param("Zm9v YmFy", id="space"),
        pytest.param("Zm9v\nYmFy", id="newline"),
        pytest.param("Zm9vYmFy\n", id="trailing-newline"),
        pytest.param("\tZm9v", id="tab"),
        pytest.param("Zm9v.", id="dot"),
        pytest.param("Zm9v*", id="asterisk"),
        pytest.param("Zm9v\x00", id="nul"),
        pytest.param("Zm9v\u00e9", id="latin-letter"),
        pytest.param("\uff21\uff21", id="fullwidth-letters"),
        pytest.param("\u0661\u0662", id="arabic-digits"),
    ],
)
def test_b64url_decode_rejects_characters_outside_alphabet(text: str) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        b64url_decode(text, "the token's header")

    assert caught.value.code == "malformed_token"
    assert str(caught.value).startswith("the token's header is not base64url")
    assert "outside A-Z, a-z, 0-9, '-' and '_'" in str(caught.value)


@pytest.mark.parametrize("text", ["A", "Zm9vY", "Zm9vYmFyZ"])
def test_b64url_decode_rejects_length_one_mod_four(text: str) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        b64url_decode(text, "the token's payload")

    assert caught.value.code == "malformed_token"
    assert f"its length {len(text)} leaves a single character" in str(caught.value)


@pytest.mark.parametrize("group_length", [2, 3])
def test_b64url_decode_rejects_every_nonzero_trailing_bits(group_length: int) -> None:
    # With 2 characters the last one carries 4 unused bits, with 3 it carries 2.
    unused_bits = 4 if group_length == 2 else 2
    prefix = "A" * (group_length - 1)
    for index, last in enumerate(BASE64URL_ALPHABET):
        text = prefix + last
        if index % (1 << unused_bits) == 0:
            assert b64url_encode(b64url_decode(text, "value")) == text
            continue
        with pytest.raises(MalformedTokenError) as caught:
            b64url_decode(text, "value")
        assert caught.value.code == "malformed_token"
        assert "unused bits of its last character are not zero" in str(caught.value)


def test_b64url_decode_lenient_alias_is_rejected() -> None:
    # "Zh" and "Zg" decode to the same byte with a lenient decoder.
    assert base64.urlsafe_b64decode("Zh==") == b"f"

    with pytest.raises(MalformedTokenError):
        b64url_decode("Zh", "value")


@settings(deadline=None)
@given(st.binary(max_size=300))
def test_b64url_round_trip(data: bytes) -> None:
    text = b64url_encode(data)

    assert set(text) <= set(BASE64URL_ALPHABET)
    assert b64url_decode(text, "value") == data


@settings(deadline=None)
@given(st.text(alphabet=BASE64URL_ALPHABET, max_size=40))
def test_b64url_decode_has_one_spelling_per_value(text: str) -> None:
    try:
        data = b64url_decode(text, "value")
    except MalformedTokenError:
        return

    assert b64url_encode(data) == text


@settings(deadline=None)
@given(st.text(max_size=40))
def test_b64url_decode_raises_only_malformed(text: str) -> None:
    with contextlib.suppress(MalformedTokenError):
        b64url_decode(text, "value")


# -- JSON -------------------------------------------------------------------


def test_json_loads_reads_an_object() -> None:
    assert json_loads_object(b'{"alg":"HS256","n":[1,2.5,true,null]}', "header") == {
        "alg": "HS256",
        "n": [1, 2.5, True, None],
    }


def test_json_loads_accepts_surrounding_whitespace() -> None:
    # RFC 8259 §2 allows insignificant whitespace around any value.
    assert json_loads_object(b' {"a":1}\r\n', "header") == {"a": 1}


def test_json_duplicate_member_rejected() -> None:
    with pytest.raises(MalformedTokenError) as caught:
        json_loads_object(b'{"alg":"HS256","alg":"none"}', "the token's header")

    assert caught.value.code == "malformed_token"
    assert "the token's header is not valid JSON" in str(caught.value)
    assert "duplicate member name 'alg'" in str(caught.value)


def test_json_nested_duplicate_member_rejected() -> None:
    with pytest.raises(MalformedTokenError) as caught:
        json_loads_object(b'{"a":{"b":1,"b":1}}', "the token's claims")

    assert "duplicate member name 'b'" in str(caught.value)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_non_numbers_rejected(constant: str) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        json_loads_object(f'{{"exp":{constant}}}'.encode(), "the token's claims")

    assert caught.value.code == "malformed_token"
    assert f"{constant} is not a JSON number" in str(caught.value)


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1.5e309"])
def test_json_overflowing_number_rejected(number: str) -> None:
    # Python's parser turns these into infinity, which is Infinity in disguise.
    with pytest.raises(MalformedTokenError) as caught:
        json_loads_object(f'{{"exp":{number}}}'.encode(), "the token's claims")

    assert caught.value.code == "malformed_token"
    assert "the token's claims is not valid JSON" in str(caught.value)


def test_json_huge_integer_rejected() -> None:
    with pytest.raises(MalformedTokenError) as caught:
        json_loads_object(b'{"exp":' + b"9" * 5000 + b"}", "the token's claims")

    assert "the token's claims is not valid JSON" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("[1,2]", "array"),
        ('"HS256"', "string"),
        ("42", "number"),
        ("4.5", "number"),
        ("null", "null"),
        ("true", "boolean"),
        ("false", "boolean"),
    ],
)
def test_json_non_object_rejected(text: str, kind: str) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        json_loads_object(text.encode(), "the token's header")

    assert caught.value.code == "malformed_token"
    assert str(caught.value) == f"the token's header must be a JSON object, got a JSON {kind}"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b'{"a":"\xff"}', id="invalid-byte"),
        pytest.param(b'{"a":"\xc0\xaf"}', id="overlong"),
        pytest.param(b'{"a":"\xed\xa0\x80"}', id="encoded-surrogate"),
        pytest.param(b'{"a":"\xe2\x82"}', id="truncated-sequence"),
        pytest.param(b'\xfe\xff{"a":1}', id="utf16-bom"),
    ],
)
def test_json_invalid_utf8_rejected(data: bytes) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        json_loads_object(data, "the token's claims")

    assert caught.value.code == "malformed_token"
    assert str(caught.value) == (
        "the token's claims is not valid UTF-8; JOSE requires UTF-8 encoded JSON"
    )


def test_json_utf8_bom_rejected() -> None:
    with pytest.raises(MalformedTokenError) as caught:
        json_loads_object(b'\xef\xbb\xbf{"a":1}', "the token's header")

    assert "the token's header is not valid JSON" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"a":1,}', id="trailing-comma"),
        pytest.param("{'a':1}", id="single-quotes"),
        pytest.param('{"a":1}{"b":2}', id="two-values"),
        pytest.param('{"a":01}', id="leading-zero"),
        pytest.param("", id="empty"),
        pytest.param('{"a":1', id="unterminated"),
    ],
)
def test_json_syntax_errors_rejected(text: str) -> None:
    with pytest.raises(MalformedTokenError) as caught:
        json_loads_object(text.encode(), "the token's header")

    assert caught.value.code == "malformed_token"
    assert "the token's header is not valid JSON" in str(caught.value)


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_json_deep_nesting_rejected(opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    text = opener * 100_000 + "1" + closer * 100_000

    with pytest.raises(MalformedTokenError) as caught:
        json_loads(text, "the token's claims")

    assert caught.value.code == "malformed_token"
    assert f"nests arrays or objects deeper than {MAX_JSON_DEPTH} levels" in str(caught.value)


def test_json_nesting_at_limit_accepted() -> None:
    text = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH

    assert json_loads(text, "value") is not None


def test_json_brackets_inside_strings_not_counted() -> None:
    text = json.dumps({"note": "[" * (MAX_JSON_DEPTH * 2)})

    assert json_loads_object(text, "value") == {"note": "[" * (MAX_JSON_DEPTH * 2)}


def test_json_dumps_is_compact_utf8() -> None:
    assert json_dumps({"a": "é", "b": [1, 2]}) == '{"a":"é","b":[1,2]}'.encode()


def test_json_dumps_rejects_nan() -> None:
    with pytest.raises(ValueError):
        json_dumps({"a": math.nan})


JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(deadline=None)
@given(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=6))
def test_json_object_round_trip(value: dict[str, Any]) -> None:
    assert json_loads_object(json_dumps(value), "value") == value


# -- the token size limit -----------------------------------------------------

HUGE_TOKEN = "eyJhbGciOiJIUzI1NiJ9." + "A" * (8 * 1024 * 1024) + ".AAAA"


@pytest.mark.parametrize("as_bytes", [False, True], ids=["str", "bytes"])
def test_huge_token_rejected_by_decode(as_bytes: bool) -> None:
    token = HUGE_TOKEN.encode() if as_bytes else HUGE_TOKEN

    with pytest.raises(TokenTooLargeError) as caught:
        jwtkit.decode(token, SECRET, algorithms=["HS256"])

    assert caught.value.code == "token_too_large"
    assert f"the token is {len(HUGE_TOKEN)} characters, over the maximum of" in str(caught.value)
    assert "nothing of it was decoded" in str(caught.value)


def test_huge_token_rejected_by_verifier() -> None:
    verifier = jwtkit.Verifier(SECRET, algorithms=["HS256"])

    with pytest.raises(TokenTooLargeError):
        verifier.verify(HUGE_TOKEN)


def test_huge_token_rejected_by_decode_unverified() -> None:
    with pytest.raises(TokenTooLargeError):
        jwtkit.decode_unverified(HUGE_TOKEN)


def test_huge_token_rejected_by_verify_compact() -> None:
    with pytest.raises(TokenTooLargeError):
        jws.verify_compact(HUGE_TOKEN, SECRET, algorithms=["HS256"])


def test_size_checked_before_structure() -> None:
    # Neither base64url nor three parts: the size check must come first.
    garbage = "!" * 70_000

    with pytest.raises(TokenTooLargeError):
        jwtkit.decode(garbage, SECRET, algorithms=["HS256"])


def test_max_token_size_is_configurable() -> None:
    token = jwtkit.encode({"sub": "alice"}, SECRET, "HS256")

    with pytest.raises(TokenTooLargeError):
        jwtkit.decode(token, SECRET, algorithms=["HS256"], max_token_size=len(token) - 1)
    assert jwtkit.decode(token, SECRET, algorithms=["HS256"], max_token_size=len(token)) == {
        "sub": "alice"
    }


@pytest.mark.parametrize("limit", ["65536", 1.5, None, True])
def test_max_token_size_option_validated(limit: Any) -> None:
    token = jwtkit.encode({"sub": "alice"}, SECRET, "HS256")

    for call in (
        lambda: jwtkit.decode(token, SECRET, algorithms=["HS256"], max_token_size=limit),
        lambda: jwtkit.decode_unverified(token, max_token_size=limit),
        lambda: jws.verify_compact(token, SECRET, algorithms=["HS256"], max_token_size=limit),
    ):
        with pytest.raises(UsageError) as caught:
            call()
        assert "max_token_size must be a positive integer" in str(caught.value)
