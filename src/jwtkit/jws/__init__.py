"""JSON Web Signature (RFC 7515): compact and JSON serializations, header rules, one core."""

from jwtkit.jws.compact import (
    DEFAULT_MAX_TOKEN_SIZE,
    CompactParts,
    parse_compact,
    sign_compact,
    verify_compact,
)
from jwtkit.jws.header import AllowedAlgorithms
from jwtkit.jws.json_parse import DEFAULT_MAX_SIGNATURES
from jwtkit.jws.json_sign import Signer, sign_json
from jwtkit.jws.json_verify import SignatureResult, VerifiedJSON, verify_json
from jwtkit.jws.verified import Verified
from jwtkit.jws.verify import verify_signature

__all__ = [
    "DEFAULT_MAX_SIGNATURES",
    "DEFAULT_MAX_TOKEN_SIZE",
    "AllowedAlgorithms",
    "CompactParts",
    "SignatureResult",
    "Signer",
    "Verified",
    "VerifiedJSON",
    "parse_compact",
    "sign_compact",
    "sign_json",
    "verify_compact",
    "verify_json",
    "verify_signature",
]
