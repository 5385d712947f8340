"""One group of tests per security rule of jwtkit's design, each aimed at a naive implementation.

The rules, in order:

1. an explicit algorithm allow-list, and never 'none';
2. keys bound to their algorithm family and to their JWK alg, use and key_ops;
3. keys named by the token never trusted;
4. strict parsing;
5. crit lists only understood extensions;
6. fixed-width ECDSA signatures;
7. minimum key sizes;
8. type-checked registered claims;
9. constant-time comparison;
10. no key material in errors.
"""

from __future__ import annotations

import hmac
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

import jwtkit
from jwtkit import Key, KeySet, jws
from jwtkit.errors import (
    AlgorithmNotAllowedError,
    CriticalHeaderError,
    InvalidAudienceError,
    InvalidClaimError,
    InvalidIssuerError,
    InvalidKeyError,
    InvalidSignatureError,
    JWTError,
    KeyMismatchError,
    KeyNotFoundError,
    MalformedTokenError,
    UnsupportedAlgorithmError,
    UsageError,
    WeakKeyError,
)
from tests.security.conftest import NOW, Verify
from tests.security.forge import (
    assemble,
    b64,
    ecdsa_numbers,
    hmac_token,
    hmac_token_from_parts,
    sign,
    signing_input,
    with_signature,
)

CLAIMS = {"sub": "admin"}
SECRET = b"a shared secret of 32 bytes or more, used for HS256"


@pytest.fixture(scope="module")
def rsa_key() -> Key:
    return Key.generate("RSA", size=2048)


@pytest.fixture(scope="module")
def ec_key() -> Key:
    return Key.generate("EC", curve="P-256")


@pytest.fixture(scope="module")
def ed_key() -> Key:
    return Key.generate("OKP", curve="Ed25519")


# -- rule 1: an explicit allow-list, and 'none' never passes ---------------------------------

NONE_SPELLINGS = ["none", "None", "NONE", "nOnE", "noNe"]


@pytest.mark.parametrize("alg", NONE_SPELLINGS)
@pytest.mark.parametrize("signature", [b"", b"\x00" * 32], ids=["empty", "filler"])
def test_rule1_unsigned_token_never_passes(verify: Verify, alg: str, signature: bytes) -> None:
    token = assemble({"alg": alg, "typ": "JWT"}, CLAIMS, signature)

    with pytest.raises(AlgorithmNotAllowedError) as caught:
        verify(token, SECRET, ["HS256", "RS256", "ES256", "EdDSA"])

    assert caught.value.code == "algorithm_not_allowed"
    assert f"the token's alg is {alg!r}: it is unsigned" in str(caught.value)


@pytest.mark.parametrize("alg", NONE_SPELLINGS)
def test_rule1_none_cannot_be_allowed(alg: str) -> None:
    token = assemble({"alg": alg}, CLAIMS)

    with pytest.raises(UsageError) as from_decode:
        jwtkit.decode(token, SECRET, algorithms=["HS256", alg])
    with pytest.raises(UsageError):
        jwtkit.Verifier(SECRET, algorithms=[alg])
    with pytest.raises(UsageError):
        jws.verify_compact(token, SECRET, algorithms=[alg])

    assert "'none' cannot be allowed" in str(from_decode.value)


@pytest.mark.parametrize("alg", NONE_SPELLINGS)
def test_rule1_none_cannot_sign(alg: str) -> None:
    with pytest.raises(UnsupportedAlgorithmError):
        jwtkit.encode(CLAIMS, SECRET, alg)


def test_rule1_allow_list_is_required() -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, CLAIMS)

    with pytest.raises(TypeError):
        jwtkit.decode(token, SECRET)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        jwtkit.Verifier(SECRET)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        jws.verify_compact(token, SECRET)  # type: ignore[call-arg]


def test_rule1_token_cannot_choose_algorithm(verify: Verify) -> None:
    # A valid HS512 MAC, but the caller allows only HS256.
    token = hmac_token(SECRET * 2, {"alg": "HS512"}, CLAIMS, "HS512")

    with pytest.raises(AlgorithmNotAllowedError):
        verify(token, SECRET * 2, ["HS256"])


