"""Lint blind spots, option overflows, key-material lookalikes and JWS JSON limits.

Each section names the weakness, builds the hostile input without jwtkit where
it can, and checks the finding or the error class, code and message.
"""

from __future__ import annotations

import base64
import json
import random
from datetime import datetime, timezone
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

import jwtkit
from jwtkit import errors, jws
from jwtkit._encoding import json_loads
from jwtkit.lint import lint_token
from tests.security.forge import hmac_token

NOW = 1_999_999_500
SECRET = b"q" * 32
CLAIMS = {"iss": "i", "aud": "a", "exp": 2_000_000_000, "iat": 1_999_999_000}
HUGE = 10**400
Encoding = serialization.Encoding
PublicFormat = serialization.PublicFormat


def _codes(token: str, key: Any = None, **options: Any) -> list[str]:
    return [finding.code for finding in lint_token(token, key, now=NOW, **options)]


def _findings(token: str, code: str) -> list[Any]:
    return [finding for finding in lint_token(token, now=NOW) if finding.code == code]


# -- alg-confusion lint with the key file exactly as given ------------------------


@pytest.fixture(scope="module")
def rsa_forms() -> dict[str, bytes]:
    private_key = rsa.generate_private_key(65537, 2048)
    public_key = private_key.public_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "token issuer")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(7)
        .not_valid_before(datetime(2024, 1, 1, tzinfo=timezone.utc))
        .not_valid_after(datetime(2044, 1, 1, tzinfo=timezone.utc))
        .sign(private_key, hashes.SHA256())
    )
    spki = public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    jwk = jwtkit.Key.from_pem(spki).to_jwk()
    return {
        "SPKI PEM": spki,
        "SPKI PEM without final newline": spki.rstrip(b"\n"),
        "PKCS#1 PEM": public_key.public_bytes(Encoding.PEM, PublicFormat.PKCS1),
        "certificate PEM": certificate.public_bytes(Encoding.PEM),
        "OpenSSH public key": public_key.public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH),
        "OpenSSH public key with newline": public_key.public_bytes(
            Encoding.OpenSSH, PublicFormat.OpenSSH
        )
        + b"\n",
        "JWK JSON": json.dumps(jwk).encode(),
        "JWK JSON compact sorted": json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode(),
        "DER": public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo),
    }


def test_lint_finds_confusion_with_given_key_text(rsa_forms: dict[str, bytes]) -> None:
    # A certificate cannot be rebuilt from the key alone; the next test gives it.
    key = jwtkit.Key.from_pem(rsa_forms["SPKI PEM"])
    for label, data in rsa_forms.items():
        if label == "certificate PEM":
            continue
        forged = hmac_token(data, {"alg": "HS256"}, CLAIMS)
        assert "alg-confusion" in _codes(forged, key), label


def test_lint_finds_confusion_with_exact_file_bytes(rsa_forms: dict[str, bytes]) -> None:
    # The key is given as the file's text: the forger used exactly those bytes.
    for label in ("PKCS#1 PEM", "certificate PEM", "JWK JSON"):
        forged = hmac_token(rsa_forms[label] + b"\n", {"alg": "HS256"}, CLAIMS)
        assert "alg-confusion" in _codes(forged, rsa_forms[label] + b"\n"), label


def test_lint_reports_no_confusion_for_real_secret(rsa_forms: dict[str, bytes]) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, CLAIMS)
    assert "alg-confusion" not in _codes(token, rsa_forms["SPKI PEM"])


# -- lint false negatives: kid, alg and out-of-range NumericDates -----------------


@pytest.mark.parametrize(
    ("kid", "severity"),
    [(["../../etc/passwd"], "high"), ({"$ne": None}, "high"), (5, "medium"), (None, "medium")],
)
def test_lint_reports_non_string_kid(kid: Any, severity: str) -> None:
    token = hmac_token(SECRET, {"alg": "HS256", "kid": kid}, CLAIMS)
    (finding,) = _findings(token, "kid-not-string")
    assert finding.severity.value == severity
    assert finding.location == "header.kid"


@pytest.mark.parametrize("kid", ["abc\x9b", "abc\x85", "a\u202eb", "a\u200bb", "a\x00"])
def test_lint_reports_c1_and_format_characters_in_kid(kid: str) -> None:
    token = hmac_token(SECRET, {"alg": "HS256", "kid": kid}, CLAIMS)
    (finding,) = _findings(token, "kid-unsafe")
    assert finding.severity.value == "high"
    assert "control characters" in finding.message


