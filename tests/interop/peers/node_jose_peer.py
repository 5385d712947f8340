"""The npm package ``jose``, driven through tests/interop/node/driver.mjs."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any, ClassVar

from tests.interop.cases import AlgorithmCase
from tests.interop.peers.base import Peer, describe_error

NODE_DIR = Path(__file__).resolve().parent.parent / "node"
DRIVER = NODE_DIR / "driver.mjs"
JOSE_PACKAGE = NODE_DIR / "node_modules" / "jose" / "package.json"


class NodeError(Exception):
    """An error that jose (or the Node runtime under it) raised inside the driver."""

    def __init__(self, name: str, code: str | None, message: str) -> None:
        super().__init__(message)
        self.error_name = name
        self.code = code


class NodeDriver:
    """One ``node driver.mjs`` process: one JSON request line in, one response line out."""

    def __init__(self) -> None:
        # The driver writes to stderr only when it crashes, which is when
        # the pipe is read, so the pipe cannot fill up and block it.
        self._process = subprocess.Popen(
            ["node", str(DRIVER)],
            cwd=NODE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self._next_id = 0

    def call(self, op: str, **arguments: Any) -> Any:
        """Send one request and return its result; raise ``NodeError`` for jose's errors."""
        assert self._process.stdin is not None and self._process.stdout is not None
        self._next_id += 1
        request = {"id": self._next_id, "op": op, **arguments}
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()

        line = self._process.stdout.readline()
        if not line:
            raise RuntimeError(f"the Node driver exited without answering {op}: {self._errors()}")
        response = json.loads(line)
        assert response["id"] == self._next_id, f"the Node driver answered out of order: {line}"
        if not response["ok"]:
            error = response["error"]
            raise NodeError(error["name"], error["code"], error["message"])
        return response["result"]

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait()
        for stream in (self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()

    def _errors(self) -> str:
        assert self._process.stderr is not None
        return self._process.stderr.read().strip() or "(no stderr output)"


class NodeJosePeer(Peer):
    name: ClassVar[str] = "jose (Node)"
    test_id: ClassVar[str] = "node-jose"
    # jose maps EdDSA to WebCrypto's Ed25519 only and has no secp256k1 curve.
    lacks: ClassVar[frozenset[str]] = frozenset({"ES256K", "EdDSA-Ed448"})
    key_set_note: ClassVar[str | None] = (
        'jose cannot export a JWK Set, so its exportJWK output is gathered under "keys"; '
        "createLocalJWKSet selects by kid"
    )

    def __init__(self) -> None:
        super().__init__()
        self._driver: NodeDriver | None = None

    def available(self) -> bool:
        return shutil.which("node") is not None and JOSE_PACKAGE.is_file()

    def version(self) -> str:
        version: str = json.loads(JOSE_PACKAGE.read_text(encoding="utf-8"))["version"]
        return version

    def node_version(self) -> str:
        completed = subprocess.run(
            ["node", "--version"], capture_output=True, text=True, check=True
        )
        return completed.stdout.strip().removeprefix("v")

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    @property
    def driver(self) -> NodeDriver:
        if self._driver is None:
            self._driver = NodeDriver()
        return self._driver

    def import_key(self, case: AlgorithmCase, form: str, material: Any, *, private: bool) -> Any:
        if form == "secret":
            material = _b64url(material)
        return self.driver.call(
            "import", alg=case.alg, form=form, material=material, private=private
        )["handle"]

    def make_key(self, case: AlgorithmCase) -> Any:
        curve = case.curve if case.kty == "OKP" else None
        return self.driver.call("generate", alg=case.alg, crv=curve)["handle"]

    def export_key(self, case: AlgorithmCase, key: Any, form: str, *, private: bool) -> Any:
        exported = self.driver.call("export", handle=key, form=form, private=private)
        if form == "secret":
            return base64.urlsafe_b64decode(exported + "=" * (-len(exported) % 4))
        return exported

    def sign(
        self, case: AlgorithmCase, key: Any, claims: dict[str, Any], *, kid: str | None = None
    ) -> str:
        token: str = self.driver.call("sign", handle=key, alg=case.alg, claims=claims, kid=kid)
        return token

    def verify(self, case: AlgorithmCase, key: Any, token: str, *, audience: str) -> dict[str, Any]:
        claims: dict[str, Any] = self.driver.call(
            "verify", handle=key, alg=case.alg, token=token, audience=audience
        )
        return claims

    def export_key_set(self, entries: list[tuple[AlgorithmCase, Any, str]]) -> dict[str, Any]:
        keys = [
            {**self.export_key(case, key, "jwk", private=False), "kid": kid}
            for case, key, kid in entries
        ]
        return {"keys": keys}

    def verify_with_key_set(
        self, case: AlgorithmCase, jwks: dict[str, Any], token: str, *, audience: str
    ) -> dict[str, Any]:
        claims: dict[str, Any] = self.driver.call(
            "verify_set", jwks=jwks, alg=case.alg, token=token, audience=audience
        )
        return claims

    def confirm_gap(self, case: AlgorithmCase) -> str:
        curve = case.curve if case.kty == "OKP" else None
        try:
            self.driver.call("generate", alg=case.alg, crv=curve)
        except NodeError as exc:
            assert exc.error_name == "JOSENotSupported", f"jose failed otherwise: {exc}"
            return describe_error(exc)
        raise AssertionError(f"jose generates {case.label} keys after all; remove the gap")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