# -- rule 2: keys bound to their family, and to their JWK alg, use, key_ops ---------------------


def _public_forms(key: Key) -> dict[str, tuple[Any, bytes]]:
    """Ways a server may hold a public key, each with the bytes a naive HMAC would use."""
    public = key.public_key()
    pem = public.to_pem()
    der = public.verifying_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    jwk = public.to_jwk()
    jwk_text = json.dumps(jwk)
    return {
        "pem-str": (pem.decode(), pem),
        "pem-bytes": (pem, pem),
        "jwk-dict": (jwk, jwk_text.encode()),
        "jwk-text": (jwk_text, jwk_text.encode()),
        "der-bytes": (der, der),
        "key-object": (public, pem),
        "cryptography-object": (public.verifying_key, pem),
    }


SERVED = {"RSA": "RS256", "EC": "ES256", "OKP": "EdDSA"}
FORMS = [
    "pem-str",
    "pem-bytes",
    "jwk-dict",
    "jwk-text",
    "der-bytes",
    "key-object",
    "cryptography-object",
]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("kty", ["RSA", "EC", "OKP"])
def test_rule2_public_key_never_hmac_secret(
    verify: Verify, rsa_key: Key, ec_key: Key, ed_key: Key, kty: str, form: str
) -> None:
    key = {"RSA": rsa_key, "EC": ec_key, "OKP": ed_key}[kty]
    server_key, mac_bytes = _public_forms(key)[form]
    forged = hmac_token(mac_bytes, {"alg": "HS256", "typ": "JWT"}, CLAIMS)

    with pytest.raises(KeyMismatchError) as caught:
        verify(forged, server_key, ["HS256", SERVED[kty]])

    assert caught.value.code == "key_mismatch"
    assert "alg 'HS256' needs a secret (kty 'oct') key" in str(caught.value)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("kty", ["RSA", "EC", "OKP"])
def test_rule2_each_form_serves_its_own_alg(
    verify: Verify, rsa_key: Key, ec_key: Key, ed_key: Key, kty: str, form: str
) -> None:
    # The control for the test above: the same key forms do verify genuine tokens.
    key = {"RSA": rsa_key, "EC": ec_key, "OKP": ed_key}[kty]
    server_key, _ = _public_forms(key)[form]
    token = jwtkit.encode(CLAIMS, key, SERVED[kty])

    result = verify(token, server_key, ["HS256", SERVED[kty]])

    assert result is not None


def test_rule2_secret_never_asymmetric_key(verify: Verify, rsa_key: Key) -> None:
    token = jwtkit.encode(CLAIMS, rsa_key, "RS256")

    with pytest.raises(KeyMismatchError):
        verify(token, SECRET, ["RS256"])
    with pytest.raises(KeyMismatchError):
        verify(token, Key.from_secret(SECRET), ["RS256"])


def test_rule2_curve_bound_to_algorithm(verify: Verify) -> None:
    # secp256k1 and P-256 coordinates have the same width, so only the curve differs.
    k1 = Key.generate("EC", curve="secp256k1")
    token = jwtkit.encode(CLAIMS, k1, "ES256K")
    relabelled = assemble({"alg": "ES256"}, CLAIMS)
    r, s = ecdsa_numbers(k1.signing_key, "ES256K", signing_input(relabelled))
    relabelled = with_signature(relabelled, r.to_bytes(32, "big") + s.to_bytes(32, "big"))

    with pytest.raises(KeyMismatchError) as caught:
        verify(relabelled, k1.public_key(), ["ES256", "ES256K"])

    assert "needs an EC key on P-256, but the key's curve is secp256k1" in str(caught.value)
    assert verify(token, k1.public_key(), ["ES256", "ES256K"]) is not None


def test_rule2_x25519_cannot_verify_eddsa(verify: Verify, ed_key: Key) -> None:
    token = jwtkit.encode(CLAIMS, ed_key, "EdDSA")

    with pytest.raises(KeyMismatchError):
        verify(token, Key.generate("OKP", curve="X25519").public_key(), ["EdDSA"])


