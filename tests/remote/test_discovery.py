"""Finding jwks_uri through OpenID Connect Discovery and RFC 8414 metadata."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

import jwtkit
from jwtkit import Key
from jwtkit.errors import KeySetFetchError, UsageError
from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.remote import AsyncJWKSClient, JWKSClient, decode_async, metadata_urls
from tests.remote.conftest import FakeClock, sign
from tests.remote.server import Provider, Response

ES256 = SIGNATURE_ALGORITHMS["ES256"]


@pytest.mark.parametrize(
    ("issuer", "openid", "oauth"),
    [
        (
            "https://issuer.example",
            "https://issuer.example/.well-known/openid-configuration",
            "https://issuer.example/.well-known/oauth-authorization-server",
        ),
        (
            "https://issuer.example/",
            "https://issuer.example/.well-known/openid-configuration",
            "https://issuer.example/.well-known/oauth-authorization-server",
        ),
        (
            "https://issuer.example/tenant/v2",
            "https://issuer.example/tenant/v2/.well-known/openid-configuration",
            "https://issuer.example/.well-known/oauth-authorization-server/tenant/v2",
        ),
        (
            "https://issuer.example:8443/tenant/",
            "https://issuer.example:8443/tenant/.well-known/openid-configuration",
            "https://issuer.example:8443/.well-known/oauth-authorization-server/tenant",
        ),
        (
            "https://issuer.example/a%20b",
            "https://issuer.example/a%20b/.well-known/openid-configuration",
            "https://issuer.example/.well-known/oauth-authorization-server/a%20b",
        ),
    ],
)
def test_metadata_urls(issuer: str, openid: str, oauth: str) -> None:
    assert metadata_urls(issuer) == (openid, oauth)


def test_from_issuer_openid_configuration(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    issuer = provider.base_url
    provider.serve_json(
        "/.well-known/openid-configuration",
        {"issuer": issuer, "jwks_uri": provider.url("/keys")},
    )
    provider.serve_keys([ec_keys["k1"]], path="/keys")
    client = JWKSClient.from_issuer(issuer, allow_insecure_loopback=True, timeout=2)
    assert client.url is None
    assert provider.hits["/.well-known/openid-configuration"] == 0

    assert jwtkit.decode(sign(ec_keys["k1"]), client, algorithms=["ES256"])

    assert client.url == provider.url("/keys")
    assert client.issuer == issuer
    assert provider.hits["/.well-known/openid-configuration"] == 1
    assert provider.hits["/.well-known/oauth-authorization-server"] == 0
    client.close()


def test_discovery_happens_once(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
) -> None:
    issuer = provider.base_url
    provider.serve_json(
        "/.well-known/openid-configuration",
        {"issuer": issuer, "jwks_uri": provider.url("/keys")},
    )
    provider.serve_keys([ec_keys["k1"]], path="/keys")
    client = make_client(issuer=issuer)

    client.get_key_set()
    clock.advance(3600)
    client.get_key_set()

    assert provider.hits["/.well-known/openid-configuration"] == 1
    assert provider.hits["/keys"] == 2


def test_from_issuer_rfc8414_with_path(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    issuer = provider.url("/tenant")
    provider.serve_json(
        "/.well-known/oauth-authorization-server/tenant",
        {"issuer": issuer, "jwks_uri": provider.url("/tenant/keys")},
    )
    provider.serve_keys([ec_keys["k1"]], path="/tenant/keys")
    client = make_client(issuer=issuer)

    assert client.find_key("k1", ES256).kid == "k1"

    assert provider.hits["/tenant/.well-known/openid-configuration"] == 1
    assert provider.hits["/.well-known/oauth-authorization-server/tenant"] == 1


def test_from_issuer_async(provider: Provider, ec_keys: dict[str, Key]) -> None:
    issuer = provider.base_url
    provider.serve_json(
        "/.well-known/openid-configuration",
        {"issuer": issuer, "jwks_uri": provider.url("/keys")},
    )
    provider.serve_keys([ec_keys["k1"]], path="/keys")
    token = sign(ec_keys["k1"])

    async def main() -> dict[str, object]:
        async with AsyncJWKSClient.from_issuer(
            issuer, allow_insecure_loopback=True, timeout=2
        ) as client:
            return await decode_async(token, client, algorithms=["ES256"])

    assert asyncio.run(main()) == {"sub": "alice"}
    assert provider.hits["/.well-known/openid-configuration"] == 1


def test_issuer_mismatch_rejected(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    issuer = provider.base_url
    for path in ("/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"):
        provider.serve_json(
            path, {"issuer": "https://attacker.example", "jwks_uri": provider.url("/keys")}
        )
    client = make_client(issuer=issuer)

    with pytest.raises(KeySetFetchError) as caught:
        client.find_key("k1", ES256)

    mismatch = (
        "it names issuer 'https://attacker.example', but "
        f"{issuer!r} was requested; the two must be identical (RFC 8414 §3.3)"
    )
    assert str(caught.value) == (
        f"could not find the jwks_uri of issuer {issuer} in its metadata: "
        f"{provider.url('/.well-known/openid-configuration')}: {mismatch}; "
        f"{provider.url('/.well-known/oauth-authorization-server')}: {mismatch}"
    )
    assert provider.hits["/keys"] == 0


def test_issuer_with_trailing_slash_must_match_exactly(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    provider.serve_json(
        "/.well-known/openid-configuration",
        {"issuer": provider.base_url, "jwks_uri": provider.url("/keys")},
    )
    client = make_client(issuer=provider.base_url + "/")

    with pytest.raises(KeySetFetchError, match="the two must be identical"):
        client.get_key_set()


def test_plain_http_jwks_uri_rejected(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    issuer = provider.base_url
    provider.serve_json(
        "/.well-known/openid-configuration",
        {"issuer": issuer, "jwks_uri": "http://192.0.2.1/keys"},
    )
    client = make_client(issuer=issuer)

    with pytest.raises(KeySetFetchError) as caught:
        client.get_key_set()

    assert "its jwks_uri http://192.0.2.1/keys is rejected: it uses plain http" in str(caught.value)


@pytest.mark.parametrize(
    ("metadata", "reason"),
    [
        (lambda issuer: {"issuer": None}, "it names issuer None, but"),
        (lambda issuer: {}, "it names issuer None, but"),
        (lambda issuer: {"issuer": issuer}, "it has no 'jwks_uri' string"),
        (
            lambda issuer: {"issuer": issuer, "jwks_uri": [issuer + "/keys"]},
            "it has no 'jwks_uri' string",
        ),
        (lambda issuer: [issuer], "the metadata must be a JSON object, got a JSON array"),
    ],
)
def test_bad_metadata_rejected(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    metadata: Callable[[str], object],
    reason: str,
) -> None:
    issuer = provider.base_url
    provider.serve_json("/.well-known/openid-configuration", metadata(issuer))
    client = make_client(issuer=issuer)

    with pytest.raises(KeySetFetchError) as caught:
        client.get_key_set()

    assert reason in str(caught.value)


def test_metadata_wrong_content_type_rejected(
    provider: Provider, make_client: Callable[..., JWKSClient]
) -> None:
    issuer = provider.base_url
    provider.serve_json(
        "/.well-known/openid-configuration",
        {"issuer": issuer, "jwks_uri": provider.url("/keys")},
        content_type="application/jwk-set+json",
    )
    provider.respond(
        "/.well-known/oauth-authorization-server",
        Response(body=b"<html></html>", headers={"Content-Type": "text/html"}),
    )
    client = make_client(issuer=issuer)

    with pytest.raises(KeySetFetchError) as caught:
        client.get_key_set()

    assert "the content type is 'application/jwk-set+json', expected application/json" in str(
        caught.value
    )
    assert "the content type is 'text/html', expected application/json" in str(caught.value)


@pytest.mark.parametrize(
    ("issuer", "message"),
    [
        (
            "http://issuer.example",
            "the issuer URL http://issuer.example is rejected: it uses plain http",
        ),
        ("https://issuer.example?tenant=1", "has a query or fragment"),
        ("https://issuer.example#top", "has a query or fragment"),
        ("issuer.example", "the issuer URL issuer.example is rejected: its scheme is ''"),
    ],
)
def test_bad_issuer_rejected(issuer: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        JWKSClient.from_issuer(issuer)
    assert message in str(caught.value)


def test_url_and_issuer_exclusive() -> None:
    with pytest.raises(UsageError, match="needs either the JWK Set URL or issuer"):
        JWKSClient("https://issuer.example/keys", issuer="https://issuer.example")
    with pytest.raises(UsageError, match="needs either the JWK Set URL or issuer"):
        JWKSClient()
