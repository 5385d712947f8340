"""RFC 7515 Appendix A.1 to A.4: the JWS examples, verified and, where deterministic, re-signed.

The keys and tokens are literals copied from the RFC text. One test compares
them with the published vector files, to catch a typing mistake.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import jwtkit
from jwtkit import Key, jws
from jwtkit._encoding import b64url_decode, b64url_encode
from jwtkit.errors import ExpiredTokenError, InvalidSignatureError, MalformedTokenError
from jwtkit.jwa import SIGNATURE_ALGORITHMS

# The claims set shared by A.1, A.2 and A.3 (also the JWT of RFC 7519 §3.1).
# Its exact bytes, CRLF line breaks included, are what was signed.
CLAIMS_BYTES = b'{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}'
CLAIMS = {"iss": "joe", "exp": 1300819380, "http://example.com/is_root": True}
BEFORE_EXP = 1300819379

# RFC 7515 A.1.1: the HMAC key and the protected header {"typ":"JWT",CRLF "alg":"HS256"}.
A1_JWK = {
    "kty": "oct",
    "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
}
A1_HEADER_BYTES = b'{"typ":"JWT",\r\n "alg":"HS256"}'
# RFC 7515 A.1.1: the complete JWS Compact Serialization.
A1_TOKEN = (
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)

# RFC 7515 A.2.1: the RSA key. The protected header is {"alg":"RS256"}.
A2_JWK = {
    "kty": "RSA",
    "n": (
        "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEz"
        "P1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf6"
        "3kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5Zw"
        "Kh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRW"
        "yuXpoQ"
    ),
    "e": "AQAB",
    "d": (
        "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7Y"
        "wVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3M"
        "kqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1Zd"
        "iYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRu"
        "OopznQ"
    ),
    "p": (
        "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB"
        "0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDw"
        "GUc"
    ),
    "q": (
        "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul"
        "7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9R"
        "Wdc"
    ),
    "dp": (
        "BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz"
        "-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAd"
        "Yo0"
    ),
    "dq": (
        "h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3"
        "Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIi"
        "THU"
    ),
    "qi": (
        "IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3"
        "ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFku"
        "Q3U"
    ),
}
# RFC 7515 A.2.1: the complete JWS Compact Serialization.
A2_TOKEN = (
    "eyJhbGciOiJSUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5"
    "jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1"
    "L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYE"
    "UipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
)

# RFC 7515 A.3.1: the P-256 key. The protected header is {"alg":"ES256"}.
A3_JWK = {
    "kty": "EC",
    "crv": "P-256",
    "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
    "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
    "d": "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI",
}
# RFC 7515 A.3.1: the complete JWS Compact Serialization.
A3_TOKEN = (
    "eyJhbGciOiJFUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
)

# RFC 7515 A.4.1: the P-521 key. The protected header is {"alg":"ES512"}, and the
# payload is the ASCII text "Payload".
A4_JWK = {
    "kty": "EC",
    "crv": "P-521",
    "x": "AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk",
    "y": "ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2",
    "d": "AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C",
}
# RFC 7515 A.4.1: the complete JWS Compact Serialization.
A4_TOKEN = (
    "eyJhbGciOiJFUzUxMiJ9"
    ".UGF5bG9hZA"
    ".AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8Ga"
    "SwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn"
)

EXAMPLES = [
    pytest.param("A.1", A1_JWK, A1_TOKEN, "HS256", CLAIMS_BYTES, id="A.1-HS256"),
    pytest.param("A.2", A2_JWK, A2_TOKEN, "RS256", CLAIMS_BYTES, id="A.2-RS256"),
    pytest.param("A.3", A3_JWK, A3_TOKEN, "ES256", CLAIMS_BYTES, id="A.3-ES256"),
    pytest.param("A.4", A4_JWK, A4_TOKEN, "ES512", b"Payload", id="A.4-ES512"),
]


def verification_key(jwk: dict[str, str]) -> Key:
    key = Key.from_jwk(jwk)
    return key if key.kty == "oct" else key.public_key()


@pytest.mark.parametrize(("section", "jwk", "token", "algorithm", "payload"), EXAMPLES)
def test_example_verifies(
    section: str, jwk: dict[str, str], token: str, algorithm: str, payload: bytes
) -> None:
    verified = jws.verify_compact(token, verification_key(jwk), algorithms=[algorithm])

    assert verified.protected["alg"] == algorithm
    assert verified.payload == payload


@pytest.mark.parametrize(("section", "jwk", "token", "algorithm", "payload"), EXAMPLES)
def test_example_rejects_other_key(
    section: str, jwk: dict[str, str], token: str, algorithm: str, payload: bytes
) -> None:
    key = Key.from_jwk(jwk)
    params = {"curve": key.crv} if key.kty == "EC" else {"size": key.size}  # type: ignore[attr-defined]
    other = Key.generate(key.kty, **params)

    with pytest.raises(InvalidSignatureError):
        jws.verify_compact(
            token, verification_key(other.to_jwk(private=True)), algorithms=[algorithm]
        )


@pytest.mark.parametrize(("section", "jwk", "token", "algorithm", "payload"), EXAMPLES)
def test_example_resigned_verifies(
    section: str, jwk: dict[str, str], token: str, algorithm: str, payload: bytes
) -> None:
    key = Key.from_jwk(jwk)

    signed = jws.sign_compact(payload, key, algorithm)

    assert jws.verify_compact(signed, verification_key(jwk), algorithms=[algorithm]).payload == (
        payload
    )


def test_a1_header_bytes() -> None:
    header_part = A1_TOKEN.split(".")[0]

    assert b64url_decode(header_part, "header") == A1_HEADER_BYTES
    assert b64url_encode(A1_HEADER_BYTES) == header_part


def test_a1_resigned_byte_for_byte() -> None:
    # jwtkit writes its own header, so A.1's CRLF header is signed at the
    # algorithm level over the RFC's signing input.
    key = Key.from_jwk(A1_JWK)
    header_part, payload_part, _ = A1_TOKEN.split(".")
    signing_input = f"{header_part}.{payload_part}".encode("ascii")

    signature = SIGNATURE_ALGORITHMS["HS256"].sign(key.signing_key, signing_input)

    assert f"{header_part}.{payload_part}.{b64url_encode(signature)}" == A1_TOKEN


def test_a2_resigned_byte_for_byte() -> None:
    # RSASSA-PKCS1-v1_5 is deterministic, and jwtkit's header for RS256 without
    # a kid is exactly {"alg":"RS256"}.
    token = jws.sign_compact(CLAIMS_BYTES, Key.from_jwk(A2_JWK), "RS256")

    assert token == A2_TOKEN


@pytest.mark.parametrize(
    ("token", "key"), [(A1_TOKEN, A1_JWK), (A2_TOKEN, A2_JWK), (A3_TOKEN, A3_JWK)]
)
def test_example_claims_decode(token: str, key: dict[str, str]) -> None:
    algorithm = jwtkit.decode_unverified(token).header["alg"]

    claims = jwtkit.decode(
        token, verification_key(key), algorithms=[algorithm], issuer="joe", now=BEFORE_EXP
    )

    assert claims == CLAIMS


def test_a1_typ_matches() -> None:
    claims = jwtkit.decode(
        A1_TOKEN, A1_JWK, algorithms=["HS256"], typ="application/jwt", now=BEFORE_EXP
    )

    assert claims == CLAIMS


def test_example_claims_expired_today() -> None:
    with pytest.raises(ExpiredTokenError) as caught:
        jwtkit.decode(A1_TOKEN, A1_JWK, algorithms=["HS256"])

    assert caught.value.expired_at == 1300819380


def test_a4_payload_is_not_a_claims_set() -> None:
    with pytest.raises(MalformedTokenError) as caught:
        jwtkit.decode(A4_TOKEN, verification_key(A4_JWK), algorithms=["ES512"])

    assert "the token's claims is not valid JSON" in str(caught.value)


def test_a4_signature_is_fixed_width() -> None:
    # RFC 7518 §3.4: ES512 signatures are R || S, 66 octets each.
    assert len(b64url_decode(A4_TOKEN.split(".")[2], "signature")) == 132


@pytest.mark.parametrize(
    ("section", "jwk", "token"),
    [
        ("A.1", A1_JWK, A1_TOKEN),
        ("A.2", A2_JWK, A2_TOKEN),
        ("A.3", A3_JWK, A3_TOKEN),
        ("A.4", A4_JWK, A4_TOKEN),
    ],
)
def test_literals_match_vector_files(
    vectors_dir: Path, section: str, jwk: dict[str, str], token: str
) -> None:
    folder = vectors_dir / "latchset-jose" / "tests" / "vectors"

    assert json.loads((folder / f"rfc7515_{section}.jwk").read_text()) == jwk
    assert (folder / f"rfc7515_{section}.jwsc").read_text().strip() == token


def test_a1_header_matches_vector_file(vectors_dir: Path) -> None:
    path = vectors_dir / "erlang-jose" / "test" / "jose_SUITE_data" / "jws" / "a.1.1.jws+json"

    assert path.read_bytes().rstrip(b"\n") == A1_HEADER_BYTES
