"""jwtkit's decisions on conformance vectors whose label it does not follow.

A vector is listed here when jwtkit's outcome differs from the label in its
file, or when the label leaves the outcome to the implementation
("acceptable"). Each entry gives the outcome the tests expect, the error class
when that outcome is a rejection, and the reason. The tests read these tables,
and ``scripts/conformance_report.py`` prints them in docs/conformance.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from jwtkit.errors import (
    CriticalHeaderError,
    JWTError,
    KeyMismatchError,
    MalformedTokenError,
)


@dataclass(frozen=True)
class Decision:
    """The outcome jwtkit gives a vector, and why it differs from the label."""

    outcome: Literal["valid", "invalid"]
    error: type[JWTError] | None
    reason: str


_KEY_ALG_POLICY = (
    "The key's JWK 'alg' is PS256 and the header's alg is PS384 (RFC 7520 Figure 20). jwtkit "
    "honours a JWK's own 'alg' (RFC 7517 §4.4), so a key made for PS256 never verifies another "
    "algorithm. The file labels it valid because it ignores the key's alg."
)
_ES521 = (
    "The key's JWK 'alg' is 'ES521' (RFC 7520 Figure 27). That name is not registered in JWA; "
    "the P-521 algorithm is ES512 (RFC 7518 §3.1). jwtkit requires the key's alg to equal the "
    "header's alg, so the key cannot verify ES512. json_web_key_test.json labels the same "
    "'ES521' invalid, which agrees with jwtkit."
)
_PADDING_LOST = (
    "The stored token is byte for byte the valid tcId 357: the padding characters this case is "
    "about were lost upstream. The token verifies, and a correct library cannot reject it "
    "without also rejecting tcId 357."
)
_CHARACTER_INSERTED = (
    "The token contains '?', which is not base64url (RFC 7515 §2). Its MAC covers the "
    "unmodified parts, so a verifier that computes the MAC over the signing input as received "
    "(RFC 7515 §5.2) rejects it whatever its decoder. jwtkit's strict decoder rejects it first. "
    "The file's 'valid' label is an upstream error; the 10 other cases of the same group with "
    "non-base64url characters are labelled invalid."
)

# json_web_signature_test.json (Wycheproof testvectors_v1), by tcId.
WYCHEPROOF_JWS: dict[int, Decision] = {
    346: Decision("invalid", KeyMismatchError, _KEY_ALG_POLICY),
    347: Decision("invalid", KeyMismatchError, _ES521),
    350: Decision("invalid", KeyMismatchError, _KEY_ALG_POLICY),
    351: Decision("invalid", KeyMismatchError, _ES521),
    367: Decision("valid", None, _PADDING_LOST),
    370: Decision("valid", None, _PADDING_LOST),
    372: Decision("invalid", MalformedTokenError, _CHARACTER_INSERTED),
    373: Decision("invalid", MalformedTokenError, _CHARACTER_INSERTED),
}

# json_web_key_test.json (Wycheproof testvectors_v1), by tcId.
WYCHEPROOF_JWK: dict[int, Decision] = {}

# json_web_crypto_test.json (Wycheproof testvectors_v1), by tcId. Its JWS
# cases all follow their labels; its JWE cases are out of scope until jwtkit
# implements JWE.
WYCHEPROOF_CRYPTO: dict[int, Decision] = {}

# RFC examples and other positive vectors, by the name the tests use.
VECTORS: dict[str, Decision] = {
    "rfc7515-A.5": Decision(
        "invalid",
        None,
        "An unsecured JWS (alg 'none'). jwtkit never accepts it and cannot be told to "
        "(RFC 8725 §3.1); 'none' in an allow-list is a usage error.",
    ),
    "rfc7520-4.7": Decision(
        "invalid",
        MalformedTokenError,
        "Every header parameter, alg included, is in the unprotected header. RFC 7515 allows "
        "that, but jwtkit requires alg in the protected header, so that the signature covers "
        "the algorithm that checks it; the signature is judged invalid before any key is used.",
    ),
    "rfc7520-4.8-signature-1": Decision(
        "invalid",
        MalformedTokenError,
        "The ES512 signature of the multiple-signature example carries alg in its unprotected "
        "header; jwtkit rejects it for the reason given for 4.7. The RS256 and HS256 signatures "
        "verify, so verify_json succeeds with require='any' and raises with require='all'.",
    ),
    "cookbook-rfc7797-4.2": Decision(
        "invalid",
        CriticalHeaderError,
        "The cookbook's rfc7797/4.2 file predates RFC 7797: its protected header has "
        "b64: false without crit: ['b64'], which RFC 7797 §6 requires. The RFC's own §4.2 "
        "example, typed in from the RFC, carries crit and verifies.",
    ),
    "wycheproof-crypto-tcId17-json": Decision(
        "valid",
        None,
        "json_web_crypto_test.json tcId 17 is a valid general JWS that the file expects a "
        "compact-only verifier to reject, and verify_compact does. Given to verify_json, it "
        "verifies: its unprotected header member 'unknown' is ignored, as RFC 7515 §4 requires "
        "for parameters that are not understood and not listed in crit.",
    ),
}
