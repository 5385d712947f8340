"""`import jwtkit` loads only what every application needs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _modules_after(statement: str) -> set[str]:
    script = f"import sys\n{statement}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return set(json.loads(output.splitlines()[-1]))


def test_import_loads_no_cryptography_or_typing() -> None:
    loaded = _modules_after("import jwtkit")

    assert not {name for name in loaded if name.startswith("cryptography")}
    assert "typing" not in loaded
    assert "dataclasses" not in loaded


def test_hmac_round_trip_loads_no_cryptography() -> None:
    loaded = _modules_after(
        "import jwtkit\n"
        "key = jwtkit.Key.from_secret(b'k' * 32)\n"
        "token = jwtkit.encode({'sub': 'a'}, key, 'HS256')\n"
        "jwtkit.decode(token, key, algorithms=['HS256'])"
    )

    assert not {name for name in loaded if name.startswith("cryptography")}


@pytest.mark.parametrize("name", ["RSAKey", "ECKey", "OKPKey"])
def test_key_kinds_load_on_access(name: str) -> None:
    loaded = _modules_after(f"import jwtkit\njwtkit.{name}")

    assert "cryptography.hazmat.primitives.asymmetric" in loaded


def test_json_serialization_loads_on_access() -> None:
    before = _modules_after("import jwtkit")
    after = _modules_after("import jwtkit\njwtkit.jws.verify_json")

    assert "jwtkit.jws.json_verify" not in before
    assert "jwtkit.jws.json_verify" in after
