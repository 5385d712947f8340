"""JSON Web Signature (RFC 7515): compact serialization, header rules, one verification core."""

from jwtkit.jws.compact import (
    DEFAULT_MAX_TOKEN_SIZE,
    CompactParts,
    parse_compact,
    sign_compact,
    verify_compact,
)
from jwtkit.jws.header import AllowedAlgorithms
from jwtkit.jws.verified import Verified
from jwtkit.jws.verify import verify_signature

__all__ = [
    "DEFAULT_MAX_TOKEN_SIZE",
    "AllowedAlgorithms",
    "CompactParts",
    "Verified",
    "parse_compact",
    "sign_compact",
    "verify_compact",
    "verify_signature",
]
