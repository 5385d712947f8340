"""Checks for personal or secret data in the claims, which anyone holding the token can read.

A JWS payload is only base64url encoded, not encrypted: every proxy, log and
browser extension that sees the token can read its claims.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from jwtkit.lint.context import LintContext
from jwtkit.lint.findings import Finding, Severity

# Every quantifier is bounded (RFC 5321 §4.5.3.1 limits: 64 for the local
# part, 63 per label), so each search position costs a bounded amount of work
# and a long claim is scanned in linear time.
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}"
)
_PHONE = re.compile(r"\+?[0-9][0-9 ().-]{5,30}[0-9]")
_CARD = re.compile(r"[0-9][0-9 -]{11,30}[0-9]")

# Only the start of a long claim is scanned: personal data sits in short
# values, and a claim of megabytes must not make lint slow.
_MAX_SCANNED_CHARACTERS = 4096
# A phone or card number, with separators, is never longer than this.
_MAX_NUMBER_CHARACTERS = 40

# Claim names (lowercased, letters and digits only) that mark the value as a
# credential. A name ending in one of these matches: "db_password", "clientSecret".
_SECRET_NAME_ENDINGS = (
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "secret",
    "apikey",
    "privatekey",
    "accesstoken",
    "refreshtoken",
    "sessiontoken",
    "cvv",
    "cvc",
    "ssn",
)
_SECRET_NAMES = frozenset({"pass", "pin"})
_PHONE_NAME_PARTS = ("phone", "mobile", "msisdn", "fax")
_PHONE_NAMES = frozenset({"tel", "telephone"})

# Payment card number prefixes (issuer identification numbers) of the major
# networks, so that a random 16-digit identifier that happens to pass the
# Luhn check is not reported.
_CARD_PREFIXES = re.compile(
    r"4|5[1-5]|2(?:2[2-9]|[3-6][0-9]|7[01]|720)|3[47]|3(?:0[0-5]|[68])|6(?:011|5|4[4-9]|2)"
    r"|35(?:2[89]|[3-8][0-9])"
)

# At most this many claim paths are listed in one finding's message.
_LISTED_PATHS = 5


@dataclass
class _Matches:
    """Claim paths per finding code, in the order they were found."""

    paths: dict[str, list[str]] = field(default_factory=dict)

    def add(self, code: str, path: str) -> None:
        found = self.paths.setdefault(code, [])
        if path not in found:
            found.append(path)


def check_sensitive_claims(context: LintContext) -> Iterator[Finding]:
    """Report email addresses, phone numbers, card numbers and credential-named claims."""
    matches = _Matches()
    for path, name, value in _walk(context.claims, "claims", None):
        _classify(matches, path, name, value)

    for code, paths in matches.paths.items():
        severity, description, fix = _DESCRIPTIONS[code]
        yield Finding(
            severity,
            code,
            f"{_list_paths(paths)} {'contains' if len(paths) == 1 else 'contain'} {description}, "
            "which anyone holding the token can read: a JWT's payload is encoded, "
            "not encrypted",
            fix,
            paths[0],
        )


_DESCRIPTIONS = {
    "secret-in-claims": (
        Severity.HIGH,
        "a value named like a password, secret or key",
        "Never put credentials in a token; keep them on the server and refer to them by id",
    ),
    "card-number-in-claims": (
        Severity.HIGH,
        "a payment card number (it passes the Luhn check)",
        "Remove card numbers from tokens; refer to a stored payment method by id",
    ),
    "email-in-claims": (
        Severity.LOW,
        "an email address",
        "Put only the claims the recipient needs in the token, and identify users by an "
        "opaque sub; encrypt the token (JWE) if personal data must travel in it",
    ),
    "phone-in-claims": (
        Severity.LOW,
        "a phone number",
        "Put only the claims the recipient needs in the token; encrypt the token (JWE) if "
        "personal data must travel in it",
    ),
}


def _walk(value: Any, path: str, name: str | None) -> Iterator[tuple[str, str | None, Any]]:
    """Yield every value in the claims with its path and the name of its nearest member."""
    yield path, name, value
    if isinstance(value, dict):
        for member, item in value.items():
            yield from _walk(item, f"{path}.{member}", member)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]", name)


def _classify(matches: _Matches, path: str, name: str | None, value: Any) -> None:
    if value is None or isinstance(value, (bool, dict, list)) or value == "":
        return
    normalized = _normalize_name(name)

    if normalized and _is_secret_name(normalized):
        matches.add("secret-in-claims", path)
    text = _as_text(value)
    if _looks_like_card_number(text):
        matches.add("card-number-in-claims", path)
    if isinstance(value, str) and _contains_email(text):
        matches.add("email-in-claims", path)
    if _looks_like_phone(text, normalized, isinstance(value, str)):
        matches.add("phone-in-claims", path)


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value[:_MAX_SCANNED_CHARACTERS]
    if isinstance(value, int) and value.bit_length() <= 128:
        return str(value)
    return ""


def _contains_email(text: str) -> bool:
    return "@" in text and _EMAIL.search(text) is not None


def _normalize_name(name: str | None) -> str:
    if name is None:
        return ""
    return "".join(char for char in name.lower() if char.isalnum())


def _is_secret_name(normalized: str) -> bool:
    return normalized in _SECRET_NAMES or normalized.endswith(_SECRET_NAME_ENDINGS)


def _looks_like_phone(text: str, normalized_name: str, is_string: bool) -> bool:
    if not text or len(text) > _MAX_NUMBER_CHARACTERS or _PHONE.fullmatch(text.strip()) is None:
        return False
    digits = sum(char.isdigit() for char in text)
    if not 7 <= digits <= 15:
        return False
    named_phone = normalized_name in _PHONE_NAMES or any(
        part in normalized_name for part in _PHONE_NAME_PARTS
    )
    # Without a phone-like claim name, only the international form "+..." is
    # distinctive enough; a bare run of digits is more often an identifier.
    return named_phone or (is_string and text.strip().startswith("+"))


def _looks_like_card_number(text: str) -> bool:
    if not text or len(text) > _MAX_NUMBER_CHARACTERS or _CARD.fullmatch(text.strip()) is None:
        return False
    digits = "".join(char for char in text if char.isdigit())
    if not 13 <= len(digits) <= 19 or _CARD_PREFIXES.match(digits) is None:
        return False
    return _passes_luhn(digits)


def _passes_luhn(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _list_paths(paths: list[str]) -> str:
    listed = ", ".join(paths[:_LISTED_PATHS])
    more = len(paths) - _LISTED_PATHS
    label = "claim" if len(paths) == 1 else "claims"
    return f"{label} {listed}" + (f" and {more} more" if more > 0 else "")
