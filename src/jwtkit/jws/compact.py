"""JWS Compact Serialization (RFC 7515 §7.1), with RFC 7797 unencoded and detached payloads."""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterable, Mapping

from jwtkit._encoding import (
    b64url_decode,
    b64url_decode_checked_alphabet,
    b64url_encode,
    json_dumps,
    json_loads_object,
)
from jwtkit.errors import MalformedTokenError, TokenTooLargeError, UsageError
from jwtkit.jwa import get_signature_algorithm
from jwtkit.jwk import resolve_key
from jwtkit.jws.header import AllowedAlgorithms, build_header, check_header
from jwtkit.jws.verified import Verified
from jwtkit.jws.verify import verify_signature

# The default maximum token length in characters, checked before any decoding.
# Real tokens, even with an x5c chain, stay well below it.
DEFAULT_MAX_TOKEN_SIZE = 64 * 1024

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NamedTuple

_COMPACT_PATTERN = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")


if TYPE_CHECKING:

    class CompactParts(NamedTuple):
        """A compact JWS split and decoded, not yet verified."""

        header: dict[str, Any]
        payload: bytes
        signature: bytes
        signing_input: bytes

else:
    CompactParts = namedtuple("CompactParts", ("header", "payload", "signature", "signing_input"))
    CompactParts.__doc__ = "A compact JWS split and decoded, not yet verified."


def parse_compact(
    token: str | bytes,
    *,
    max_token_size: int = DEFAULT_MAX_TOKEN_SIZE,
    detached_payload: bytes | None = None,
) -> CompactParts:
    """Split and strictly decode a compact JWS; check its header rules, not its signature."""
    text = _token_text(token, max_token_size)

    parts = text.split(".")
    if len(parts) != 3:
        raise MalformedTokenError(_wrong_part_count_message(len(parts)))
    header_part, payload_part, signature_part = parts

    # One regular expression over the whole token is the fast path. When it
    # fails, each part is checked on its own to name the faulty one, or because
    # an unencoded (b64: false) payload is not base64url at all.
    decode = b64url_decode_checked_alphabet if _COMPACT_PATTERN.fullmatch(text) else b64url_decode
    if not header_part:
        raise MalformedTokenError("the token's header part is empty")

    header, b64 = _parse_header(header_part)
    signature = decode(signature_part, "the token's signature")

    if detached_payload is not None:
        if payload_part:
            raise MalformedTokenError(
                "a detached payload was given, but the token carries a payload too; "
                "a detached JWS has an empty middle part (RFC 7515 Appendix F)"
            )
        payload = bytes(detached_payload)
        payload_for_input = b64url_encode(payload).encode("ascii") if b64 else payload
    elif b64:
        payload = decode(payload_part, "the token's payload")
        payload_for_input = payload_part.encode("ascii")
    else:
        payload = payload_part.encode("utf-8")
        payload_for_input = payload

    signing_input = header_part.encode("ascii") + b"." + payload_for_input
    return CompactParts(header, payload, signature, signing_input)


# Tokens from one issuer share a few headers, so parsed headers are cached by
# their exact text. Only short headers whose values are all scalars are kept:
# that bounds the memory hostile tokens can pin, and a shallow copy then gives
# each caller a header it cannot use to alter the cached one.
_HEADER_CACHE_SIZE = 256
_CACHED_HEADER_LENGTH = 512
_header_cache: dict[str, tuple[dict[str, Any], bool]] = {}


def _parse_header(header_part: str) -> tuple[dict[str, Any], bool]:
    """Decode and check a header part; return the header and its ``b64`` value."""
    cached = _header_cache.get(header_part)
    if cached is not None:
        return dict(cached[0]), cached[1]

    header = json_loads_object(
        b64url_decode(header_part, "the token's header"), "the token's header"
    )
    b64 = check_header(header)

    if len(header_part) <= _CACHED_HEADER_LENGTH and not any(
        isinstance(value, (dict, list)) for value in header.values()
    ):
        if len(_header_cache) >= _HEADER_CACHE_SIZE:
            _header_cache.clear()
        _header_cache[header_part] = (header, b64)
        return dict(header), b64
    return header, b64


def verify_compact(
    token: str | bytes,
    key: Any,
    *,
    algorithms: Iterable[str] | AllowedAlgorithms,
    detached_payload: bytes | None = None,
    allow_weak_key: bool = False,
    max_token_size: int = DEFAULT_MAX_TOKEN_SIZE,
) -> Verified:
    """Verify a compact JWS and return its protected header, payload and key.

    ``key`` is a ``Key``, a ``KeySet`` (selected by ``kid``), a JWK dict, PEM
    text, a raw HMAC secret or a ``cryptography`` key. Only algorithms listed in
    ``algorithms`` are accepted. For a detached JWS (RFC 7515 Appendix F), pass
    the payload as ``detached_payload``.
    """
    allowed = (
        algorithms if isinstance(algorithms, AllowedAlgorithms) else AllowedAlgorithms(algorithms)
    )
    parts = parse_compact(token, max_token_size=max_token_size, detached_payload=detached_payload)
    used = verify_signature(
        parts.header,
        parts.signing_input,
        parts.signature,
        key,
        allowed,
        allow_weak_key=allow_weak_key,
    )
    return Verified(protected=parts.header, payload=parts.payload, key=used)