def test_rule2_jwk_alg_honoured(verify: Verify, rsa_key: Key) -> None:
    # The key is published for RS256, so a genuine PS256 signature made with it is rejected.
    public_jwk = {**rsa_key.public_key().to_jwk(), "alg": "RS256"}
    token = jwtkit.encode(CLAIMS, rsa_key, "PS256")

    with pytest.raises(KeyMismatchError) as caught:
        verify(token, public_jwk, ["RS256", "PS256"])

    assert "the key's JWK 'alg' is 'RS256', so it cannot be used for alg 'PS256'" in str(
        caught.value
    )


def test_rule2_jwk_use_honoured(verify: Verify, ec_key: Key) -> None:
    public_jwk = {**ec_key.public_key().to_jwk(), "use": "enc"}
    token = jwtkit.encode(CLAIMS, ec_key, "ES256")

    with pytest.raises(KeyMismatchError) as caught:
        verify(token, public_jwk, ["ES256"])

    assert "the key's JWK 'use' is 'enc'" in str(caught.value)


def test_rule2_jwk_key_ops_honoured(verify: Verify, ec_key: Key) -> None:
    public_jwk = {**ec_key.public_key().to_jwk(), "key_ops": ["encrypt"]}
    signing_jwk = {**ec_key.to_jwk(private=True), "key_ops": ["verify"]}
    token = jwtkit.encode(CLAIMS, ec_key, "ES256")

    with pytest.raises(KeyMismatchError) as caught:
        verify(token, public_jwk, ["ES256"])
    with pytest.raises(InvalidKeyError) as signing:
        jwtkit.encode(CLAIMS, signing_jwk, "ES256")

    assert "'key_ops' ['encrypt'] does not include 'verify'" in str(caught.value)
    assert "'key_ops' ['verify'] does not include 'sign'" in str(signing.value)


def test_rule2_jwk_params_honoured_when_signing(ec_key: Key) -> None:
    for params, message in (
        ({"alg": "ES384"}, "the key's JWK 'alg' is 'ES384'"),
        ({"use": "enc"}, "the key's JWK 'use' is 'enc'"),
    ):
        jwk = {**ec_key.to_jwk(private=True), **params}
        with pytest.raises(InvalidKeyError) as caught:
            jwtkit.encode(CLAIMS, jwk, "ES256")
        assert message in str(caught.value)


# -- rule 3: keys named by the token are never trusted --------------------------------------