def test_lint_reports_fullwidth_dots_in_kid() -> None:
    token = hmac_token(SECRET, {"alg": "HS256", "kid": "\uff0e\uff0e/x"}, CLAIMS)
    (finding,) = _findings(token, "kid-unsafe")
    assert finding.severity.value == "high"


@pytest.mark.parametrize("alg", ["none ", " none", "\tNONE\n", "None\x00"])
def test_lint_reports_none_with_whitespace(alg: str) -> None:
    token = hmac_token(SECRET, {"alg": alg}, CLAIMS)
    assert len(_findings(token, "alg-none")) == 1


def test_lint_reports_empty_alg() -> None:
    token = hmac_token(SECRET, {"alg": ""}, CLAIMS)
    (finding,) = _findings(token, "alg-missing")
    assert "empty" in finding.message


@pytest.mark.parametrize(
    ("name", "value"),
    [("exp", "9" * 400), ("exp", "-" + "9" * 400), ("nbf", "9" * 400), ("iat", "9" * 400)],
)
def test_lint_reports_out_of_range_numericdate(name: str, value: str) -> None:
    members = {**CLAIMS, name: 0}
    claims = json.dumps(members).replace(f'"{name}": 0', f'"{name}": {value}')
    token = hmac_token(SECRET, {"alg": "HS256"}, claims.encode())
    (finding,) = _findings(token, f"{name}-out-of-range")
    assert finding.location == f"claims.{name}"
    assert "400 digits" in finding.message


# -- huge durations and times are usage errors, found when options are built -----


@pytest.mark.parametrize(
    "options",
    [{"leeway": HUGE}, {"max_age": HUGE}, {"now": HUGE}, {"now": -HUGE}],
    ids=["leeway", "max_age", "now", "negative now"],
)
def test_huge_option_rejected(options: dict[str, Any]) -> None:
    key = jwtkit.Key.from_secret(SECRET)
    token = jwtkit.encode({"sub": "a"}, key, "HS256")
    for call in (
        lambda: jwtkit.decode(token, key, algorithms=["HS256"], **options),
        lambda: jwtkit.Verifier(key, algorithms=["HS256"], **options),
    ):
        with pytest.raises(errors.UsageError) as caught:
            call()
        assert "401 digits" in caught.value.message or "402 digits" in caught.value.message
        assert "too large" in caught.value.message


@pytest.mark.parametrize("options", [{"max_lifetime": HUGE}, {"now": HUGE}])
def test_lint_huge_option_rejected(options: dict[str, Any]) -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, CLAIMS)
    with pytest.raises(errors.UsageError):
        lint_token(token, **options)


# -- PEM and base64-of-PEM lookalikes given as an HMAC secret ---------------------


@pytest.fixture(scope="module")
def spki_pem(rsa_forms: dict[str, bytes]) -> bytes:
    return rsa_forms["SPKI PEM"]


def test_from_secret_rejects_damaged_pem(spki_pem: bytes) -> None:
    lines = spki_pem.splitlines(keepends=True)
    for label, text in {
        "no BEGIN line": b"".join(lines[1:]),
        "four-dash BEGIN": spki_pem.replace(b"-----BEGIN", b"----BEGIN"),
        "four-dash END only": b"".join(lines[1:-1]) + b"----END PUBLIC KEY----\n",
        "base64 of the PEM": base64.b64encode(spki_pem),
        "base64url of the PEM": base64.urlsafe_b64encode(spki_pem).rstrip(b"="),
    }.items():
        with pytest.raises(errors.InvalidKeyError) as caught:
            jwtkit.Key.from_secret(text)
        assert "PEM" in caught.value.message, label
        assert "forge tokens" in caught.value.message, label


def test_from_secret_accepts_passphrases_with_dashes() -> None:
    generator = random.Random(7518)
    for text in (
        "----- a passphrase with dashes ----- and more words after them",
        "my-----END-----game is a long passphrase",
        "BEGIN with a capital word and dashes -- inside",
    ):
        assert jwtkit.Key.from_secret(text).size == len(text.encode()) * 8
    for _ in range(500):
        raw = generator.randbytes(generator.randint(32, 96))
        jwtkit.Key.from_secret(base64.b64encode(raw))


# -- personal-data detectors stay linear ------------------------------------------


