"""Strict base64url (RFC 4648 §5 without padding) and strict JSON (RFC 8259).

Lenient decoders are where parsing bugs in JOSE libraries come from: two
different byte strings decoding to the same header, or a header member read
twice with different values. Everything here has exactly one accepted spelling.
"""

from __future__ import annotations

import binascii
import json
import math
import re

from jwtkit.errors import MalformedTokenError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

BASE64URL_PATTERN = re.compile(r"[A-Za-z0-9_-]*")

# With 2 or 3 characters in the last group, the final character carries 4 or 2
# bits that are not part of the decoded bytes. RFC 4648 §3.5 requires them to be
# zero; accepting other values would give one byte string several encodings.
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_CANONICAL_LAST = {
    2: frozenset(c for i, c in enumerate(_ALPHABET) if i % 16 == 0),
    3: frozenset(c for i, c in enumerate(_ALPHABET) if i % 4 == 0),
}

_TO_STANDARD = bytes.maketrans(b"-_", b"+/")
_TO_URLSAFE = bytes.maketrans(b"+/", b"-_")
_PADDING = ("", "", "==", "=")

MAX_JSON_DEPTH = 32


def b64url_encode(data: bytes) -> str:
    """Encode bytes as base64url without padding."""
    return binascii.b2a_base64(data, newline=False).rstrip(b"=").translate(_TO_URLSAFE).decode()


def b64url_decode(text: str, what: str) -> bytes:
    """Decode strict base64url; ``what`` names the part in the error message."""
    if BASE64URL_PATTERN.fullmatch(text) is None:
        raise MalformedTokenError(
            f"{what} is not base64url: it contains characters outside A-Z, a-z, 0-9, '-' "
            "and '_' (padding '=', '+', '/' and whitespace are not allowed); "
            "encode it with base64url without padding"
        )
    return b64url_decode_checked_alphabet(text, what)


def b64url_decode_checked_alphabet(text: str, what: str) -> bytes:
    """Decode text already known to hold only base64url characters, strictly otherwise."""
    remainder = len(text) % 4
    if remainder == 1:
        raise MalformedTokenError(
            f"{what} is not base64url: its length {len(text)} leaves a single character "
            "in the last group, which no byte string encodes to; the value is truncated"
        )
    if remainder and text[-1] not in _CANONICAL_LAST[remainder]:
        raise MalformedTokenError(
            f"{what} is not canonical base64url: the unused bits of its last character "
            "are not zero; re-encode the original bytes"
        )
    try:
        standard = (text + _PADDING[remainder]).encode("ascii").translate(_TO_STANDARD)
        return binascii.a2b_base64(standard)
    except binascii.Error as exc:  # unreachable after the checks above, kept as a guard
        raise MalformedTokenError(f"{what} is not base64url: {exc}") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number (RFC 8259 §6)")


def _parse_finite_float(text: str) -> float:
    # A number beyond the double range would parse as infinity, which is
    # Infinity under another spelling.
    value = float(text)
    if not math.isfinite(value):
        shown = text if len(text) <= 20 else text[:20] + "..."
        raise ValueError(f"the number {shown} is outside the range of a double")
    return value


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for name, _ in pairs:
            if name in seen:
                raise ValueError(f"duplicate member name {name!r}")
            seen.add(name)
    return obj


def _nesting_depth(text: str, limit: int) -> int:
    """Return the deepest nesting of arrays and objects, skipping string contents.

    The scan stops once the depth exceeds ``limit``, so rejecting a deeply
    nested document costs time proportional to ``limit``, not to its length.
    """
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


# One decoder for every parse: json.loads with hooks would build a new one per call.
_STRICT_DECODER = json.JSONDecoder(
    object_pairs_hook=_unique_object,
    parse_constant=_reject_constant,
    parse_float=_parse_finite_float,
)