class _CountingHandler(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        body = b'{"keys":[]}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def key_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records every request made to it."""
    requests: list[str] = []
    handler = type("Handler", (_CountingHandler,), {"requests": requests})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_rule3_embedded_jwk_ignored(verify: Verify, ec_key: Key) -> None:
    attacker = Key.generate("EC", curve="P-256")
    header = {"alg": "ES256", "jwk": attacker.public_key().to_jwk()}
    forged = sign(attacker.signing_key, "ES256", header, CLAIMS)

    assert verify(forged, attacker.public_key(), ["ES256"]) is not None
    with pytest.raises(InvalidSignatureError):
        verify(forged, ec_key.public_key(), ["ES256"])


def test_rule3_embedded_jwk_with_its_kid_ignored(verify: Verify, ec_key: Key) -> None:
    attacker = Key.generate("EC", curve="P-256")
    kid = attacker.thumbprint()
    header = {"alg": "ES256", "kid": kid, "jwk": {**attacker.public_key().to_jwk(), "kid": kid}}
    forged = sign(attacker.signing_key, "ES256", header, CLAIMS)
    server_keys = KeySet([Key.from_jwk({**ec_key.public_key().to_jwk(), "kid": "server"})])

    with pytest.raises(KeyNotFoundError):
        verify(forged, server_keys, ["ES256"])


@pytest.mark.parametrize("parameter", ["jku", "x5u"])
def test_rule3_key_urls_never_fetched(
    verify: Verify, ec_key: Key, key_server: tuple[str, list[str]], parameter: str
) -> None:
    url, requests = key_server
    attacker = Key.generate("EC", curve="P-256")
    forged = sign(attacker.signing_key, "ES256", {"alg": "ES256", parameter: f"{url}/keys"}, CLAIMS)

    with pytest.raises(InvalidSignatureError):
        verify(forged, ec_key.public_key(), ["ES256"])
    with pytest.raises(KeyNotFoundError):
        verify(forged, KeySet([]), ["ES256"])

    assert requests == []


def test_rule3_x5c_ignored(verify: Verify, ec_key: Key) -> None:
    attacker = Key.generate("EC", curve="P-256")
    fake_chain = [b64(attacker.public_key().to_pem())]
    forged = sign(attacker.signing_key, "ES256", {"alg": "ES256", "x5c": fake_chain}, CLAIMS)

    with pytest.raises(InvalidSignatureError):
        verify(forged, ec_key.public_key(), ["ES256"])


def test_rule3_kid_only_selects_supplied_keys(verify: Verify) -> None:
    keys = KeySet([Key.from_secret(SECRET, kid="current")])

    for kid in ("../../../../dev/null", "", "current ", "CURRENT", "' OR '1'='1"):
        forged = hmac_token(b"", {"alg": "HS256", "kid": kid}, CLAIMS)
        with pytest.raises(KeyNotFoundError):
            verify(forged, keys, ["HS256"])


# -- rule 4: strict parsing ----------------------------------------------------------------------


def test_rule4_duplicate_alg_rejected(verify: Verify) -> None:
    # A lenient parser keeps the last "alg", but another component may read the first.
    header = b'{"alg":"none","alg":"HS256"}'
    token = hmac_token(SECRET, header, CLAIMS)

    with pytest.raises(MalformedTokenError) as caught:
        verify(token, SECRET, ["HS256"])

    assert "duplicate member name 'alg'" in str(caught.value)


def test_rule4_duplicate_claim_rejected(verify_jwt: Verify) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, b'{"sub":"user","sub":"admin"}')

    with pytest.raises(MalformedTokenError):
        verify_jwt(token, SECRET, ["HS256"])


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda h, p, s: (h + "=", p, s), id="padded-header"),
        pytest.param(lambda h, p, s: (h, p + "==", s), id="padded-payload"),
        pytest.param(
            lambda h, p, s: (h, p.replace("-", "+").replace("_", "/"), s), id="std-alphabet"
        ),
        pytest.param(lambda h, p, s: (" " + h, p, s), id="leading-space"),
        pytest.param(lambda h, p, s: (h, p[:4] + "\n" + p[4:], s), id="newline"),
    ],
)
def test_rule4_lenient_base64_rejected_even_when_mac_matches(
    verify: Verify, mutate: Callable[[str, str, str], tuple[str, str, str]]
) -> None:
    # The MAC is computed over the mutated text itself, so only strict
    # decoding can reject the token.
    genuine = hmac_token(SECRET, {"alg": "HS256"}, {"sub": "admin", "pad": "??>>"})
    header, payload, signature = genuine.split(".")
    header, payload, _ = mutate(header, payload, signature)
    token = hmac_token_from_parts(header, payload, SECRET)

    with pytest.raises(MalformedTokenError):
        verify(token, SECRET, ["HS256"])


def test_rule4_signature_alias_rejected(verify: Verify) -> None:
    # Same signature bytes, last character with non-zero unused bits.
    token = hmac_token(SECRET, {"alg": "HS256"}, CLAIMS)
    last = token[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    alias = token[:-1] + alphabet[alphabet.index(last) + 1]

    with pytest.raises(MalformedTokenError) as caught:
        verify(alias, SECRET, ["HS256"])

    assert "unused bits of its last character are not zero" in str(caught.value)


@pytest.mark.parametrize("payload", [b"[]", b'"admin"', b"1", b"null", b"true"])
def test_rule4_claims_must_be_object(verify_jwt: Verify, payload: bytes) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, payload)

    with pytest.raises(MalformedTokenError) as caught:
        verify_jwt(token, SECRET, ["HS256"])

    assert "the token's claims must be a JSON object" in str(caught.value)


@pytest.mark.parametrize("header", [b"[]", b'"HS256"', b"null"])
def test_rule4_header_must_be_object(verify: Verify, header: bytes) -> None:
    token = hmac_token(SECRET, header, CLAIMS)

    with pytest.raises(MalformedTokenError) as caught:
        verify(token, SECRET, ["HS256"])

    assert "the token's header must be a JSON object" in str(caught.value)


