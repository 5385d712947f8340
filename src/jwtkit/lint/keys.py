"""Checks on the signing key: published secrets, short secrets, small RSA keys, alg confusion."""

from __future__ import annotations

from collections.abc import Iterator

from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.jwa.hmac import HMACAlgorithm
from jwtkit.jwa.rsa import MIN_RSA_BITS
from jwtkit.jwk import OctKey
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
    """Report an HMAC token whose MAC verifies with a given public key's PEM as the secret.

    This is the forgery of RFC 8725 §2.1: a verifier that takes ``alg`` from
    the token and the key as bytes accepts a token "signed" with its public key.
    """
    algorithm = context.hmac_algorithm
    if algorithm is None:
        return
    for key in context.keys:
        if key.kty == "oct":
            continue
        pem = key.public_key().to_pem() if key.is_private else key.to_pem()
        for candidate in (pem, pem.rstrip(b"\n"), pem.replace(b"\n", b"\r\n")):
            if algorithm.verify(candidate, context.signing_input, context.signature):
                yield Finding(
                    Severity.HIGH,
                    "alg-confusion",
                    f"the token is {algorithm.name}, and its MAC verifies with the given "
                    f"{key.kty} public key's PEM text used as the secret: it is an "
                    "algorithm-confusion forgery made by someone who had only the public key",
                    "Reject the token, and verify with an explicit list of algorithms that "
                    "matches the key type (never HS* for an RSA, EC or OKP key)",
                    "header.alg",
                )
                return


def _verifies(context: LintContext, secret: bytes) -> bool:
    algorithm = context.hmac_algorithm
    return algorithm is not None and algorithm.verify(
        secret, context.signing_input, context.signature
    )


def _hs256() -> HMACAlgorithm:
    algorithm = SIGNATURE_ALGORITHMS["HS256"]
    assert isinstance(algorithm, HMACAlgorithm)
    return algorithm


_REPLACE_SECRET_FIX = (
    "Replace the secret with at least 32 random bytes (Key.generate('oct') makes one) kept "
    "out of source code, then reissue every token signed with the old one"
)
