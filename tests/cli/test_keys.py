"""``jwtkit keygen`` and ``jwtkit thumbprint``: keys that jwtkit and ``cryptography`` both load."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa, x25519

import jwtkit
from tests.cli.conftest import CallMain, KeyFiles, run_jwtkit


def file_mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(
    ("args", "kty", "size", "crv"),
    [
        (["oct"], "oct", 256, None),
        (["oct", "--size", "512"], "oct", 512, None),
        (["RSA"], "RSA", 2048, None),
        (["EC"], "EC", 256, "P-256"),
        (["ec", "--curve", "P-384"], "EC", 384, "P-384"),
        (["EC", "--curve", "secp256k1"], "EC", 256, "secp256k1"),
        (["OKP"], "OKP", 256, "Ed25519"),
        (["okp", "--curve", "Ed448"], "OKP", 456, "Ed448"),
        (["OKP", "--curve", "X25519"], "OKP", 256, "X25519"),
    ],
)
def test_keygen_jwk_output(
    call_main: CallMain, args: list[str], kty: str, size: int, crv: str | None
) -> None:
    result = call_main("keygen", *args)

    assert result.status == 0, result.stderr
    output = result.json()
    private = jwtkit.Key.from_jwk(output["private"])
    assert private.kty == kty
    assert private.is_private
    assert private.size == size
    assert output["private"].get("crv") == crv
    assert private.kid == private.thumbprint()
    if kty == "oct":
        assert set(output) == {"private"}
        return
    assert set(output) == {"private", "public"}
    assert "d" not in output["public"]
    public = jwtkit.Key.from_jwk(output["public"])
    assert not public.is_private
    assert public == private.public_key()
    assert public.kid == private.kid


def test_keygen_jwk_params(call_main: CallMain) -> None:
    result = call_main("keygen", "EC", "--kid", "2026-12", "--alg", "ES256", "--use", "sig")

    assert result.status == 0, result.stderr
    for jwk in result.json().values():
        assert jwk["kid"] == "2026-12"
        assert jwk["alg"] == "ES256"
        assert jwk["use"] == "sig"


@pytest.mark.parametrize(
    ("alg", "kty", "size", "crv"),
    [
        ("HS256", "oct", 256, None),
        ("HS384", "oct", 384, None),
        ("HS512", "oct", 512, None),
        ("RS256", "RSA", 2048, None),
        ("ES256", "EC", 256, "P-256"),
        ("ES384", "EC", 384, "P-384"),
        ("ES512", "EC", 521, "P-521"),
        ("ES256K", "EC", 256, "secp256k1"),
        ("EdDSA", "OKP", 256, "Ed25519"),
    ],
)
def test_keygen_shape_from_alg(
    call_main: CallMain, alg: str, kty: str, size: int, crv: str | None
) -> None:
    result = call_main("keygen", "--alg", alg)

    assert result.status == 0, result.stderr
    key = jwtkit.Key.from_jwk(result.json()["private"])
    assert key.kty == kty
    assert key.size == size
    assert result.json()["private"].get("crv") == crv
    assert key.alg == alg
    token = jwtkit.encode({"sub": "alice"}, key, alg)
    verifying_key = key if kty == "oct" else key.public_key()
    assert jwtkit.decode(token, verifying_key, algorithms=[alg]) == {"sub": "alice"}


def test_keygen_pem_output_loads_in_cryptography(call_main: CallMain) -> None:
    result = call_main("keygen", "RSA", "--size", "3072", "--format", "pem")

    assert result.status == 0, result.stderr
    private_block, public_block = result.stdout.split("-----END PRIVATE KEY-----\n")
    private = serialization.load_pem_private_key(
        (private_block + "-----END PRIVATE KEY-----\n").encode(), password=None
    )
    public = serialization.load_pem_public_key(public_block.encode())
    assert isinstance(private, rsa.RSAPrivateKey)
    assert private.key_size == 3072
    assert isinstance(public, rsa.RSAPublicKey)
    assert public.public_numbers() == private.public_key().public_numbers()


@pytest.mark.parametrize(
    ("args", "private_type"),
    [
        (["EC", "--curve", "P-521"], ec.EllipticCurvePrivateKey),
        (["OKP"], ed25519.Ed25519PrivateKey),
        (["OKP", "--curve", "Ed448"], ed448.Ed448PrivateKey),
        (["OKP", "--curve", "X25519"], x25519.X25519PrivateKey),
    ],
)
def test_keygen_both_formats_agree(
    call_main: CallMain, args: list[str], private_type: type
) -> None:
    result = call_main("keygen", *args, "--format", "both")

    assert result.status == 0, result.stderr
    output = result.json()
    assert set(output) == {"private", "public", "private_pem", "public_pem"}
    private = serialization.load_pem_private_key(output["private_pem"].encode(), password=None)
    assert isinstance(private, private_type)
    from_pem = jwtkit.Key.from_pem(output["private_pem"])
    from_jwk = jwtkit.Key.from_jwk(output["private"])
    assert from_pem == from_jwk
    assert jwtkit.Key.from_pem(output["public_pem"]) == jwtkit.Key.from_jwk(output["public"])


def test_keygen_out_writes_files(tmp_path: Path) -> None:
    prefix = tmp_path / "demo"

    result = run_jwtkit("keygen", "EC", "--kid", "demo", "--out", str(prefix))

    assert result.status == 0, result.stderr
    assert result.stdout.splitlines() == [
        "kid: demo",
        f"wrote {prefix}.private.jwk (private JWK, mode 0600)",
        f"wrote {prefix}.jwk (public JWK, mode 0644)",
        f"wrote {prefix}.private.pem (private PEM, mode 0600)",
        f"wrote {prefix}.pem (public PEM, mode 0644)",
    ]
    assert file_mode(tmp_path / "demo.private.jwk") == 0o600
    assert file_mode(tmp_path / "demo.private.pem") == 0o600
    assert file_mode(tmp_path / "demo.jwk") & 0o077 != 0o077
    assert "d" not in json.loads((tmp_path / "demo.jwk").read_text())
    assert b"PRIVATE" not in (tmp_path / "demo.pem").read_bytes()
    private = serialization.load_pem_private_key(
        (tmp_path / "demo.private.pem").read_bytes(), password=None
    )
    assert isinstance(private, ec.EllipticCurvePrivateKey)


def test_keygen_out_then_encode_and_verify(tmp_path: Path) -> None:
    keygen = run_jwtkit("keygen", "--alg", "ES384", "--out", "demo", cwd=tmp_path)
    encode = run_jwtkit(
        "encode",
        "--alg",
        "ES384",
        "--key",
        "demo.private.jwk",
        "--exp",
        "15m",
        stdin='{"sub": "alice"}',
        cwd=tmp_path,
    )
    verify_jwk = run_jwtkit(
        "verify",
        "--alg",
        "ES384",
        "--key",
        "demo.jwk",
        "--json",
        stdin=encode.stdout,
        cwd=tmp_path,
    )
    verify_pem = run_jwtkit(
        "verify", "--alg", "ES384", "--key", "demo.pem", stdin=encode.stdout, cwd=tmp_path
    )

    assert keygen.status == 0, keygen.stderr
    assert encode.status == 0, encode.stderr
    assert verify_jwk.status == 0, verify_jwk.stderr
    assert verify_jwk.json()["claims"]["sub"] == "alice"
    assert verify_pem.status == 0, verify_pem.stderr


def test_keygen_out_oct_writes_secret_only(call_main: CallMain, tmp_path: Path) -> None:
    result = call_main("keygen", "oct", "--out", str(tmp_path / "hmac"))

    assert result.status == 0, result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["hmac.private.jwk"]
    assert file_mode(tmp_path / "hmac.private.jwk") == 0o600
    assert '"k"' not in result.stdout


def test_keygen_out_keeps_existing_files(call_main: CallMain, tmp_path: Path) -> None:
    existing = tmp_path / "demo.pem"
    existing.write_text("keep me")

    result = call_main("keygen", "EC", "--out", str(tmp_path / "demo"))

    assert result.status == 2
    assert f"these files already exist: {existing}; pass --force" in result.stderr
    assert existing.read_text() == "keep me"
    assert not (tmp_path / "demo.private.pem").exists()


def test_keygen_force_resets_mode(call_main: CallMain, tmp_path: Path) -> None:
    existing = tmp_path / "demo.private.jwk"
    existing.write_text("old")
    existing.chmod(0o644)

    result = call_main(
        "keygen", "EC", "--format", "jwk", "--out", str(tmp_path / "demo"), "--force"
    )

    assert result.status == 0, result.stderr
    assert file_mode(existing) == 0o600
    assert jwtkit.Key.from_jwk(existing.read_text()).is_private


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "name the key type to generate (oct, RSA, EC or OKP), or pass --alg"),
        (["EC", "--alg", "RS256"], "--alg RS256 needs a key of kty RSA, but KTY is EC"),
        (["oct", "--alg", "HS256", "--size", "128"], "--size 128 is too small for HS256"),
        (["oct", "--size", "12"], "oct key size must be a positive multiple of 8 bits"),
        (["RSA", "--size", "1024"], "RSA key size must be between 2048 and 16384 bits"),
        (["EC", "--curve", "P-192"], "EC curve 'P-192' is not supported"),
        (["EC", "--size", "256"], "an EC key's size follows from its curve"),
        (["oct", "--format", "pem"], "an oct key is a raw secret and has no PEM form"),
        (["oct", "--format", "both"], "an oct key is a raw secret and has no PEM form"),
        (["OKP", "--curve", "X25519", "--alg", "EdDSA"], "X25519"),
        (["EC", "--alg", "ES256", "--use", "enc"], "'use' is 'enc'"),
        (["EC", "--kid", ""], "--kid must not be empty"),
        (["--alg", "none"], "'none' produces unsigned tokens"),
        (["--alg", ""], "argument --alg: the value is empty"),
    ],
)
def test_keygen_usage_errors(call_main: CallMain, args: list[str], message: str) -> None:
    result = call_main("keygen", *args)

    assert result.status == 2
    assert result.stdout == ""
    assert message in result.stderr


def test_keygen_unknown_kty(call_main: CallMain) -> None:
    result = call_main("keygen", "DSA")

    assert result.status == 2
    assert "'DSA' is not a key type; use oct, RSA, EC or OKP" in result.stderr


def test_thumbprint_same_for_every_form(call_main: CallMain, ec_key: KeyFiles) -> None:
    expected = ec_key.key.thumbprint()

    for path in (ec_key.private_pem, ec_key.public_pem, ec_key.private_jwk, ec_key.public_jwk):
        result = call_main("thumbprint", str(path))
        assert result.status == 0, result.stderr
        assert result.stdout == expected + "\n"


@pytest.mark.parametrize("hash_name", ["sha256", "sha384", "sha512"])
def test_thumbprint_hash(call_main: CallMain, rsa_key: KeyFiles, hash_name: str) -> None:
    result = call_main("thumbprint", "--hash", hash_name, str(rsa_key.public_pem))

    assert result.status == 0, result.stderr
    assert result.stdout.strip() == rsa_key.key.thumbprint(hash_name)


def test_thumbprint_uri(call_main: CallMain, ed25519_key: KeyFiles) -> None:
    result = call_main("thumbprint", "--uri", "--hash", "sha384", str(ed25519_key.public_jwk))

    assert result.stdout.strip() == (
        "urn:ietf:params:oauth:jwk-thumbprint:sha-384:" + ed25519_key.key.thumbprint("sha384")
    )


def test_thumbprint_rfc7638_example(vectors_dir: Path) -> None:
    vectors = vectors_dir / "latchset-jose" / "tests" / "vectors"
    expected = (vectors / "rfc7638_3.1.thp").read_text().strip()

    result = run_jwtkit("thumbprint", "-", stdin=(vectors / "rfc7638_3.1.jwk").read_bytes())

    assert result.status == 0, result.stderr
    assert result.stdout == expected + "\n"
    assert expected == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_thumbprint_rejects_non_key(call_main: CallMain, tmp_path: Path) -> None:
    path = tmp_path / "token.txt"
    path.write_text("eyJhbGciOiJIUzI1NiJ9.e30.sig")

    result = call_main("thumbprint", str(path))

    assert result.status == 2
    assert f"key file {path}: the file is not a PEM, OpenSSH, DER or JWK key" in result.stderr


def test_thumbprint_bad_jwk(call_main: CallMain, tmp_path: Path) -> None:
    path = tmp_path / "key.jwk"
    path.write_text('{"kty": "EC", "crv": "P-256"}')

    result = call_main("thumbprint", str(path))

    assert result.status == 2
    assert f"jwtkit: invalid_key: key file {path}: " in result.stderr


def test_thumbprint_unknown_hash(call_main: CallMain, ec_key: KeyFiles) -> None:
    result = call_main("thumbprint", "--hash", "md5", str(ec_key.public_pem))

    assert result.status == 2
    assert "invalid choice: 'md5'" in result.stderr


def test_keygen_oct_size_over_limit(call_main: CallMain) -> None:
    result = call_main("keygen", "oct", "--size", "80000000000")

    assert result.status == 2
    assert "over the limit of 8192" in result.stderr
    assert "Traceback" not in result.stderr