NON_FINITE = [b"NaN", b"Infinity", b"-Infinity", b"1e999"]


@pytest.mark.parametrize("constant", NON_FINITE)
def test_rule4_non_finite_header_rejected(verify: Verify, constant: bytes) -> None:
    token = hmac_token(SECRET, b'{"alg":"HS256","x":' + constant + b"}", CLAIMS)

    with pytest.raises(MalformedTokenError):
        verify(token, SECRET, ["HS256"])


@pytest.mark.parametrize("constant", NON_FINITE)
def test_rule4_non_finite_claims_rejected(verify_jwt: Verify, constant: bytes) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, b'{"exp":' + constant + b"}")

    with pytest.raises(MalformedTokenError):
        verify_jwt(token, SECRET, ["HS256"])


def test_rule4_size_checked_before_decoding(verify: Verify) -> None:
    # Not even the part count is looked at: the token is all dots.
    with pytest.raises(jwtkit.errors.TokenTooLargeError):
        verify("." * 2_000_000, SECRET, ["HS256"])


# -- rule 5: crit ---------------------------------------------------------------------------


@pytest.mark.parametrize("crit", [["exp"], ["urn:example:must-check"], ["b64", "http://x"]])
def test_rule5_unknown_crit_rejected_despite_valid_mac(verify: Verify, crit: list[str]) -> None:
    header = {"alg": "HS256", "crit": crit, "b64": True, "exp": 1}
    for name in crit:
        header.setdefault(name, True)
    token = hmac_token(SECRET, header, CLAIMS)

    with pytest.raises(CriticalHeaderError) as caught:
        verify(token, SECRET, ["HS256"])

    assert caught.value.code == "unsupported_critical_header"
    assert "which jwtkit does not process" in str(caught.value)


# -- rule 6: ECDSA signatures are fixed-width R || S -------------------------------------------

ECDSA_CURVES = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521", "ES256K": "secp256k1"}


@pytest.mark.parametrize("alg", list(ECDSA_CURVES))
def test_rule6_der_signature_rejected(verify: Verify, alg: str) -> None:
    key = Key.generate("EC", curve=ECDSA_CURVES[alg])
    token = jwtkit.encode(CLAIMS, key, alg)
    r, s = ecdsa_numbers(key.signing_key, alg, signing_input(token))
    der_token = with_signature(token, encode_dss_signature(r, s))

    assert verify(token, key.public_key(), [alg]) is not None
    with pytest.raises(InvalidSignatureError):
        verify(der_token, key.public_key(), [alg])


@pytest.mark.parametrize("alg", list(ECDSA_CURVES))
def test_rule6_zero_r_or_s_rejected(verify: Verify, alg: str) -> None:
    key = Key.generate("EC", curve=ECDSA_CURVES[alg])
    token = jwtkit.encode(CLAIMS, key, alg)
    width = {"ES256": 32, "ES384": 48, "ES512": 66, "ES256K": 32}[alg]
    r, s = ecdsa_numbers(key.signing_key, alg, signing_input(token))
    zero = bytes(width)

    for signature in (
        zero + zero,
        zero + s.to_bytes(width, "big"),
        r.to_bytes(width, "big") + zero,
    ):
        with pytest.raises(InvalidSignatureError):
            verify(with_signature(token, signature), key.public_key(), [alg])


def test_rule6_padded_signature_rejected(verify: Verify, ec_key: Key) -> None:
    token = jwtkit.encode(CLAIMS, ec_key, "ES256")
    r, s = ecdsa_numbers(ec_key.signing_key, "ES256", signing_input(token))

    for signature in (
        b"\x00" + r.to_bytes(32, "big") + s.to_bytes(32, "big"),
        r.to_bytes(33, "big") + s.to_bytes(33, "big"),
        r.to_bytes(32, "big") + s.to_bytes(32, "big") + b"\x00",
    ):
        with pytest.raises(InvalidSignatureError):
            verify(with_signature(token, signature), ec_key.public_key(), ["ES256"])


