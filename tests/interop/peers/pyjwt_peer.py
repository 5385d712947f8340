"""PyJWT as an interoperability peer."""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from tests.interop.cases import AlgorithmCase, cryptography_key, pkcs8_pem, spki_pem
from tests.interop.peers.base import Peer

# A missing package leaves this module importable: available() is then False,
# and require() skips the peer's tests, or fails them under CI.
with contextlib.suppress(ImportError):
    import jwt


class PyJWTPeer(Peer):
    name: ClassVar[str] = "PyJWT"
    test_id: ClassVar[str] = "pyjwt"
    distribution: ClassVar[str] = "PyJWT"
    own_key_note: ClassVar[str | None] = (
        "PyJWT cannot generate keys, so its key is made by cryptography and loaded with "
        "PyJWT's prepare_key"
    )
    pem_export_note: ClassVar[str | None] = (
        "PyJWT cannot export PEM, so cryptography serializes PyJWT's key object"
    )
    key_set_note: ClassVar[str | None] = (
        'PyJWT cannot export a JWK Set, so its to_jwk output is gathered under "keys"; '
        "PyJWKSet looks the kid up"
    )

    def import_key(self, case: AlgorithmCase, form: str, material: Any, *, private: bool) -> Any:
        if form == "jwk":
            return jwt.PyJWK(material, algorithm=case.alg)
        return material

    def make_key(self, case: AlgorithmCase) -> Any:
        algorithm = jwt.get_algorithm_by_name(case.alg)
        generated = cryptography_key(case.id)
        if case.kty == "oct":
            return algorithm.prepare_key(generated)
        return algorithm.prepare_key(pkcs8_pem(generated))

    def export_key(self, case: AlgorithmCase, key: Any, form: str, *, private: bool) -> Any:
        if case.kty != "oct" and not private:
            key = key.public_key()
        if form == "jwk":
            return jwt.get_algorithm_by_name(case.alg).to_jwk(key, as_dict=True)
        if form == "pem":
            return pkcs8_pem(key) if private else spki_pem(key)
        return key

    def sign(
        self, case: AlgorithmCase, key: Any, claims: dict[str, Any], *, kid: str | None = None
    ) -> str:
        headers = {"kid": kid} if kid is not None else None
        return jwt.encode(claims, key, algorithm=case.alg, headers=headers)

    def verify(self, case: AlgorithmCase, key: Any, token: str, *, audience: str) -> dict[str, Any]:
        if hasattr(key, "private_bytes"):
            key = key.public_key()
        claims: dict[str, Any] = jwt.decode(token, key, algorithms=[case.alg], audience=audience)
        return claims

    def export_key_set(self, entries: list[tuple[AlgorithmCase, Any, str]]) -> dict[str, Any]:
        keys = []
        for case, key, kid in entries:
            jwk = self.export_key(case, key, "jwk", private=False)
            keys.append({**jwk, "kid": kid})
        return {"keys": keys}

    def verify_with_key_set(
        self, case: AlgorithmCase, jwks: dict[str, Any], token: str, *, audience: str
    ) -> dict[str, Any]:
        key_set = jwt.PyJWKSet.from_dict(jwks)
        key = key_set[jwt.get_unverified_header(token)["kid"]]
        return self.verify(case, key, token, audience=audience)
