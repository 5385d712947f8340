"""Every cell of the interoperability matrix and every claims check, enumerated once.

The tests are parametrized over these lists, and the results recorder counts
against them to tell a complete run from a partial one.
"""

from __future__ import annotations

from dataclasses import dataclass

from jwtkit.errors import (
    ExpiredTokenError,
    ImmatureTokenError,
    InvalidAudienceError,
    InvalidClaimError,
    MissingClaimError,
)
from tests.interop.cases import ALGORITHM_CASES, AUDIENCE, DIRECTION_IDS, DIRECTIONS, AlgorithmCase
from tests.interop.peers import PEERS, Peer

# The algorithm for the claims checks: one that every peer implements.
CLAIMS_ALGORITHM = "ES256"

PEER_TO_JWTKIT = "peer signs, jwtkit validates"
JWTKIT_TO_PEER = "jwtkit signs, peer validates"


@dataclass(frozen=True)
class Cell:
    peer: Peer
    case: AlgorithmCase
    direction: str
    key_form: str

    @property
    def id(self) -> str:
        return f"{self.peer.test_id}-{self.case.id}-{DIRECTION_IDS[self.direction]}-{self.key_form}"


@dataclass(frozen=True)
class ClaimsCheck:
    """A token whose claims differ from the valid ones, and what the verifier must do.

    ``changes`` replaces claims: a number for exp, nbf or iat is an offset in
    seconds from now, and None removes the claim. ``rejected_claim`` is the
    claim the verifier must name when it rejects the token, with ``error``
    the jwtkit class it must raise; None means the token must be accepted.
    ``leeway`` is the clock skew jwtkit allows.
    """

    name: str
    changes: dict[str, object]
    rejected_claim: str | None
    error: type[InvalidClaimError] | None = None
    leeway: int = 0


# Offsets are in seconds from now and far from any limit, so a slow run
# cannot move a token across one.
EXP_PASSED = ClaimsCheck(
    "exp passed", {"exp": -3600, "iat": -7200, "nbf": -7200}, "exp", ExpiredTokenError
)
NBF_IN_FUTURE = ClaimsCheck("nbf in the future", {"nbf": 3600}, "nbf", ImmatureTokenError)
AUD_OTHER = ClaimsCheck(
    "aud names another service", {"aud": "other-service"}, "aud", InvalidAudienceError
)

CLAIMS_CHECKS_INTO_JWTKIT = (
    EXP_PASSED,
    ClaimsCheck("exp passed within leeway", {"exp": -30}, None, leeway=600),
    NBF_IN_FUTURE,
    AUD_OTHER,
    ClaimsCheck("aud list contains this service", {"aud": ["other-service", AUDIENCE]}, None),
    ClaimsCheck("aud missing", {"aud": None}, "aud", MissingClaimError),
)
CLAIMS_CHECKS_INTO_PEER = (EXP_PASSED, NBF_IN_FUTURE, AUD_OTHER)


@dataclass(frozen=True)
class ClaimsCell:
    peer: Peer
    check: ClaimsCheck
    direction: str

    @property
    def id(self) -> str:
        into = "into-jwtkit" if self.direction == PEER_TO_JWTKIT else "into-peer"
        return f"{self.peer.test_id}-{into}-{self.check.name.replace(' ', '-')}"


MATRIX_CELLS = tuple(
    Cell(peer, case, direction, key_form)
    for case in ALGORITHM_CASES
    for direction in DIRECTIONS
    for peer in PEERS
    for key_form in case.key_forms
)

CLAIMS_CELLS = tuple(
    ClaimsCell(peer, check, direction)
    for direction, checks in (
        (PEER_TO_JWTKIT, CLAIMS_CHECKS_INTO_JWTKIT),
        (JWTKIT_TO_PEER, CLAIMS_CHECKS_INTO_PEER),
    )
    for check in checks
    for peer in PEERS
)

# A JWK Set mixing key types, so that selecting by kid has to skip keys of
# the wrong type too. Every peer implements these algorithms.
KEY_SET_ALGORITHMS = ("ES256", "RS256", "ES384")
JWTKIT_SET_TO_PEER = "jwtkit's JWK Set, peer selects the key by kid"
PEER_SET_TO_JWTKIT = "peer's JWK Set, jwtkit selects the key by kid"


@dataclass(frozen=True)
class KeySetCell:
    peer: Peer
    direction: str

    @property
    def id(self) -> str:
        into = "into-peer" if self.direction == JWTKIT_SET_TO_PEER else "into-jwtkit"
        return f"{self.peer.test_id}-{into}"


KEY_SET_CELLS = tuple(
    KeySetCell(peer, direction)
    for direction in (JWTKIT_SET_TO_PEER, PEER_SET_TO_JWTKIT)
    for peer in PEERS
)


@dataclass(frozen=True)
class WeakKeyCase:
    """A key below RFC 7518's minimum that a peer may still sign with.

    ``form`` and ``size`` describe the key: an HMAC secret in bytes, or an
    RSA modulus in bits passed to the peer as PKCS#8 PEM.
    """

    name: str
    alg: str
    form: str
    size: int


WEAK_KEY_CASES = (
    WeakKeyCase("HS256 with a 16-byte secret", "HS256", "secret", 16),
    WeakKeyCase("RS256 with a 1024-bit RSA key", "RS256", "pem", 1024),
)


@dataclass(frozen=True)
class RejectionCell:
    peer: Peer
    weak_key: WeakKeyCase

    @property
    def id(self) -> str:
        return f"{self.peer.test_id}-{self.weak_key.alg}-{self.weak_key.form}-{self.weak_key.size}"


REJECTION_CELLS = tuple(
    RejectionCell(peer, weak_key) for weak_key in WEAK_KEY_CASES for peer in PEERS
)

# The number of entries each results.json section needs to count as complete.
EXPECTED_ENTRIES = {
    "matrix": len(MATRIX_CELLS),
    "claims": len(CLAIMS_CELLS),
    "key_sets": len(KEY_SET_CELLS),
    "rejections": len(REJECTION_CELLS),
}

# The order results.json lists entries in: the order of the lists above.
RESULTS_ORDER = [
    *dict.fromkeys(case.label for case in ALGORITHM_CASES),
    *DIRECTIONS,
    *(peer.name for peer in PEERS),
    "jwk",
    "pem",
    "secret",
    *(check.name for check in CLAIMS_CHECKS_INTO_JWTKIT),
    PEER_TO_JWTKIT,
    JWTKIT_TO_PEER,
    JWTKIT_SET_TO_PEER,
    PEER_SET_TO_JWTKIT,
    *(weak_key.name for weak_key in WEAK_KEY_CASES),
]
