"""jwcrypto as an interoperability peer."""

from __future__ import annotations

import contextlib
import json
from typing import Any, ClassVar

from tests.interop.cases import AlgorithmCase
from tests.interop.peers.base import Peer

# A missing package leaves this module importable: available() is then False,
# and require() skips the peer's tests, or fails them under CI.
with contextlib.suppress(ImportError):
    from jwcrypto import jwk, jwt
    from jwcrypto.common import base64url_decode, base64url_encode


class JwcryptoPeer(Peer):
    name: ClassVar[str] = "jwcrypto"
    test_id: ClassVar[str] = "jwcrypto"
    distribution: ClassVar[str] = "jwcrypto"

    def import_key(self, case: AlgorithmCase, form: str, material: Any, *, private: bool) -> Any:
        if form == "jwk":
            return jwk.JWK(**material)
        if form == "pem":
            return jwk.JWK.from_pem(material.encode("ascii"))
        # jwcrypto takes a secret only as the "k" member of an oct JWK.
        return jwk.JWK(kty="oct", k=base64url_encode(material))

    def make_key(self, case: AlgorithmCase) -> Any:
        if case.kty in ("oct", "RSA"):
            return jwk.JWK.generate(kty=case.kty, size=case.size)
        return jwk.JWK.generate(kty=case.kty, crv=case.curve)

    def export_key(self, case: AlgorithmCase, key: Any, form: str, *, private: bool) -> Any:
        if case.kty == "oct":
            members: dict[str, Any] = key.export_symmetric(as_dict=True)
            return members if form == "jwk" else base64url_decode(members["k"])
        if form == "jwk":
            exported: dict[str, Any] = (
                key.export_private(as_dict=True) if private else key.export_public(as_dict=True)
            )
            return exported
        pem: bytes = key.export_to_pem(private_key=private, password=None)
        return pem.decode("ascii")

    def sign(
        self, case: AlgorithmCase, key: Any, claims: dict[str, Any], *, kid: str | None = None
    ) -> str:
        header = {"alg": case.alg, "typ": "JWT"}
        if kid is not None:
            header["kid"] = kid
        token = jwt.JWT(header=header, claims=claims)
        token.make_signed_token(key)
        serialized: str = token.serialize()
        return serialized

    def verify(self, case: AlgorithmCase, key: Any, token: str, *, audience: str) -> dict[str, Any]:
        # Once check_claims is given, jwcrypto 1.6 checks only the claims it
        # lists, so exp and nbf are listed (None means "against the clock").
        # That also makes them required, which every token in these tests meets.
        expected = {"aud": audience, "exp": None, "nbf": None}
        verified = jwt.JWT(jwt=token, key=key, algs=[case.alg], check_claims=expected)
        claims: dict[str, Any] = json.loads(verified.claims)
        return claims

    def export_key_set(self, entries: list[tuple[AlgorithmCase, Any, str]]) -> dict[str, Any]:
        key_set = jwk.JWKSet()
        for _, key, kid in entries:
            key_set.add(jwk.JWK(**{**key.export_public(as_dict=True), "kid": kid}))
        exported: dict[str, Any] = key_set.export(private_keys=False, as_dict=True)
        return exported

    def verify_with_key_set(
        self, case: AlgorithmCase, jwks: dict[str, Any], token: str, *, audience: str
    ) -> dict[str, Any]:
        key_set = jwk.JWKSet.from_json(json.dumps(jwks))
        return self.verify(case, key_set, token, audience=audience)
