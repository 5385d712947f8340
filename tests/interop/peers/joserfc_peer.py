"""joserfc as an interoperability peer."""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from tests.interop.cases import AlgorithmCase
from tests.interop.peers.base import Peer

# A missing package leaves this module importable: available() is then False,
# and require() skips the peer's tests, or fails them under CI.
with contextlib.suppress(ImportError):
    from joserfc import jwt
    from joserfc.jwk import ECKey, KeySet, OctKey, OKPKey, RSAKey, import_key


class JoserfcPeer(Peer):
    name: ClassVar[str] = "joserfc"
    test_id: ClassVar[str] = "joserfc"
    distribution: ClassVar[str] = "joserfc"

    def import_key(self, case: AlgorithmCase, form: str, material: Any, *, private: bool) -> Any:
        if form == "jwk":
            return import_key(material)
        if form == "pem":
            return import_key(material, case.kty)
        return OctKey.import_key(material)

    def make_key(self, case: AlgorithmCase) -> Any:
        if case.kty == "oct":
            return OctKey.generate_key(case.size)
        if case.kty == "RSA":
            return RSAKey.generate_key(case.size)
        if case.kty == "EC":
            return ECKey.generate_key(case.curve)
        return OKPKey.generate_key(case.curve)

    def export_key(self, case: AlgorithmCase, key: Any, form: str, *, private: bool) -> Any:
        if form == "jwk":
            return key.as_dict(private=private or case.kty == "oct")
        if form == "pem":
            pem: bytes = key.as_pem(private=private)
            return pem.decode("ascii")
        secret: bytes = key.raw_value
        return secret

    def sign(
        self, case: AlgorithmCase, key: Any, claims: dict[str, Any], *, kid: str | None = None
    ) -> str:
        header = {"alg": case.alg, "typ": "JWT"}
        if kid is not None:
            header["kid"] = kid
        # ES256K is outside joserfc's recommended set, so every call names the alg.
        return jwt.encode(header, claims, key, algorithms=[case.alg])

    def verify(self, case: AlgorithmCase, key: Any, token: str, *, audience: str) -> dict[str, Any]:
        decoded = jwt.decode(token, key, algorithms=[case.alg])
        registry = jwt.JWTClaimsRegistry(aud={"essential": True, "value": audience})
        registry.validate(decoded.claims)
        claims: dict[str, Any] = decoded.claims
        return claims

    def export_key_set(self, entries: list[tuple[AlgorithmCase, Any, str]]) -> dict[str, Any]:
        keys = [import_key({**key.as_dict(private=False), "kid": kid}) for _, key, kid in entries]
        exported: dict[str, Any] = KeySet(keys).as_dict(private=False)
        return exported

    def verify_with_key_set(
        self, case: AlgorithmCase, jwks: dict[str, Any], token: str, *, audience: str
    ) -> dict[str, Any]:
        return self.verify(case, KeySet.import_key_set(jwks), token, audience=audience)
