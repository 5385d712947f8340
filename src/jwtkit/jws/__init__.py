"""JSON Web Signature (RFC 7515): compact and JSON serializations, header rules, one core.

The JSON serializations are imported on first access to their names.
"""

from __future__ import annotations

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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from jwtkit.jws.json_parse import DEFAULT_MAX_SIGNATURES
    from jwtkit.jws.json_sign import Signer, sign_json
    from jwtkit.jws.json_verify import SignatureResult, VerifiedJSON, verify_json

_LAZY = {
    "DEFAULT_MAX_SIGNATURES": "jwtkit.jws.json_parse",
    "Signer": "jwtkit.jws.json_sign",
    "sign_json": "jwtkit.jws.json_sign",
    "SignatureResult": "jwtkit.jws.json_verify",
    "VerifiedJSON": "jwtkit.jws.json_verify",
    "verify_json": "jwtkit.jws.json_verify",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
