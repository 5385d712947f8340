"""Parse the JWS JSON Serialization (RFC 7515 §7.2), general and flattened syntax.

Parsing checks structure only: member types, strict base64url and strict JSON.
Header rules and signatures are judged per signature by ``json_verify``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jwtkit._encoding import b64url_decode, json_loads_object, json_type_name
from jwtkit.errors import MalformedTokenError, TokenTooLargeError, UsageError

# A general JWS carries one signature per recipient or signer; real ones have a
# handful. The cap bounds the signature checks one JWS can cause, since each
# costs as much as verifying a whole compact token.
DEFAULT_MAX_SIGNATURES = 16

# Members that only the flattened syntax has at the top level (RFC 7515 §7.2.2).
_FLATTENED_MEMBERS = ("protected", "header", "signature")


@dataclass(frozen=True)
class SignatureParts:
    """One signature of a JWS JSON Serialization, decoded but not yet checked.

    ``protected`` and ``header`` are empty dicts when the member is absent.
    ``protected_part`` is the ``protected`` member exactly as received, because
    the signing input is computed over those characters.
    """

    index: int
    protected: dict[str, Any]
    header: dict[str, Any]
    protected_part: str
    signature: bytes


@dataclass(frozen=True)
class JSONParts:
    """A JWS JSON Serialization split into its payload member and its signatures.

    ``payload_part`` is the ``payload`` member as received, or None when it is
    absent (detached content, RFC 7515 Appendix F).
    """

    payload_part: str | None
    signatures: tuple[SignatureParts, ...]
    flattened: bool


def parse_json(
    jws: Mapping[str, Any] | str | bytes,
    *,
    max_token_size: int,
    max_signatures: int = DEFAULT_MAX_SIGNATURES,
) -> JSONParts:
    """Check the structure of a JWS JSON Serialization and decode its parts.

    ``jws`` is the parsed object or its JSON text. For text, ``max_token_size``
    limits its length before anything is parsed. For a parsed object it limits
    the ``payload``, ``protected`` and ``signature`` members together, before
    any of them is decoded. A fault in the JWS raises ``MalformedTokenError``
    or ``TokenTooLargeError``, and an invalid limit raises ``UsageError``.
    """
    _check_limit("max_token_size", max_token_size)
    _check_limit("max_signatures", max_signatures)
    document = _load_document(jws, max_token_size)

    if "signatures" in document:
        entries = _general_entries(document, max_signatures)
        flattened = False
    else:
        entries = [document]
        flattened = True

    payload_part = document.get("payload")
    if payload_part is not None and not isinstance(payload_part, str):
        raise MalformedTokenError(
            f"the JWS member 'payload' must be a string, got a JSON {_type_name(payload_part)}"
        )

    if isinstance(jws, Mapping):
        _check_member_sizes(payload_part, entries, max_token_size)

    signatures = tuple(
        _parse_signature(entry, index, flattened) for index, entry in enumerate(entries)
    )
    return JSONParts(payload_part, signatures, flattened)


def _check_limit(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"{name} must be a positive integer, got {value!r}")


def _load_document(jws: Mapping[str, Any] | str | bytes, max_token_size: int) -> Mapping[str, Any]:
    if isinstance(jws, Mapping):
        return jws
    if not isinstance(jws, (str, bytes, bytearray)):
        raise MalformedTokenError(
            "a JWS JSON Serialization must be a dict or JSON text (str or bytes), got "
            f"{type(jws).__name__}"
        )
    if len(jws) > max_token_size:
        raise TokenTooLargeError(
            f"the JWS is {len(jws)} characters, over the maximum of {max_token_size}; nothing of "
            "it was parsed. Raise max_token_size if your JWS objects are legitimately this large"
        )
    return json_loads_object(bytes(jws) if isinstance(jws, bytearray) else jws, "the JWS")


def _general_entries(document: Mapping[str, Any], max_signatures: int) -> list[Mapping[str, Any]]:
    # RFC 7515 §7.2.2: the flattened syntax is the general one with the single
    # signature's members moved up. An object with both would let two parsers
    # read different signatures from it.
    mixed = [name for name in _FLATTENED_MEMBERS if name in document]
    if mixed:
        raise MalformedTokenError(
            f"the JWS has a 'signatures' array and also the top-level member(s) {mixed}; use the "
            "general syntax (signatures only) or the flattened syntax (no 'signatures')"
        )

    entries = document["signatures"]
    if not isinstance(entries, list) or not entries:
        raise MalformedTokenError(
            "the JWS member 'signatures' must be a non-empty array of signature objects"
        )
    if len(entries) > max_signatures:
        raise TokenTooLargeError(
            f"the JWS has {len(entries)} signatures, over the maximum of {max_signatures}; none "
            "was checked. Raise max_signatures if your JWS objects legitimately carry more"
        )
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise MalformedTokenError(
                f"signatures[{index}] must be a JSON object, got a JSON {_type_name(entry)}"
            )
    return entries


def _check_member_sizes(
    payload_part: str | None, entries: list[Mapping[str, Any]], max_token_size: int
) -> None:
    total = len(payload_part or "")
    for entry in entries:
        for name in ("protected", "signature"):
            value = entry.get(name)
            if isinstance(value, str):
                total += len(value)
    if total > max_token_size:
        raise TokenTooLargeError(
            f"the JWS payload, protected headers and signatures are {total} characters together, "
            f"over the maximum of {max_token_size}; nothing of them was decoded. Raise "
            "max_token_size if your JWS objects are legitimately this large"
        )


def _parse_signature(entry: Mapping[str, Any], index: int, flattened: bool) -> SignatureParts:
    where = "the JWS" if flattened else f"signatures[{index}] of the JWS"

    signature_part = entry.get("signature")
    if signature_part is None:
        raise MalformedTokenError(f"{where} has no 'signature' member")
    if not isinstance(signature_part, str):
        raise MalformedTokenError(
            f"the 'signature' member of {where} must be a string, got a JSON "
            f"{_type_name(signature_part)}"
        )

    protected_part = entry.get("protected")
    protected: dict[str, Any] = {}
    if protected_part is not None:
        protected = _decode_protected(protected_part, where)

    header = entry.get("header")
    if header is None:
        header = {}
    elif not isinstance(header, Mapping):
        raise MalformedTokenError(
            f"the 'header' member of {where} must be a JSON object, got a JSON {_type_name(header)}"
        )

    problem = _non_json_value(header)
    if problem is not None:
        raise MalformedTokenError(
            f"the 'header' member of {where} holds {problem}, which JSON cannot carry; "
            "use only strings, numbers, booleans, null, arrays and objects with string names"
        )

    signature = b64url_decode(signature_part, f"the signature of {where}")
    return SignatureParts(index, protected, dict(header), protected_part or "", signature)


def _decode_protected(protected_part: Any, where: str) -> dict[str, Any]:
    if not isinstance(protected_part, str):
        raise MalformedTokenError(
            f"the 'protected' member of {where} must be a base64url string, got a JSON "
            f"{_type_name(protected_part)}"
        )
    # RFC 7515 §7.2.1: an empty protected header is sent by leaving the member
    # out, so an empty string is not a valid encoding of anything.
    if not protected_part:
        raise MalformedTokenError(
            f"the 'protected' member of {where} is empty; omit the member when there is no "
            "protected header"
        )
    described = f"the protected header of {where}"
    return json_loads_object(b64url_decode(protected_part, described), described)


def _type_name(value: Any) -> str:
    """Name a member's type: its JSON type, or its Python type when JSON has no such value."""
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return json_type_name(value)
    return f"Python {type(value).__name__}"


def _non_json_value(value: Any) -> str | None:
    """Describe the first value in a parsed header that JSON cannot carry, or return None.

    A JWS given as a dict never went through the JSON parser, so its
    unprotected header may hold sets, bytes, NaN or non-string member names.
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            for name, member in item.items():
                if not isinstance(name, str):
                    return f"a member name of Python type {type(name).__name__}"
                pending.append(member)
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, float) and not math.isfinite(item):
            return f"the number {item!r}"
        elif item is not None and not isinstance(item, (bool, int, float, str)):
            return f"a value of Python type {type(item).__name__}"
    return None
