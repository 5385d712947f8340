"""``verify --jwks-url`` and ``jwks fetch`` run as a process when the key set cannot be fetched."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest

import jwtkit
from tests.cli.conftest import run_jwtkit
from tests.conftest import require
from tests.remote.server import Provider, Response

HTTPX_AVAILABLE = importlib.util.find_spec("httpx") is not None


@pytest.fixture
def provider() -> Iterator[Provider]:
    require(HTTPX_AVAILABLE, "httpx, which --jwks-url uses")
    server = Provider()
    server.respond("/jwks", Response(status=503))
    yield server
    server.close()


def test_verify_fetch_failure_reported_once(provider: Provider) -> None:
    url = provider.url("/jwks")
    token = jwtkit.encode({"sub": "alice"}, jwtkit.Key.generate("EC", kid="k1"), "ES256")

    result = run_jwtkit(
        "verify", "--alg", "ES256", "--jwks-url", url, "--allow-insecure-loopback", token
    )

    assert result.status == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"jwtkit: key_set_fetch_failed: the token could not be checked, because the JWK Set "
        f"could not be fetched from {url}: HTTP status 503, expected 200. This says nothing "
        "about whether the token is valid; try again once the key set can be fetched\n"
    )


def test_verify_fetch_failure_json(provider: Provider) -> None:
    url = provider.url("/jwks")
    token = jwtkit.encode({}, jwtkit.Key.generate("EC", kid="k1"), "ES256")

    result = run_jwtkit(
        "verify", "--alg", "ES256", "--jwks-url", url, "--allow-insecure-loopback", "--json", token
    )

    assert result.status == 1
    assert result.stderr == ""
    error = result.json()["error"]
    assert error["code"] == "key_set_fetch_failed"
    assert error["message"].startswith("the token could not be checked, because the JWK Set")


def test_jwks_fetch_failure_reported_once(provider: Provider) -> None:
    url = provider.url("/jwks")

    result = run_jwtkit("jwks", "fetch", url, "--allow-insecure-loopback")

    assert result.status == 1
    assert result.stderr == (
        f"jwtkit: key_set_fetch_failed: could not fetch the JWK Set from {url}: "
        "HTTP status 503, expected 200\n"
    )


def test_jwks_fetch_private_key_warning_kept() -> None:
    # The warning that a provider publishes private keys is not a duplicate of
    # an error, so the command still prints it.
    require(HTTPX_AVAILABLE, "httpx, which jwks fetch uses")
    server = Provider()
    try:
        key = jwtkit.Key.generate("EC", kid="leaked")
        server.serve_json("/jwks", {"keys": [key.to_jwk(private=True)]})

        result = run_jwtkit("jwks", "fetch", server.url("/jwks"), "--allow-insecure-loopback")
    finally:
        server.close()

    assert result.status == 0, result.stderr
    assert "publishes private key material (kid 'leaked')" in result.stderr
