"""Rules for the JOSE header of a JWS (RFC 7515 §4, RFC 7797 §3, RFC 8725 §3.1)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from jwtkit._encoding import json_type_name
from jwtkit.errors import (
    AlgorithmNotAllowedError,
    CriticalHeaderError,
    MalformedTokenError,
    UsageError,
)
from jwtkit.jwa import SIGNATURE_ALGORITHMS, SignatureAlgorithm, get_signature_algorithm

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Extensions that jwtkit processes and so may appear in "crit" (RFC 7515 §4.1.11).
UNDERSTOOD_CRITICAL = frozenset({"b64"})

# Header parameters that RFC 7515 and RFC 7518 define; RFC 7515 §4.1.11 forbids
# listing them in "crit".
REGISTERED_HEADER_PARAMETERS = frozenset(
    {
        "alg",
        "jku",
        "jwk",
        "kid",
        "x5u",
        "x5c",
        "x5t",
        "x5t#S256",
        "typ",
        "cty",
        "crit",
        "enc",
        "zip",
        "epk",
        "apu",
        "apv",
        "iv",
        "tag",
        "p2s",
        "p2c",
    }
)


class AllowedAlgorithms:
    """A caller's allow-list of JWS algorithms, checked once when built."""

    __slots__ = ("by_name", "names")

    def __init__(self, algorithms: Iterable[str] | AllowedAlgorithms) -> None:
        if isinstance(algorithms, AllowedAlgorithms):
            self.by_name: dict[str, SignatureAlgorithm] = dict(algorithms.by_name)
            self.names: tuple[str, ...] = algorithms.names
            return
        if isinstance(algorithms, (str, bytes)) or not isinstance(algorithms, Iterable):
            raise UsageError(
                f"algorithms must be a list of algorithm names such as ['HS256'], got "
                f"{algorithms!r}"
            )
        names = list(algorithms)
        if not names:
            raise UsageError(
                "algorithms is empty; list the algorithms your keys use, such as ['RS256']"
            )
        self.by_name = {}
        for name in names:
            if isinstance(name, str) and name.lower() == "none":
                raise UsageError(
                    "'none' cannot be allowed: it accepts unsigned tokens that anyone can forge "
                    "(RFC 8725 §3.1); use decode_unverified to inspect a token without verifying"
                )
            self.by_name[name] = get_signature_algorithm(name)
        self.names = tuple(self.by_name)

    def select(self, header: Mapping[str, Any]) -> SignatureAlgorithm:
        """Return the descriptor for the header's ``alg``, which must be allowed."""
        alg = header.get("alg")
        algorithm = self.by_name.get(alg) if isinstance(alg, str) else None
        if algorithm is not None:
            return algorithm

        if "alg" not in header:
            raise MalformedTokenError("the JWS header has no 'alg' parameter")
        if not isinstance(alg, str):
            raise MalformedTokenError(
                f"the JWS header's 'alg' must be a string, got {_describe(alg)}"
            )
        if alg.lower() == "none":
            raise AlgorithmNotAllowedError(
                f"the token's alg is {alg!r}: it is unsigned, and unsigned tokens are never "
                "accepted (RFC 8725 §3.1)"
            )
        if alg in SIGNATURE_ALGORITHMS:
            raise AlgorithmNotAllowedError(
                f"the token's alg {alg!r} is not in the allowed algorithms "
                f"{list(self.names)}; if you expect tokens signed with it, add it to algorithms"
            )
        raise AlgorithmNotAllowedError(
            f"the token's alg {_shorten(alg)!r} is not an algorithm jwtkit implements, so the "
            f"token cannot be verified; the allowed algorithms are {list(self.names)}"
        )


def check_header(header: Mapping[str, Any]) -> bool:
    """Check the registered parameters' types, ``crit`` and ``b64``; return the ``b64`` value.

    A parameter is checked only when present, and a present null is as wrong
    as any other type: ``kid: null`` must not read as "no kid".
    """
    for name in _STRING_PARAMETERS:
        if name in header and not isinstance(header[name], str):
            raise MalformedTokenError(
                f"the JWS header's {name!r} must be a string, got {_describe(header[name])}"
            )
    if "jwk" in header and not isinstance(header["jwk"], Mapping):
        raise MalformedTokenError(
            f"the JWS header's 'jwk' must be a JSON object, got {_describe(header['jwk'])}"
        )
    if "x5c" in header and not _is_certificate_chain(header["x5c"]):
        raise MalformedTokenError(
            "the JWS header's 'x5c' must be a non-empty array of base64 strings, one "
            "DER certificate each (RFC 7515 §4.1.6)"
        )

    # A present "crit" must be a valid array even when it is null: skipping a
    # null would make it mean "absent" to jwtkit and "invalid" to other readers.
    critical = header.get("crit")
    if "crit" in header:
        _check_crit(critical, header)

    if "b64" not in header:
        return True
    b64 = header["b64"]
    if not isinstance(b64, bool):
        raise MalformedTokenError(
            f"the JWS header's 'b64' must be true or false, got {_describe(b64)}"
        )
    # RFC 7797 §6: a recipient that did not see "b64" in "crit" could read the
    # payload differently from the signer, so the combination is required.
    if critical is None or "b64" not in critical:
        raise CriticalHeaderError(
            "the JWS header has 'b64' but does not list it in 'crit'; RFC 7797 §6 requires "
            "'crit': ['b64'] whenever 'b64' is used"
        )
    return b64