def sign_compact(
    payload: bytes,
    key: Any,
    algorithm: str,
    headers: Mapping[str, Any] | None = None,
    *,
    detached: bool = False,
    allow_weak_key: bool = False,
) -> str:
    """Sign ``payload`` as a compact JWS with ``algorithm`` (required, never implied).

    ``headers`` adds protected header parameters; the key's ``kid`` is added
    when it has one and ``headers`` does not set it. A parameter set to None
    is left out, and ``{"kid": None}`` keeps the key's ``kid`` out too.
    ``{"b64": False}`` signs the payload unencoded (RFC 7797) and adds
    ``b64`` to ``crit``. With ``detached=True`` the payload is left out of
    the token.
    """
    if not isinstance(payload, (bytes, bytearray, memoryview)):
        raise UsageError(
            f"payload must be bytes, got {type(payload).__name__}; encode text with "
            ".encode() or use jwtkit.encode for a claims dict"
        )
    if type(payload) is not bytes:
        payload = bytes(payload)
    descriptor = get_signature_algorithm(algorithm)
    signing_key = resolve_key(key, descriptor)
    signing_key.check_algorithm(descriptor, "sign", allow_weak_key=allow_weak_key)

    header_part, b64 = _encode_header(descriptor.name, headers, signing_key.kid)
    payload_part = b64url_encode(payload) if b64 else _unencoded_payload_text(payload, detached)
    payload_for_input = payload_part.encode("ascii") if b64 else payload
    signing_input = header_part.encode("ascii") + b"." + payload_for_input

    signature = descriptor.sign(signing_key.signing_key, signing_input)
    token_payload = "" if detached else payload_part
    return f"{header_part}.{token_payload}.{b64url_encode(signature)}"


def _encode_header(
    algorithm: str, headers: Mapping[str, Any] | None, kid: str | None
) -> tuple[str, bool]:
    """Return the encoded protected header part and its ``b64`` value, cached when scalar."""
    cache_key = _header_cache_key(algorithm, headers, kid)
    cached = _encoded_header_cache.get(cache_key) if cache_key is not None else None
    if cached is not None:
        return cached

    header = build_header(get_signature_algorithm(algorithm), headers, kid)
    try:
        encoded = b64url_encode(json_dumps(header)), bool(header.get("b64", True))
    except (TypeError, ValueError) as exc:
        raise UsageError(f"headers cannot be serialized as JSON: {exc}") from None

    if cache_key is not None:
        if len(_encoded_header_cache) >= _HEADER_CACHE_SIZE:
            _encoded_header_cache.clear()
        _encoded_header_cache[cache_key] = encoded
    return encoded


# Signers reuse a few headers; a header whose values are all strings, numbers,
# booleans or null is encoded once and found again by its items. Each value's
# type is part of the key, because True == 1 == 1.0 would otherwise collide.
_encoded_header_cache: dict[tuple[Any, ...], tuple[str, bool]] = {}
_SCALAR_TYPES = (str, int, float, bool, type(None))


def _header_cache_key(
    algorithm: str, headers: Mapping[str, Any] | None, kid: str | None
) -> tuple[Any, ...] | None:
    if headers is None:
        return (algorithm, kid)
    if type(headers) is not dict or len(headers) > 8:
        return None
    key: list[Any] = [algorithm, kid]
    for name, value in headers.items():
        if not isinstance(value, _SCALAR_TYPES):
            return None
        key += (name, type(value), value)
    return tuple(key)


def _unencoded_payload_text(payload: bytes, detached: bool) -> str:
    if detached:
        return ""
    # RFC 7797 §5.2: an attached unencoded payload cannot contain '.', which
    # would be read as a part separator.
    if b"." in payload:
        raise UsageError(
            "an unencoded (b64: false) payload containing '.' cannot be attached to a compact "
            "JWS; pass detached=True and send the payload separately"
        )
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(
            "an attached unencoded (b64: false) payload must be UTF-8 text; pass detached=True"
        ) from None


def _token_text(token: str | bytes, max_token_size: int) -> str:
    if (
        isinstance(max_token_size, bool)
        or not isinstance(max_token_size, int)
        or max_token_size < 1
    ):
        raise UsageError(f"max_token_size must be a positive integer, got {max_token_size!r}")
    if isinstance(token, (bytes, bytearray)):
        if len(token) > max_token_size:
            raise TokenTooLargeError(_too_large_message(len(token), max_token_size))
        try:
            return bytes(token).decode("ascii")
        except UnicodeDecodeError:
            raise MalformedTokenError(
                "the token contains bytes outside ASCII; a compact JWS is base64url text"
            ) from None
    if not isinstance(token, str):
        raise MalformedTokenError(f"the token must be a str or bytes, got {type(token).__name__}")
    if len(token) > max_token_size:
        raise TokenTooLargeError(_too_large_message(len(token), max_token_size))
    return token


def _too_large_message(size: int, limit: int) -> str:
    return (
        f"the token is {size} characters, over the maximum of {limit}; nothing of it was "
        "decoded. Raise max_token_size if your tokens are legitimately this large"
    )


def _wrong_part_count_message(parts: int) -> str:
    if parts == 5:
        return (
            "the token has 5 parts, so it is a JWE (encrypted), not a JWS; jwtkit does not "
            "decrypt JWE, so decrypt it with a JWE library and verify the JWS inside, if any"
        )
    return (
        f"the token has {parts} part(s) separated by '.', but a compact JWS has exactly 3: "
        "header.payload.signature"
    )
