"""Verify a JWS JSON Serialization (RFC 7515 §7.2), one signature at a time.

Every signature goes through the same core as a compact JWS
(``verify_signature``). This module adds the rules that only the JSON forms
have: the protected and unprotected headers, the payload shared by all
signatures, and the policy that decides how many signatures must verify.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from jwtkit._encoding import b64url_decode, b64url_encode
from jwtkit.errors import (
    AlgorithmNotAllowedError,
    CriticalHeaderError,
    JWTError,
    KeyMismatchError,
    KeyNotFoundError,
    MalformedTokenError,
    UsageError,
)
from jwtkit.jwa import SignatureAlgorithm
from jwtkit.jwk import Key, KeySet
from jwtkit.jws.compact import DEFAULT_MAX_TOKEN_SIZE
from jwtkit.jws.header import AllowedAlgorithms, check_header
from jwtkit.jws.json_parse import DEFAULT_MAX_SIGNATURES, JSONParts, SignatureParts, parse_json
from jwtkit.jws.verify import verify_signature

Require = Literal["any", "all"]

# Failures that mean "this signature is not meant for the caller's keys"
# rather than "this signature is bad". When no signature verifies, the error
# raised is the first one that is not of these kinds, so that a forged
# signature is reported as such even when other signatures target other keys.
_NOT_FOR_THESE_KEYS = (AlgorithmNotAllowedError, KeyNotFoundError, KeyMismatchError)


@dataclass(frozen=True)
class SignatureResult:
    """The outcome for one signature of a JWS JSON Serialization.

    ``protected`` and ``header`` are the signature's protected and unprotected
    headers (empty dicts when absent). Exactly one of ``key`` (the key that
    verified it) and ``error`` (why it did not verify) is set.
    """

    index: int
    protected: dict[str, Any]
    header: dict[str, Any]
    key: Key | None
    error: JWTError | None

    @property
    def verified(self) -> bool:
        """Whether this signature verified."""
        return self.error is None


@dataclass(frozen=True)
class VerifiedJSON:
    """A verified JWS JSON Serialization: the payload and the outcome of every signature.

    ``protected`` and ``key`` are those of the first signature that verified,
    so a flattened JWS reads like a compact one's ``Verified``. No verified
    signature covers the unprotected headers or the headers of signatures that
    did not verify, so read security-relevant values from ``protected``.
    """

    payload: bytes
    signatures: tuple[SignatureResult, ...]

    @property
    def verified(self) -> tuple[SignatureResult, ...]:
        """The signatures that verified, in the order the JWS lists them."""
        return tuple(result for result in self.signatures if result.verified)

    @property
    def protected(self) -> dict[str, Any]:
        """The protected header of the first signature that verified."""
        return self.verified[0].protected

    @property
    def key(self) -> Key:
        """The key that verified the first signature that verified."""
        key = self.verified[0].key
        assert key is not None
        return key


def verify_json(
    jws: Mapping[str, Any] | str | bytes,
    key: Any,
    *,
    algorithms: Iterable[str] | AllowedAlgorithms,
    detached_payload: bytes | None = None,
    require: Require = "any",
    allow_weak_key: bool = False,
    max_token_size: int = DEFAULT_MAX_TOKEN_SIZE,
    max_signatures: int = DEFAULT_MAX_SIGNATURES,
) -> VerifiedJSON:
    """Verify a JWS in the general or flattened JSON Serialization.

    ``jws`` is the parsed object or its JSON text. ``key`` is anything
    ``verify_compact`` takes (a ``Key``, a ``KeySet``, a JWK or JWK Set dict,
    PEM text, a secret), or a list of ``Key`` objects and JWK dicts that may
    mix HMAC secrets with public keys. A list is split into one ``KeySet`` per
    family, and each signature's ``alg`` picks the family, so a public key can
    never serve as an HMAC secret.

    Keys are selected as in the compact form, signature by signature. A single
    key is tried on every signature whose ``alg`` it can serve, and its
    ``kid`` is not compared. A key set selects by the signature's ``kid``
    (protected or unprotected), then by ``alg``.

    ``require="any"`` (the default) succeeds when at least one signature
    verifies, like ``generalVerify`` of panva/jose 6; the result reports the
    other signatures with their errors. ``require="all"`` succeeds only when
    every signature verifies, and otherwise raises the first failure. When no
    signature verifies, the error raised is the first one that is not about
    choosing a key (``KeyNotFoundError``, ``KeyMismatchError``,
    ``AlgorithmNotAllowedError``), or the first error when all are. So a
    forged signature raises ``InvalidSignatureError`` even when the other
    signatures are meant for other keys.

    Structural faults raise at once: member types, base64url, JSON, a payload
    that is neither present nor given as ``detached_payload``, and signatures
    that disagree on ``b64``. Header rules are judged per signature: ``crit``
    and ``b64`` must be in the protected header (RFC 7515 §4.1.11, RFC 7797
    §3), and the protected and unprotected headers must not share a name
    (RFC 7515 §7.2.1). Unlike RFC 7515, jwtkit also requires ``alg`` in the
    protected header, so that the signature covers the algorithm that checks it.
    """
    policy = _checked_policy(require)
    allowed = (
        algorithms if isinstance(algorithms, AllowedAlgorithms) else AllowedAlgorithms(algorithms)
    )
    keys = _KeyChoice(key)
    parts = parse_json(jws, max_token_size=max_token_size, max_signatures=max_signatures)

    headers = [_header_or_error(signature, parts.flattened) for signature in parts.signatures]
    b64 = _shared_b64(headers)
    if b64 is None:
        # Every signature broke a header rule, so the payload's form is
        # unknown; the policy raises one of those errors.
        failed = [
            _failed(signature, header)
            for signature, header in zip(parts.signatures, headers, strict=True)
            if isinstance(header, JWTError)
        ]
        return _apply_policy(policy, b"", failed)
    payload, payload_for_input = _payload(parts, detached_payload, b64)

    results = []
    for signature, header in zip(parts.signatures, headers, strict=True):
        if isinstance(header, JWTError):
            results.append(_failed(signature, header))
            continue
        signing_input = signature.protected_part.encode("ascii") + b"." + payload_for_input
        results.append(_verify_one(signature, header, signing_input, keys, allowed, allow_weak_key))

    return _apply_policy(policy, payload, results)


def _checked_policy(require: Any) -> Require:
    if require == "any":
        return "any"
    if require == "all":
        return "all"
    raise UsageError(f"require must be 'any' or 'all', got {require!r}")


class _KeyChoice:
    """The caller's key argument, ready to hand to the core for each signature."""

    def __init__(self, key: Any) -> None:
        self.key = key
        self.by_family: dict[bool, KeySet] | None = None
        if isinstance(key, (list, tuple)):
            self.by_family = _split_by_family(key)

    def for_algorithm(self, algorithm: SignatureAlgorithm) -> Any:
        if self.by_family is None:
            return self.key
        return self.by_family[algorithm.kty == "oct"]


