"""``jwtkit jwks fetch`` and ``jwtkit verify --jwks-url`` against a provider on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jwtkit import Key
from jwtkit.cli import main
from tests.remote.conftest import sign
from tests.remote.server import Provider, Response

SRC_DIR = Path(__file__).resolve().parents[2] / "src"


def test_fetch_json_lists_keys_with_thumbprints(
    provider: Provider, ec_keys: dict[str, Key], capsys: pytest.CaptureFixture[str]
) -> None:
    provider.serve_json(
        "/jwks",
        {"keys": [ec_keys["k1"].to_jwk(), {**ec_keys["k2"].to_jwk(), "use": "enc"}]},
    )

    status = main(["jwks", "fetch", provider.url("/jwks"), "--allow-insecure-loopback", "--json"])

    output = json.loads(capsys.readouterr().out)
    assert status == 0
    assert output["url"] == provider.url("/jwks")
    assert output["keys"] == [
        {
            "kid": "k1",
            "kty": "EC",
            "alg": None,
            "use": None,
            "size": 256,
            "thumbprint": ec_keys["k1"].thumbprint(),
            "jwk": ec_keys["k1"].to_jwk(),
        }
    ]
    assert output["skipped"] == ["keys[1]: its 'use' is 'enc', not 'sig'"]


def test_fetch_text_lists_keys(
    provider: Provider, ec_keys: dict[str, Key], capsys: pytest.CaptureFixture[str]
) -> None:
    provider.serve_json(
        "/jwks",
        {
            "keys": [
                {**ec_keys["k1"].to_jwk(), "alg": "ES256", "use": "sig"},
                {**ec_keys["k2"].to_jwk(), "kid": "evil\x1b[2Jkid"},
                {"kty": "oct", "k": "AAAA"},
            ]
        },
    )

    status = main(["jwks", "fetch", provider.url("/jwks"), "--allow-insecure-loopback"])

    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[0] == f"JWK Set from {provider.url('/jwks')}: 2 usable keys"
    assert lines[2].split() == ["KID", "KTY", "BITS", "ALG", "USE", "THUMBPRINT", "(SHA-256)"]
    assert lines[3].split() == ["k1", "EC", "256", "ES256", "sig", ec_keys["k1"].thumbprint()]
    assert lines[4].split() == [
        "evil\\u001b[2Jkid",
        "EC",
        "256",
        "-",
        "-",
        ec_keys["k2"].thumbprint(),
    ]
    assert lines[6] == "Skipped 1 member:"
    assert lines[7].startswith("  keys[2]: it is a secret (kty 'oct') key")


def test_fetch_through_issuer(
    provider: Provider, ec_keys: dict[str, Key], capsys: pytest.CaptureFixture[str]
) -> None:
    provider.serve_json(
        "/.well-known/openid-configuration",
        {"issuer": provider.base_url, "jwks_uri": provider.url("/keys")},
    )
    provider.serve_keys([ec_keys["k1"]], path="/keys")

    status = main(
        ["jwks", "fetch", "--issuer", provider.base_url, "--allow-insecure-loopback", "--json"]
    )

    output = json.loads(capsys.readouterr().out)
    assert status == 0
    assert output["url"] == provider.url("/keys")
    assert [key["kid"] for key in output["keys"]] == ["k1"]


def test_fetch_plain_http_needs_flag(
    provider: Provider, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["jwks", "fetch", provider.url("/jwks")])

    assert status == 2
    assert capsys.readouterr().err == (
        f"jwtkit: usage_error: the JWK Set URL {provider.url('/jwks')} is rejected: it uses "
        "plain http; pass --allow-insecure-loopback to allow http to a loopback address "
        "(for tests only)\n"
    )
    assert provider.hits["/jwks"] == 0


def test_fetch_failure_reported(provider: Provider, capsys: pytest.CaptureFixture[str]) -> None:
    provider.respond(
        "/jwks", Response(body=b"<html></html>", headers={"Content-Type": "text/html"})
    )

    status = main(["jwks", "fetch", provider.url("/jwks"), "--allow-insecure-loopback", "--json"])

    output = json.loads(capsys.readouterr().out)
    assert status == 1
    assert output["error"] == {
        "code": "key_set_fetch_failed",
        "message": f"could not fetch the JWK Set from {provider.url('/jwks')}: the content "
        "type is 'text/html', expected application/json or application/jwk-set+json",
    }


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "give either the JWK Set URL or --issuer ISSUER, not both"),
        (
            ["https://a.example/jwks", "--issuer", "https://a.example"],
            "give either the JWK Set URL or --issuer ISSUER, not both",
        ),
        (
            ["https://a.example/jwks", "--timeout", "0"],
            "--timeout must be a positive number of seconds, got 0",
        ),
    ],
)
def test_fetch_usage_errors(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["jwks", "fetch", *arguments])

    assert status == 2
    assert capsys.readouterr().err == f"jwtkit: usage_error: {message}\n"


def test_fetch_as_subprocess(provider: Provider, ec_keys: dict[str, Key]) -> None:
    provider.serve_keys([ec_keys["k1"]])
    env = {**os.environ, "PYTHONPATH": str(SRC_DIR)}

    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "jwtkit",
            "jwks",
            "fetch",
            provider.url("/jwks"),
            "--allow-insecure-loopback",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["keys"][0]["thumbprint"] == ec_keys["k1"].thumbprint()


def verify_arguments(provider: Provider) -> list[str]:
    return [
        "verify",
        "--alg",
        "ES256",
        "--jwks-url",
        provider.url("/jwks"),
        "--allow-insecure-loopback",
    ]


def test_verify_with_jwks_url(
    provider: Provider, ec_keys: dict[str, Key], capsys: pytest.CaptureFixture[str]
) -> None:
    provider.serve_keys([ec_keys["k1"], ec_keys["k2"]])
    token = sign(ec_keys["k2"], {"sub": "alice"})

    status = main([*verify_arguments(provider), "--json", token])

    output = json.loads(capsys.readouterr().out)
    assert status == 0
    assert output["valid"] is True
    assert output["claims"] == {"sub": "alice"}
    assert provider.hits["/jwks"] == 1


def test_verify_with_jwks_url_unknown_kid(
    provider: Provider, ec_keys: dict[str, Key], capsys: pytest.CaptureFixture[str]
) -> None:
    provider.serve_keys([ec_keys["k1"]])
    token = sign(ec_keys["k3"])

    status = main([*verify_arguments(provider), token])

    assert status == 1
    assert "jwtkit: key_not_found: no key in the key set has kid 'k3'" in capsys.readouterr().err


def test_verify_with_jwks_url_provider_down(
    provider: Provider, ec_keys: dict[str, Key], capsys: pytest.CaptureFixture[str]
) -> None:
    provider.respond("/jwks", Response(status=503))

    status = main([*verify_arguments(provider), sign(ec_keys["k1"])])

    assert status == 1
    assert capsys.readouterr().err == (
        f"jwtkit: key_set_fetch_failed: the token could not be checked, because the JWK Set "
        f"could not be fetched from {provider.url('/jwks')}: HTTP status 503, expected 200. "
        "This says nothing about whether the token is valid; try again once the key set can "
        "be fetched\n"
    )


def test_verify_jwks_url_excludes_other_keys(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(
            [
                "verify",
                "--alg",
                "ES256",
                "--jwks-url",
                "https://a.example/jwks",
                "--jwks",
                "keys.json",
                "TOKEN",
            ]
        )

    assert caught.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
