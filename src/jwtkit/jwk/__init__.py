"""JSON Web Keys (RFC 7517): key kinds, import and export, thumbprints, key sets.

``RSAKey``, ``ECKey`` and ``OKPKey`` are imported on first access, because
their modules load ``cryptography``, which HMAC-only applications never need.
"""

from __future__ import annotations

from jwtkit.jwk.base import Key
from jwtkit.jwk.keyset import KeySet
from jwtkit.jwk.oct import OctKey
from jwtkit.jwk.resolve import clear_key_cache, resolve_key, select_verification_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from jwtkit.jwk.ec import ECKey
    from jwtkit.jwk.okp import OKPKey
    from jwtkit.jwk.provider import KeyProvider
    from jwtkit.jwk.rsa import RSAKey

_LAZY = {
    "ECKey": "jwtkit.jwk.ec",
    "KeyProvider": "jwtkit.jwk.provider",
    "OKPKey": "jwtkit.jwk.okp",
    "RSAKey": "jwtkit.jwk.rsa",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ECKey",
    "Key",
    "KeyProvider",
    "KeySet",
    "OKPKey",
    "OctKey",
    "RSAKey",
    "clear_key_cache",
    "resolve_key",
    "select_verification_key",
]
