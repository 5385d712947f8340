"""Client options, URL rules and the public surface of jwtkit.remote."""

from __future__ import annotations

import math
import subprocess
import sys
from typing import Any

import httpx
import pytest

import jwtkit.remote
from jwtkit.errors import JWTError, KeySetFetchError, UsageError
from jwtkit.remote import AsyncJWKSClient, CachePolicy, JWKSClient
from jwtkit.remote.urls import display_url, url_problem


def test_public_names() -> None:
    assert jwtkit.remote.__all__ == [
        "AsyncJWKSClient",
        "AsyncVerifier",
        "CachePolicy",
        "JWKSClient",
        "decode_async",
        "metadata_urls",
    ]


def test_fetch_error_branch_of_tree() -> None:
    error = KeySetFetchError("message", url="https://issuer.example/keys", reason="down")
    assert isinstance(error, JWTError)
    assert not isinstance(error, (UsageError, jwtkit.errors.InvalidTokenError))
    assert error.code == "key_set_fetch_failed"


def test_import_does_not_load_httpx() -> None:
    code = "import sys, jwtkit, jwtkit.remote; print('httpx' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("url", "loopback_allowed", "problem"),
    [
        ("https://issuer.example/keys", False, None),
        ("https://127.0.0.1:8443/keys", False, None),
        ("http://127.0.0.1:8080/keys", True, None),
        ("http://127.5.6.7/keys", True, None),
        ("http://[::1]:8080/keys", True, None),
        (
            "http://127.0.0.1:8080/keys",
            False,
            "it uses plain http; pass allow_insecure_loopback=True to allow http to a loopback "
            "address (for tests only)",
        ),
        (
            "http://localhost:8080/keys",
            True,
            "it uses plain http, which lets anyone on the network path replace the keys; use https",
        ),
        (
            "http://issuer.example/keys",
            True,
            "it uses plain http, which lets anyone on the network path replace the keys; use https",
        ),
        ("ftp://issuer.example/keys", True, "its scheme is 'ftp'; only https is allowed"),
        ("https:///keys", False, "it has no host"),
    ],
)
def test_url_rules(url: str, loopback_allowed: bool, problem: str | None) -> None:
    assert url_problem(url, allow_insecure_loopback=loopback_allowed) == problem


def test_plain_http_url_rejected_at_construction() -> None:
    with pytest.raises(UsageError) as caught:
        JWKSClient("http://issuer.example/keys")
    assert str(caught.value) == (
        "the JWK Set URL http://issuer.example/keys is rejected: it uses plain http, which lets "
        "anyone on the network path replace the keys; use https"
    )


def test_url_must_be_text() -> None:
    with pytest.raises(UsageError, match="the JWK Set URL must be a string, got bytes"):
        JWKSClient(b"https://issuer.example/keys")  # type: ignore[arg-type]


def test_userinfo_left_out_of_messages() -> None:
    url = "https://user:secret@issuer.example/keys"
    assert display_url(url) == "https://issuer.example/keys"
    with pytest.raises(UsageError) as caught:
        JWKSClient("http://user:secret@issuer.example/keys")
    assert "secret" not in str(caught.value)


TIMEOUT_RULE = "timeout must be a positive number of seconds"
TIMEOUT_LIMIT = "the most allowed is 300"
SIZE_RULE = "max_response_size must be a positive number of bytes"
SIZE_LIMIT = "the most allowed is 67108864"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"timeout": 0}, f"{TIMEOUT_RULE}, got 0; {TIMEOUT_LIMIT}"),
        ({"timeout": "5"}, f"{TIMEOUT_RULE}, got '5'; {TIMEOUT_LIMIT}"),
        ({"timeout": True}, f"{TIMEOUT_RULE}, got True; {TIMEOUT_LIMIT}"),
        ({"timeout": math.inf}, f"{TIMEOUT_RULE}, got inf; {TIMEOUT_LIMIT}"),
        ({"timeout": math.nan}, f"{TIMEOUT_RULE}, got nan; {TIMEOUT_LIMIT}"),
        ({"timeout": 1e12}, f"{TIMEOUT_RULE}, got 1000000000000.0; {TIMEOUT_LIMIT}"),
        ({"max_response_size": -1}, f"{SIZE_RULE}, got -1; {SIZE_LIMIT}"),
        ({"max_response_size": 1.5}, f"{SIZE_RULE}, got 1.5; {SIZE_LIMIT}"),
        ({"max_response_size": 10**12}, f"{SIZE_RULE}, got 1000000000000; {SIZE_LIMIT}"),
        (
            {"cache_policy": {"refetch_interval": 5}},
            "cache_policy must be a jwtkit.remote.CachePolicy, got dict",
        ),
        ({"clock": 5}, "clock must be a callable that returns seconds, like time.monotonic"),
        (
            {"http_client": object()},
            "http_client must be an httpx.Client, got object",
        ),
    ],
)
def test_invalid_options_rejected(options: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        JWKSClient("https://issuer.example/keys", **options)
    assert str(caught.value) == message


def test_async_client_needs_async_http_client() -> None:
    with httpx.Client() as http, pytest.raises(UsageError) as caught:
        AsyncJWKSClient("https://issuer.example/keys", http_client=http)  # type: ignore[arg-type]
    assert str(caught.value) == "http_client must be an httpx.AsyncClient, got Client"


def test_http_client_and_verify_exclusive() -> None:
    with httpx.Client() as http, pytest.raises(UsageError, match="either http_client or verify"):
        JWKSClient("https://issuer.example/keys", http_client=http, verify="ca.pem")


def test_own_http_client_used_and_left_open() -> None:
    with httpx.Client() as http:
        client = JWKSClient("https://issuer.example/keys", http_client=http)
        client.close()
        assert client._fetcher.http is http
        assert not http.is_closed


def test_unknown_option_is_type_error() -> None:
    with pytest.raises(TypeError):
        JWKSClient.from_issuer("https://issuer.example", refetch_intervall=5)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"refetch_interval": -1}, "refetch_interval must be a finite, non-negative number"),
        ({"stale_if_error": float("inf")}, "stale_if_error must be a finite, non-negative number"),
        ({"retry_interval": "10"}, "retry_interval must be a number of seconds, got '10'"),
        ({"max_lifetime": True}, "max_lifetime must be a number of seconds, got True"),
        (
            {"min_lifetime": 600},
            "the lifetimes must satisfy min_lifetime <= default_lifetime <= max_lifetime, "
            "got 600, 300 and 3600",
        ),
        (
            {"max_lifetime": 100},
            "the lifetimes must satisfy min_lifetime <= default_lifetime <= max_lifetime, "
            "got 60, 300 and 100",
        ),
    ],
)
def test_invalid_cache_policy_rejected(options: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        CachePolicy(**options)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("max_age", "lifetime"),
    [(None, 300.0), (0.0, 60.0), (59.0, 60.0), (61.0, 61.0), (3600.0, 3600.0), (1e9, 3600.0)],
)
def test_lifetime_clamped(max_age: float | None, lifetime: float) -> None:
    assert CachePolicy().lifetime(max_age) == lifetime
