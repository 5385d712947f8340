"""JSON Web Algorithms (RFC 7518): the table of every JWS algorithm jwtkit implements.

This table is the only place that lists algorithm names; everything else looks
descriptors up here. ``none`` is deliberately absent (RFC 8725 §3.1).
"""

from __future__ import annotations

import re

from jwtkit.errors import UnsupportedAlgorithmError
from jwtkit.jwa.base import SignatureAlgorithm
from jwtkit.jwa.ecdsa import ECDSAAlgorithm
from jwtkit.jwa.eddsa import EdDSAAlgorithm
from jwtkit.jwa.hmac import HMACAlgorithm
from jwtkit.jwa.rsa import RSAAlgorithm

# The shape of an algorithm name. Messages describe a value of any other shape
# instead of showing it.
_NAME_PATTERN = re.compile(r"[A-Za-z0-9+_-]{0,20}")

SIGNATURE_ALGORITHMS: dict[str, SignatureAlgorithm] = {
    algorithm.name: algorithm
    for algorithm in (
        HMACAlgorithm("HS256", "sha256", 32),
        HMACAlgorithm("HS384", "sha384", 48),
        HMACAlgorithm("HS512", "sha512", 64),
        RSAAlgorithm("RS256", "SHA256", pss=False),
        RSAAlgorithm("RS384", "SHA384", pss=False),
        RSAAlgorithm("RS512", "SHA512", pss=False),
        RSAAlgorithm("PS256", "SHA256", pss=True),
        RSAAlgorithm("PS384", "SHA384", pss=True),
        RSAAlgorithm("PS512", "SHA512", pss=True),
        ECDSAAlgorithm("ES256", "SHA256", "P-256", 32),
        ECDSAAlgorithm("ES384", "SHA384", "P-384", 48),
        ECDSAAlgorithm("ES512", "SHA512", "P-521", 66),
        ECDSAAlgorithm("ES256K", "SHA256", "secp256k1", 32),
        EdDSAAlgorithm("EdDSA", frozenset({"Ed25519", "Ed448"})),
        # RFC 9864: fully specified names, each bound to one curve.
        EdDSAAlgorithm("Ed25519", frozenset({"Ed25519"})),
        EdDSAAlgorithm("Ed448", frozenset({"Ed448"})),
    )
}


def get_signature_algorithm(name: object) -> SignatureAlgorithm:
    """Look up a caller-supplied algorithm name; an unknown name is a usage error."""
    algorithm = SIGNATURE_ALGORITHMS.get(name) if isinstance(name, str) else None
    if algorithm is None:
        known = ", ".join(SIGNATURE_ALGORITHMS)
        hint = (
            " 'none' produces unsigned tokens and is never supported."
            if isinstance(name, str) and name.lower() == "none"
            else ""
        )
        raise UnsupportedAlgorithmError(
            f"algorithm {_describe_name(name)} is not supported.{hint} Choose one of: {known}"
        )
    return algorithm


def _describe_name(name: object) -> str:
    # A key passed where the algorithm belongs (swapped arguments) must not end
    # up in the message, so only short name-like strings are shown.
    if isinstance(name, str) and _NAME_PATTERN.fullmatch(name):
        return repr(name)
    if isinstance(name, (str, bytes)):
        return f"({type(name).__name__} of length {len(name)}, which is not an algorithm name)"
    return f"({type(name).__name__}, which is not an algorithm name)"


__all__ = ["SIGNATURE_ALGORITHMS", "SignatureAlgorithm", "get_signature_algorithm"]
