"""The tutorial token through the real command: decode it, then verify it step by step."""

from __future__ import annotations

from tests.cli.conftest import TUTORIAL_TOKEN, run_jwtkit


def test_decode_shows_header_and_claims() -> None:
    result = run_jwtkit("decode", TUTORIAL_TOKEN)

    assert result.status == 0
    assert result.stdout.startswith("Signature NOT verified")
    assert '"alg": "HS256"' in result.stdout
    assert '"typ": "JWT"' in result.stdout
    assert '"message": "roses are red"' in result.stdout
    assert '"exp": "2019-02-14",  # not a NumericDate' in result.stdout


def test_decode_json_shape() -> None:
    result = run_jwtkit("decode", "--json", TUTORIAL_TOKEN)

    assert result.status == 0
    assert result.json() == {
        "header": {"alg": "HS256", "typ": "JWT"},
        "claims": {"exp": "2019-02-14", "message": "roses are red"},
        "signature_verified": False,
    }


def test_verify_rejects_weak_secret() -> None:
    result = run_jwtkit("verify", "--secret", "secret", "--alg", "HS256", TUTORIAL_TOKEN)

    assert result.status == 2
    assert result.stdout == ""
    assert result.stderr.startswith("jwtkit: weak_key: ")
    assert "the HMAC secret is 6 bytes, but HS256 needs at least 32 bytes" in result.stderr
    assert "RFC 7518 §3.2" in result.stderr
    assert "pass --allow-weak-key" in result.stderr
    assert "allow_weak_key=True" not in result.stderr


def test_verify_with_weak_key_flag_rejects_exp() -> None:
    result = run_jwtkit(
        "verify", "--secret", "secret", "--alg", "HS256", "--allow-weak-key", TUTORIAL_TOKEN
    )

    assert result.status == 1
    assert result.stdout == ""
    assert result.stderr.startswith("jwtkit: invalid_claim: ")
    assert "claim 'exp' must be a NumericDate" in result.stderr
    assert "got the string '2019-02-14'" in result.stderr


def test_verify_with_weak_key_flag_json() -> None:
    result = run_jwtkit(
        "verify",
        "--json",
        "--secret",
        "secret",
        "--alg",
        "HS256",
        "--allow-weak-key",
        TUTORIAL_TOKEN,
    )

    assert result.status == 1
    output = result.json()
    assert output["valid"] is False
    assert output["error"]["code"] == "invalid_claim"
    assert "claim 'exp' must be a NumericDate" in output["error"]["message"]


def test_verify_without_alg_names_token_alg() -> None:
    result = run_jwtkit("verify", "--secret", "secret", TUTORIAL_TOKEN)

    assert result.status == 2
    assert "--alg is required" in result.stderr
    assert "never takes the algorithm from the token" in result.stderr
    assert "pass --alg HS256 if you expect it" in result.stderr
