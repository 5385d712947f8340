"""``jwtkit encode``: claims from arguments, stdin and options, signed with every kind of key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import jwtkit
from tests.cli.conftest import HMAC_SECRET, NOW, CallMain, KeyFiles, run_jwtkit


def decode_hs256(token: str) -> jwtkit.UnverifiedToken:
    jwtkit.decode(token, HMAC_SECRET, algorithms=["HS256"], now=NOW, audience=None)
    return jwtkit.decode_unverified(token)


def encode_hs256(call_main: CallMain, *args: str, stdin: str = "") -> str:
    result = call_main(
        "encode",
        "--alg",
        "HS256",
        "--secret",
        HMAC_SECRET,
        "--now",
        str(NOW),
        *args,
        stdin=stdin,
    )
    assert result.status == 0, result.stderr
    assert result.stdout.endswith("\n")
    return result.stdout.strip()


def test_encode_claims_argument(call_main: CallMain) -> None:
    token = encode_hs256(call_main, '{"sub": "alice", "admin": true}')

    decoded = decode_hs256(token)
    assert decoded.header == {"alg": "HS256", "typ": "JWT"}
    assert decoded.claims == {"sub": "alice", "admin": True, "iat": NOW}


def test_encode_claims_from_stdin(call_main: CallMain) -> None:
    implicit = encode_hs256(call_main, stdin='{"sub": "alice"}\n')
    explicit = encode_hs256(call_main, "-", stdin='{"sub": "bob"}')

    assert decode_hs256(implicit).claims == {"sub": "alice", "iat": NOW}
    assert decode_hs256(explicit).claims == {"sub": "bob", "iat": NOW}


def test_encode_empty_stdin_means_no_claims(call_main: CallMain) -> None:
    token = encode_hs256(call_main, "--sub", "alice", stdin="")

    assert decode_hs256(token).claims == {"sub": "alice", "iat": NOW}


def test_encode_explicit_stdin_must_hold_json(call_main: CallMain) -> None:
    result = call_main("encode", "--alg", "HS256", "--secret", HMAC_SECRET, "-", stdin="")

    assert result.status == 2
    assert "the claims on stdin is not valid JSON" in result.stderr


def test_encode_claims_stdin_subprocess(secret_file: Path) -> None:
    result = run_jwtkit(
        "encode",
        "--alg",
        "HS256",
        "--secret-file",
        str(secret_file),
        "--no-iat",
        stdin='{"sub": "alice"}',
    )

    assert result.status == 0, result.stderr
    assert decode_hs256(result.stdout.strip()).claims == {"sub": "alice"}


def test_encode_lifetimes(call_main: CallMain) -> None:
    token = encode_hs256(call_main, "--exp", "15m", "--nbf=-30s", "--iat", "1h30m")

    assert decode_hs256_unchecked(token) == {
        "exp": NOW + 900,
        "nbf": NOW - 30,
        "iat": NOW + 5400,
    }


def decode_hs256_unchecked(token: str) -> dict[str, object]:
    return jwtkit.decode_unverified(token).claims


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("45", NOW + 45),
        ("45s", NOW + 45),
        ("2h", NOW + 7200),
        ("1d", NOW + 86400),
        ("1w", NOW + 604800),
        ("+1.5h", NOW + 5400),
        ("-1d12h", NOW - 129600),
        ("now", NOW),
        ("@1800000000", 1800000000),
        ("2030-01-01T00:00:00Z", 1893456000),
        ("2030-01-01T02:00:00+02:00", 1893456000),
    ],
)
def test_encode_exp_forms(call_main: CallMain, value: str, expected: int) -> None:
    token = encode_hs256(call_main, f"--exp={value}", "--no-iat")

    assert decode_hs256_unchecked(token) == {"exp": expected}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("15x", "--exp '15x' is not a time"),
        ("m15", "--exp 'm15' is not a time"),
        ("", "--exp '' is not a time"),
        ("@soon", "--exp '@soon' is not a NumericDate"),
        ("2030-01-01", "has no time zone"),
        ("2030-13-01T00:00:00Z", "is not an ISO 8601 time"),
    ],
)
def test_encode_bad_exp(call_main: CallMain, value: str, message: str) -> None:
    result = call_main("encode", "--alg", "HS256", "--secret", HMAC_SECRET, f"--exp={value}")

    assert result.status == 2
    assert message in result.stderr


def test_encode_no_iat(call_main: CallMain) -> None:
    token = encode_hs256(call_main, "--no-iat", '{"sub": "alice"}')

    assert decode_hs256(token).claims == {"sub": "alice"}


def test_encode_keeps_iat_from_claims(call_main: CallMain) -> None:
    token = encode_hs256(call_main, '{"iat": 1600000000}')

    assert decode_hs256(token).claims == {"iat": 1600000000}


def test_encode_iat_uses_system_clock(call_main: CallMain) -> None:
    result = call_main("encode", "--alg", "HS256", "--secret", HMAC_SECRET)

    assert result.status == 0
    iat = jwtkit.decode_unverified(result.stdout.strip()).claims["iat"]
    assert isinstance(iat, int)
    assert iat > NOW


def test_encode_registered_claim_options(call_main: CallMain) -> None:
    token = encode_hs256(
        call_main, "--iss", "https://issuer.test", "--sub", "alice", "--aud", "api", "--no-iat"
    )

    assert decode_hs256_unchecked(token) == {
        "iss": "https://issuer.test",
        "sub": "alice",
        "aud": "api",
    }


def test_encode_repeated_aud_is_list(call_main: CallMain) -> None:
    token = encode_hs256(call_main, "--aud", "api", "--aud", "admin", "--no-iat")

    assert decode_hs256_unchecked(token) == {"aud": ["api", "admin"]}


def test_encode_claim_set_twice(call_main: CallMain) -> None:
    result = call_main(
        "encode", "--alg", "HS256", "--secret", HMAC_SECRET, '{"sub": "alice"}', "--sub", "bob"
    )

    assert result.status == 2
    assert "claim 'sub' is set both in the claims JSON and by --sub" in result.stderr


def test_encode_header_options(call_main: CallMain) -> None:
    token = encode_hs256(call_main, "--kid", "k1", "--typ", "at+jwt", "--header", '{"cty": "x"}')

    assert jwtkit.decode_unverified(token).header == {
        "alg": "HS256",
        "typ": "at+jwt",
        "cty": "x",
        "kid": "k1",
    }


def test_encode_header_set_twice(call_main: CallMain) -> None:
    result = call_main(
        "encode",
        "--alg",
        "HS256",
        "--secret",
        HMAC_SECRET,
        "--kid",
        "a",
        "--header",
        '{"kid": "b"}',
    )

    assert result.status == 2
    assert "header parameter 'kid' is set both by --header and by --kid" in result.stderr


def test_encode_header_cannot_change_alg(call_main: CallMain) -> None:
    result = call_main(
        "encode", "--alg", "HS256", "--secret", HMAC_SECRET, "--header", '{"alg": "none"}'
    )

    assert result.status == 2
    assert "headers sets alg 'none' but algorithm is 'HS256'" in result.stderr


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ("{", "CLAIMS is not valid JSON"),
        ("[1]", "CLAIMS must be a JSON object, got a JSON array"),
        ('{"a": 1, "a": 2}', "duplicate member name 'a'"),
        ('{"exp": "tomorrow"}', "claim 'exp' must be a NumericDate"),
        ('{"aud": []}', "claim 'aud' must be a string or a non-empty list of strings"),
    ],
)
def test_encode_bad_claims(call_main: CallMain, claims: str, message: str) -> None:
    result = call_main("encode", "--alg", "HS256", "--secret", HMAC_SECRET, claims)

    assert result.status == 2
    assert message in result.stderr


def test_encode_requires_alg(call_main: CallMain, ec_key: KeyFiles) -> None:
    result = call_main("encode", "--secret", HMAC_SECRET, "{}")

    assert result.status == 2
    assert "jwtkit: usage_error: --alg is required" in result.stderr
    assert "never picks it from the key" in result.stderr


def test_encode_requires_alg_names_jwk_alg(call_main: CallMain, tmp_path: Path) -> None:
    key = jwtkit.Key.generate("EC", curve="P-384", alg="ES384")
    path = tmp_path / "key.jwk"
    path.write_text(json.dumps(key.to_jwk(private=True)))

    result = call_main("encode", "--key", str(path), "{}")

    assert result.status == 2
    assert "the key's JWK names alg 'ES384'" in result.stderr


def test_encode_one_alg_only(call_main: CallMain) -> None:
    result = call_main("encode", "--alg", "HS256,HS384", "--secret", HMAC_SECRET, "{}")

    assert result.status == 2
    assert "--alg takes one algorithm when signing" in result.stderr


def test_encode_requires_key(call_main: CallMain) -> None:
    result = call_main("encode", "--alg", "HS256", "{}")

    assert result.status == 2
    assert "no signing key given" in result.stderr
    assert "--secret-file" in result.stderr


def test_encode_key_options_exclusive(call_main: CallMain, secret_file: Path) -> None:
    result = call_main(
        "encode", "--alg", "HS256", "--secret", HMAC_SECRET, "--secret-file", str(secret_file)
    )

    assert result.status == 2
    assert "not allowed with argument" in result.stderr


def test_encode_none_rejected(call_main: CallMain) -> None:
    result = call_main("encode", "--alg", "none", "--secret", HMAC_SECRET, "{}")

    assert result.status == 2
    assert "jwtkit: unsupported_algorithm: " in result.stderr
    assert "'none' produces unsigned tokens" in result.stderr


def test_encode_weak_secret_names_flag(call_main: CallMain) -> None:
    result = call_main("encode", "--alg", "HS256", "--secret", "short-Xq9-secret", "{}")

    assert result.status == 2
    assert "jwtkit: weak_key: " in result.stderr
    assert "RFC 7518 §3.2" in result.stderr
    assert "--allow-weak-key" in result.stderr
    assert "allow_weak_key=True" not in result.stderr
    assert "short-Xq9-secret" not in result.stderr + result.stdout


def test_encode_weak_secret_allowed(call_main: CallMain) -> None:
    result = call_main(
        "encode", "--alg", "HS256", "--secret", "short", "--allow-weak-key", '{"sub": "a"}'
    )

    assert result.status == 0
    claims = jwtkit.decode(
        result.stdout.strip(), "short", algorithms=["HS256"], allow_weak_key=True
    )
    assert claims["sub"] == "a"


def test_encode_secret_file_strips_one_newline(call_main: CallMain, tmp_path: Path) -> None:
    secret = HMAC_SECRET + "\n"
    path = tmp_path / "secret"
    path.write_text(secret + "\r\n")

    result = call_main("encode", "--alg", "HS256", "--secret-file", str(path), "{}")

    assert result.status == 0
    token = result.stdout.strip()
    assert jwtkit.decode(token, secret.encode(), algorithms=["HS256"]) is not None


def test_encode_empty_secret(call_main: CallMain, tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_text("\n")

    result = call_main("encode", "--alg", "HS256", "--secret-file", str(path), "{}")

    assert result.status == 2
    assert f"the HMAC secret from --secret-file {path} is empty" in result.stderr


def test_encode_missing_key_file(call_main: CallMain, tmp_path: Path) -> None:
    missing = tmp_path / "missing.pem"

    result = call_main("encode", "--alg", "ES256", "--key", str(missing), "{}")

    assert result.status == 2
    assert f"--key {missing}: cannot read the file: No such file or directory" in result.stderr


@pytest.mark.parametrize(("form"), ["private_pem", "private_jwk"])
@pytest.mark.parametrize(
    ("fixture", "algorithm"),
    [("ec_key", "ES256"), ("rsa_key", "RS256"), ("rsa_key", "PS384"), ("ed25519_key", "EdDSA")],
)
def test_encode_with_key_file(
    call_main: CallMain, request: pytest.FixtureRequest, fixture: str, algorithm: str, form: str
) -> None:
    files: KeyFiles = request.getfixturevalue(fixture)

    result = call_main("encode", "--alg", algorithm, "--key", str(getattr(files, form)), "{}")

    assert result.status == 0, result.stderr
    verified = jwtkit.Verifier(files.key.public_key(), algorithms=[algorithm]).verify_complete(
        result.stdout.strip()
    )
    assert verified.header["alg"] == algorithm
    # A JWK carries its kid into the header; PEM has no place for one.
    expected_kid = files.key.kid if form == "private_jwk" else None
    assert verified.header.get("kid") == expected_kid


def test_encode_with_der_key(call_main: CallMain, ec_key: KeyFiles, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    path = tmp_path / "ec.der"
    path.write_bytes(
        ec_key.key.signing_key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    result = call_main("encode", "--alg", "ES256", "--key", str(path), "{}")

    assert result.status == 0, result.stderr
    assert jwtkit.decode(result.stdout.strip(), ec_key.key.public_key(), algorithms=["ES256"])


def test_encode_public_key_cannot_sign(call_main: CallMain, ec_key: KeyFiles) -> None:
    result = call_main("encode", "--alg", "ES256", "--key", str(ec_key.public_pem), "{}")

    assert result.status == 2
    assert "cannot sign with a public EC key; pass the private key" in result.stderr


def test_encode_key_of_wrong_family(call_main: CallMain, ec_key: KeyFiles) -> None:
    result = call_main("encode", "--alg", "HS256", "--key", str(ec_key.private_pem), "{}")

    assert result.status == 2
    assert "jwtkit: invalid_key: alg 'HS256' needs a secret (kty 'oct') key" in result.stderr


def test_encode_secret_for_asymmetric_alg_not_echoed(call_main: CallMain) -> None:
    result = call_main("encode", "--alg", "RS256", "--secret", "distinctive-Zq7-value", "{}")

    assert result.status == 2
    assert "alg 'RS256' needs an RSA key, but the key is a secret" in result.stderr
    assert "distinctive-Zq7-value" not in result.stderr + result.stdout


def test_encode_file_that_is_no_key(call_main: CallMain, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")

    result = call_main("encode", "--alg", "ES256", "--key", str(path), "{}")

    assert result.status == 2
    assert "the file is not a PEM, OpenSSH, DER or JWK key" in result.stderr
    assert "use --secret-file" in result.stderr
    assert "hello" not in result.stderr


def test_encode_repeated_header_merged(call_main: CallMain) -> None:
    token = encode_hs256(call_main, "--header", '{"cty": "x"}', "--header", '{"app": 1}')

    assert jwtkit.decode_unverified(token).header == {
        "alg": "HS256",
        "typ": "JWT",
        "cty": "x",
        "app": 1,
    }


def test_encode_repeated_header_parameter(call_main: CallMain) -> None:
    result = call_main(
        "encode",
        "--alg",
        "HS256",
        "--secret",
        HMAC_SECRET,
        "--header",
        '{"cty": "x"}',
        "--header",
        '{"cty": "y"}',
    )

    assert result.status == 2
    assert "header parameter 'cty' is set by more than one --header" in result.stderr


@pytest.mark.parametrize("option", ["--alg", "--iss", "--sub", "--aud", "--kid", "--typ"])
def test_encode_empty_option_value(call_main: CallMain, option: str) -> None:
    args = ["--secret", HMAC_SECRET, f"{option}="]
    if option != "--alg":
        args += ["--alg", "HS256"]

    result = call_main("encode", *args, "{}")

    assert result.status == 2
    assert result.stdout == ""
    assert f"argument {option}: the value is empty" in result.stderr
