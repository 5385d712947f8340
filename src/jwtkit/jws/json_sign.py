"""Sign a payload as a JWS JSON Serialization (RFC 7515 §7.2), general or flattened."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jwtkit._encoding import b64url_encode, json_dumps
from jwtkit.errors import UsageError
from jwtkit.jwa import SignatureAlgorithm, get_signature_algorithm
from jwtkit.jwk import Key, resolve_key
from jwtkit.jws.header import build_header
from jwtkit.jws.json_parse import DEFAULT_MAX_SIGNATURES

# Header parameters that must be covered by the signature: "crit" and "b64"
# by RFC 7515 §4.1.11 and RFC 7797 §3, "alg" by jwtkit's own rule.
_PROTECTED_ONLY = ("alg", "crit", "b64")


@dataclass(frozen=True)
class Signer:
    """One signature for ``sign_json``: the key, its algorithm and the headers it carries.

    ``protected`` adds protected header parameters, and ``alg`` is always set
    from ``algorithm``. ``header`` is the unprotected header, which the
    signature does not cover, so ``alg``, ``crit`` and ``b64`` cannot go there.
    The key's ``kid`` goes into the protected header unless either header
    already sets ``kid``. A parameter set to None in either header is left
    out, so ``{"kid": None}`` writes no ``kid`` at all.
    """

    key: Any
    algorithm: str
    protected: Mapping[str, Any] | None = None
    header: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class _PreparedSigner:
    algorithm: SignatureAlgorithm
    key: Key
    protected: dict[str, Any]
    protected_part: str
    header: dict[str, Any]


def sign_json(
    payload: bytes,
    signers: Signer | Sequence[Signer],
    *,
    flattened: bool = False,
    detached: bool = False,
    allow_weak_key: bool = False,
    max_signatures: int = DEFAULT_MAX_SIGNATURES,
) -> dict[str, Any]:
    """Sign ``payload`` once per signer and return the JWS JSON Serialization as a dict.

    The result uses the general syntax (a ``signatures`` array) unless
    ``flattened=True``, which takes exactly one signer. With ``detached=True``
    the ``payload`` member is left out (RFC 7515 Appendix F). A signer whose
    protected header sets ``{"b64": False}`` signs the payload unencoded
    (RFC 7797), and then every signer must set it, because the payload member
    is shared. ``max_signatures`` caps the signer count at what ``verify_json``
    accepts with the same argument (16 by default), so that no JWS is made that
    a recipient's default limit rejects. Serialize the result with ``json.dumps``.
    """
    payload = _checked_payload(payload)
    signer_list = _checked_signers(signers, flattened, max_signatures)
    prepared = [
        _prepare_signer(signer, index, allow_weak_key) for index, signer in enumerate(signer_list)
    ]

    b64 = _shared_b64(prepared)
    payload_part = b64url_encode(payload) if b64 else _unencoded_payload_text(payload, detached)
    payload_for_input = payload_part.encode("ascii") if b64 else payload

    entries = []
    for signer in prepared:
        signing_input = signer.protected_part.encode("ascii") + b"." + payload_for_input
        signature = signer.algorithm.sign(signer.key.signing_key, signing_input)
        entry: dict[str, Any] = {"protected": signer.protected_part}
        if signer.header:
            entry["header"] = signer.header
        entry["signature"] = b64url_encode(signature)
        entries.append(entry)

    jws: dict[str, Any] = {} if detached else {"payload": payload_part}
    if flattened:
        jws.update(entries[0])
    else:
        jws["signatures"] = entries
    return jws


def _checked_payload(payload: Any) -> bytes:
    if not isinstance(payload, (bytes, bytearray, memoryview)):
        raise UsageError(
            f"payload must be bytes, got {type(payload).__name__}; encode text with .encode()"
        )
    return bytes(payload)


def _checked_signers(signers: Any, flattened: bool, max_signatures: int) -> list[Signer]:
    signer_list = [signers] if isinstance(signers, Signer) else signers
    if not isinstance(signer_list, (list, tuple)) or not signer_list:
        raise UsageError(
            "signers must be a Signer or a non-empty list of Signer objects, got "
            f"{type(signers).__name__}"
        )
    for index, signer in enumerate(signer_list):
        if not isinstance(signer, Signer):
            raise UsageError(
                f"signers[{index}] is a {type(signer).__name__}; build each one with "
                "jwtkit.jws.Signer(key, algorithm, protected=..., header=...)"
            )
    if (
        isinstance(max_signatures, bool)
        or not isinstance(max_signatures, int)
        or max_signatures < 1
    ):
        raise UsageError(f"max_signatures must be a positive integer, got {max_signatures!r}")
    if len(signer_list) > max_signatures:
        raise UsageError(
            f"{len(signer_list)} signers were given, but max_signatures is {max_signatures} "
            "(verify_json accepts 16 by default); split them over several JWS objects, or "
            "raise max_signatures here and in verify_json"
        )
    if flattened and len(signer_list) != 1:
        raise UsageError(
            f"the flattened syntax contains exactly one signature, but {len(signer_list)} signers "
            "were given; leave flattened=False for several signatures"
        )
    return list(signer_list)


def _prepare_signer(signer: Signer, index: int, allow_weak_key: bool) -> _PreparedSigner:
    algorithm = get_signature_algorithm(signer.algorithm)
    key = resolve_key(signer.key, algorithm)
    key.check_algorithm(algorithm, "sign", allow_weak_key=allow_weak_key)

    header = _checked_unprotected(signer.header, index)
    # A "kid" set to None in the header also keeps the key's kid out.
    kid = None if "kid" in (signer.header or {}) else key.kid
    protected = build_header(algorithm, signer.protected, kid)

    shared = sorted(protected.keys() & header.keys())
    if shared:
        raise UsageError(
            f"signers[{index}] sets {shared} in both its protected and its unprotected header; "
            "RFC 7515 §7.2.1 requires the two to be disjoint, so put each parameter in one"
        )

    try:
        protected_part = b64url_encode(json_dumps(protected))
    except (TypeError, ValueError) as exc:
        raise UsageError(
            f"the protected header of signers[{index}] cannot be serialized as JSON: {exc}"
        ) from None
    return _PreparedSigner(algorithm, key, protected, protected_part, header)


def _checked_unprotected(header: Any, index: int) -> dict[str, Any]:
    """Return a JSON-only copy of a signer's unprotected header, after checking its members."""
    if header is None:
        return {}
    if not isinstance(header, Mapping):
        raise UsageError(
            f"the unprotected header of signers[{index}] must be a dict, got "
            f"{type(header).__name__}"
        )
    for name in header:
        if not isinstance(name, str):
            raise UsageError(f"header parameter names must be strings, got {name!r}")
        if name in _PROTECTED_ONLY:
            raise UsageError(
                f"signers[{index}] puts {name!r} in the unprotected header; it must be "
                "protected, so pass it in protected (alg through algorithm)"
            )

    # A copy made through JSON keeps the caller's objects out of the result and
    # rejects values that JSON cannot carry.
    try:
        members = {name: value for name, value in header.items() if value is not None}
        copy: dict[str, Any] = json.loads(json_dumps(members))
    except (TypeError, ValueError) as exc:
        raise UsageError(
            f"the unprotected header of signers[{index}] cannot be serialized as JSON: {exc}"
        ) from None
    return copy


def _shared_b64(prepared: list[_PreparedSigner]) -> bool:
    # RFC 7797 §3: all signatures share the payload member, so all must encode
    # it the same way.
    values = {signer.protected.get("b64", True) for signer in prepared}
    if len(values) > 1:
        raise UsageError(
            "the signers disagree on 'b64'; every signature shares one payload, so set "
            "{'b64': False} in all protected headers or in none (RFC 7797 §3)"
        )
    return bool(values.pop())


def _unencoded_payload_text(payload: bytes, detached: bool) -> str:
    if detached:
        return ""
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(
            "an attached unencoded (b64: false) payload must be UTF-8 text, because the JSON "
            "'payload' member is a string; pass detached=True and send the payload separately"
        ) from None
