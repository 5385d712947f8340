"""JWKSClient against a real provider on 127.0.0.1: selection, caching, rotation, outages."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

import jwtkit
from jwtkit import Key
from jwtkit.errors import KeyNotFoundError, KeySetFetchError
from jwtkit.jwa import SIGNATURE_ALGORITHMS
from jwtkit.remote import CachePolicy, JWKSClient
from tests.remote.conftest import FakeClock, sign
from tests.remote.server import Provider, Response

ES256 = SIGNATURE_ALGORITHMS["ES256"]


def test_decode_with_client_as_key(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    client = make_client(provider.url("/jwks"))

    claims = jwtkit.decode(sign(ec_keys["k1"]), client, algorithms=["ES256"])

    assert claims == {"sub": "alice"}
    assert provider.hits["/jwks"] == 1


def test_verifier_with_client_reuses_cache(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    provider.serve_keys([ec_keys["k1"], ec_keys["k2"]])
    verifier = jwtkit.Verifier(make_client(provider.url("/jwks")), algorithms=["ES256"])

    for _ in range(20):
        assert verifier.verify(sign(ec_keys["k1"]))["sub"] == "alice"
        assert verifier.verify(sign(ec_keys["k2"]))["sub"] == "alice"

    assert provider.hits["/jwks"] == 1


def test_request_headers(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    make_client(provider.url("/jwks")).get_key_set()

    _, headers = provider.requests[0]
    assert headers["Accept"] == "application/json, application/jwk-set+json"
    assert headers["Accept-Encoding"] == "identity"
    assert headers["User-Agent"] == f"jwtkit/{jwtkit.__version__}"


def test_key_rotation(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
) -> None:
    old, new = ec_keys["k1"], ec_keys["k2"]
    provider.serve_keys([old], max_age=600)
    client = make_client(provider.url("/jwks"))
    assert jwtkit.decode(sign(old), client, algorithms=["ES256"])
    assert provider.hits["/jwks"] == 1

    # The provider adds a key: a token with its kid makes the client refetch,
    # once the refetch interval since the last fetch has passed.
    provider.serve_keys([old, new], max_age=600)
    clock.advance(61)
    assert jwtkit.decode(sign(new), client, algorithms=["ES256"])
    assert provider.hits["/jwks"] == 2

    # The provider removes the old key: once the cached set expires, the
    # refreshed set no longer verifies tokens signed with it.
    provider.serve_keys([new], max_age=600)
    clock.advance(599)
    assert jwtkit.decode(sign(old), client, algorithms=["ES256"])
    assert provider.hits["/jwks"] == 2

    clock.advance(2)
    with pytest.raises(KeyNotFoundError) as caught:
        jwtkit.decode(sign(old), client, algorithms=["ES256"])
    assert "no key in the key set has kid 'k1'" in str(caught.value)
    assert provider.url("/jwks") in str(caught.value)
    assert caught.value.code == "key_not_found"
    assert jwtkit.decode(sign(new), client, algorithms=["ES256"])
    assert provider.hits["/jwks"] == 3


def test_unknown_kid_within_interval_does_not_refetch(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    client = make_client(provider.url("/jwks"))
    client.get_key_set()

    for _ in range(100):
        with pytest.raises(KeyNotFoundError):
            jwtkit.decode(sign(ec_keys["k2"]), client, algorithms=["ES256"])
    assert provider.hits["/jwks"] == 1

    clock.advance(59)
    with pytest.raises(KeyNotFoundError):
        jwtkit.decode(sign(ec_keys["k2"]), client, algorithms=["ES256"])
    assert provider.hits["/jwks"] == 1


def test_unknown_kid_flood_refetches_once_per_interval(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    client = make_client(provider.url("/jwks"))
    client.get_key_set()
    forged = [sign(ec_keys["k3"], kid=f"invented-{index}") for index in range(200)]

    for round_number in range(1, 4):
        clock.advance(60)
        for token in forged:
            with pytest.raises(KeyNotFoundError):
                jwtkit.decode(token, client, algorithms=["ES256"])
        assert provider.hits["/jwks"] == 1 + round_number


def test_refetch_interval_is_configurable(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    client = make_client(provider.url("/jwks"), cache_policy=CachePolicy(refetch_interval=5))
    client.get_key_set()

    clock.advance(5)
    with pytest.raises(KeyNotFoundError):
        client.find_key("k2", ES256)
    assert provider.hits["/jwks"] == 2


def test_token_without_kid_selects_by_alg(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    private_jwk = ec_keys["k1"].to_jwk(private=True)
    del private_jwk["kid"]
    signer = Key.from_jwk(private_jwk)
    ed25519 = Key.generate("OKP", curve="Ed25519", kid="ed")
    provider.serve_keys([signer, ed25519])
    client = make_client(provider.url("/jwks"))
    token = sign(signer)

    assert "kid" not in jwtkit.decode_unverified(token).header
    assert jwtkit.decode(token, client, algorithms=["ES256"]) == {"sub": "alice"}
    with pytest.raises(KeyNotFoundError, match="no key in the key set has kid 'k1'"):
        jwtkit.decode(sign(ec_keys["k1"]), client, algorithms=["ES256"])


def test_cache_control_max_age_sets_lifetime(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
) -> None:
    provider.serve_keys([ec_keys["k1"]], max_age=120)
    client = make_client(provider.url("/jwks"))
    client.get_key_set()

    clock.advance(119)
    client.get_key_set()
    assert provider.hits["/jwks"] == 1

    clock.advance(1)
    client.get_key_set()
    assert provider.hits["/jwks"] == 2


@pytest.mark.parametrize(
    ("cache_control", "lifetime"),
    [
        (None, 300),
        ("max-age=5", 60),
        ("no-cache", 60),
        ("no-store, max-age=600", 60),
        ("max-age=999999", 3600),
        ("public, max-age=900", 900),
        ("max-age=bogus", 300),
    ],
)
def test_lifetime_bounded_by_policy(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
    cache_control: str | None,
    lifetime: int,
) -> None:
    headers = {"Cache-Control": cache_control} if cache_control else {}
    provider.serve_json("/jwks", {"keys": [ec_keys["k1"].to_jwk()]}, headers=headers)
    client = make_client(provider.url("/jwks"))
    client.get_key_set()

    clock.advance(lifetime - 1)
    client.get_key_set()
    assert provider.hits["/jwks"] == 1

    clock.advance(1)
    client.get_key_set()
    assert provider.hits["/jwks"] == 2


def test_age_header_shortens_lifetime(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
) -> None:
    headers = {"Cache-Control": "max-age=600", "Age": "500"}
    provider.serve_json("/jwks", {"keys": [ec_keys["k1"].to_jwk()]}, headers=headers)
    client = make_client(provider.url("/jwks"))
    client.get_key_set()

    clock.advance(100)
    client.get_key_set()
    assert provider.hits["/jwks"] == 2


def test_provider_down_serves_cached_keys_then_fails(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    policy = CachePolicy(default_lifetime=300, stale_if_error=600, retry_interval=10)
    provider.serve_keys([ec_keys["k1"]])
    client = make_client(provider.url("/jwks"), cache_policy=policy)
    token = sign(ec_keys["k1"])
    assert jwtkit.decode(token, client, algorithms=["ES256"])

    provider.respond(
        "/jwks", Response(status=503, body=b"down", headers={"Content-Type": "text/plain"})
    )
    clock.advance(300)
    with caplog.at_level(logging.WARNING, logger="jwtkit"):
        assert jwtkit.decode(token, client, algorithms=["ES256"])
    assert provider.hits["/jwks"] == 2
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert provider.url("/jwks") in message
    assert "HTTP status 503" in message
    assert "serving the key set fetched 300 s ago for up to 600 s more" in message

    # Within the retry interval the client does not fetch again.
    clock.advance(9)
    assert jwtkit.decode(token, client, algorithms=["ES256"])
    assert provider.hits["/jwks"] == 2

    clock.advance(1)
    assert jwtkit.decode(token, client, algorithms=["ES256"])
    assert provider.hits["/jwks"] == 3

    clock.advance(590)
    with pytest.raises(KeySetFetchError) as caught:
        jwtkit.decode(token, client, algorithms=["ES256"])
    error = caught.value
    assert error.code == "key_set_fetch_failed"
    assert error.url == provider.url("/jwks")
    assert error.reason == "HTTP status 503, expected 200"
    assert str(error).startswith(f"could not fetch the JWK Set from {provider.url('/jwks')}: ")
    assert "past its lifetime and stale period" in str(error)


def test_provider_recovers_after_outage(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    client = make_client(provider.url("/jwks"))
    client.get_key_set()

    provider.respond("/jwks", Response(status=500))
    clock.advance(300)
    client.get_key_set()
    assert client._cache.failure is not None

    provider.serve_keys([ec_keys["k2"]])
    clock.advance(10)
    assert [key.kid for key in client.get_key_set()] == ["k2"]
    assert client._cache.failure is None
    assert provider.hits["/jwks"] == 3


def test_provider_unreachable_on_first_fetch(
    make_client: Callable[..., JWKSClient], clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    closed = Provider()
    url = closed.url("/jwks")
    closed.close()
    client = make_client(url)

    with (
        caplog.at_level(logging.WARNING, logger="jwtkit"),
        pytest.raises(KeySetFetchError) as caught,
    ):
        client.find_key("k1", ES256)
    assert caught.value.url == url
    assert caught.value.reason.startswith("the request failed: ")
    assert url in caplog.records[0].getMessage()
    assert "no key set is cached" in caplog.records[0].getMessage()

    # The next caller within the retry interval gets the same error without a new attempt.
    with caplog.at_level(logging.WARNING, logger="jwtkit"), pytest.raises(KeySetFetchError):
        client.find_key("k1", ES256)
    assert len(caplog.records) == 1


def test_unknown_kid_refetch_failure_named_in_error(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    clock: FakeClock,
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    client = make_client(provider.url("/jwks"))
    client.get_key_set()

    provider.respond("/jwks", Response(status=502))
    clock.advance(60)
    with pytest.raises(KeyNotFoundError) as caught:
        client.find_key("k2", ES256)
    assert "fetching the key set again failed: HTTP status 502, expected 200" in str(caught.value)
    assert client.find_key("k1", ES256) == ec_keys["k1"].public_key()


def test_refresh_fetches_now_and_raises_on_failure(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    client = make_client(provider.url("/jwks"))
    client.get_key_set()

    provider.serve_keys([ec_keys["k1"], ec_keys["k2"]])
    assert len(client.refresh()) == 2
    assert provider.hits["/jwks"] == 2

    provider.respond("/jwks", Response(status=500))
    with pytest.raises(KeySetFetchError, match="HTTP status 500"):
        client.refresh()
    assert len(client.get_key_set()) == 2


def test_published_key_members_filtered(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    caplog: pytest.LogCaptureFixture,
) -> None:
    encryption = {**ec_keys["k2"].to_jwk(), "kid": "enc", "use": "enc"}
    wrap_only = {**ec_keys["k2"].to_jwk(), "kid": "wrap", "key_ops": ["wrapKey"]}
    jwe_alg = {**ec_keys["k2"].to_jwk(), "kid": "ecdh", "alg": "ECDH-ES"}
    leaked = ec_keys["k3"].to_jwk(private=True)
    provider.serve_json(
        "/jwks",
        {
            "keys": [
                ec_keys["k1"].to_jwk(),
                {"kty": "oct", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA", "kid": "s"},
                encryption,
                wrap_only,
                jwe_alg,
                leaked,
                {"kty": "RSA", "kid": "broken"},
                "not a key",
            ]
        },
    )
    client = make_client(provider.url("/jwks"))

    with caplog.at_level(logging.WARNING, logger="jwtkit"):
        key_set = client.get_key_set()

    assert [key.kid for key in key_set] == ["k1", "k3"]
    assert not any(key.is_private for key in key_set)
    assert key_set.skipped[0].startswith("keys[1]: it is a secret (kty 'oct') key")
    assert key_set.skipped[1] == "keys[2]: its 'use' is 'enc', not 'sig'"
    assert key_set.skipped[2] == "keys[3]: its 'key_ops' ['wrapKey'] do not include 'verify'"
    assert (
        key_set.skipped[3]
        == "keys[4]: its 'alg' 'ECDH-ES' is not a JWS algorithm jwtkit implements"
    )
    assert key_set.skipped[4] == "keys[6]: RSA JWK is missing the required member 'n'"
    assert key_set.skipped[5] == "keys[7]: it is a JSON string, not a JWK object"
    assert len(caplog.records) == 1
    assert "publishes private key material (kid 'k3')" in caplog.records[0].getMessage()
    assert ec_keys["k3"].to_jwk(private=True)["d"] not in caplog.text

    with pytest.raises(KeyNotFoundError):
        client.find_key("enc", ES256)
    with pytest.raises(KeyNotFoundError):
        client.find_key("s", SIGNATURE_ALGORITHMS["HS256"])


def test_key_with_incoherent_alg_skipped(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    # A P-256 key whose JWK alg is ES384 cannot be imported, so the set has no usable key.
    provider.serve_json("/jwks", {"keys": [{**ec_keys["k1"].to_jwk(), "alg": "ES384"}]})
    client = make_client(provider.url("/jwks"))

    with pytest.raises(KeySetFetchError) as caught:
        jwtkit.decode(sign(ec_keys["k1"]), client, algorithms=["ES256"])
    assert "'alg' is 'ES384'" in str(caught.value)
    assert provider.hits["/jwks"] == 1


def test_context_manager_closes_own_client(provider: Provider, ec_keys: dict[str, Key]) -> None:
    provider.serve_keys([ec_keys["k1"]])
    with JWKSClient(provider.url("/jwks"), allow_insecure_loopback=True) as client:
        client.get_key_set()
        http = client._fetcher.http
    assert http.is_closed


def test_repr_names_the_source(make_client: Callable[..., JWKSClient]) -> None:
    client = make_client("https://issuer.example/jwks")
    assert repr(client) == "<JWKSClient url='https://issuer.example/jwks'>"
    assert client.url == "https://issuer.example/jwks"


def test_kid_of_member_that_fails_import_names_no_key(
    provider: Provider, make_client: Callable[..., JWKSClient], ec_keys: dict[str, Key]
) -> None:
    broken = {"kty": "EC", "crv": "P-256", "kid": "k1", "x": "AAAA", "y": "AAAA"}
    document = {"keys": [broken, ec_keys["k1"].to_jwk()]}
    provider.serve_json("/jwks", document)
    client = make_client(provider.url("/jwks"))
    token = sign(ec_keys["k1"])

    with pytest.raises(KeyNotFoundError) as remote:
        jwtkit.decode(token, client, algorithms=["ES256"])
    with pytest.raises(KeyNotFoundError) as local:
        jwtkit.decode(token, jwtkit.KeySet.from_jwks(document), algorithms=["ES256"])

    assert "a kid must name exactly one key" in str(remote.value)
    assert str(remote.value).startswith(str(local.value))


def test_long_kid_of_private_key_shortened_in_log(
    provider: Provider,
    make_client: Callable[..., JWKSClient],
    ec_keys: dict[str, Key],
    caplog: pytest.LogCaptureFixture,
) -> None:
    leaked = {**ec_keys["k3"].to_jwk(private=True), "kid": "k" * 100_000}
    provider.serve_json("/jwks", {"keys": [leaked]})
    client = make_client(provider.url("/jwks"))

    with caplog.at_level(logging.WARNING, logger="jwtkit"):
        client.get_key_set()

    message = caplog.records[0].getMessage()
    assert "publishes private key material (kid 'kkkk" in message
    assert len(message) < 1_000
