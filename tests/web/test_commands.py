"""``jwtkit lint`` and ``jwtkit serve`` as a user runs them."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

import jwtkit
from jwtkit import Key
from tests.cli.conftest import SRC_DIR, TUTORIAL_TOKEN, CallMain, run_jwtkit

URL_LINE = re.compile(r"jwtkit debugger: (http://127\.0\.0\.1:(\d+)/)")


# -- lint -----------------------------------------------------------------------------


def test_lint_tutorial_token_text() -> None:
    result = run_jwtkit("lint", TUTORIAL_TOKEN)

    assert result.status == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith("high    known-secret (signature): the token's HS256 MAC verifies")
    assert "with 'secret'" in result.stdout
    assert "high    exp-not-numericdate (claims.exp): " in result.stdout
    assert "medium  aud-missing (claims): " in result.stdout
    assert "low     iss-missing (claims): " in result.stdout
    assert lines[-1] == (
        "4 findings (2 high, 1 medium, 1 low); at least one is at or above --fail-on high."
    )


def test_lint_fix_names_command(call_main: CallMain) -> None:
    result = call_main("lint", "--json", TUTORIAL_TOKEN)

    fix = result.json()["findings"][0]["fix"]
    assert "'jwtkit keygen oct' makes one" in fix
    assert "Key.generate" not in fix


def test_lint_json(call_main: CallMain) -> None:
    result = call_main("lint", "--json", TUTORIAL_TOKEN)

    document = result.json()
    assert result.status == 1
    assert document["fail_on"] == "high"
    assert document["failed"] is True
    assert [finding["code"] for finding in document["findings"]] == [
        "known-secret",
        "exp-not-numericdate",
        "aud-missing",
        "iss-missing",
    ]
    assert document["findings"][1] == {
        "severity": "high",
        "code": "exp-not-numericdate",
        "message": (
            "claim 'exp' is the string '2019-02-14', not a NumericDate (seconds since "
            "1970-01-01T00:00:00Z); strict verifiers reject the token and lenient ones "
            "ignore 'exp'"
        ),
        "fix": (
            "Write 'exp' as a number of seconds since the epoch, such as 1550102400 for "
            "'2019-02-14' read as UTC"
        ),
        "location": "claims.exp",
    }


@pytest.fixture(scope="module")
def medium_token() -> str:
    # Only aud is missing: one medium finding.
    key = Key.from_secret(b"k" * 32)
    return jwtkit.encode({"iss": "i", "iat": 1_700_000_000, "exp": 1_700_000_900}, key, "HS256")


@pytest.mark.parametrize(
    ("fail_on", "status"), [("high", 0), ("medium", 1), ("low", 1), ("MEDIUM", 2)]
)
def test_lint_fail_on(call_main: CallMain, medium_token: str, fail_on: str, status: int) -> None:
    result = call_main("lint", "--now", "1700000000", "--fail-on", fail_on, medium_token)

    assert result.status == status


def test_lint_passing_summary(call_main: CallMain, medium_token: str) -> None:
    result = call_main("lint", "--now", "1700000000", medium_token)

    assert result.status == 0
    assert result.stdout.splitlines()[-1] == (
        "1 finding (0 high, 1 medium, 0 low); none is at or above --fail-on high."
    )


def test_lint_no_findings(call_main: CallMain) -> None:
    key = Key.from_secret(b"k" * 32)
    token = jwtkit.encode(
        {"iss": "i", "aud": "a", "iat": 1_700_000_000, "exp": 1_700_000_900}, key, "HS256"
    )

    result = call_main("lint", "--now", "1700000000", "--fail-on", "low", token)

    assert result.status == 0
    assert result.stdout == "No findings.\n"


def test_lint_max_lifetime(call_main: CallMain, medium_token: str) -> None:
    result = call_main(
        "lint", "--json", "--now", "1700000000", "--max-lifetime", "10m", medium_token
    )

    codes = [finding["code"] for finding in result.json()["findings"]]
    assert codes == ["lifetime-too-long", "aud-missing"]
    assert "longer than 10 min" in result.json()["findings"][0]["message"]


def test_lint_zero_max_lifetime(call_main: CallMain) -> None:
    result = call_main("lint", "--max-lifetime", "0", TUTORIAL_TOKEN)

    assert result.status == 2
    assert "--max-lifetime '0' must be greater than zero" in result.stderr


def test_lint_token_from_stdin(call_main: CallMain) -> None:
    result = call_main("lint", "--json", stdin=TUTORIAL_TOKEN + "\n")

    assert result.json()["findings"][0]["code"] == "known-secret"


def test_lint_secret_option(call_main: CallMain) -> None:
    token = jwtkit.encode(
        {"iss": "i", "aud": "a"}, Key.from_secret(b"0123456789"), "HS256", allow_weak_key=True
    )

    result = call_main("lint", "--json", "--secret", "0123456789", token)

    codes = [finding["code"] for finding in result.json()["findings"]]
    assert codes == ["short-hmac-secret", "exp-missing"]
    assert "0123456789" not in result.stdout


def test_lint_key_file(call_main: CallMain, tmp_path: Path) -> None:
    small = Key.from_cryptography(rsa.generate_private_key(public_exponent=65537, key_size=1024))
    path = tmp_path / "small.pem"
    path.write_bytes(small.public_key().to_pem())

    result = call_main("lint", "--json", "--key", str(path), TUTORIAL_TOKEN)

    codes = [finding["code"] for finding in result.json()["findings"]]
    assert "rsa-key-too-small" in codes


def test_lint_jwks_file(call_main: CallMain, tmp_path: Path) -> None:
    path = tmp_path / "jwks.json"
    secret_jwk = Key.from_secret(b"short", kid="a").to_jwk(private=True)
    path.write_text(json.dumps({"keys": [secret_jwk]}))

    result = call_main("lint", "--json", "--jwks", str(path), TUTORIAL_TOKEN)

    codes = [finding["code"] for finding in result.json()["findings"]]
    assert "short-hmac-secret" in codes


def test_lint_key_options_exclusive(call_main: CallMain) -> None:
    result = call_main("lint", "--secret", "a", "--jwks", "x.json", TUTORIAL_TOKEN)

    assert result.status == 2
    assert "not allowed with argument" in result.stderr


def test_lint_malformed_token(call_main: CallMain) -> None:
    result = call_main("lint", "not-a-token")

    assert result.status == 1
    assert result.stderr.startswith("jwtkit: malformed_token: ")


def test_lint_malformed_token_json(call_main: CallMain) -> None:
    result = call_main("lint", "--json", "not-a-token")

    assert result.status == 1
    assert result.json()["error"]["code"] == "malformed_token"


# -- serve ----------------------------------------------------------------------------


def start_serve(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC_DIR), env.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, "-m", "jwtkit", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.fixture
def served() -> Iterator[tuple[subprocess.Popen[str], str]]:
    process = start_serve("--no-browser", "--port", "0")
    try:
        line = process.stdout.readline() if process.stdout else ""
        match = URL_LINE.search(line)
        assert match is not None, f"no URL in the first line {line!r}"
        yield process, match.group(1)
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_serve_prints_url_and_serves_page(served: tuple[subprocess.Popen[str], str]) -> None:
    _, url = served

    response = httpx.get(url, timeout=60)

    assert response.status_code == 200
    assert "<title>jwtkit debugger</title>" in response.text


def test_serve_port_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = run_jwtkit("serve", "--no-browser", "--port", str(port))

    assert result.status == 2
    assert result.stderr.startswith(f"jwtkit: usage_error: cannot listen on 127.0.0.1:{port}: ")
    assert "choose another port, or 0 for any free port" in result.stderr


def test_serve_port_out_of_range(call_main: CallMain) -> None:
    result = call_main("serve", "--no-browser", "--port", "70000")

    assert result.status == 2
    assert "port 70000 is out of range" in result.stderr