# -- rule 7: minimum key sizes ---------------------------------------------------------------


@pytest.mark.parametrize(("alg", "minimum"), [("HS256", 32), ("HS384", 48), ("HS512", 64)])
def test_rule7_short_hmac_key_rejected(verify: Verify, alg: str, minimum: int) -> None:
    short = b"k" * (minimum - 1)
    token = hmac_token(short, {"alg": alg}, CLAIMS, alg)

    with pytest.raises(WeakKeyError) as verifying:
        verify(token, short, [alg])
    with pytest.raises(WeakKeyError):
        jwtkit.encode(CLAIMS, short, alg)

    assert verifying.value.code == "weak_key"
    assert f"needs at least {minimum} bytes" in str(verifying.value)
    assert verify(token, short, [alg], allow_weak_key=True) is not None
    assert jwtkit.encode(CLAIMS, short, alg, allow_weak_key=True)
    full = b"k" * minimum
    assert verify(hmac_token(full, {"alg": alg}, CLAIMS, alg), full, [alg]) is not None


def test_rule7_small_rsa_key_rejected(verify: Verify) -> None:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    key = Key.from_cryptography(private_key)
    token = sign(private_key, "RS256", {"alg": "RS256"}, CLAIMS)

    with pytest.raises(WeakKeyError) as verifying:
        verify(token, key.public_key(), ["RS256"])
    with pytest.raises(WeakKeyError):
        jwtkit.encode(CLAIMS, key, "RS256")

    assert "the RSA key is 1024 bits, but RS256 needs at least 2048 bits" in str(verifying.value)
    assert verify(token, key.public_key(), ["RS256"], allow_weak_key=True) is not None


def test_rule7_override_not_reachable_from_header(verify: Verify) -> None:
    short = b"k" * 8
    token = hmac_token(short, {"alg": "HS256", "allow_weak_key": True}, CLAIMS)

    with pytest.raises(WeakKeyError):
        verify(token, short, ["HS256"])


# -- rule 8: registered claims are type-checked ---------------------------------------------------

BAD_NUMERIC_DATES = [
    pytest.param("1900000000", id="string"),
    pytest.param("2030-01-01", id="date-string"),
    pytest.param(True, id="true"),
    pytest.param(False, id="false"),
    pytest.param(None, id="null"),
    pytest.param([1900000000], id="array"),
    pytest.param({"t": 1900000000}, id="object"),
]


@pytest.mark.parametrize("value", BAD_NUMERIC_DATES)
@pytest.mark.parametrize("claim", ["exp", "nbf", "iat"])
def test_rule8_numericdate_types(verify_jwt: Verify, claim: str, value: Any) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, {claim: value})

    with pytest.raises(InvalidClaimError) as caught:
        verify_jwt(token, SECRET, ["HS256"])

    assert type(caught.value) is InvalidClaimError
    assert caught.value.claim == claim
    assert f"claim {claim!r} must be a NumericDate" in str(caught.value)


@pytest.mark.parametrize("value", [1, ["joe"], None, {"name": "joe"}, True])
@pytest.mark.parametrize("claim", ["iss", "sub"])
def test_rule8_string_claims_types(verify_jwt: Verify, claim: str, value: Any) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, {claim: value})

    with pytest.raises(InvalidClaimError) as unexpected:
        verify_jwt(token, SECRET, ["HS256"])
    option = "issuer" if claim == "iss" else "subject"
    with pytest.raises(InvalidClaimError) as expected:
        verify_jwt(token, SECRET, ["HS256"], **{option: "joe"})

    assert unexpected.value.claim == claim
    assert expected.value.claim == claim
    assert f"claim {claim!r} must be a string" in str(expected.value)


@pytest.mark.parametrize(
    "aud",
    ["api2", "xapi", "ap", "API", "api ", " api", "api,web", "https://api", ["api2"], ["APi"]],
)
def test_rule8_audience_matched_exactly(verify_jwt: Verify, aud: Any) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, {"aud": aud})

    with pytest.raises(InvalidAudienceError):
        verify_jwt(token, SECRET, ["HS256"], audience="api")


