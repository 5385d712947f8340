"""What --secret, --secret-file, --key and thumbprint load, and the key text they reject."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

import jwtkit
from jwtkit._encoding import b64url_encode
from tests.cli.conftest import HMAC_SECRET, CallMain, KeyFiles, run_jwtkit

ALGORITHM_CONFUSION = "algorithm-confusion attack (RFC 8725 §2.1)"
USE_KEY_OPTION = "Pass the key with --key FILE and use the key's own algorithm"


def forge_hs256(
    mac_key: bytes, claims: bytes = b'{"sub":"admin"}', header: bytes = b'{"alg":"HS256"}'
) -> str:
    """Return an HS256 token whose MAC key is ``mac_key``; jwtkit refuses to make some of them."""
    signing_input = f"{b64url_encode(header)}.{b64url_encode(claims)}".encode()
    mac = hmac.new(mac_key, signing_input, hashlib.sha256).digest()
    return f"{signing_input.decode()}.{b64url_encode(mac)}"


def assert_key_text_rejected(stderr: str, source: str, what: str) -> None:
    assert f"jwtkit: invalid_key: {source} contains {what}, not an HMAC secret" in stderr
    assert ALGORITHM_CONFUSION in stderr
    assert USE_KEY_OPTION in stderr


def ssh_public_line(key: jwtkit.Key) -> bytes:
    public = key.public_key().verifying_key
    return public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)


def der_public(key: jwtkit.Key) -> bytes:
    public = key.public_key().verifying_key
    return public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


# -- public key text as an HMAC secret ------------------------------------------


def test_secret_file_public_pem_encode(call_main: CallMain, ec_key: KeyFiles) -> None:
    path = ec_key.public_pem

    result = call_main("encode", "--alg", "HS256", "--secret-file", str(path), "--sub", "admin")

    assert result.status == 2
    assert result.stdout == ""
    assert_key_text_rejected(result.stderr, f"--secret-file {path}", "a PEM block")


def test_secret_file_public_pem_verify(call_main: CallMain, rsa_key: KeyFiles) -> None:
    path = rsa_key.public_pem
    forged = forge_hs256(path.read_bytes().rstrip(b"\n"))

    result = call_main("verify", "--alg", "HS256", "--secret-file", str(path), forged)

    assert result.status == 2
    assert "Signature verified" not in result.stdout
    assert_key_text_rejected(result.stderr, f"--secret-file {path}", "a PEM block")


def test_secret_option_public_pem(call_main: CallMain, ec_key: KeyFiles) -> None:
    pem = ec_key.public_pem.read_text()

    result = call_main("verify", "--alg", "HS256", "--secret", pem, forge_hs256(pem.encode()))

    assert result.status == 2
    assert_key_text_rejected(result.stderr, "--secret", "a PEM block")
    assert "BEGIN PUBLIC KEY" not in result.stderr.replace("'-----BEGIN", "")


@pytest.mark.parametrize(
    "text",
    [
        "-----begin public key-----\nMFkw\n-----end public key-----\n",
        "Bag Attributes\n  friendlyName: demo\n-----BEGIN CERTIFICATE-----\nMIIB\n",
        "---- BEGIN SSH2 PUBLIC KEY ----\nComment: demo\nAAAAB3NzaC1yc2E\n",
        "prefix -----Begin Private Key----- suffix",
    ],
    ids=["lower-case", "text-before-block", "rfc4716", "mixed-case-inline"],
)
def test_secret_file_any_begin_line(call_main: CallMain, tmp_path: Path, text: str) -> None:
    path = tmp_path / "key.txt"
    path.write_text(text)

    result = call_main("encode", "--alg", "HS256", "--secret-file", str(path), "{}")

    assert result.status == 2
    assert_key_text_rejected(result.stderr, f"--secret-file {path}", "a PEM block")


def test_secret_file_openssh_public_key(
    call_main: CallMain, tmp_path: Path, ed25519_key: KeyFiles
) -> None:
    path = tmp_path / "id_ed25519.pub"
    path.write_bytes(ssh_public_line(ed25519_key.key) + b" alice@example\n")

    result = call_main("encode", "--alg", "HS256", "--secret-file", str(path), "{}")

    assert result.status == 2
    assert_key_text_rejected(result.stderr, f"--secret-file {path}", "an OpenSSH public key")


def test_secret_openssh_key_with_options(call_main: CallMain, rsa_key: KeyFiles) -> None:
    # An authorized_keys line: options come before the key type.
    line = b'from="10.0.0.1",no-pty ' + ssh_public_line(rsa_key.key)

    result = call_main("encode", "--alg", "HS256", "--secret", line.decode(), "{}")

    assert result.status == 2
    assert_key_text_rejected(result.stderr, "--secret", "an OpenSSH public key")


@pytest.mark.parametrize("fixture", ["ec_key", "rsa_key", "ed25519_key"])
def test_secret_file_public_jwk(
    call_main: CallMain, request: pytest.FixtureRequest, fixture: str
) -> None:
    files: KeyFiles = request.getfixturevalue(fixture)
    path = files.public_jwk

    result = call_main("verify", "--alg", "HS256", "--secret-file", str(path), forge_hs256(b"x"))

    assert result.status == 2
    assert_key_text_rejected(result.stderr, f"--secret-file {path}", "a JWK")


def test_secret_file_jwk_set(call_main: CallMain, tmp_path: Path, ec_key: KeyFiles) -> None:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [ec_key.key.public_key().to_jwk()]}))

    result = call_main("encode", "--alg", "HS256", "--secret-file", str(path), "{}")

    assert result.status == 2
    assert_key_text_rejected(result.stderr, f"--secret-file {path}", "a JWK Set")


def test_secret_file_der_public_key(call_main: CallMain, tmp_path: Path, ec_key: KeyFiles) -> None:
    path = tmp_path / "ec.der"
    path.write_bytes(der_public(ec_key.key))

    result = call_main("encode", "--alg", "HS256", "--secret-file", str(path), "{}")

    assert result.status == 2
    assert_key_text_rejected(result.stderr, f"--secret-file {path}", "a DER-encoded key")


def test_secret_file_oct_jwk_points_to_key(call_main: CallMain, tmp_path: Path) -> None:
    path = tmp_path / "hmac.jwk"
    path.write_text(json.dumps(jwtkit.Key.from_secret(HMAC_SECRET).to_jwk(private=True)))

    result = call_main("encode", "--alg", "HS256", "--secret-file", str(path), "{}")

    assert result.status == 2
    assert f"--secret-file {path} contains an 'oct' JWK, not the raw HMAC secret" in result.stderr
    assert "pass the file with --key" in result.stderr
    assert HMAC_SECRET not in result.stderr
    assert b64url_encode(HMAC_SECRET.encode()) not in result.stderr


def test_secret_file_keygen_output_points_to_key(call_main: CallMain, tmp_path: Path) -> None:
    path = tmp_path / "secret.json"
    path.write_text(call_main("keygen", "--alg", "HS256").stdout)

    result = call_main("encode", "--alg", "HS256", "--secret-file", str(path), "{}")

    assert result.status == 2
    assert f"--secret-file {path} contains an 'oct' JWK, not the raw HMAC secret" in result.stderr


@pytest.mark.parametrize(
    "secret",
    ["plain-secret-with-----dashes-32-bytes", '["a JSON array is not a JWK", 32]'],
)
def test_secret_that_only_resembles_key_text(call_main: CallMain, secret: str) -> None:
    result = call_main("encode", "--alg", "HS256", "--secret", secret, "--no-iat", "{}")

    assert result.status == 0, result.stderr
    header = b'{"alg":"HS256","typ":"JWT"}'
    assert result.stdout.strip() == forge_hs256(secret.encode(), b"{}", header)


# -- text before a PEM block in --key -------------------------------------------


@pytest.mark.parametrize(
    "preamble",
    [
        "# signing key of the demo service\n",
        "Bag Attributes\n    localKeyID: 01 02 03\nsubject=/CN=demo\n\n",
    ],
    ids=["comment", "openssl-bag-attributes"],
)
def test_key_pem_after_text(
    call_main: CallMain, tmp_path: Path, ec_key: KeyFiles, preamble: str
) -> None:
    public = tmp_path / "public.pem"
    public.write_text(preamble + ec_key.public_pem.read_text())
    private = tmp_path / "private.pem"
    private.write_text(preamble + ec_key.private_pem.read_text())

    encoded = call_main("encode", "--alg", "ES256", "--key", str(private), '{"sub": "a"}')
    verified = call_main("verify", "--alg", "ES256", "--key", str(public), encoded.stdout.strip())
    thumbprint = call_main("thumbprint", str(public))

    assert encoded.status == 0, encoded.stderr
    assert verified.status == 0, verified.stderr
    assert thumbprint.stdout == ec_key.key.thumbprint() + "\n"


def test_key_certificate_after_x509_text(
    call_main: CallMain, tmp_path: Path, ec_key: KeyFiles
) -> None:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "demo")])
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(ec_key.key.public_key().verifying_key)
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=365))
        .sign(ec_key.key.signing_key, hashes.SHA256())
    )
    # What `openssl x509 -text` prints: a readable dump, then the PEM block.
    dump = (
        "Certificate:\n    Data:\n        Version: 3 (0x2)\n        Serial Number: 1 (0x1)\n"
        "        Signature Algorithm: ecdsa-with-SHA256\n        Subject: CN = demo\n"
    )
    path = tmp_path / "cert.txt"
    path.write_bytes(dump.encode() + certificate.public_bytes(serialization.Encoding.PEM))
    token = jwtkit.encode({"sub": "a"}, ec_key.key, "ES256")

    result = call_main("verify", "--alg", "ES256", "--key", str(path), token)

    assert result.status == 0, result.stderr


@pytest.mark.parametrize(
    "text",
    [
        "# a note\n-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----\n",
        "-----begin public key-----\nMFkw\n-----end public key-----\n",
        "---- BEGIN SSH2 PUBLIC KEY ----\nAAAAB3NzaC1yc2E\n---- END SSH2 PUBLIC KEY ----\n",
    ],
    ids=["broken-block", "lower-case", "rfc4716"],
)
@pytest.mark.parametrize("command", ["verify", "thumbprint"])
def test_key_broken_pem_never_suggests_secret(
    call_main: CallMain, tmp_path: Path, text: str, command: str
) -> None:
    path = tmp_path / "key.pem"
    path.write_text(text)
    args = (
        ["--alg", "ES256", "--key", str(path), "e30.e30.e30"]
        if command == "verify"
        else [str(path)]
    )

    result = call_main(command, *args)

    assert result.status == 2
    assert "jwtkit: invalid_key: " in result.stderr
    assert "--secret-file" not in result.stderr
    assert "from_secret" not in result.stderr
    assert "secret" not in result.stderr.lower()


def test_key_non_key_file_suggests_secret_file(call_main: CallMain, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")

    result = call_main("verify", "--alg", "ES256", "--key", str(path), "e30.e30.e30")

    assert result.status == 2
    assert "for an HMAC secret stored as raw bytes use --secret-file" in result.stderr


def test_thumbprint_non_key_names_no_missing_flag(call_main: CallMain, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")

    result = call_main("thumbprint", str(path))

    assert result.status == 2
    assert f"key file {path}: the file is not a PEM, OpenSSH, DER or JWK key" in result.stderr
    assert "--secret-file" not in result.stderr
    assert "for an HMAC secret, write it as an 'oct' JWK" in result.stderr


# -- the {"private": ..., "public": ...} output of keygen -----------------------


@pytest.mark.parametrize("alg", ["HS512", "ES256", "EdDSA"])
def test_keygen_output_as_key(call_main: CallMain, tmp_path: Path, alg: str) -> None:
    path = tmp_path / "key.json"
    keygen = call_main("keygen", "--alg", alg)
    path.write_text(keygen.stdout)
    private = jwtkit.Key.from_jwk(keygen.json()["private"])

    encoded = call_main("encode", "--alg", alg, "--key", str(path), '{"sub": "a"}')
    verified = call_main("verify", "--alg", alg, "--key", str(path), encoded.stdout.strip())
    thumbprint = call_main("thumbprint", str(path))

    assert keygen.status == 0, keygen.stderr
    assert encoded.status == 0, encoded.stderr
    assert jwtkit.decode_unverified(encoded.stdout.strip()).header["kid"] == private.kid
    assert verified.status == 0, verified.stderr
    assert thumbprint.status == 0, thumbprint.stderr
    assert thumbprint.stdout == private.thumbprint() + "\n"


def test_keygen_output_both_formats_as_key(call_main: CallMain, tmp_path: Path) -> None:
    path = tmp_path / "key.json"
    path.write_text(call_main("keygen", "EC", "--format", "both").stdout)

    encoded = call_main("encode", "--alg", "ES256", "--key", str(path), "{}")
    verified = call_main("verify", "--alg", "ES256", "--key", str(path), encoded.stdout.strip())

    assert encoded.status == 0, encoded.stderr
    assert verified.status == 0, verified.stderr


def test_keygen_output_verify_uses_public(
    call_main: CallMain, tmp_path: Path, ec_key: KeyFiles
) -> None:
    # Only "public" is present, so verifying works and signing names the missing member.
    path = tmp_path / "key.json"
    path.write_text(json.dumps({"public": ec_key.key.public_key().to_jwk()}))
    token = jwtkit.encode({}, ec_key.key, "ES256")

    verified = call_main("verify", "--alg", "ES256", "--key", str(path), token)
    encoded = call_main("encode", "--alg", "ES256", "--key", str(path), "{}")

    assert verified.status == 0, verified.stderr
    assert encoded.status == 2
    assert "has no 'private' member, so it cannot sign; pass the file that has it" in (
        encoded.stderr
    )


def test_keygen_output_from_stdin_subprocess(tmp_path: Path) -> None:
    keygen = run_jwtkit("keygen", "--alg", "HS512")
    (tmp_path / "secret.json").write_text(keygen.stdout)

    thumbprint = run_jwtkit("thumbprint", "-", stdin=keygen.stdout)
    encoded = run_jwtkit("encode", "--alg", "HS512", "--key", "secret.json", "{}", cwd=tmp_path)

    assert thumbprint.status == 0, thumbprint.stderr
    assert thumbprint.stdout.strip() == jwtkit.Key.from_jwk(keygen.json()["private"]).thumbprint()
    assert encoded.status == 0, encoded.stderr


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"n": "AQAB", "e": "AQAB"},
            "the JSON object has no 'kty' member, so it is not a JWK; expected one JWK",
        ),
        ({"private": "abc"}, "member 'private' must be a JWK object, got a JSON string"),
        ({"public": None}, "member 'public' must be a JWK object, got a JSON null"),
    ],
)
@pytest.mark.parametrize("command", ["verify", "thumbprint"])
def test_json_without_kty_says_what_is_expected(
    call_main: CallMain, tmp_path: Path, document: dict[str, object], message: str, command: str
) -> None:
    path = tmp_path / "key.json"
    path.write_text(json.dumps(document))
    args = (
        ["--alg", "ES256", "--key", str(path), "e30.e30.e30"]
        if command == "verify"
        else [str(path)]
    )

    result = call_main(command, *args)

    assert result.status == 2
    assert message in result.stderr
    assert "'kty' None" not in result.stderr


# -- undecodable bytes in arguments ---------------------------------------------


def test_secret_undecodable_bytes_subprocess() -> None:
    # Python turns argument bytes that are not UTF-8 into lone surrogates; the
    # secret is the argument's original bytes.
    secret = b"\xff" * 32
    argument = secret.decode("utf-8", "surrogateescape")

    encoded = run_jwtkit("encode", "--alg", "HS256", "--secret", argument, "{}")
    verified = run_jwtkit("verify", "--alg", "HS256", "--secret", argument, encoded.stdout.strip())

    assert encoded.status == 0, encoded.stderr
    assert "Traceback" not in encoded.stderr
    assert jwtkit.decode(encoded.stdout.strip(), secret, algorithms=["HS256"])["iat"] > 0
    assert verified.status == 0, verified.stderr


def test_secret_one_undecodable_byte_is_weak(call_main: CallMain) -> None:
    result = call_main("verify", "--alg", "HS256", "--secret", "\udcff", forge_hs256(b"\xff"))

    assert result.status == 2
    assert "jwtkit: weak_key: " in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["encode", "--alg", "HS256", "--secret", HMAC_SECRET, "--sub", "\udcff"], "--sub"),
        (["encode", "--alg", "HS256", "--secret", HMAC_SECRET, '{"a": "\udcff"}'], "CLAIMS"),
        (["verify", "--alg", "HS256", "--secret", HMAC_SECRET, "--iss", "a\udce9"], "--iss"),
        (["verify", "--alg", "HS\udcff", "--secret", HMAC_SECRET, "e30.e30.e30"], "--alg"),
        (["decode", "e30.e30.\udcff"], "TOKEN"),
        (["jwks", "fetch", "https://a.example/\udcff"], "URL"),
    ],
)
def test_undecodable_argument_rejected(args: list[str], name: str) -> None:
    result = run_jwtkit(*args)

    assert result.status == 2
    assert "Traceback" not in result.stderr
    assert f"jwtkit: usage_error: {name} contains bytes that are not valid UTF-8" in result.stderr


def test_undecodable_file_name_is_used(tmp_path: Path) -> None:
    name = b"secret-\xff.txt".decode("utf-8", "surrogateescape")
    (tmp_path / name).write_text(HMAC_SECRET)

    result = run_jwtkit("encode", "--alg", "HS256", "--secret-file", name, "{}", cwd=tmp_path)

    assert result.status == 0, result.stderr
    assert jwtkit.decode(result.stdout.strip(), HMAC_SECRET, algorithms=["HS256"])


def test_keygen_out_undecodable_name_printed(tmp_path: Path) -> None:
    prefix = b"key-\xff".decode("utf-8", "surrogateescape")

    result = run_jwtkit("keygen", "oct", "--out", prefix, cwd=tmp_path)

    assert result.status == 0, result.stderr
    assert (tmp_path / f"{prefix}.private.jwk").is_file()
    assert "wrote key-\\xff.private.jwk (private JWK, mode 0600)" in result.stdout
