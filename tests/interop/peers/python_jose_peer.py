"""python-jose as an interoperability peer."""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar

from tests.interop.cases import AlgorithmCase, cryptography_key, pkcs8_pem
from tests.interop.peers.base import Peer

# A missing package leaves this module importable: available() is then False,
# and require() skips the peer's tests, or fails them under CI.
with contextlib.suppress(ImportError):
    from jose import jwk, jws, jwt
    from jose.exceptions import JWKError, JWSError


class PythonJosePeer(Peer):
    name: ClassVar[str] = "python-jose"
    test_id: ClassVar[str] = "python-jose"
    distribution: ClassVar[str] = "python-jose"
    lacks: ClassVar[frozenset[str]] = frozenset(
        {"PS256", "PS384", "PS512", "ES256K", "EdDSA-Ed25519", "EdDSA-Ed448"}
    )
    key_set_note: ClassVar[str | None] = (
        "python-jose cannot export a JWK Set, so its to_dict output is gathered under "
        '"keys"; on import it tries every key in the set instead of selecting by kid'
    )
    # python-jose 3.5 builds a key from each set member for the token's alg
    # before trying it, and a member of another kty raises out of the loop.
    lacks_mixed_key_sets: ClassVar[bool] = True
    own_key_note: ClassVar[str | None] = (
        "python-jose cannot generate keys, so its key is made by cryptography and loaded with "
        "python-jose's jwk.construct"
    )

    def import_key(self, case: AlgorithmCase, form: str, material: Any, *, private: bool) -> Any:
        return jwk.construct(material, case.alg)

    def make_key(self, case: AlgorithmCase) -> Any:
        generated = cryptography_key(case.id)
        if case.kty == "oct":
            return jwk.construct(generated, case.alg)
        return jwk.construct(pkcs8_pem(generated), case.alg)

    def export_key(self, case: AlgorithmCase, key: Any, form: str, *, private: bool) -> Any:
        if case.kty == "oct":
            if form == "jwk":
                members: dict[str, Any] = key.to_dict()
                return members
            secret: bytes = key.prepared_key
            return secret
        if not private:
            key = key.public_key()
        if form == "jwk":
            exported: dict[str, Any] = key.to_dict()
            return exported
        # Private RSA keys come out as PKCS#8, private EC keys as SEC1.
        pem: bytes = key.to_pem()
        return pem.decode("ascii")

    def sign(
        self, case: AlgorithmCase, key: Any, claims: dict[str, Any], *, kid: str | None = None
    ) -> str:
        headers = {"kid": kid} if kid is not None else None
        token: str = jwt.encode(claims, key, algorithm=case.alg, headers=headers)
        return token

    def verify(self, case: AlgorithmCase, key: Any, token: str, *, audience: str) -> dict[str, Any]:
        if case.kty != "oct" and not key.is_public():
            key = key.public_key()
        claims: dict[str, Any] = jwt.decode(token, key, algorithms=[case.alg], audience=audience)
        return claims

    def export_key_set(self, entries: list[tuple[AlgorithmCase, Any, str]]) -> dict[str, Any]:
        keys = [{**key.public_key().to_dict(), "kid": kid} for _, key, kid in entries]
        return {"keys": keys}

    def verify_with_key_set(
        self, case: AlgorithmCase, jwks: dict[str, Any], token: str, *, audience: str
    ) -> dict[str, Any]:
        claims: dict[str, Any] = jwt.decode(token, jwks, algorithms=[case.alg], audience=audience)
        return claims

    def confirm_key_set_gap(self, cases: list[AlgorithmCase]) -> str:
        entries = [(case, self.own_key(case), case.id) for case in cases]
        jwks = self.export_key_set(entries)
        case, key, kid = next(entry for entry in entries if entry[0].kty != cases[0].kty)
        token = self.sign(case, key, {"aud": "api"}, kid=kid)
        try:
            self.verify_with_key_set(case, jwks, token, audience="api")
        except JWKError as exc:
            assert "Incorrect key type" in str(exc), f"python-jose failed otherwise: {exc}"
            return f"JWKError: {exc}"
        raise AssertionError("python-jose verifies with a mixed JWK Set after all; remove the gap")

    def confirm_gap(self, case: AlgorithmCase) -> str:
        generated = cryptography_key(case.id)
        try:
            jws.sign(b"{}", pkcs8_pem(generated), algorithm=case.alg)
        except JWSError as exc:
            assert "not supported" in str(exc), f"python-jose failed otherwise: {exc}"
            return f"JWSError: {exc}"
        raise AssertionError(f"python-jose signs with {case.label} after all; remove the gap")