def json_loads(data: bytes | str, what: str) -> Any:
    """Parse strict JSON: UTF-8, unique member names, no NaN or Infinity, bounded depth.

    Strings must be valid Unicode (I-JSON, RFC 7493 §2.1): a lone surrogate,
    escaped as ``\\ud800`` or present in ``str`` input, is rejected.
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise MalformedTokenError(
            f"{what} is not valid UTF-8; JOSE requires UTF-8 encoded JSON"
        ) from None
    if isinstance(data, str) and not data.isascii() and _SURROGATE.search(data):
        raise MalformedTokenError(
            f"{what} contains a lone surrogate, which is not a Unicode character "
            "(RFC 7493 §2.1); pass text decoded from UTF-8"
        )

    # Counting brackets is cheap and bounds the depth from above; only text with
    # many brackets pays for the exact scan that skips string contents.
    brackets = text.count("[") + text.count("{")
    if brackets > MAX_JSON_DEPTH and _nesting_depth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise MalformedTokenError(
            f"{what} nests arrays or objects deeper than {MAX_JSON_DEPTH} levels; flatten the JSON"
        )

    if text.startswith("\ufeff"):
        raise MalformedTokenError(
            f"{what} is not valid JSON: it starts with a byte order mark, which JSON text "
            "must not carry (RFC 8259 §8.1); remove it"
        )
    try:
        value = _STRICT_DECODER.decode(text)
    except (ValueError, RecursionError) as exc:
        raise MalformedTokenError(f"{what} is not valid JSON: {_json_error(exc)}") from None

    # Only an escape can put a surrogate into a parsed string, and most texts
    # have none, so only they pay for the walk over the parsed value.
    if "\\u" in text and _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise MalformedTokenError(
            f"{what} is not valid I-JSON: a string contains a lone surrogate, that is an "
            "unpaired surrogate escape such as \\ud800, which encodes no Unicode character "
            "(RFC 7493 §2.1); escape a character outside the BMP as a high and low surrogate "
            "pair, or send it as UTF-8"
        )
    return value


def _json_error(exc: Exception) -> str:
    # Python's own message for an over-long integer advises raising an
    # interpreter limit, which is no advice for input from a token.
    if "integer string conversion" in str(exc):
        return "a number too long to read (more than 4300 digits)"
    return str(exc)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(value: Any) -> bool:
    # The decoder joins each valid escaped pair into one character, so any
    # surrogate left in a parsed string came from an unpaired escape.
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    if isinstance(value, dict):
        return any(
            _SURROGATE.search(name) is not None or _has_lone_surrogate(item)
            for name, item in value.items()
        )
    return False


def json_loads_object(data: bytes | str, what: str) -> dict[str, Any]:
    """Parse strict JSON that must be an object (a JOSE header or a claims set)."""
    value = json_loads(data, what)
    if not isinstance(value, dict):
        raise MalformedTokenError(
            f"{what} must be a JSON object, got a JSON {json_type_name(value)}"
        )
    return value


_COMPACT_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def json_dumps(value: Any) -> bytes:
    """Serialize compact UTF-8 JSON that ``json_loads`` accepts back.

    NaN, Infinity, lone surrogates and nesting deeper than ``MAX_JSON_DEPTH``
    raise ValueError.
    """
    try:
        text = _COMPACT_ENCODER.encode(value)
    except RecursionError:
        raise ValueError(_TOO_DEEP_TO_SERIALIZE) from None

    # Nesting deeper than MAX_JSON_DEPTH needs more than that many opening
    # and as many closing brackets, so shorter text skips both counts.
    brackets = text.count("{") + text.count("[") if len(text) > 2 * MAX_JSON_DEPTH else 0
    if brackets > MAX_JSON_DEPTH and _nesting_depth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise ValueError(_TOO_DEEP_TO_SERIALIZE)
    return text.encode("utf-8")


_TOO_DEEP_TO_SERIALIZE = (
    f"the value nests arrays or objects deeper than {MAX_JSON_DEPTH} levels, which "
    "jwtkit's parser rejects; flatten it"
)


def json_type_name(value: Any) -> str:
    """Name a parsed JSON value's type in JSON's own words (for messages)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def is_number(value: Any) -> bool:
    """Tell whether a parsed JSON value is a finite number (booleans are not numbers)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value)