@pytest.mark.parametrize("aud", [[["api"]], [{"api": 1}], [], 1, None, True])
def test_rule8_audience_type(verify_jwt: Verify, aud: Any) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, {"aud": aud})

    with pytest.raises(InvalidClaimError) as caught:
        verify_jwt(token, SECRET, ["HS256"], audience="api")

    assert type(caught.value) is InvalidClaimError
    assert caught.value.claim == "aud"


@pytest.mark.parametrize(
    "iss", ["https://issuer.example.evil", "https://issuer.exampl", "https://ISSUER.example"]
)
def test_rule8_issuer_matched_exactly(verify_jwt: Verify, iss: str) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, {"iss": iss})

    with pytest.raises(InvalidIssuerError):
        verify_jwt(token, SECRET, ["HS256"], issuer="https://issuer.example")


def test_rule8_expected_audience_requires_claim(verify_jwt: Verify) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, {"sub": "admin"})

    with pytest.raises(jwtkit.errors.MissingClaimError):
        verify_jwt(token, SECRET, ["HS256"], audience="api")


def test_rule8_exp_checked_whenever_present(verify_jwt: Verify) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, {"exp": NOW - 1})

    with pytest.raises(jwtkit.errors.ExpiredTokenError):
        verify_jwt(token, SECRET, ["HS256"])


# -- rule 9: constant-time comparison ---------------------------------------------------------


class _CompareDigestSpy:
    def __init__(self, real: Callable[[Any, Any], bool]) -> None:
        self.real = real
        self.calls: list[tuple[bytes, bytes]] = []

    def __call__(self, a: Any, b: Any) -> bool:
        self.calls.append((bytes(a), bytes(b)))
        return self.real(a, b)


def test_rule9_hmac_compared_with_compare_digest(
    verify: Verify, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = _CompareDigestSpy(hmac.compare_digest)
    monkeypatch.setattr(hmac, "compare_digest", spy)
    token = hmac_token(SECRET, {"alg": "HS256"}, CLAIMS)
    signature = jwtkit.decode_unverified(token).signature
    tampered = with_signature(token, bytes([signature[0] ^ 1]) + signature[1:])

    assert verify(token, SECRET, ["HS256"]) is not None
    with pytest.raises(InvalidSignatureError):
        verify(tampered, SECRET, ["HS256"])

    assert len(spy.calls) == 2
    assert spy.calls[0] == (signature, signature)
    assert spy.calls[1][0] == signature
    assert spy.calls[1][1] != signature


def test_rule9_compare_digest_decides(verify: Verify, monkeypatch: pytest.MonkeyPatch) -> None:
    # If the verdict came from '==', a genuine MAC would still pass here.
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: False)
    token = hmac_token(SECRET, {"alg": "HS256"}, CLAIMS)

    with pytest.raises(InvalidSignatureError):
        verify(token, SECRET, ["HS256"])


# -- rule 10: no key material in errors -------------------------------------------------------


def _error_texts(error: BaseException) -> str:
    """Everything a traceback or log line would show of an error and its causes."""
    texts = []
    current: BaseException | None = error
    while current is not None:
        texts.extend([str(current), repr(current)])
        texts.extend(str(arg) for arg in current.args)
        if current.__cause__ is not None:
            current = current.__cause__
        elif not current.__suppress_context__:
            current = current.__context__
        else:
            current = None
    return "\n".join(texts)


def _secret_fragments(key: Key) -> list[str]:
    """Private values of a key, as text that must never appear in an error."""
    jwk = key.to_jwk(private=True)
    private_names = {"k", "d", "p", "q", "dp", "dq", "qi"}
    fragments = [value[:24] for name, value in jwk.items() if name in private_names]
    if key.kty != "oct":
        pem_lines = key.to_pem(private=True).decode().splitlines()[1:-1]
        fragments.extend(line[:24] for line in pem_lines)
    return fragments


def _raises(call: Callable[[], Any]) -> JWTError:
    with pytest.raises(JWTError) as caught:
        call()
    return caught.value