def _split_by_family(keys: Sequence[Any]) -> dict[bool, KeySet]:
    if not keys:
        raise UsageError("the list of keys is empty; pass at least one key")
    parsed: list[Key] = []
    for index, item in enumerate(keys):
        if isinstance(item, Key):
            parsed.append(item)
        elif isinstance(item, Mapping):
            parsed.append(Key.from_jwk(item))
        else:
            raise UsageError(
                f"keys[{index}] is a {type(item).__name__}; a list of keys takes jwtkit Key "
                "objects and JWK dicts (wrap a raw secret with Key.from_secret)"
            )
    # The mixing rule of KeySet exists for sets that travel (a published
    # JWKS). A list built in code may hold both families, as long as a
    # signature's alg decides which family is searched.
    return {
        True: KeySet(key for key in parsed if key.kty == "oct"),
        False: KeySet(key for key in parsed if key.kty != "oct"),
    }


def _header_or_error(signature: SignatureParts, flattened: bool) -> dict[str, Any] | JWTError:
    try:
        return _joined_header(signature, flattened)
    except JWTError as exc:
        return exc


def _joined_header(signature: SignatureParts, flattened: bool) -> dict[str, Any]:
    """Return the JOSE Header of one signature after checking where its members are."""
    where = "the JWS" if flattened else f"signatures[{signature.index}] of the JWS"
    protected, unprotected = signature.protected, signature.header

    shared = sorted(protected.keys() & unprotected.keys())
    if shared:
        raise MalformedTokenError(
            f"{where} has {shared} in both its protected and its unprotected header; RFC 7515 "
            "§7.2.1 requires the two to be disjoint"
        )
    for name in ("crit", "b64"):
        if name in unprotected:
            raise CriticalHeaderError(
                f"{where} has {name!r} in its unprotected header; it must be in the protected "
                "header (RFC 7515 §4.1.11, RFC 7797 §3)"
            )
    if "alg" in unprotected:
        raise MalformedTokenError(
            f"{where} has 'alg' in its unprotected header; jwtkit accepts only a protected "
            "'alg', so that the signature covers the algorithm that checks it. Sign with 'alg' "
            "in the protected header"
        )
    if "alg" not in protected:
        raise MalformedTokenError(
            f"{where} has no 'alg' in its protected header; sign it with 'alg' in the "
            "protected header"
        )

    header = {**protected, **unprotected}
    check_header(header)
    return header


