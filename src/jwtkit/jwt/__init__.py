"""JSON Web Token (RFC 7519): NumericDates, claim validation, ``Verifier``, encode and decode."""

from jwtkit.jwt.api import UnverifiedToken, decode, decode_unverified, encode
from jwtkit.jwt.claims import ClaimsPolicy
from jwtkit.jwt.verifier import VerifiedToken, Verifier

__all__ = [
    "ClaimsPolicy",
    "UnverifiedToken",
    "VerifiedToken",
    "Verifier",
    "decode",
    "decode_unverified",
    "encode",
]
