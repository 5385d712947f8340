"""PEM, DER, X.509 and OpenSSH key formats, through ``cryptography``'s loaders."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jwtkit.errors import InvalidKeyError, UsageError

if TYPE_CHECKING:
    from jwtkit.jwk.base import Key

_SSH_PUBLIC_PREFIXES = (b"ssh-rsa ", b"ssh-ed25519 ", b"ssh-ed448 ", b"ecdsa-sha2-")
_PEM_MARKER = b"-----BEGIN "
_BYTE_ORDER_MARK = b"\xef\xbb\xbf"


def key_bytes(data: str | bytes, what: str) -> bytes:
    """Return key text or bytes as bytes, UTF-8 encoding a str; ``what`` names it in errors."""
    if isinstance(data, str):
        return utf8_bytes(data, what, InvalidKeyError)
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise InvalidKeyError(f"{what} must be bytes or str, got {type(data).__name__}")


def utf8_bytes(text: str, what: str, error: type[UsageError]) -> bytes:
    """Encode ``text`` as UTF-8; a lone surrogate, which UTF-8 cannot encode, raises ``error``."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        # Only the position is shown: the text may be key material.
        raise error(
            f"{what} contains a lone surrogate at index {exc.start}, which is not valid "
            "Unicode and has no UTF-8 encoding; pass bytes, or text decoded as UTF-8"
        ) from None


def _password_bytes(password: str | bytes | None) -> bytes | None:
    if password is None or isinstance(password, bytes):
        return password
    if isinstance(password, str):
        return utf8_bytes(password, "the password", UsageError)
    raise UsageError(f"password must be str or bytes, got {type(password).__name__}")


def looks_like_public_key_text(data: bytes) -> bool:
    """Tell whether bytes look like PEM or an OpenSSH key rather than a raw secret.

    This is what keeps a server's RSA, EC or EdDSA public key, passed as text
    where an HMAC secret is expected, from becoming that secret (the
    algorithm-confusion attack of RFC 8725 §2.1). A PEM block counts anywhere
    in the bytes, because a key file may start with a byte order mark or text.
    """
    stripped = data.lstrip().removeprefix(_BYTE_ORDER_MARK).lstrip()
    return _PEM_MARKER in data or stripped.startswith(_SSH_PUBLIC_PREFIXES)


def _strip_preamble(raw: bytes) -> bytes:
    """Drop whitespace, a UTF-8 byte order mark and any text before the first PEM block."""
    raw = raw.strip().removeprefix(_BYTE_ORDER_MARK).strip()
    if raw.startswith(_SSH_PUBLIC_PREFIXES):
        return raw
    # Key files often carry text before the block: "Bag Attributes" from
    # openssl pkcs12, or the dump that openssl x509 -text prints.
    start = raw.find(_PEM_MARKER)
    return raw[start:] if start > 0 else raw


def load_pem(data: str | bytes, password: str | bytes | None = None) -> Any:
    """Load a PEM or OpenSSH key into a ``cryptography`` key object."""
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    raw = _strip_preamble(key_bytes(data, "a PEM key"))
    secret = _password_bytes(password)
    _check_single_block(raw)
    try:
        if raw.startswith(_SSH_PUBLIC_PREFIXES):
            return serialization.load_ssh_public_key(raw)
        if raw.startswith(b"-----BEGIN OPENSSH PRIVATE KEY-----"):
            return serialization.load_ssh_private_key(raw, secret)
        if raw.startswith(b"-----BEGIN CERTIFICATE-----"):
            from cryptography import x509  # costs ~15 ms, so loaded only for certificates

            return x509.load_pem_x509_certificate(raw).public_key()
        if not raw.startswith(_PEM_MARKER):
            raise InvalidKeyError(
                "the key is not PEM: it does not start with '-----BEGIN'; pass PEM text, "
                "use Key.from_der for DER bytes or Key.from_secret for an HMAC secret"
            )
        header = raw.split(b"\n", 1)[0]
        if b"PRIVATE KEY" in header:
            return serialization.load_pem_private_key(raw, secret)
        if b"PUBLIC KEY" in header:
            return serialization.load_pem_public_key(raw)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise InvalidKeyError(f"cannot load the PEM key: {_loader_reason(exc)}") from None
    label = header.decode("ascii", "replace").strip("- ").removeprefix("BEGIN ")
    raise InvalidKeyError(
        f"PEM block {label!r} is not a key; pass a PRIVATE KEY, PUBLIC KEY or CERTIFICATE block"
    )


def _check_single_block(raw: bytes) -> None:
    # Loading the first of several blocks would pick a key by file order: a
    # certificate before its private key, or the leaf of a chain by luck.
    count = raw.count(_PEM_MARKER)
    if count <= 1:
        return
    labels = [
        line.split(_PEM_MARKER, 1)[1].strip(b"- \r").decode("ascii", "replace")
        for line in raw.splitlines()
        if line.startswith(_PEM_MARKER)
    ]
    raise InvalidKeyError(
        f"the PEM text contains {count} PEM blocks ({', '.join(labels)}), so the key to use is "
        "ambiguous; pass one block: the PRIVATE KEY to sign, or the PUBLIC KEY or the "
        "issuer's own CERTIFICATE to verify"
    )


def load_der(data: bytes, password: str | bytes | None = None) -> Any:
    """Load a DER private key, public key or X.509 certificate."""
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization

    if isinstance(data, str):
        raise InvalidKeyError(
            "a DER key must be bytes, got str; pass PEM text to Key.from_pem, or the "
            "binary DER bytes here"
        )
    raw = key_bytes(data, "a DER key")
    secret = _password_bytes(password)
    loaders = (
        lambda: serialization.load_der_private_key(raw, secret),
        lambda: serialization.load_der_public_key(raw),
        lambda: x509.load_der_x509_certificate(raw).public_key(),
    )
    for load in loaders:
        try:
            return load()
        except TypeError as exc:
            raise InvalidKeyError(f"cannot load the DER key: {_loader_reason(exc)}") from None
        except (ValueError, UnsupportedAlgorithm):
            continue
    raise InvalidKeyError(
        "the bytes are not a DER private key (PKCS#8, PKCS#1, SEC1), public key "
        "(SubjectPublicKeyInfo, PKCS#1) or X.509 certificate"
    )


def try_load_der(data: bytes) -> Any | None:
    """Load DER public-key material if the bytes are one, else return None."""
    if not data.startswith(b"\x30"):
        return None
    try:
        return load_der(data)
    except InvalidKeyError:
        return None


def dump_pem(key: Key, private: bool, password: str | bytes | None) -> bytes:
    """Serialize a key as PKCS#8 (private) or SubjectPublicKeyInfo (public) PEM."""
    from cryptography.hazmat.primitives import serialization

    if key.kty == "oct":
        raise UsageError("an oct key is a raw secret and has no PEM form; use to_jwk(private=True)")
    if not private:
        public: Any = key.verifying_key
        return bytes(
            public.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    if not key.is_private:
        raise UsageError("this key has no private part to export; call to_pem() without private")
    secret = _password_bytes(password)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(secret) if secret else serialization.NoEncryption()
    )
    private_key: Any = key.signing_key
    return bytes(
        private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )
    )


def _loader_reason(exc: Exception) -> str:
    # cryptography's messages describe what is wrong with the structure
    # ("password was not given", "bad decrypt") without echoing key bytes.
    text = str(exc).split("\n", 1)[0] or type(exc).__name__
    return text.rstrip(".")