def test_rule10_errors_never_show_key_material(rsa_key: Key, ec_key: Key) -> None:
    weak_secret = "correct-horse-battery"
    weak = Key.from_secret(weak_secret.encode())
    rsa_pem = rsa_key.to_pem(private=True)
    ec_jwk = ec_key.to_jwk(private=True)
    other_ec = Key.generate("EC", curve="P-256").to_jwk(private=True)
    rsa_jwk = rsa_key.to_jwk(private=True)
    hs_token = hmac_token(SECRET, {"alg": "HS256"}, CLAIMS)
    es_token = jwtkit.encode(CLAIMS, ec_key, "ES256")
    corrupt_pem = rsa_pem.replace(rsa_pem.splitlines()[5], b"A" * 64)
    encrypted = rsa_key.to_pem(private=True, password="a password 123")

    failures = {
        "weak secret": lambda: jwtkit.decode(hs_token, weak_secret, algorithms=["HS256"]),
        "weak secret signing": lambda: jwtkit.encode(CLAIMS, weak_secret, "HS256"),
        "wrong secret": lambda: jwtkit.decode(hs_token, SECRET + b"!", algorithms=["HS256"]),
        "private pem for hmac": lambda: jwtkit.decode(hs_token, rsa_pem, algorithms=["HS256"]),
        "private jwk for hmac": lambda: jwtkit.decode(hs_token, ec_jwk, algorithms=["HS256"]),
        "secret for ecdsa": lambda: jwtkit.decode(es_token, SECRET, algorithms=["ES256"]),
        "rsa key signs ES256": lambda: jwtkit.encode(CLAIMS, rsa_pem, "ES256"),
        "pem swapped with algorithm": lambda: jwtkit.encode(CLAIMS, "ES256", rsa_pem),  # type: ignore[arg-type]
        "secret swapped with algorithm": lambda: jwtkit.encode(CLAIMS, "HS256", weak_secret),
        "d from other key": lambda: Key.from_jwk({**ec_jwk, "d": other_ec["d"]}),
        "d too short": lambda: Key.from_jwk({**ec_jwk, "d": ec_jwk["d"][:-3]}),
        "rsa d from other key": lambda: Key.from_jwk({**rsa_jwk, "d": ec_jwk["d"] * 8}),
        "oct k padded": lambda: Key.from_jwk(
            {"kty": "oct", "k": weak.to_jwk(private=True)["k"] + "="}
        ),
        "corrupt pem": lambda: Key.from_pem(corrupt_pem),
        "wrong password": lambda: Key.from_pem(encrypted, password="wrong password 456"),
        "missing password": lambda: Key.from_pem(encrypted),
        "jwk text with error": lambda: Key.from_jwk(json.dumps(ec_jwk)[:-1]),
        "public export of oct": lambda: weak.to_jwk(),
        "weak key set member": lambda: jwtkit.decode(
            hs_token, KeySet([weak]), algorithms=["HS256"]
        ),
    }
    forbidden = [
        weak_secret,
        weak.to_jwk(private=True)["k"],
        "PRIVATE KEY",
        "a password 123",
        "wrong password 456",
        *_secret_fragments(rsa_key),
        *_secret_fragments(ec_key),
        other_ec["d"][:24],
    ]

    leaks: list[tuple[str, str]] = []
    for name, call in failures.items():
        text = _error_texts(_raises(call))
        leaks.extend((name, fragment) for fragment in forbidden if fragment in text)

    assert leaks == []


def test_rule10_skipped_jwks_members_show_no_material(ec_key: Key) -> None:
    jwk = ec_key.to_jwk(private=True)
    broken = {**jwk, "d": jwk["d"][:-3]}
    mismatched = {**jwk, "d": Key.generate("EC").to_jwk(private=True)["d"]}

    key_set = KeySet.from_jwks({"keys": [broken, mismatched]})

    assert len(key_set.skipped) == 2
    for reason in key_set.skipped:
        assert jwk["d"][:24] not in reason
        assert mismatched["d"][:24] not in reason


def test_rule10_key_repr_shows_no_material(rsa_key: Key) -> None:
    text = repr(rsa_key) + repr(KeySet([rsa_key]))

    for fragment in _secret_fragments(rsa_key):
        assert fragment not in text
