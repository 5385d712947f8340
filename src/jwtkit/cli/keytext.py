"""Recognizing key text: PEM, OpenSSH, JWK and DER keys given where an HMAC secret is expected.

An HS256 token whose MAC key is a server's public key verifies against that
public key used as the secret, and anyone who has the public key can make such
tokens (algorithm confusion, RFC 8725 §2.1). ``--secret`` and ``--secret-file``
therefore reject anything that looks like a key, and tell the user to pass it
with ``--key``, which binds the key to its own algorithm family.
"""

from __future__ import annotations

import re

from jwtkit._encoding import json_loads
from jwtkit.errors import InvalidKeyError, JWTError

# A BEGIN line of PEM (RFC 7468, five dashes) or of an SSH2 public key file
# (RFC 4716, four dashes and a space), in any case. It is searched anywhere in
# the text, because key files often start with comments or an `openssl x509 -text` dump.
BEGIN_LINE = re.compile(rb"-{4,5} ?BEGIN ", re.IGNORECASE)

# The one form that cryptography's PEM loader reads.
PEM_BEGIN = b"-----BEGIN "

# An OpenSSH public key: the key type (ssh-rsa, ssh-ed25519, ecdsa-sha2-nistp256,
# sk-ssh-ed25519@openssh.com, certificates) and then base64 that starts with
# "AAAA", because it opens with the 4-byte length of the type name. An
# authorized_keys line may have options before the type.
OPENSSH_PUBLIC_KEY = re.compile(
    rb"(?:^|\s)(?:ssh|ecdsa|sk)-[A-Za-z0-9@.+-]+\s+AAAA[A-Za-z0-9+/]", re.MULTILINE
)

_BYTE_ORDER_MARK = b"\xef\xbb\xbf"

# Members that make a JSON object a JWK, a JWK Set or the output of `jwtkit keygen`.
_KEY_MEMBERS = frozenset({"kty", "keys", "private", "public"})

_CONFUSION_WARNING = (
    "Using key text as an HMAC secret is the algorithm-confusion attack (RFC 8725 §2.1): "
    "anyone who has the public key could sign tokens that verify. Pass the key with "
    "--key FILE and use the key's own algorithm, such as RS256, ES256 or EdDSA"
)


def strip_text(data: bytes) -> bytes:
    """Remove surrounding whitespace and a UTF-8 byte order mark."""
    return data.strip().removeprefix(_BYTE_ORDER_MARK).strip()


def reject_key_text(secret: bytes, source: str) -> None:
    """Raise InvalidKeyError when bytes meant as an HMAC secret are a key in any common form.

    ``source`` names the option (and file) in the message; the message never
    contains the bytes.
    """
    if BEGIN_LINE.search(secret):
        raise InvalidKeyError(
            f"{source} contains a PEM block, not an HMAC secret. {_CONFUSION_WARNING}"
        )
    if OPENSSH_PUBLIC_KEY.search(secret):
        raise InvalidKeyError(
            f"{source} contains an OpenSSH public key, not an HMAC secret. {_CONFUSION_WARNING}"
        )
    _reject_json_key(secret, source)
    if _is_der_key(secret):
        raise InvalidKeyError(
            f"{source} contains a DER-encoded key, not an HMAC secret. {_CONFUSION_WARNING}"
        )


def _reject_json_key(secret: bytes, source: str) -> None:
    text = strip_text(secret)
    if not text.startswith(b"{"):
        return
    try:
        document = json_loads(text, source)
    except JWTError:
        return
    if not isinstance(document, dict) or not _KEY_MEMBERS.intersection(document):
        return

    if _holds_oct_jwk(document):
        # Not an attack, but the JSON text would become the secret instead of
        # the JWK's 'k' member, and no other party would compute the same MAC.
        raise InvalidKeyError(
            f"{source} contains an 'oct' JWK, not the raw HMAC secret; pass the file with "
            "--key, which uses the JWK's 'k' member as the secret"
        )
    what = "a JWK Set" if "keys" in document else "a JWK"
    raise InvalidKeyError(f"{source} contains {what}, not an HMAC secret. {_CONFUSION_WARNING}")


def _holds_oct_jwk(document: dict[str, object]) -> bool:
    # Either an 'oct' JWK itself or the {"private": ...} object `jwtkit keygen` prints.
    private = document.get("private")
    if isinstance(private, dict):
        document = private
    return document.get("kty") == "oct"


def _is_der_key(secret: bytes) -> bool:
    from jwtkit.jwk.pem import try_load_der

    return try_load_der(secret) is not None
