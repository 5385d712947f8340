"""Checks on the JOSE header: ``alg``, key-locating parameters and ``kid``."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from jwtkit._encoding import json_type_name
from jwtkit.lint.context import LintContext
from jwtkit.lint.findings import Finding, Severity

# Characters that break out of a file path, a SQL string, a shell word or an
# HTML attribute when a verifier pastes kid into one of them.
_KID_INJECTION = frozenset("'\";|`$<>")
# Characters with a meaning in paths and URLs: harmless in an opaque kid, risky
# in one that a verifier joins into a path or a URL.
_KID_URL_SPECIAL = frozenset("\\?&#%{}*")


def check_alg(context: LintContext) -> Iterator[Finding]:
    """Report ``alg: none`` and a missing ``alg``."""
    alg = context.header.get("alg")
    # Some verifiers trim or case-fold alg before comparing it, so " none" and
    # "NONE" select the unsigned algorithm there.
    if isinstance(alg, str) and _visible(alg).strip().lower() == "none":
        yield Finding(
            Severity.HIGH,
            "alg-none",
            f"the header's alg is {alg!r}: the token is unsigned, so anyone can change its "
            "claims (RFC 8725 §2.1)",
            "Sign tokens with a real algorithm such as ES256, and verify with an explicit list "
            "of algorithms that never contains 'none'",
            "header.alg",
        )
    elif not isinstance(alg, str) or not alg.strip():
        described = "an empty alg" if isinstance(alg, str) else "no alg string"
        yield Finding(
            Severity.MEDIUM,
            "alg-missing",
            f"the header has {described}, so no verifier can tell how the token was signed",
            "Set alg in the header to the algorithm the token is signed with",
            "header.alg",
        )


def check_key_location_headers(context: LintContext) -> Iterator[Finding]:
    """Report ``jwk``, ``jku`` and ``x5u``: header parameters that name the verification key."""
    if "jwk" in context.header:
        yield Finding(
            Severity.HIGH,
            "jwk-header",
            "the header embeds a jwk; a verifier that uses it accepts tokens signed by "
            "whoever made the token, including an attacker with a key of their own",
            "Remove jwk from the header and verify with keys configured in the verifier; "
            "use kid to say which of those keys signed the token",
            "header.jwk",
        )
    for name in ("jku", "x5u"):
        if name in context.header:
            yield Finding(
                Severity.MEDIUM,
                f"{name}-header",
                f"the header has {name}, a URL to fetch the verification key from; a verifier "
                "that follows it trusts keys from any host the token names, and sends "
                "requests wherever an attacker points it",
                f"Remove {name} and configure the key set URL in the verifier; use kid to "
                "select a key from it",
                f"header.{name}",
            )


def check_kid(context: LintContext) -> Iterator[Finding]:
    """Report a ``kid`` with path-traversal, injection or URL characters."""
    if "kid" not in context.header:
        return
    kid = context.header["kid"]
    if not isinstance(kid, str):
        yield _kid_not_string(kid)
        return

    severity = _kid_severity(kid)
    if severity is None:
        return
    yield Finding(
        severity,
        "kid-unsafe",
        f"the header's kid {_shorten(kid)!r} contains {_describe_kid_characters(kid)}; a "
        "verifier that builds a file path, URL or database query from kid can be led to "
        "another key",
        "Use kids made of letters, digits, '-' and '_' (a JWK thumbprint works well), and "
        "look kid up in a fixed key set instead of building a path or query from it",
        "header.kid",
    )


def _kid_not_string(kid: Any) -> Finding:
    # An object such as {"$ne": null} becomes a query operator in a document
    # database lookup, and an array or number a different key in loose lookups.
    severity = Severity.HIGH if isinstance(kid, (dict, list)) else Severity.MEDIUM
    return Finding(
        severity,
        "kid-not-string",
        f"the header's kid is a JSON {json_type_name(kid)}, but RFC 7515 §4.1.4 requires a "
        "string; a verifier that passes kid to a database query or a key lookup can be led "
        "to another key or to every key",
        "Write kid as a string of letters, digits, '-' and '_', and have verifiers reject a "
        "kid that is not a string",
        "header.kid",
    )


def _kid_severity(kid: str) -> Severity | None:
    # NFKC folds look-alikes such as the fullwidth full stop into '.', as a
    # file system or URL normalizer on the verifier's side may do.
    if (
        ".." in unicodedata.normalize("NFKC", kid)
        or any(_is_control(char) for char in kid)
        or _KID_INJECTION & set(kid)
    ):
        return Severity.HIGH
    if _KID_URL_SPECIAL & set(kid) or any(char.isspace() for char in kid):
        return Severity.MEDIUM
    # A '/' alone is common in standard-base64 kids, so it only rates low.
    if "/" in kid:
        return Severity.LOW
    return None


def _describe_kid_characters(kid: str) -> str:
    parts = []
    if ".." in unicodedata.normalize("NFKC", kid):
        parts.append("'..'")
    if any(_is_control(char) for char in kid):
        parts.append("control characters")
    if any(char.isspace() and not _is_control(char) for char in kid):
        parts.append("whitespace")
    listed = sorted((_KID_INJECTION | _KID_URL_SPECIAL | {"/"}) & set(kid))
    if listed:
        parts.append(" ".join(repr(char) for char in listed))
    return ", ".join(parts)


def _visible(text: str) -> str:
    """Drop control and format characters, which some parsers cut a string at."""
    return "".join(char for char in text if not _is_control(char))


def _is_control(char: str) -> bool:
    # Cc covers C0, DEL and C1 (such as U+009B, the terminal CSI); Cf covers
    # invisible format characters such as the U+202E bidi override.
    return unicodedata.category(char) in ("Cc", "Cf")


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit] + "..."
