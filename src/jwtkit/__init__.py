"""jwtkit: JSON Web Tokens and JOSE for Python, secure by default.

The top level holds the names for everyday tasks::

    token = jwtkit.encode({"sub": "alice"}, key, "ES256")
    claims = jwtkit.decode(token, key, algorithms=["ES256"], audience="api")

The layers beneath are ``jwtkit.jws`` (signatures), ``jwtkit.jwk`` (keys),
``jwtkit.jwa`` (algorithms) and ``jwtkit.errors``.
"""

from jwtkit import errors, jws
from jwtkit.jwk import ECKey, Key, KeySet, OctKey, OKPKey, RSAKey
from jwtkit.jwt import UnverifiedToken, VerifiedToken, Verifier, decode, decode_unverified, encode

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
