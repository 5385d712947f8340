"""Checks on the signing key: published secrets, short secrets, small RSA keys, alg confusion."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.jwa.hmac import HMACAlgorithm
from jwtkit.jwa.rsa import MIN_RSA_BITS
from jwtkit.jwk import Key, OctKey
from jwtkit.lint.context import LintContext
from jwtkit.lint.findings import Finding, Severity
from jwtkit.lint.known_secrets import KNOWN_SECRETS

_KNOWN_SECRET_BYTES = frozenset(secret.encode("utf-8") for secret in KNOWN_SECRETS)


def check_known_secrets(context: LintContext) -> Iterator[Finding]:
    """Report an HMAC made with a published example secret, found by trying each one."""
    algorithm = context.hmac_algorithm
    if algorithm is None:
        return
    for secret in KNOWN_SECRETS:
        if algorithm.verify(secret.encode("utf-8"), context.signing_input, context.signature):
            # The secret is printed because it is public already: it comes
            # from the built-in list, never from the caller's keys.
            yield Finding(
                Severity.HIGH,
                "known-secret",
                f"the token's {algorithm.name} MAC verifies with {secret!r}, a secret published "
                "in documentation and tutorials, so anyone can forge tokens that verify with it",
                _REPLACE_SECRET_FIX,
                "signature",
            )
            return


def check_given_secrets(context: LintContext) -> Iterator[Finding]:
    """Report given HMAC secrets that are published examples or shorter than the hash output."""
    algorithm = context.hmac_algorithm or _hs256()
    for key in context.keys:
        if not isinstance(key, OctKey):
            continue
        if key.signing_key in _KNOWN_SECRET_BYTES:
            if _verifies(context, key.signing_key):
                continue  # check_known_secrets reports this secret already
            yield Finding(
                Severity.HIGH,
                "known-secret",
                "the given HMAC secret is one of the secrets published in documentation and "
                "tutorials, so anyone can forge tokens that verify with it",
                _REPLACE_SECRET_FIX,
                "key",
            )
        elif len(key.signing_key) < algorithm.min_key_bytes:
            yield Finding(
                Severity.HIGH,
                "short-hmac-secret",
                f"the given HMAC secret is {len(key.signing_key)} bytes, but {algorithm.name} "
                f"needs at least {algorithm.min_key_bytes} (RFC 7518 §3.2); a short secret "
                "can be found by trying guesses against one token",
                _REPLACE_SECRET_FIX,
                "key",
            )


def check_rsa_key_size(context: LintContext) -> Iterator[Finding]:
    """Report given RSA keys under the 2048 bits RFC 7518 §3.3 requires."""
    for key in context.keys:
        if key.kty == "RSA" and key.size < MIN_RSA_BITS:
            yield Finding(
                Severity.HIGH,
                "rsa-key-too-small",
                f"the given RSA key is {key.size} bits, under the {MIN_RSA_BITS} bits RFC 7518 "
                "§3.3 requires; keys this small can be factored",
                "Generate a new RSA key of 2048 bits or more (or an EC P-256 or Ed25519 key) "
                "and retire this one",
                "key",
            )


def check_algorithm_confusion(context: LintContext) -> Iterator[Finding]:
    """Report an HMAC token whose MAC verifies with a given public key's text as the secret.

    This is the forgery of RFC 8725 §2.1: a verifier that takes ``alg`` from
    the token and the key as bytes accepts a token "signed" with its public key.
    The forger uses whatever bytes the verifier holds, so the key text exactly
    as given is tried as well as the usual serializations of the public key.
    """
    algorithm = context.hmac_algorithm
    if algorithm is None:
        return
    public_keys = [key for key in context.keys if key.kty != "oct"]
    if not public_keys:
        return
    for candidate, described in _confusion_candidates(context.key_text, public_keys):
        if algorithm.verify(candidate, context.signing_input, context.signature):
            yield Finding(
                Severity.HIGH,
                "alg-confusion",
                f"the token is {algorithm.name}, and its MAC verifies with {described} used "
                "as the secret: it is an algorithm-confusion forgery made by someone who had "
                "only the public key",
                "Reject the token, and verify with an explicit list of algorithms that "
                "matches the key type (never HS* for an RSA, EC or OKP key)",
                "header.alg",
            )
            return


def _confusion_candidates(key_text: bytes | None, keys: list[Key]) -> Iterator[tuple[bytes, str]]:
    """Yield the byte strings a forger may have used as the HMAC secret, each described."""
    if key_text is not None:
        for variant in _line_end_variants(key_text):
            yield variant, "the given key text"
    for key in keys:
        public = key.public_key() if key.is_private else key
        for encoding, form in _public_key_encodings(public):
            for variant in _line_end_variants(encoding):
                yield variant, f"the given {key.kty} public key's {form}"


def _line_end_variants(data: bytes) -> tuple[bytes, ...]:
    # Files often gain or lose a final newline, or CRLF line ends, on their way.
    stripped = data.rstrip(b"\r\n")
    return tuple(
        dict.fromkeys(
            (data, stripped, stripped + b"\n", data.replace(b"\n", b"\r\n"), data.strip())
        )
    )


def _public_key_encodings(key: Key) -> Iterator[tuple[bytes, str]]:
    """Yield the usual serializations of a public key: PEM, DER, OpenSSH and JWK JSON."""
    from cryptography.hazmat.primitives import serialization

    encoding = serialization.Encoding
    public_format = serialization.PublicFormat
    yield key.to_pem(), "PEM text"
    crypto_key = key.verifying_key
    for form, pair in (
        ("DER bytes", (encoding.DER, public_format.SubjectPublicKeyInfo)),
        ("PKCS#1 PEM text", (encoding.PEM, public_format.PKCS1)),
        ("OpenSSH text", (encoding.OpenSSH, public_format.OpenSSH)),
    ):
        try:
            yield crypto_key.public_bytes(*pair), form
        except (ValueError, TypeError):
            continue  # this key type has no such form (PKCS#1 is RSA only)
    jwk = key.to_jwk()
    for options in _JSON_LAYOUTS:
        yield json.dumps(jwk, **options).encode(), "JWK JSON text"


def _verifies(context: LintContext, secret: bytes) -> bool:
    algorithm = context.hmac_algorithm
    return algorithm is not None and algorithm.verify(
        secret, context.signing_input, context.signature
    )


def _hs256() -> HMACAlgorithm:
    algorithm = SIGNATURE_ALGORITHMS["HS256"]
    assert isinstance(algorithm, HMACAlgorithm)
    return algorithm


# The layouts JWK JSON is commonly written in: json.dumps defaults, compact,
# sorted (as RFC 7638 thumbprint input) and indented.
_JSON_LAYOUTS: tuple[dict[str, Any], ...] = (
    {},
    {"separators": (",", ":")},
    {"separators": (",", ":"), "sort_keys": True},
    {"sort_keys": True},
    {"indent": 2},
)

_REPLACE_SECRET_FIX = (
    "Replace the secret with at least 32 random bytes (Key.generate('oct') makes one) kept "
    "out of source code, then reissue every token signed with the old one"
)
