"""Keys named by the token (jwk, jku, x5u, x5c headers) are never fetched or trusted.

RFC 8725 §3.10 warns that following "jku" or "x5u" invites server-side request
forgery, and a key embedded in "jwk" or "x5c" proves only that the attacker
has its private half. Each token here is signed by an attacker key that the
header points to; the caller's own key must be the only one ever used. A real
HTTP server on 127.0.0.1 serves the attacker's JWK Set and certificate and
counts the requests it receives, which must stay at zero.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import threading
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import NameOID

import jwtkit
from jwtkit import errors
from tests.conftest import require
from tests.security.conftest import Verify
from tests.security.forge import b64, hmac_token, sign

CLAIMS = {"sub": "admin"}


class AttackerServer:
    """An HTTP server that serves the attacker's key material and counts requests."""

    def __init__(self, documents: dict[str, bytes]) -> None:
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.requests.append(self.path)
                body = documents.get(self.path, b"")
                content_type = "application/json" if self.path.endswith(".json") else "text/plain"
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        host, port = self._server.server_address[:2]
        self.base_url = f"http://{host!s}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base_url + path

    def __enter__(self) -> AttackerServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def _self_signed(private_key: Any) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "attacker")])
    hash_algorithm = None if isinstance(private_key, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(7)
        .not_valid_before(datetime(2024, 1, 1, tzinfo=timezone.utc))
        .not_valid_after(datetime(2044, 1, 1, tzinfo=timezone.utc))
        .sign(private_key, hash_algorithm)
    )


@pytest.fixture(scope="module")
def attacker_keys() -> dict[str, Any]:
    """The attacker's private key for each algorithm; none of them is the caller's."""
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return {
        "RS256": rsa_key,
        "ES256": ec.generate_private_key(ec.SECP256R1()),
        "EdDSA": ed25519.Ed25519PrivateKey.generate(),
    }


@pytest.fixture(scope="module")
def attacker_server(
    attacker_keys: dict[str, Any], asymmetric_private_keys: dict[str, Any]
) -> Iterator[AttackerServer]:
    caller_jwks = jwtkit.KeySet(
        [
            jwtkit.Key.from_cryptography(
                asymmetric_private_keys["RS256"].public_key(), kid="caller-key"
            )
        ]
    ).to_jwks()
    jwks = jwtkit.KeySet(
        [
            jwtkit.Key.from_cryptography(key.public_key(), kid=f"attacker-{alg}")
            for alg, key in attacker_keys.items()
        ]
    ).to_jwks()
    certificate = _self_signed(attacker_keys["RS256"]).public_bytes(serialization.Encoding.PEM)
    documents = {
        "/jwks.json": json.dumps(jwks).encode(),
        "/cert.pem": certificate,
        # Served for the remote JWK Set client, which the caller points here.
        "/caller-jwks.json": json.dumps(caller_jwks).encode(),
    }
    with AttackerServer(documents) as server:
        yield server


@pytest.fixture
def server_requests(attacker_server: AttackerServer) -> Iterator[list[str]]:
    """The attacker server's request log, checked to be empty after each test."""
    attacker_server.requests.clear()
    yield attacker_server.requests
    assert attacker_server.requests == []


def _caller_keys(asymmetric_private_keys: dict[str, Any], alg: str) -> dict[str, Any]:
    public = asymmetric_private_keys[alg].public_key()
    key = jwtkit.Key.from_cryptography(public, kid="caller-key")
    return {"Key": key, "KeySet": jwtkit.KeySet([key]), "JWK dict": key.to_jwk()}


def test_attacker_server_answers(attacker_server: AttackerServer) -> None:
    # The positive control: the server is reachable, so zero requests below
    # means jwtkit never asked, not that the address was dead.
    with urllib.request.urlopen(attacker_server.url("/jwks.json"), timeout=5) as response:
        assert b'"keys"' in response.read()
    assert attacker_server.requests == ["/jwks.json"]
    attacker_server.requests.clear()


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_embedded_jwk_ignored(
    verify: Verify,
    attacker_keys: dict[str, Any],
    asymmetric_private_keys: dict[str, Any],
    server_requests: list[str],
    alg: str,
) -> None:
    attacker_key = attacker_keys[alg]
    header = {"alg": alg, "jwk": jwtkit.Key.from_cryptography(attacker_key.public_key()).to_jwk()}
    token = sign(attacker_key, alg, header, CLAIMS)

    for name, caller_key in _caller_keys(asymmetric_private_keys, alg).items():
        with pytest.raises(errors.InvalidSignatureError) as excinfo:
            verify(token, caller_key, [alg])
        assert excinfo.value.code == "invalid_signature", name


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_embedded_jwk_with_kid_ignored(
    verify: Verify,
    attacker_keys: dict[str, Any],
    asymmetric_private_keys: dict[str, Any],
    server_requests: list[str],
    alg: str,
) -> None:
    # The embedded key's kid is not among the caller's keys, so a key set has
    # nothing to select; the embedded key itself is never a candidate.
    attacker_key = attacker_keys[alg]
    jwk = jwtkit.Key.from_cryptography(attacker_key.public_key(), kid="attacker").to_jwk()
    token = sign(attacker_key, alg, {"alg": alg, "kid": "attacker", "jwk": jwk}, CLAIMS)
    caller_keys = _caller_keys(asymmetric_private_keys, alg)

    with pytest.raises(errors.KeyNotFoundError) as excinfo:
        verify(token, caller_keys["KeySet"], [alg])

    assert excinfo.value.code == "key_not_found"