def _shared_b64(headers: list[dict[str, Any] | JWTError]) -> bool | None:
    # RFC 7797 §3: the payload is shared, so every signature must read it the
    # same way. Signatures whose headers already failed are left out, because
    # their b64 cannot be trusted.
    values = {header.get("b64", True) for header in headers if not isinstance(header, JWTError)}
    if len(values) > 1:
        raise MalformedTokenError(
            "the JWS signatures disagree on 'b64'; RFC 7797 §3 requires the same value in every "
            "signature, because they share one payload"
        )
    return values.pop() if values else None


def _payload(parts: JSONParts, detached_payload: bytes | None, b64: bool) -> tuple[bytes, bytes]:
    """Return the payload and the form it takes in the signing input."""
    if detached_payload is not None:
        if not isinstance(detached_payload, (bytes, bytearray, memoryview)):
            raise UsageError(
                f"detached_payload must be bytes, got {type(detached_payload).__name__}"
            )
        # An empty payload member reads as detached, as an empty compact
        # payload part does.
        if parts.payload_part:
            raise MalformedTokenError(
                "a detached payload was given, but the JWS carries a payload too; a detached JWS "
                "has no 'payload' member (RFC 7515 Appendix F)"
            )
        payload = bytes(detached_payload)
        return payload, b64url_encode(payload).encode("ascii") if b64 else payload

    if parts.payload_part is None:
        raise MalformedTokenError(
            "the JWS has no 'payload' member; if its payload is detached (RFC 7515 Appendix F), "
            "pass it as detached_payload"
        )
    if not b64:
        try:
            payload = parts.payload_part.encode("utf-8")
        except UnicodeEncodeError:
            raise MalformedTokenError(
                "the JWS payload contains an unpaired surrogate escape, which is not UTF-8 text"
            ) from None
        return payload, payload
    return b64url_decode(parts.payload_part, "the JWS payload"), parts.payload_part.encode("ascii")


def _verify_one(
    signature: SignatureParts,
    header: dict[str, Any],
    signing_input: bytes,
    keys: _KeyChoice,
    allowed: AllowedAlgorithms,
    allow_weak_key: bool,
) -> SignatureResult:
    try:
        candidate = keys.for_algorithm(allowed.select(header))
        used = verify_signature(
            header,
            signing_input,
            signature.signature,
            candidate,
            allowed,
            allow_weak_key=allow_weak_key,
        )
    except JWTError as exc:
        return _failed(signature, exc)
    return SignatureResult(signature.index, signature.protected, signature.header, used, None)


def _failed(signature: SignatureParts, error: JWTError) -> SignatureResult:
    return SignatureResult(signature.index, signature.protected, signature.header, None, error)


def _apply_policy(policy: Require, payload: bytes, results: list[SignatureResult]) -> VerifiedJSON:
    failed = [result.error for result in results if result.error is not None]
    if policy == "all" and failed:
        raise failed[0]
    if len(failed) == len(results):
        raise _error_to_raise(failed)
    return VerifiedJSON(payload, tuple(results))


def _error_to_raise(errors: list[JWTError]) -> JWTError:
    for error in errors:
        if not isinstance(error, _NOT_FOR_THESE_KEYS):
            return error
    return errors[0]
