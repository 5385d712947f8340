"""jwtkit: JSON Web Tokens and JOSE for Python, secure by default.

The top level has the names for everyday tasks::

    token = jwtkit.encode({"sub": "alice"}, key, "ES256")
    claims = jwtkit.decode(token, key, algorithms=["ES256"], audience="api")

The layers beneath are ``jwtkit.jws`` (signatures), ``jwtkit.jwk`` (keys),
``jwtkit.jwa`` (algorithms) and ``jwtkit.errors``.

Importing jwtkit loads neither ``cryptography`` nor ``typing``: the first is
imported when an RSA, EC or OKP key or algorithm is first used, and the modules
on the import path declare ``TYPE_CHECKING = False`` (which type checkers read
as True) so that ``typing`` is imported for type checking only. That keeps
`import jwtkit` cheap for command-line tools and HMAC-only services.
"""

from __future__ import annotations

from jwtkit import errors, jws
from jwtkit.jwk import Key, KeySet, OctKey
from jwtkit.jwt import UnverifiedToken, VerifiedToken, Verifier, decode, decode_unverified, encode

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from jwtkit.jwk import ECKey, OKPKey, RSAKey


def __getattr__(name: str) -> Any:
    # The key kinds that need cryptography load on first access, so that
    # `import jwtkit` stays cheap for HMAC-only applications.
    if name in ("ECKey", "OKPKey", "RSAKey"):
        from jwtkit import jwk

        return getattr(jwk, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "ECKey",
    "Key",
    "KeySet",
    "OKPKey",
    "OctKey",
    "RSAKey",
    "UnverifiedToken",
    "VerifiedToken",
    "Verifier",
    "__version__",
    "decode",
    "decode_unverified",
    "encode",
    "errors",
    "jws",
]
