"""The debugger page's JSON API: decode, verify, sign, generate keys and lint, all through jwtkit.

Each endpoint takes the parsed request body and returns the response body.
A ``JWTError`` raised by an endpoint becomes an HTTP 400 response with the
error's ``code`` and message. A token that fails verification is a normal 200
result, because showing why it fails is what the page is for.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from jwtkit._encoding import b64url_decode, json_dumps, json_loads_object
from jwtkit.errors import InvalidKeyError, JWTError, TokenTooLargeError, UsageError
from jwtkit.jwa import get_signature_algorithm
from jwtkit.jwa.hmac import HMACAlgorithm
from jwtkit.jwk import Key, KeySet
from jwtkit.jws import DEFAULT_MAX_TOKEN_SIZE, sign_compact, verify_compact
from jwtkit.jwt import ClaimsPolicy, decode_unverified
from jwtkit.lint import DEFAULT_MAX_LIFETIME, lint_token
from jwtkit.web.dates import describe_dates
from jwtkit.web.keys import algorithms_for, describe_key, parse_key

Endpoint = Callable[[dict[str, Any]], dict[str, Any]]

# RSA sizes the page offers when generating a key.
RSA_SIZES = (2048, 3072, 4096)

# The registered claims that ClaimsPolicy checks whenever they are present.
VALIDATED_CLAIMS = ("exp", "nbf", "iat", "iss", "sub", "aud", "jti")


class RequestError(UsageError):
    """A request to the debugger API is missing a field or has one of the wrong type."""

    code = "invalid_request"


def decode(request: dict[str, Any]) -> dict[str, Any]:
    """Split a token and decode each part on its own, so one bad part does not hide the others."""
    token = _token(request)
    segments = token.split(".")
    response: dict[str, Any] = {"parts": segments, "error": None, "dates": []}
    try:
        decode_unverified(token)
    except JWTError as exc:
        response["error"] = _error(exc)
    if len(segments) != 3:
        return response

    header_part, payload_part, signature_part = segments
    header = _decode_json_part(header_part, "the token's header", response, "header")
    claims = _decode_json_part(payload_part, "the token's payload", response, "claims")
    try:
        response["signature"] = {"bytes": len(b64url_decode(signature_part, "the signature"))}
    except JWTError as exc:
        response["signature"] = {"error": _error(exc)}

    if header is not None:
        response["alg"] = header.get("alg")
    if claims is not None:
        response["dates"] = describe_dates(claims, time.time())
    return response


def verify(request: dict[str, Any]) -> dict[str, Any]:
    """Verify the signature with the given key, then, if it holds, validate the claims."""
    token = _token(request)
    key = parse_key(request.get("key"))
    algorithms = _verification_algorithms(request, key)
    allow_weak_key = _flag(request, "allow_weak_key")

    try:
        verified = verify_compact(token, key, algorithms=algorithms, allow_weak_key=allow_weak_key)
    except JWTError as exc:
        return {
            "signature": {"valid": False, "algorithms": algorithms, "error": _error(exc)},
            "claims": {"checked": False},
        }

    signature = {
        "valid": True,
        "alg": verified.protected.get("alg"),
        "key": describe_key(verified.key),
    }
    return {"signature": signature, "claims": _validate_claims(request, verified.payload)}


def sign(request: dict[str, Any]) -> dict[str, Any]:
    """Sign edited header and claims JSON with the given key; the chosen algorithm sets ``alg``."""
    algorithm = _string(request, "algorithm")
    header = json_loads_object(_string(request, "header"), "the header JSON")
    claims = json_loads_object(_string(request, "claims"), "the claims JSON")
    key = parse_key(request.get("key"))
    if isinstance(key, KeySet):
        raise InvalidKeyError(
            "a JWK Set cannot sign, because the request does not select one of its keys; "
            "paste the one private key (a JWK or PEM) to sign with"
        )

    header.pop("alg", None)
    token = sign_compact(
        json_dumps(claims),
        key,
        algorithm,
        header,
        allow_weak_key=_flag(request, "allow_weak_key"),
    )
    return {"token": token}


def keygen(request: dict[str, Any]) -> dict[str, Any]:
    """Generate a private key for an algorithm, with its thumbprint as ``kid``."""
    algorithm = get_signature_algorithm(_string(request, "algorithm"))
    if isinstance(algorithm, HMACAlgorithm):
        generated = Key.generate("oct", size=8 * algorithm.min_key_bytes)
    elif algorithm.kty == "RSA":
        generated = Key.generate("RSA", size=_rsa_size(request))
    else:
        # Each ES algorithm has one curve. EdDSA has Ed25519 and Ed448, and the
        # page generates the first in sorted order, Ed25519.
        generated = Key.generate(algorithm.kty, curve=sorted(algorithm.curves)[0])

    jwk = generated.to_jwk(private=True)
    jwk["kid"] = generated.thumbprint()
    jwk["alg"] = algorithm.name
    key = Key.from_jwk(jwk)
    response: dict[str, Any] = {
        "algorithm": algorithm.name,
        "kid": key.kid,
        "private_jwk": _pretty(key.to_jwk(private=True)),
        "public_jwk": None,
        "public_pem": None,
    }
    if key.kty != "oct":
        public = key.public_key()
        response["public_jwk"] = _pretty(public.to_jwk())
        response["public_pem"] = public.to_pem().decode("ascii")
    return response


def lint(request: dict[str, Any]) -> dict[str, Any]:
    """Run ``lint_token`` on the token, with the key when one is given."""
    token = _token(request)
    key_request = request.get("key")
    key = parse_key(key_request) if key_request is not None else None
    max_lifetime = request.get("max_lifetime", DEFAULT_MAX_LIFETIME)
    if isinstance(max_lifetime, bool) or not isinstance(max_lifetime, (int, float)):
        raise RequestError("max_lifetime must be a number of seconds")
    key_text = key_request.get("text") if isinstance(key_request, dict) else None
    findings = lint_token(
        token,
        key,
        max_lifetime=max_lifetime,
        key_text=key_text if isinstance(key_text, str) else None,
    )
    return {"findings": [finding.to_dict() for finding in findings]}


ENDPOINTS: dict[str, Endpoint] = {
    "/api/decode": decode,
    "/api/verify": verify,
    "/api/sign": sign,
    "/api/keygen": keygen,
    "/api/lint": lint,
}


def handle(path: str, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Run the endpoint at ``path``; return the HTTP status and the response body."""
    endpoint = ENDPOINTS.get(path)
    if endpoint is None:
        return 404, {"error": {"code": "not_found", "message": f"no API endpoint {path}"}}
    try:
        return 200, endpoint(request)
    except JWTError as exc:
        return 400, {"error": _error(exc)}