@pytest.mark.parametrize(
    "value", ["a" * 45_000, "a@" * 22_000, "a@" + "a." * 22_000 + "1", "+" + "1 " * 22_000]
)
def test_sensitive_claim_scan_is_linear(value: str) -> None:
    # Quadratic matching over 45 000 characters took seconds per claim.
    token = hmac_token(SECRET, {"alg": "HS256"}, {**CLAIMS, "x": value})
    lint_token(token, now=NOW)


def test_email_still_found_in_long_text() -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, {**CLAIMS, "x": "contact alice@example.com"})
    assert len(_findings(token, "email-in-claims")) == 1


# -- oct key size cap -------------------------------------------------------------


@pytest.mark.parametrize("size", [10**10, 8200, 80_000_000_000])
def test_generate_oct_size_capped(size: int) -> None:
    with pytest.raises(errors.UsageError) as caught:
        jwtkit.Key.generate("oct", size=size)
    assert "8192" in caught.value.message


def test_generate_oct_largest_size_accepted() -> None:
    assert jwtkit.Key.generate("oct", size=8192).size == 8192


# -- JWS JSON: signer limits, None members and non-JSON header values -------------


def test_sign_json_refuses_more_signatures_than_verify_accepts() -> None:
    key = jwtkit.Key.from_secret(SECRET)
    signers = [jws.Signer(key, "HS256", header={"kid": str(n)}) for n in range(17)]

    with pytest.raises(errors.UsageError) as caught:
        jws.sign_json(b"{}", signers)
    assert "16" in caught.value.message


def test_sign_json_sixteen_signatures_verify() -> None:
    key = jwtkit.Key.from_secret(SECRET)
    signers = [jws.Signer(key, "HS256", header={"kid": str(n)}) for n in range(16)]

    document = jws.sign_json(b"{}", signers)
    assert jws.verify_json(document, key, algorithms=["HS256"]).payload == b"{}"


def test_sign_json_omits_none_in_unprotected_header() -> None:
    key = jwtkit.Key.from_secret(SECRET, kid="k1")
    document = jws.sign_json(b"{}", jws.Signer(key, "HS256", header={"kid": None, "x": 1}))

    entry = document["signatures"][0]
    assert entry["header"] == {"x": 1}
    assert "kid" not in json.loads(base64.urlsafe_b64decode(entry["protected"] + "=="))


@pytest.mark.parametrize(
    ("value", "type_name"),
    [({1, 2}, "set"), (float("nan"), "nan"), (b"x", "bytes"), ({1: "a"}, "int")],
)
def test_verify_json_dict_rejects_non_json_header(value: Any, type_name: str) -> None:
    key = jwtkit.Key.from_secret(SECRET)
    document = jws.sign_json(b"{}", jws.Signer(key, "HS256", header={"x": 1}))
    document["signatures"][0]["header"] = {"x": value}

    with pytest.raises(errors.MalformedTokenError) as caught:
        jws.verify_json(document, key, algorithms=["HS256"])
    assert type_name in caught.value.message


def test_verify_json_names_python_type_of_member() -> None:
    key = jwtkit.Key.from_secret(SECRET)
    document = jws.sign_json(b"{}", jws.Signer(key, "HS256"), flattened=True)
    document["signature"] = b"abc"

    with pytest.raises(errors.MalformedTokenError) as caught:
        jws.verify_json(document, key, algorithms=["HS256"])
    assert "Python bytes" in caught.value.message
    assert "JSON object" not in caught.value.message


# -- messages: long numbers, byte order marks, huge time deltas -------------------


def test_json_long_number_message_is_plain() -> None:
    with pytest.raises(errors.MalformedTokenError) as caught:
        json_loads(b'{"a": ' + b"1" * 5000 + b"}", "the token's claims")
    assert "number too long" in caught.value.message
    assert "sys." not in caught.value.message


@pytest.mark.parametrize("data", [b'\xef\xbb\xbf{"a": 1}', '\ufeff{"a": 1}'])
def test_json_byte_order_mark_named(data: bytes | str) -> None:
    with pytest.raises(errors.MalformedTokenError) as caught:
        json_loads(data, "the request body")
    assert "byte order mark" in caught.value.message


def test_expired_message_delta_bounded() -> None:
    token = hmac_token(SECRET, {"alg": "HS256"}, b'{"exp": -1e308}')

    with pytest.raises(errors.ExpiredTokenError) as caught:
        jwtkit.decode(token, SECRET, algorithms=["HS256"], now=NOW)
    assert len(caught.value.message) < 400
    assert "over 10000 years" in caught.value.message
