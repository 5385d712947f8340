"""HTTPS to a provider on 127.0.0.1 whose certificate a test CA issued."""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path

import httpx
import pytest

import jwtkit
from jwtkit import Key
from jwtkit.errors import KeySetFetchError, UsageError
from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.remote import AsyncJWKSClient, JWKSClient, decode_async
from tests.remote.conftest import LocalCA, sign
from tests.remote.server import Provider, Response

ES256 = SIGNATURE_ALGORITHMS["ES256"]


def test_https_with_custom_ca(
    tls_provider: Provider, local_ca: LocalCA, ec_keys: dict[str, Key]
) -> None:
    tls_provider.serve_keys([ec_keys["k1"]])
    url = tls_provider.url("/jwks")
    assert url.startswith("https://127.0.0.1:")

    with JWKSClient(url, verify=local_ca.client_context(), timeout=2) as client:
        assert jwtkit.decode(sign(ec_keys["k1"]), client, algorithms=["ES256"])
    assert tls_provider.hits["/jwks"] == 1


def test_https_with_ca_bundle_path(
    tls_provider: Provider, local_ca: LocalCA, ec_keys: dict[str, Key], tmp_path: Path
) -> None:
    tls_provider.serve_keys([ec_keys["k1"]])
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(local_ca.ca_pem)

    with JWKSClient(tls_provider.url("/jwks"), verify=str(bundle), timeout=2) as client:
        assert client.find_key("k1", ES256).kid == "k1"


def test_https_async_with_custom_ca(
    tls_provider: Provider, local_ca: LocalCA, ec_keys: dict[str, Key]
) -> None:
    tls_provider.serve_keys([ec_keys["k1"]])
    token = sign(ec_keys["k1"])

    async def main() -> dict[str, object]:
        async with AsyncJWKSClient(
            tls_provider.url("/jwks"), verify=local_ca.client_context(), timeout=2
        ) as client:
            return await decode_async(token, client, algorithms=["ES256"])

    assert asyncio.run(main()) == {"sub": "alice"}


def test_https_unknown_ca_rejected(tls_provider: Provider, ec_keys: dict[str, Key]) -> None:
    tls_provider.serve_keys([ec_keys["k1"]])

    with (
        JWKSClient(tls_provider.url("/jwks"), timeout=2) as client,
        pytest.raises(KeySetFetchError) as caught,
    ):
        client.find_key("k1", ES256)

    assert caught.value.reason.startswith("the request failed: ")
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.reason
    assert tls_provider.hits["/jwks"] == 0


def test_https_redirect_to_http_rejected(
    tls_provider: Provider, provider: Provider, local_ca: LocalCA, ec_keys: dict[str, Key]
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    tls_provider.respond("/jwks", Response(status=302, headers={"Location": provider.url("/jwks")}))

    with (
        JWKSClient(
            tls_provider.url("/jwks"), verify=local_ca.client_context(), timeout=2
        ) as client,
        pytest.raises(KeySetFetchError) as caught,
    ):
        client.find_key("k1", ES256)

    assert caught.value.reason == (
        f"it redirects to {provider.url('/jwks')}, which is rejected: it uses plain http; pass "
        "allow_insecure_loopback=True to allow http to a loopback address (for tests only)"
    )
    assert provider.hits["/jwks"] == 0


def test_context_without_verification_rejected() -> None:
    unverified = ssl.create_default_context()
    unverified.check_hostname = False
    unverified.verify_mode = ssl.CERT_NONE

    with pytest.raises(UsageError) as caught:
        JWKSClient("https://issuer.example/jwks", verify=unverified)
    assert "does not check certificates and host names" in str(caught.value)


def test_verify_false_rejected() -> None:
    with pytest.raises(UsageError) as caught:
        JWKSClient("https://issuer.example/jwks", verify=False)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "verify must be an ssl.SSLContext or the path of a CA bundle file, got bool; "
        "certificate checks cannot be switched off"
    )


@pytest.mark.parametrize("client_class", [httpx.Client, httpx.AsyncClient])
def test_http_client_without_verification_rejected(
    client_class: type[httpx.Client] | type[httpx.AsyncClient],
) -> None:
    remote_class = JWKSClient if client_class is httpx.Client else AsyncJWKSClient
    http = client_class(verify=False)

    with pytest.raises(UsageError) as caught:
        remote_class("https://issuer.example/jwks", http_client=http)  # type: ignore[arg-type]

    assert "the http_client does not check certificates and host names" in str(caught.value)


def test_missing_ca_bundle_rejected(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot load the CA bundle"):
        JWKSClient("https://issuer.example/jwks", verify=str(tmp_path / "missing.pem"))