def _verification_algorithms(request: dict[str, Any], key: Key | KeySet) -> list[str]:
    # The allow-list comes from the user's choice or from the key's family,
    # never from the token, so a token cannot pick an algorithm the key was
    # not meant for.
    chosen = request.get("algorithm") or "auto"
    if chosen != "auto":
        return [get_signature_algorithm(chosen).name]
    algorithms = algorithms_for(key)
    if not algorithms:
        raise InvalidKeyError(
            "the key fits no JWS algorithm: check its JWK 'alg', 'use' and 'key_ops', or "
            "paste a key meant for signatures"
        )
    return algorithms


def _validate_claims(request: dict[str, Any], payload: bytes) -> dict[str, Any]:
    try:
        claims = json_loads_object(payload, "the token's claims")
        policy = ClaimsPolicy(
            issuer=_optional_string(request, "issuer"),
            audience=_optional_string(request, "audience"),
        )
        policy.validate(claims, time.time())
    except JWTError as exc:
        return {"checked": True, "valid": False, "error": _error(exc)}
    present = [name for name in VALIDATED_CLAIMS if name in claims]
    return {"checked": True, "valid": True, "validated": present}


def _decode_json_part(
    part: str, what: str, response: dict[str, Any], name: str
) -> dict[str, Any] | None:
    try:
        value = json_loads_object(b64url_decode(part, what), what)
    except JWTError as exc:
        response[name] = {"error": _error(exc)}
        return None
    response[name] = {"json": _pretty(value)}
    return value


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _error(exc: JWTError) -> dict[str, str]:
    return {"code": exc.code, "message": str(exc)}


def _token(request: dict[str, Any]) -> str:
    token = _string(request, "token").strip()
    if len(token) > DEFAULT_MAX_TOKEN_SIZE:
        raise TokenTooLargeError(
            f"the token is {len(token)} characters, over the maximum of {DEFAULT_MAX_TOKEN_SIZE}"
        )
    if not token:
        raise RequestError("the token is empty; paste a JWT")
    return token


def _string(request: dict[str, Any], name: str) -> str:
    value = request.get(name)
    if not isinstance(value, str):
        raise RequestError(f"the request needs {name!r} as a string")
    return value


def _optional_string(request: dict[str, Any], name: str) -> str | None:
    value = request.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise RequestError(f"{name!r} must be a string")
    return value.strip()


def _flag(request: dict[str, Any], name: str) -> bool:
    value = request.get(name, False)
    if not isinstance(value, bool):
        raise RequestError(f"{name!r} must be true or false")
    return value


def _rsa_size(request: dict[str, Any]) -> int:
    size = request.get("size", RSA_SIZES[0])
    if size not in RSA_SIZES or isinstance(size, bool):
        raise RequestError(f"size must be one of {list(RSA_SIZES)} for an RSA key")
    return int(size)