def test_embedded_oct_jwk_ignored(
    verify: Verify, hmac_secret: bytes, server_requests: list[str]
) -> None:
    attacker_secret = b"attacker-chosen secret, 32 bytes!"
    header = {"alg": "HS256", "jwk": {"kty": "oct", "k": b64(attacker_secret)}}
    token = hmac_token(attacker_secret, header, CLAIMS)

    with pytest.raises(errors.InvalidSignatureError):
        verify(token, hmac_secret, ["HS256"])


@pytest.mark.parametrize("parameter", ["jku", "x5u"])
@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_key_url_never_fetched(
    verify: Verify,
    attacker_keys: dict[str, Any],
    asymmetric_private_keys: dict[str, Any],
    attacker_server: AttackerServer,
    server_requests: list[str],
    parameter: str,
    alg: str,
) -> None:
    path = "/jwks.json" if parameter == "jku" else "/cert.pem"
    headers = [
        {"alg": alg, parameter: attacker_server.url(path)},
        {"alg": alg, parameter: attacker_server.url(path), "kid": f"attacker-{alg}"},
    ]

    for header in headers:
        token = sign(attacker_keys[alg], alg, header, CLAIMS)
        for name, caller_key in _caller_keys(asymmetric_private_keys, alg).items():
            with pytest.raises((errors.InvalidSignatureError, errors.KeyNotFoundError)) as excinfo:
                verify(token, caller_key, [alg])
            assert excinfo.value.code in ("invalid_signature", "key_not_found"), name


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_x5c_chain_ignored(
    verify: Verify,
    attacker_keys: dict[str, Any],
    asymmetric_private_keys: dict[str, Any],
    server_requests: list[str],
    alg: str,
) -> None:
    # RFC 7515 §4.1.6: x5c contains standard (not URL-safe) base64 DER certificates.
    attacker_key = attacker_keys[alg]
    der = _self_signed(attacker_key).public_bytes(serialization.Encoding.DER)
    header = {"alg": alg, "x5c": [base64.b64encode(der).decode("ascii")]}
    token = sign(attacker_key, alg, header, CLAIMS)

    for name, caller_key in _caller_keys(asymmetric_private_keys, alg).items():
        with pytest.raises(errors.InvalidSignatureError) as excinfo:
            verify(token, caller_key, [alg])
        assert excinfo.value.code == "invalid_signature", name


def test_key_headers_do_not_replace_caller_key(
    verify: Verify,
    attacker_keys: dict[str, Any],
    asymmetric_private_keys: dict[str, Any],
    attacker_server: AttackerServer,
    server_requests: list[str],
) -> None:
    # A token the caller's own key really signed may carry key headers; it
    # verifies, and the key reported as used is still the caller's.
    caller_key = jwtkit.Key.from_cryptography(asymmetric_private_keys["RS256"].public_key())
    attacker_der = _self_signed(attacker_keys["RS256"]).public_bytes(serialization.Encoding.DER)
    header = {
        "alg": "RS256",
        "jwk": jwtkit.Key.from_cryptography(attacker_keys["RS256"].public_key()).to_jwk(),
        "jku": attacker_server.url("/jwks.json"),
        "x5u": attacker_server.url("/cert.pem"),
        "x5c": [base64.b64encode(attacker_der).decode("ascii")],
    }
    token = sign(asymmetric_private_keys["RS256"], "RS256", header, CLAIMS)

    verified = jwtkit.jws.verify_compact(token, caller_key, algorithms=["RS256"])
    assert verified.key is caller_key
    assert verify(token, caller_key, ["RS256"])


def test_remote_key_set_ignores_jku(
    verify: Verify, attacker_keys: dict[str, Any], attacker_server: AttackerServer
) -> None:
    # A remote JWK Set client fetches only the URL the caller configured, even
    # when the token's jku names another set and its kid names a key in it.
    require(importlib.util.find_spec("httpx") is not None, "httpx (the jwtkit[remote] extra)")
    from jwtkit.remote import JWKSClient

    header = {
        "alg": "RS256",
        "kid": "attacker-RS256",
        "jku": attacker_server.url("/jwks.json"),
        "x5u": attacker_server.url("/cert.pem"),
    }
    token = sign(attacker_keys["RS256"], "RS256", header, CLAIMS)
    attacker_server.requests.clear()

    client = JWKSClient(attacker_server.url("/caller-jwks.json"), allow_insecure_loopback=True)
    with pytest.raises(errors.KeyNotFoundError) as excinfo:
        verify(token, client, ["RS256"])

    assert excinfo.value.code == "key_not_found"
    assert "/jwks.json" not in attacker_server.requests
    assert "/cert.pem" not in attacker_server.requests
    assert set(attacker_server.requests) == {"/caller-jwks.json"}
