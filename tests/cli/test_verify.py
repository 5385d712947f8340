"""``jwtkit verify``: keys from every source, claim expectations, and every way a token fails."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

import jwtkit
from jwtkit._encoding import b64url_encode
from tests.cli.conftest import HMAC_SECRET, NOW, CallMain, KeyFiles, run_jwtkit


def hs256_token(claims: dict[str, object], headers: dict[str, object] | None = None) -> str:
    return jwtkit.encode(claims, HMAC_SECRET, "HS256", headers)


def verify_hs256(call_main: CallMain, token: str, *args: str) -> tuple[int, str, str]:
    result = call_main(
        "verify", "--alg", "HS256", "--secret", HMAC_SECRET, "--now", str(NOW), *args, token
    )
    return result.status, result.stdout, result.stderr


def test_verify_valid_text(call_main: CallMain) -> None:
    token = hs256_token({"sub": "alice", "exp": NOW + 60})

    status, stdout, stderr = verify_hs256(call_main, token)

    assert status == 0
    assert stderr == ""
    assert stdout.startswith("Signature verified (alg HS256); the claims are valid.\n")
    assert '  "exp": 1700000060  # 2023-11-14T22:14:20Z' in stdout


def test_verify_valid_json(call_main: CallMain) -> None:
    token = hs256_token({"sub": "alice", "exp": NOW + 60})

    status, stdout, _ = verify_hs256(call_main, token, "--json")

    assert status == 0
    assert json.loads(stdout) == {
        "valid": True,
        "signature_verified": True,
        "header": {"alg": "HS256", "typ": "JWT"},
        "claims": {"sub": "alice", "exp": NOW + 60},
    }


def test_verify_token_from_stdin_subprocess(secret_file: Path) -> None:
    token = hs256_token({"sub": "alice"})

    result = run_jwtkit(
        "verify",
        "--alg",
        "HS256",
        "--secret-file",
        str(secret_file),
        "--json",
        stdin=f"  {token}\n",
    )

    assert result.status == 0, result.stderr
    assert result.json()["claims"] == {"sub": "alice"}


def test_verify_tampered_token(call_main: CallMain) -> None:
    token = hs256_token({"sub": "alice"})
    forged_payload = b64url_encode(b'{"sub":"admin"}')
    header, _, signature = token.split(".")
    forged = f"{header}.{forged_payload}.{signature}"

    status, stdout, stderr = verify_hs256(call_main, forged)

    assert status == 1
    assert stdout == ""
    assert stderr == (
        "jwtkit: invalid_signature: the token's signature does not verify with the given key\n"
    )


def test_verify_tampered_token_json(call_main: CallMain) -> None:
    token = hs256_token({"sub": "alice"})
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BA")

    status, stdout, _ = verify_hs256(call_main, tampered, "--json")

    assert status == 1
    assert json.loads(stdout) == {
        "valid": False,
        "error": {
            "code": "invalid_signature",
            "message": "the token's signature does not verify with the given key",
        },
    }


def test_verify_expired(call_main: CallMain) -> None:
    token = hs256_token({"exp": NOW - 120})

    status, _, stderr = verify_hs256(call_main, token)

    assert status == 1
    assert stderr.startswith("jwtkit: token_expired: the token expired at 2023-11-14T22:11:20Z")
    assert "with 0 s leeway" in stderr


@pytest.mark.parametrize("leeway", ["121", "121s", "3m"])
def test_verify_leeway_accepts_expired(call_main: CallMain, leeway: str) -> None:
    token = hs256_token({"exp": NOW - 120})

    status, _, stderr = verify_hs256(call_main, token, "--leeway", leeway)

    assert status == 0, stderr


def test_verify_not_yet_valid(call_main: CallMain) -> None:
    token = hs256_token({"nbf": NOW + 600})

    status, _, stderr = verify_hs256(call_main, token)

    assert status == 1
    assert "jwtkit: token_not_yet_valid: " in stderr
    assert "raise --leeway" in stderr


def test_verify_wrong_audience(call_main: CallMain) -> None:
    token = hs256_token({"aud": ["orders", "billing"]})

    status, _, stderr = verify_hs256(call_main, token, "--aud", "admin")

    assert status == 1
    assert stderr.startswith("jwtkit: invalid_audience: ")
    assert "does not contain the expected 'admin'" in stderr


def test_verify_audience_any_of_several(call_main: CallMain) -> None:
    token = hs256_token({"aud": ["orders", "billing"]})

    status, _, stderr = verify_hs256(call_main, token, "--aud", "admin", "--aud", "billing")

    assert status == 0, stderr


def test_verify_audience_not_expected(call_main: CallMain) -> None:
    token = hs256_token({"aud": "orders"})

    status, _, stderr = verify_hs256(call_main, token)

    assert status == 1
    assert "no audience was expected; pass --aud with this service's identifier" in stderr
    assert "audience=" not in stderr


def test_verify_missing_expected_audience(call_main: CallMain) -> None:
    token = hs256_token({"sub": "alice"})

    status, _, stderr = verify_hs256(call_main, token, "--aud", "orders")

    assert status == 1
    assert "jwtkit: missing_claim: the token has no 'aud' claim, which is required" in stderr


def test_verify_issuer(call_main: CallMain) -> None:
    token = hs256_token({"iss": "https://issuer.test"})

    good = verify_hs256(
        call_main, token, "--iss", "https://other.test", "--iss", "https://issuer.test"
    )
    bad = verify_hs256(call_main, token, "--iss", "https://issuer.test/")

    assert good[0] == 0, good[2]
    assert bad[0] == 1
    assert "jwtkit: invalid_issuer: " in bad[2]


def test_verify_subject(call_main: CallMain) -> None:
    token = hs256_token({"sub": "alice"})

    status, _, stderr = verify_hs256(call_main, token, "--sub", "bob")

    assert status == 1
    assert "the token's subject 'alice' is not the expected 'bob'" in stderr


def test_verify_typ(call_main: CallMain) -> None:
    token = hs256_token({}, {"typ": "at+jwt"})

    good = verify_hs256(call_main, token, "--typ", "application/at+jwt")
    bad = verify_hs256(call_main, token, "--typ", "JWT")

    assert good[0] == 0, good[2]
    assert bad[0] == 1
    assert "jwtkit: invalid_header: the token's header has typ 'at+jwt'" in bad[2]


def test_verify_max_age(call_main: CallMain) -> None:
    token = hs256_token({"iat": NOW - 600})

    fresh = verify_hs256(call_main, token, "--max-age", "15m")
    stale = verify_hs256(call_main, token, "--max-age", "5m")

    assert fresh[0] == 0, fresh[2]
    assert stale[0] == 1
    assert "more than --max-age 300 s before now" in stale[2]


def test_verify_max_age_requires_iat(call_main: CallMain) -> None:
    status, _, stderr = verify_hs256(call_main, hs256_token({}), "--max-age", "5m")

    assert status == 1
    assert "the token has no 'iat' claim, which is required" in stderr


def test_verify_require(call_main: CallMain) -> None:
    token = hs256_token({"sub": "alice"})

    status, _, stderr = verify_hs256(call_main, token, "--require", "exp", "--require", "sub")

    assert status == 1
    assert "the token has no 'exp' claim, which is required" in stderr


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--leeway", "soon", "--leeway 'soon' is not a duration"),
        ("--leeway", "-5", "--leeway '-5' is not a duration"),
        ("--max-age", "5y", "--max-age '5y' is not a duration"),
        ("--now", "yesterday", "--now 'yesterday' is not a NumericDate"),
    ],
)
def test_verify_bad_option_values(
    call_main: CallMain, option: str, value: str, message: str
) -> None:
    result = call_main(
        "verify", "--alg", "HS256", "--secret", HMAC_SECRET, f"{option}={value}", hs256_token({})
    )

    assert result.status == 2
    assert message in result.stderr


def test_verify_requires_alg(call_main: CallMain) -> None:
    result = call_main("verify", "--secret", HMAC_SECRET, hs256_token({}))

    assert result.status == 2
    assert "--alg is required: list the algorithms you accept" in result.stderr
    assert "pass --alg HS256 if you expect it" in result.stderr


def test_verify_requires_alg_no_hint_for_none(call_main: CallMain) -> None:
    unsigned = "eyJhbGciOiJub25lIn0.e30."

    result = call_main("verify", "--secret", HMAC_SECRET, unsigned)

    assert result.status == 2
    assert "--alg is required" in result.stderr
    assert "pass --alg none" not in result.stderr


def test_verify_alg_none_rejected(call_main: CallMain) -> None:
    result = call_main("verify", "--alg", "none", "--secret", HMAC_SECRET, hs256_token({}))

    assert result.status == 2
    assert "'none' cannot be allowed" in result.stderr
    assert "use 'jwtkit decode' to inspect a token" in result.stderr


def test_verify_unsigned_token_rejected(call_main: CallMain) -> None:
    unsigned = "eyJhbGciOiJub25lIn0.e30."

    result = call_main("verify", "--alg", "HS256", "--secret", HMAC_SECRET, unsigned)

    assert result.status == 1
    assert "jwtkit: algorithm_not_allowed: " in result.stderr


def test_verify_alg_not_in_list(call_main: CallMain) -> None:
    token = jwtkit.encode({}, HMAC_SECRET * 2, "HS512")

    result = call_main("verify", "--alg", "HS256", "--secret", HMAC_SECRET * 2, token)

    assert result.status == 1
    assert "jwtkit: algorithm_not_allowed: the token's alg 'HS512'" in result.stderr
    assert "add it with --alg" in result.stderr


def test_verify_requires_key(call_main: CallMain) -> None:
    result = call_main("verify", "--alg", "HS256", hs256_token({}))

    assert result.status == 2
    assert "no verification key given" in result.stderr


def test_verify_alg_that_key_cannot_serve(call_main: CallMain) -> None:
    result = call_main("verify", "--alg", "HS256,RS256", "--secret", HMAC_SECRET, hs256_token({}))

    assert result.status == 2
    assert "--alg RS256 does not fit the key: alg 'RS256' needs an RSA key" in result.stderr


def test_verify_public_key_as_hmac_secret_rejected(call_main: CallMain, rsa_key: KeyFiles) -> None:
    # Algorithm confusion: an HS256 token whose MAC key is the RSA public key's PEM.
    # jwtkit refuses to make one, so the MAC is computed here by hand.
    signing_input = b"eyJhbGciOiJIUzI1NiJ9." + b64url_encode(b'{"sub":"admin"}').encode()
    mac = hmac.new(rsa_key.public_pem.read_bytes(), signing_input, hashlib.sha256).digest()
    forged = f"{signing_input.decode()}.{b64url_encode(mac)}"

    result = call_main("verify", "--alg", "HS256,RS256", "--key", str(rsa_key.public_pem), forged)

    assert result.status == 2
    assert "--alg HS256 does not fit the key" in result.stderr


@pytest.mark.parametrize("form", ["public_pem", "public_jwk"])
@pytest.mark.parametrize(
    ("fixture", "algorithm"),
    [("ec_key", "ES256"), ("rsa_key", "RS256"), ("ed25519_key", "EdDSA")],
)
def test_verify_with_key_file(
    call_main: CallMain, request: pytest.FixtureRequest, fixture: str, algorithm: str, form: str
) -> None:
    files: KeyFiles = request.getfixturevalue(fixture)
    token = jwtkit.encode({"sub": "alice"}, files.key, algorithm)

    result = call_main("verify", "--alg", algorithm, "--key", str(getattr(files, form)), token)

    assert result.status == 0, result.stderr
    assert f"Signature verified (alg {algorithm}" in result.stdout


def test_verify_with_wrong_key(call_main: CallMain, ec_key: KeyFiles) -> None:
    other = jwtkit.Key.generate("EC", curve="P-256")
    token = jwtkit.encode({"sub": "alice"}, other, "ES256")

    result = call_main("verify", "--alg", "ES256", "--key", str(ec_key.public_pem), token)

    assert result.status == 1
    assert "jwtkit: invalid_signature: " in result.stderr


def jwks_file(directory: Path, *keys: jwtkit.Key) -> Path:
    path = directory / "jwks.json"
    path.write_text(json.dumps(jwtkit.KeySet(key.public_key() for key in keys).to_jwks()))
    return path


@pytest.fixture
def three_ec_keys() -> list[jwtkit.Key]:
    return [jwtkit.Key.generate("EC", curve="P-256", kid=f"key-{index}") for index in range(3)]


def test_verify_jwks_selects_by_kid(
    call_main: CallMain, tmp_path: Path, three_ec_keys: list[jwtkit.Key]
) -> None:
    path = jwks_file(tmp_path, *three_ec_keys)
    token = jwtkit.encode({"sub": "alice"}, three_ec_keys[1], "ES256")

    result = call_main("verify", "--alg", "ES256", "--jwks", str(path), "--json", token)

    assert result.status == 0, result.stderr
    assert result.json()["header"]["kid"] == "key-1"
    assert result.json()["claims"] == {"sub": "alice"}


def test_verify_jwks_text_names_kid(
    call_main: CallMain, tmp_path: Path, three_ec_keys: list[jwtkit.Key]
) -> None:
    path = jwks_file(tmp_path, *three_ec_keys)
    token = jwtkit.encode({}, three_ec_keys[2], "ES256")

    result = call_main("verify", "--alg", "ES256", "--jwks", str(path), token)

    assert result.status == 0, result.stderr
    assert result.stdout.startswith("Signature verified (alg ES256, key kid 'key-2');")


def test_verify_jwks_unknown_kid(
    call_main: CallMain, tmp_path: Path, three_ec_keys: list[jwtkit.Key]
) -> None:
    path = jwks_file(tmp_path, *three_ec_keys)
    stranger = jwtkit.Key.generate("EC", curve="P-256", kid="key-9")
    token = jwtkit.encode({}, stranger, "ES256")

    result = call_main("verify", "--alg", "ES256", "--jwks", str(path), token)

    assert result.status == 1
    assert "jwtkit: key_not_found: no key in the key set has kid 'key-9'" in result.stderr


def test_verify_jwks_kid_of_other_key(
    call_main: CallMain, tmp_path: Path, three_ec_keys: list[jwtkit.Key]
) -> None:
    # Signed by key-0 but labelled key-1: the kid picks key-1, which fails.
    path = jwks_file(tmp_path, *three_ec_keys)
    token = jwtkit.encode({}, three_ec_keys[0], "ES256", {"kid": "key-1"})

    result = call_main("verify", "--alg", "ES256", "--jwks", str(path), token)

    assert result.status == 1
    assert "jwtkit: invalid_signature: " in result.stderr


def test_verify_jwks_mixed_families(
    call_main: CallMain, tmp_path: Path, ec_key: KeyFiles, rsa_key: KeyFiles
) -> None:
    path = jwks_file(tmp_path, ec_key.key, rsa_key.key)
    token = jwtkit.encode({}, rsa_key.key, "RS256")

    result = call_main(
        "verify", "--alg", "ES256,RS256", "--alg", "PS256", "--jwks", str(path), token
    )

    assert result.status == 0, result.stderr


def test_verify_jwks_alg_no_key_serves(
    call_main: CallMain, tmp_path: Path, three_ec_keys: list[jwtkit.Key]
) -> None:
    path = jwks_file(tmp_path, *three_ec_keys)
    token = jwtkit.encode({}, three_ec_keys[0], "ES256")

    result = call_main("verify", "--alg", "ES256,RS256", "--jwks", str(path), token)

    assert result.status == 2
    assert "--alg RS256: no key in the --jwks set can verify it" in result.stderr


def test_verify_jwks_without_usable_key(call_main: CallMain, tmp_path: Path) -> None:
    path = tmp_path / "jwks.json"
    path.write_text('{"keys": [{"kty": "XYZ"}]}')

    result = call_main("verify", "--alg", "ES256", "--jwks", str(path), hs256_token({}))

    assert result.status == 2
    assert f"--jwks {path}: the JWK Set has no usable key (keys[0]:" in result.stderr


def test_verify_jwks_given_to_key(
    call_main: CallMain, tmp_path: Path, three_ec_keys: list[jwtkit.Key]
) -> None:
    path = jwks_file(tmp_path, *three_ec_keys)

    result = call_main("verify", "--alg", "ES256", "--key", str(path), hs256_token({}))

    assert result.status == 2
    assert "the file is a JWK Set, not one JWK" in result.stderr
    assert "--jwks" in result.stderr


def test_verify_weak_rsa_key(call_main: CallMain, tmp_path: Path) -> None:
    small = jwtkit.Key.from_cryptography(
        rsa.generate_private_key(public_exponent=65537, key_size=1024)
    )
    path = tmp_path / "small.pem"
    path.write_bytes(small.to_pem())
    token = jwtkit.encode({"sub": "alice"}, small, "RS256", allow_weak_key=True)

    rejected = call_main("verify", "--alg", "RS256", "--key", str(path), token)
    allowed = call_main("verify", "--alg", "RS256", "--key", str(path), "--allow-weak-key", token)

    assert rejected.status == 2
    assert "jwtkit: weak_key: the RSA key is 1024 bits" in rejected.stderr
    assert "RFC 7518 §3.3" in rejected.stderr
    assert "--allow-weak-key" in rejected.stderr
    assert allowed.status == 0, allowed.stderr


def test_verify_secret_not_echoed(call_main: CallMain) -> None:
    token = hs256_token({})

    result = call_main("verify", "--alg", "HS256", "--secret", "distinctive-Wv3-secret", token)

    assert result.status == 2
    assert "distinctive-Wv3-secret" not in result.stdout + result.stderr


def test_verify_rfc7515_example(call_main: CallMain, vectors_dir: Path) -> None:
    vectors = vectors_dir / "latchset-jose" / "tests" / "vectors"
    token = (vectors / "rfc7515_A.1.jwsc").read_text().strip()

    # The example's exp is 1300819380 (2011-03-22T18:43:00Z).
    valid = call_main(
        "verify",
        "--alg",
        "HS256",
        "--key",
        str(vectors / "rfc7515_A.1.jwk"),
        "--now",
        "2011-03-22T18:00:00Z",
        "--json",
        token,
    )
    expired = call_main(
        "verify", "--alg", "HS256", "--key", str(vectors / "rfc7515_A.1.jwk"), token
    )

    assert valid.status == 0, valid.stderr
    assert valid.json()["claims"] == {
        "iss": "joe",
        "exp": 1300819380,
        "http://example.com/is_root": True,
    }
    assert expired.status == 1
    assert "jwtkit: token_expired: the token expired at 2011-03-22T18:43:00Z" in expired.stderr


@pytest.mark.parametrize("value", ["", "  "])
def test_verify_empty_alg(call_main: CallMain, value: str) -> None:
    result = call_main("verify", "--alg", value, "--secret", HMAC_SECRET, hs256_token({}))

    assert result.status == 2
    assert f"argument --alg: the value is {'empty' if not value else 'blank'}" in result.stderr
    assert "--alg is required" not in result.stderr


@pytest.mark.parametrize("value", ["HS256,", ",HS256", "HS256,,HS384"])
def test_verify_empty_name_in_alg_list(call_main: CallMain, value: str) -> None:
    result = call_main("verify", "--alg", value, "--secret", HMAC_SECRET, hs256_token({}))

    assert result.status == 2
    assert f"--alg {value!r} contains an empty algorithm name" in result.stderr


@pytest.mark.parametrize("option", ["--require", "--iss", "--aud", "--sub", "--typ"])
@pytest.mark.parametrize("value", ["", " "])
def test_verify_empty_expected_value(call_main: CallMain, option: str, value: str) -> None:
    token = hs256_token({"iss": "", "aud": "", "sub": ""}, {"typ": ""})

    status, stdout, stderr = verify_hs256(call_main, token, f"{option}={value}")

    assert status == 2
    assert stdout == ""
    assert f"argument {option}: the value is {'empty' if not value else 'blank'}" in stderr


def test_verify_two_tokens_on_stdin(call_main: CallMain) -> None:
    token = hs256_token({"sub": "alice"})

    result = call_main(
        "verify", "--alg", "HS256", "--secret", HMAC_SECRET, stdin=f"{token}\n{token}\n"
    )

    assert result.status == 2
    assert "jwtkit: usage_error: stdin contains 2 values separated by whitespace" in result.stderr
    assert "pass one token per run" in result.stderr
    assert "JWE" not in result.stderr


def test_verify_two_tokens_in_argument(call_main: CallMain) -> None:
    token = hs256_token({"sub": "alice"})

    status, _, stderr = verify_hs256(call_main, f"{token} {token}")

    assert status == 2
    assert "the TOKEN argument contains 2 values separated by whitespace" in stderr
