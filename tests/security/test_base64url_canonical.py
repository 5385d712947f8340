"""Each part of a token has one spelling: base64url, no padding, zero trailing bits.

A lenient decoder maps many texts to the same bytes: with '=' padding, with
'+' and '/' from the standard alphabet, with whitespace, or with non-zero
bits in the unused low bits of the last character. Each variant below
decodes to the genuine part's bytes under such a decoder (checked first), and
its MAC is valid over the variant text itself, so the token is rejected only
because jwtkit's base64url is strict (RFC 7515 §2, RFC 4648 §3.5 and §5).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable

import pytest

import jwtkit
from jwtkit import errors
from tests.security.conftest import Verify
from tests.security.forge import b64

SECRET = b"a shared secret of at least 32 bytes for HS256"
PARTS = ["header", "payload", "signature"]
PART_NAMES = {
    "header": "the token's header",
    "payload": "the token's payload",
    "signature": "the token's signature",
}
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _lenient_decode(text: str) -> bytes:
    """Decode the way a permissive base64 decoder does, to show a variant is an alias."""
    cleaned = "".join(text.split()).rstrip("=").replace("-", "+").replace("_", "/")
    return base64.b64decode(cleaned + "=" * (-len(cleaned) % 4))


def _has_url_characters(*texts: str) -> bool:
    return all("-" in text and "_" in text for text in texts)


def _with_remainder(make: Callable[[int], str], remainder: int) -> str:
    """Return the first make(n) whose length leaves ``remainder`` characters in the last group."""
    for counter in range(1000):
        text = make(counter)
        if len(text) % 4 == remainder:
            return text
    raise AssertionError(f"no encoding of length {remainder} modulo 4 in 1000 tries")


def _genuine_parts(remainder: int | None) -> tuple[str, str, str]:
    """Build genuine parts whose text contains '-' and '_', or whose length leaves ``remainder``."""

    def header(counter: int) -> str:
        return b64(f'{{"alg":"HS256","x":"{counter:x}~~~?>?>"}}'.encode())

    def payload(counter: int) -> str:
        return b64(f'{{"sub":"alice","n":"{counter:x}~~~???>>>"}}'.encode())

    if remainder is not None:
        header_part = _with_remainder(header, remainder)
        payload_part = _with_remainder(payload, remainder)
        return header_part, payload_part, _mac_part(header_part, payload_part)

    # Each part's text must contain both '-' and '_', so that swapping them for
    # '+' and '/' changes it.
    header_part = next(header(n) for n in range(100_000) if _has_url_characters(header(n)))
    for counter in range(100_000):
        payload_part = payload(counter)
        signature_part = _mac_part(header_part, payload_part)
        if _has_url_characters(payload_part, signature_part):
            return header_part, payload_part, signature_part
    raise AssertionError("no payload whose text and MAC contain both '-' and '_'")


def _mac_part(header_part: str, payload_part: str) -> str:
    return b64(hmac.digest(SECRET, f"{header_part}.{payload_part}".encode(), "sha256"))


def _token(parts: dict[str, str]) -> str:
    """Join the parts, MACing the header and payload text exactly as given."""
    signature = parts.get("signature") or _mac_part(parts["header"], parts["payload"])
    return f"{parts['header']}.{parts['payload']}.{signature}"


def _replaced(genuine: dict[str, str], part: str, text: str) -> dict[str, str]:
    """Replace one part; a replaced header or payload gets a MAC over its new text."""
    parts = {**genuine, part: text}
    if part != "signature":
        del parts["signature"]
    return parts


def _padded(text: str) -> list[str]:
    return [text + "=" * (-len(text) % 4 or 4), text + "==", text + "="]


def _standard_alphabet(text: str) -> list[str]:
    return [
        text.replace("-", "+"),
        text.replace("_", "/"),
        text.replace("-", "+").replace("_", "/"),
    ]


def _whitespace(text: str) -> list[str]:
    middle = len(text) // 2
    return [
        text[:middle] + " " + text[middle:],
        text[:middle] + "\n" + text[middle:],
        text[:middle] + "\r\n" + text[middle:],
        text[:middle] + "\t" + text[middle:],
        text + "\n",
        " " + text,
    ]


def _nonzero_trailing_bits(text: str) -> list[str]:
    # With 2 or 3 characters in the last group, the last character carries 4
    # or 2 unused bits; every other value of them decodes to the same bytes.
    unused_bits = {2: 4, 3: 2}[len(text) % 4]
    index = _ALPHABET.index(text[-1])
    return [text[:-1] + _ALPHABET[index | flip] for flip in range(1, 1 << unused_bits)]


VARIANTS: dict[str, tuple[Callable[[str], list[str]], int | None]] = {
    "padding": (_padded, None),
    "standard alphabet": (_standard_alphabet, None),
    "whitespace": (_whitespace, None),
    "trailing bits, 2 in last group": (_nonzero_trailing_bits, 2),
    "trailing bits, 3 in last group": (_nonzero_trailing_bits, 3),
}


# An HS256 MAC (32 bytes) always leaves 3 characters in the last group, so the
# signature part has no 2-character variant.
CASES = [
    (part, variant)
    for part in PARTS
    for variant in sorted(VARIANTS)
    if not (part == "signature" and VARIANTS[variant][1] == 2)
]


def _variant_tokens(part: str, variant: str) -> list[str]:
    make_variants, remainder = VARIANTS[variant]
    genuine = dict(zip(PARTS, _genuine_parts(remainder), strict=True))

    tokens = []
    for text in make_variants(genuine[part]):
        assert text != genuine[part]
        assert _lenient_decode(text) == _lenient_decode(genuine[part]), text
        tokens.append(_token(_replaced(genuine, part, text)))
    return tokens


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_genuine_parts_verify(verify: Verify, variant: str) -> None:
    # The positive control: the canonical parts the variants derive from verify.
    token = _token(dict(zip(PARTS, _genuine_parts(VARIANTS[variant][1]), strict=True)))

    assert verify(token, SECRET, ["HS256"])


@pytest.mark.parametrize(("part", "variant"), CASES)
def test_noncanonical_part_rejected(verify: Verify, part: str, variant: str) -> None:
    for token in _variant_tokens(part, variant):
        with pytest.raises(errors.MalformedTokenError) as excinfo:
            verify(token, SECRET, ["HS256"])

        assert excinfo.value.code == "malformed_token", token
        assert PART_NAMES[part] in excinfo.value.message, token


@pytest.mark.parametrize(("part", "variant"), CASES)
def test_noncanonical_part_unverified(part: str, variant: str) -> None:
    for token in _variant_tokens(part, variant):
        for read in (jwtkit.decode_unverified, jwtkit.jws.parse_compact):
            with pytest.raises(errors.MalformedTokenError) as excinfo:
                read(token)
            assert PART_NAMES[part] in excinfo.value.message, token


def test_trailing_bits_message() -> None:
    header_part, payload_part, _ = _genuine_parts(2)
    token = _token({"header": _nonzero_trailing_bits(header_part)[0], "payload": payload_part})

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        jwtkit.decode(token, SECRET, algorithms=["HS256"])

    assert "not canonical base64url" in excinfo.value.message
    assert "unused bits" in excinfo.value.message


@pytest.mark.parametrize("part", PARTS)
def test_single_character_group_rejected(part: str) -> None:
    # A last group of one character encodes no whole byte; lenient decoders
    # differ on it (Python's raises, others drop it), so it is never accepted.
    genuine = dict(zip(PARTS, _genuine_parts(None), strict=True))
    text = genuine[part] + "A" * ((1 - len(genuine[part])) % 4)
    assert len(text) % 4 == 1
    with pytest.raises(binascii.Error):
        base64.urlsafe_b64decode(text + "===")

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        jwtkit.decode(_token(_replaced(genuine, part, text)), SECRET, algorithms=["HS256"])

    assert PART_NAMES[part] in excinfo.value.message


@pytest.mark.parametrize("character", ["\x00", "é", ".", "%2D", "\u200b", "*"])
def test_foreign_character_rejected(verify: Verify, character: str) -> None:
    header_part, payload_part, _ = _genuine_parts(None)
    middle = len(payload_part) // 2
    payload_part = payload_part[:middle] + character + payload_part[middle:]

    with pytest.raises(errors.MalformedTokenError) as excinfo:
        verify(_token({"header": header_part, "payload": payload_part}), SECRET, ["HS256"])

    assert excinfo.value.code == "malformed_token"
