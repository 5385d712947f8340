"""Run the ``jwtkit`` command as a subprocess or through ``main()``, and key files to give it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from jwtkit import Key
from jwtkit.cli import main

SRC_DIR = Path(__file__).resolve().parents[2] / "src"

# The token of a widely copied tutorial: HS256 with the secret "secret", and an
# exp claim that is the string "2019-02-14" instead of a NumericDate.
TUTORIAL_TOKEN = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJleHAiOiIyMDE5LTAyLTE0IiwibWVzc2FnZSI6InJvc2VzIGFyZSByZWQifQ."
    "0u-mkgLo5479CPjJJ4mXCwn2RW4dFT12fiYiopRWsZw"
)

# A fixed clock for every test that signs or verifies time claims.
NOW = 1_700_000_000


@dataclass(frozen=True)
class Result:
    """What one run of the command produced."""

    status: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_jwtkit(*args: str, stdin: str | bytes = b"", cwd: Path | None = None) -> Result:
    """Run ``python -m jwtkit`` from this checkout as a separate process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC_DIR), env.get("PYTHONPATH")]))
    # A UTF-8 terminal's strict encoding, which the C locale would relax to
    # surrogateescape and so hide output that a usual terminal cannot print.
    env["PYTHONIOENCODING"] = "utf-8:strict"
    completed = subprocess.run(
        [sys.executable, "-m", "jwtkit", *args],
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )
    return Result(
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8"),
    )


CallMain = Callable[..., Result]


@pytest.fixture
def call_main(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> CallMain:
    """Return a function that runs ``jwtkit.cli.main`` in this process with the given stdin."""

    def call(*args: str, stdin: str | bytes = b"") -> Result:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        capsys.readouterr()
        try:
            status = main(list(args))
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 2
        captured = capsys.readouterr()
        return Result(status, captured.out, captured.err)

    return call


@dataclass(frozen=True)
class KeyFiles:
    """One key written to disk in the forms the command reads."""

    key: Key
    private_pem: Path
    public_pem: Path
    private_jwk: Path
    public_jwk: Path


def write_key_files(directory: Path, name: str, key: Key) -> KeyFiles:
    """Write a key as private and public PEM and JWK files named after ``name``."""
    files = KeyFiles(
        key=key,
        private_pem=directory / f"{name}.private.pem",
        public_pem=directory / f"{name}.pem",
        private_jwk=directory / f"{name}.private.jwk",
        public_jwk=directory / f"{name}.jwk",
    )
    files.private_pem.write_bytes(key.to_pem(private=True))
    files.public_pem.write_bytes(key.to_pem())
    files.private_jwk.write_text(json.dumps(key.to_jwk(private=True)))
    files.public_jwk.write_text(json.dumps(key.public_key().to_jwk()))
    return files


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-keys")


@pytest.fixture(scope="session")
def ec_key(key_dir: Path) -> KeyFiles:
    return write_key_files(key_dir, "ec", Key.generate("EC", curve="P-256", kid="ec-1"))


@pytest.fixture(scope="session")
def rsa_key(key_dir: Path) -> KeyFiles:
    return write_key_files(key_dir, "rsa", Key.generate("RSA", size=2048, kid="rsa-1"))


@pytest.fixture(scope="session")
def ed25519_key(key_dir: Path) -> KeyFiles:
    return write_key_files(key_dir, "ed25519", Key.generate("OKP", curve="Ed25519"))


# A 32-byte HMAC secret, as long as HS256 requires.
HMAC_SECRET = "cli-test-secret-of-32-bytes-long"


@pytest.fixture(scope="session")
def secret_file(key_dir: Path) -> Path:
    path = key_dir / "secret.txt"
    path.write_text(HMAC_SECRET + "\n")
    return path
