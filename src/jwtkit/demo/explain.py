"""Show a token's three parts, decoded, with what each header parameter and claim means."""

from __future__ import annotations

import json
from typing import Any

from jwtkit import decode_unverified
from jwtkit.demo.terminal import Terminal, shorten
from jwtkit.jwt.numericdate import format_utc

HEADER_MEANINGS = {
    "alg": "algorithm that signed the token; the API accepts only the ones it lists",
    "typ": "token type; 'at+jwt' marks an OAuth access token (RFC 9068), so an ID token "
    "cannot pass for one",
    "kid": "key ID: selects the issuer's key in its JWKS (here, the key's RFC 7638 thumbprint)",
}

CLAIM_MEANINGS = {
    "iss": "issuer: who signed the token",
    "sub": "subject: the user the token is about",
    "aud": "audience: the API that may accept it",
    "client_id": "the client application the token was issued to",
    "iat": "issued at",
    "nbf": "not valid before",
    "exp": "expires, and is rejected from then on, at",
    "jti": "JWT ID: unique per token, so a server can detect a replay",
    "role": "a private claim, not registered by RFC 7519; the API decides access by it",
}

_NUMERICDATE_CLAIMS = ("iat", "nbf", "exp")


def show_token(terminal: Terminal, token: str, now: float) -> None:
    """Print the token's header, payload and signature, each decoded and explained.

    The parts are read with ``decode_unverified``: the client inspects its own
    token, and only the API's verification decides whether it is valid.
    """
    header_part, payload_part, signature_part = token.split(".")
    unverified = decode_unverified(token)

    terminal.note(
        f"A JWS compact token is three base64url parts joined by dots, "
        f"header.payload.signature ({len(token)} characters):"
    )
    terminal.rows(
        [
            ("header", shorten(header_part, 24), f"{len(header_part)} characters"),
            ("payload", shorten(payload_part, 24), f"{len(payload_part)} characters"),
            ("signature", shorten(signature_part, 24), f"{len(signature_part)} characters"),
        ]
    )

    terminal.heading("  Header: how the token is signed (JSON, base64url-encoded)")
    terminal.rows(
        [
            (name, _show_value(value), HEADER_MEANINGS.get(name, ""))
            for name, value in unverified.header.items()
        ]
    )

    terminal.heading("  Payload: the claims (JSON, base64url-encoded, so anyone can read them)")
    terminal.rows(
        [
            (name, _show_value(value), _claim_meaning(name, value, now))
            for name, value in unverified.claims.items()
        ]
    )

    signature = unverified.signature
    half = len(signature) // 2
    terminal.heading(f"  Signature: {len(signature)} bytes, the ECDSA values R and S side by side")
    terminal.rows(
        [
            ("R", shorten(signature[:half].hex(), 20), f"{half} bytes"),
            ("S", shorten(signature[half:].hex(), 20), f"{len(signature) - half} bytes"),
        ]
    )
    terminal.note(
        "The issuer's private key signed the ASCII text 'header.payload'. Anyone with the "
        "public key from the JWKS can check the signature, and changing any byte of the "
        "header or payload breaks it.",
        indent=2,
    )


def _show_value(value: Any) -> str:
    return shorten(json.dumps(value, ensure_ascii=False), 24)


def _claim_meaning(name: str, value: Any, now: float) -> str:
    meaning = CLAIM_MEANINGS.get(name, "")
    if name in _NUMERICDATE_CLAIMS and isinstance(value, (int, float)):
        meaning = f"{meaning} {format_utc(value)} ({relative_time(value - now)})"
    return meaning


def relative_time(offset: float) -> str:
    """Describe a time offset in seconds from now: "in 5 min", "50 min ago", "now"."""
    size = abs(offset)
    if size < 1:
        return "now"
    amount = f"{size:.0f} s" if size < 120 else f"{size / 60:.0f} min"
    return f"in {amount}" if offset > 0 else f"{amount} ago"
