"""``jwtkit decode``: header and claims without verification, for people and for scripts."""

from __future__ import annotations

import jwtkit
from tests.cli.conftest import HMAC_SECRET, NOW, CallMain, run_jwtkit


def make_token(claims: dict[str, object], headers: dict[str, object] | None = None) -> str:
    return jwtkit.encode(claims, HMAC_SECRET, "HS256", headers)


def test_decode_annotates_numericdates(call_main: CallMain) -> None:
    token = make_token({"sub": "alice", "iat": NOW, "nbf": NOW, "exp": NOW + 3600})

    result = call_main("decode", token)

    assert result.status == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Signature NOT verified")
    assert '  "sub": "alice",' in lines
    assert '  "iat": 1700000000,  # 2023-11-14T22:13:20Z' in lines
    assert '  "nbf": 1700000000,  # 2023-11-14T22:13:20Z' in lines
    assert '  "exp": 1700003600  # 2023-11-14T23:13:20Z' in lines


def test_decode_nested_claims_indented(call_main: CallMain) -> None:
    token = make_token({"roles": ["admin", "dev"], "exp": NOW})

    result = call_main("decode", token)

    claims_text = result.stdout.split("Claims:\n", 1)[1]
    assert claims_text == (
        "{\n"
        '  "roles": [\n'
        '    "admin",\n'
        '    "dev"\n'
        "  ],\n"
        '  "exp": 1700000000  # 2023-11-14T22:13:20Z\n'
        "}\n"
    )


def test_decode_marks_non_numericdate(call_main: CallMain) -> None:
    # jwtkit.encode refuses such claims, so the payload is signed as raw bytes.
    token = jwtkit.jws.sign_compact(b'{"iat":true}', HMAC_SECRET, "HS256")

    result = call_main("decode", token)

    assert '"iat": true  # not a NumericDate' in result.stdout


def test_decode_json_shape(call_main: CallMain) -> None:
    token = make_token({"sub": "alice", "exp": NOW}, {"kid": "k1"})

    result = call_main("decode", "--json", token)

    assert result.status == 0
    assert result.json() == {
        "header": {"alg": "HS256", "typ": "JWT", "kid": "k1"},
        "claims": {"sub": "alice", "exp": NOW},
        "signature_verified": False,
    }


def test_decode_reads_stdin_and_strips(call_main: CallMain) -> None:
    token = make_token({"sub": "alice"})

    implicit = call_main("decode", "--json", stdin=f"\n  {token}  \r\n")
    explicit = call_main("decode", "--json", "-", stdin=f"{token}\n")

    assert implicit.status == 0
    assert implicit.json()["claims"] == {"sub": "alice"}
    assert explicit.status == 0
    assert explicit.json()["claims"] == {"sub": "alice"}


def test_decode_stdin_subprocess() -> None:
    token = make_token({"sub": "alice"})

    result = run_jwtkit("decode", "--json", stdin=token + "\n")

    assert result.status == 0
    assert result.json()["claims"] == {"sub": "alice"}


def test_decode_empty_stdin_is_usage_error(call_main: CallMain) -> None:
    result = call_main("decode", stdin="  \n")

    assert result.status == 2
    assert "jwtkit: usage_error: the token is empty" in result.stderr


def test_decode_malformed_token(call_main: CallMain) -> None:
    result = call_main("decode", "not-a-token")

    assert result.status == 1
    assert result.stdout == ""
    assert result.stderr.startswith("jwtkit: malformed_token: ")
    assert "exactly 3" in result.stderr


def test_decode_malformed_token_json(call_main: CallMain) -> None:
    result = call_main("decode", "--json", "e30.e30.***")

    assert result.status == 1
    output = result.json()
    assert output["valid"] is False
    assert output["error"]["code"] == "malformed_token"
    assert "the token's signature is not base64url" in output["error"]["message"]


def test_decode_max_token_size(call_main: CallMain) -> None:
    token = make_token({"sub": "alice"})

    result = call_main("decode", "--max-token-size", "20", token)

    assert result.status == 1
    assert "jwtkit: token_too_large: " in result.stderr
    assert "Raise --max-token-size" in result.stderr
    assert "max_token_size" not in result.stderr


def test_decode_max_token_size_must_be_positive(call_main: CallMain) -> None:
    result = call_main("decode", "--max-token-size", "0", make_token({}))

    assert result.status == 2
    assert "--max-token-size must be a positive number" in result.stderr


def test_decode_escapes_invisible_characters() -> None:
    # C1 control (terminal escape), bidi override, tag character.
    payload = (
        b'{"name":"Jos\xc3\xa9","c1":"\\u009b2J","bidi":"\\u202egnp.exe","tag":"\\udb40\\udc01"}'
    )
    token = jwtkit.jws.sign_compact(payload, HMAC_SECRET, "HS256")

    text = run_jwtkit("decode", token)
    machine = run_jwtkit("decode", "--json", token)

    assert text.status == 0, text.stderr
    assert '"name": "José"' in text.stdout
    assert '"c1": "\\u009b2J"' in text.stdout
    assert '"bidi": "\\u202egnp.exe"' in text.stdout
    assert '"tag": "\\udb40\\udc01"' in text.stdout
    assert machine.status == 0, machine.stderr
    assert machine.json()["claims"] == {
        "name": "José",
        "c1": "\x9b2J",
        "bidi": "\u202egnp.exe",
        "tag": "\U000e0001",
    }


def test_decode_lone_surrogate_is_malformed() -> None:
    # A lone surrogate escape encodes no Unicode character (RFC 7493 §2.1).
    token = jwtkit.jws.sign_compact(b'{"s":"\\ud800"}', HMAC_SECRET, "HS256")

    result = run_jwtkit("decode", token)

    assert result.status == 1
    assert result.stderr.startswith("jwtkit: malformed_token: ")
    assert "Traceback" not in result.stderr


def test_decode_several_tokens_on_stdin(call_main: CallMain) -> None:
    token = make_token({"sub": "alice"})

    result = call_main("decode", stdin=f"{token}\r\n{token}\r\n{token}\r\n")

    assert result.status == 2
    assert "stdin contains 3 values separated by whitespace" in result.stderr
    assert "JWE" not in result.stderr