# Registered header parameters whose value is a string (RFC 7515 §4.1).
_STRING_PARAMETERS = ("kid", "jku", "x5u", "x5t", "x5t#S256", "typ", "cty")


def _is_certificate_chain(value: Any) -> bool:
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and all(isinstance(item, str) for item in value)
    )


def _check_crit(critical: Any, header: Mapping[str, Any]) -> None:
    if not isinstance(critical, list) or not critical:
        raise CriticalHeaderError(
            "the JWS header's 'crit' must be a non-empty array of header parameter names"
        )
    seen: set[str] = set()
    for name in critical:
        if not isinstance(name, str):
            raise CriticalHeaderError(f"'crit' contains {name!r}, which is not a string")
        if name in seen:
            raise CriticalHeaderError(f"'crit' lists {name!r} twice")
        seen.add(name)
        if name in REGISTERED_HEADER_PARAMETERS:
            raise CriticalHeaderError(
                f"'crit' lists {name!r}, a parameter RFC 7515 defines; only extensions may be "
                "listed there (RFC 7515 §4.1.11)"
            )
        if name not in UNDERSTOOD_CRITICAL:
            raise CriticalHeaderError(
                f"'crit' lists the extension {_shorten(name)!r}, which jwtkit does not process, "
                "so the token must be rejected (RFC 7515 §4.1.11); jwtkit understands: b64"
            )
        if name not in header:
            raise CriticalHeaderError(
                f"'crit' lists {name!r}, but the header has no {name!r} parameter"
            )


def build_header(
    algorithm: SignatureAlgorithm, headers: Mapping[str, Any] | None, kid: str | None
) -> dict[str, Any]:
    """Build a protected header for signing: ``alg`` first, then the caller's members.

    A member whose value is None is left out, and a ``kid`` set to None also
    keeps the key's own ``kid`` out of the header.
    """
    header: dict[str, Any] = {"alg": algorithm.name}
    if headers is None:
        headers = {}
    if not isinstance(headers, Mapping):
        raise UsageError(f"headers must be a dict, got {type(headers).__name__}")

    for name, value in headers.items():
        if not isinstance(name, str):
            raise UsageError(f"header parameter names must be strings, got {name!r}")
        if name == "alg" and value != algorithm.name:
            raise UsageError(
                f"headers sets alg {value!r} but algorithm is {algorithm.name!r}; "
                "pass the algorithm only through the algorithm argument"
            )
        if value is not None:
            header[name] = value

    if kid is not None and "kid" not in headers:
        header["kid"] = kid

    _check_public_jwk(header.get("jwk"))

    if "b64" in header:
        if not isinstance(header["b64"], bool):
            raise UsageError(f"header 'b64' must be True or False, got {header['b64']!r}")
        critical = list(header.get("crit") or [])
        if "b64" not in critical:
            header["crit"] = [*critical, "b64"]

    try:
        check_header(header)
    except (MalformedTokenError, CriticalHeaderError) as exc:
        raise UsageError(f"invalid headers: {exc}") from None
    return header


# The members that hold private or secret key material in a JWK of any kty
# (RFC 7518 §6.2.2, §6.3.2, §6.4, RFC 8037 §2).
_PRIVATE_JWK_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


def _check_public_jwk(jwk: Any) -> None:
    if not isinstance(jwk, Mapping):
        return
    private = sorted(_PRIVATE_JWK_MEMBERS.intersection(jwk))
    if private:
        raise UsageError(
            f"the 'jwk' header parameter has the private member(s) {private}, so the token "
            "would publish the private key to everyone who reads it; put the public JWK "
            "there, for example key.public_key().to_jwk()"
        )


def _describe(value: Any) -> str:
    # Headers being signed may hold any Python value, not only parsed JSON.
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return f"a JSON {json_type_name(value)}"
    return f"a value of type {type(value).__name__}"


def _shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit] + "..."
