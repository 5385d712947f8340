"""The command as a whole: entry points, top-level usage and what ``import jwtkit`` loads."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import jwtkit
from tests.cli.conftest import SRC_DIR, CallMain, run_jwtkit
from tests.conftest import require


def test_module_entry_point_version() -> None:
    result = run_jwtkit("--version")

    assert result.status == 0
    assert result.stdout == f"jwtkit {jwtkit.__version__}\n"


def test_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "jwtkit"
    require(script.is_file(), f"the jwtkit console script at {script}")

    result = subprocess.run(
        [str(script), "keygen", "--alg", "HS256"],
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert b'"kty": "oct"' in result.stdout


def test_no_command_is_usage_error(call_main: CallMain) -> None:
    result = call_main()

    assert result.status == 2
    assert "the following arguments are required: COMMAND" in result.stderr


def test_unknown_option_is_usage_error(call_main: CallMain) -> None:
    result = call_main("verify", "--algorithm", "HS256")

    assert result.status == 2
    assert "unrecognized arguments: --algorithm" in result.stderr


def test_help_of_every_command(call_main: CallMain) -> None:
    for command in ("encode", "decode", "verify", "keygen", "thumbprint"):
        result = call_main(command, "--help")
        assert result.status == 0
        assert result.stdout.startswith(f"usage: jwtkit {command}")


def test_help_prefers_secret_file(call_main: CallMain, monkeypatch: pytest.MonkeyPatch) -> None:
    # A wide terminal keeps argparse from breaking "--secret-file" at its hyphen.
    monkeypatch.setenv("COLUMNS", "200")

    result = call_main("verify", "--help")

    assert "prefer --secret-file" in result.stdout
    assert "exit status: 0 when the token is valid, 1 when it is invalid" in result.stdout


def test_import_jwtkit_skips_cli() -> None:
    code = (
        "import sys, jwtkit; "
        "print(sorted(name for name in sys.modules if name.startswith('jwtkit.cli')))"
    )
    env = dict(os.environ, PYTHONPATH=str(SRC_DIR))

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env=env, timeout=120, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == b"[]\n"


@pytest.mark.parametrize(
    ("command", "statuses"),
    [
        ([], "exit status: 0 on success, 1 when a token is invalid or could not be checked"),
        (["encode"], "exit status: 0 when the token is printed, 2 for a usage error"),
        (["decode"], "exit status: 0 when the token is decoded, 1 when it is malformed"),
        (
            ["verify"],
            "exit status: 0 when the token is valid, 1 when it is invalid or could not be "
            "checked because the --jwks-url key set could not be fetched, 2 for a usage error",
        ),
        (["keygen"], "exit status: 0 when the key is generated, 2 for a usage error"),
        (["thumbprint"], "exit status: 0 when the thumbprint is printed, 2 for a usage error"),
        (
            ["jwks", "fetch"],
            "exit status: 0 when the JWK Set is fetched, 1 when it could not be fetched, 2 for "
            "a usage error",
        ),
    ],
)
def test_help_documents_exit_status(
    call_main: CallMain, monkeypatch: pytest.MonkeyPatch, command: list[str], statuses: str
) -> None:
    monkeypatch.setenv("COLUMNS", "400")

    result = call_main(*command, "--help")

    assert result.status == 0
    assert statuses in " ".join(result.stdout.split())


def test_help_of_thumbprint_names_no_secret_option(call_main: CallMain) -> None:
    result = call_main("thumbprint", "--help")

    assert "--secret" not in result.stdout


@pytest.mark.parametrize("command", ["encode", "verify"])
def test_help_now_is_an_instant(
    call_main: CallMain, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    # --now takes a fixed instant, not the offsets that TIME allows for --exp.
    monkeypatch.setenv("COLUMNS", "200")

    result = call_main(command, "--help")

    assert "--now INSTANT" in result.stdout
    assert "--now TIME" not in result.stdout


def test_help_key_sources_name_keygen_output(
    call_main: CallMain, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")

    thumbprint = " ".join(call_main("thumbprint", "--help").stdout.split())
    verify = " ".join(call_main("verify", "--help").stdout.split())

    assert "or the JSON that 'jwtkit keygen' prints; '-' reads it from stdin" in thumbprint
    assert "text before the PEM block is skipped" in verify
    assert "or the JSON that 'jwtkit keygen' prints" in verify
    assert "PEM, OpenSSH, DER and JWK keys are rejected; pass them with --key" in verify


def test_help_thumbprint_description_wrapped(call_main: CallMain) -> None:
    result = call_main("thumbprint", "--help")

    assert max(len(line) for line in result.stdout.splitlines()) <= 100
