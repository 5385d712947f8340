"""Loading the keys named by ``--secret``, ``--secret-file``, ``--key`` and ``--jwks``.

Messages name the option and the file, never the key material. A secret given
on the command line is visible to other users in the process list and stays
in the shell history, so the help texts steer towards ``--secret-file``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, Literal

from jwtkit._encoding import json_type_name
from jwtkit.cli.keytext import (
    BEGIN_LINE,
    OPENSSH_PUBLIC_KEY,
    PEM_BEGIN,
    reject_key_text,
    strip_text,
)
from jwtkit.cli.options import parse_json_object
from jwtkit.cli.output import MAX_INPUT_BYTES, read_stdin
from jwtkit.errors import InvalidKeyError, JWTError, UsageError
from jwtkit.jwk import Key, KeySet

# The purpose a key is loaded for. From `jwtkit keygen` output, "sign" takes the
# private key and "verify" (verification, thumbprints, lint) the public one.
KeyUse = Literal["sign", "verify"]

SECRET_HELP = (
    "the HMAC secret: the argument's bytes as given (UTF-8 for text). It shows in the "
    "process list and the shell history; prefer --secret-file. PEM, OpenSSH and JWK "
    "key text is rejected; pass keys with --key"
)
SECRET_FILE_HELP = (
    "read the HMAC secret from FILE, as raw bytes without one trailing newline; for a "
    "secret that ends in a newline byte, use --key with an 'oct' JWK. PEM, OpenSSH, "
    "DER and JWK keys are rejected; pass them with --key"
)
KEY_HELP = (
    "read the key from FILE: PEM (PKCS#8, SubjectPublicKeyInfo, PKCS#1, SEC1, X.509 "
    "certificate; text before the PEM block is skipped), an OpenSSH key, DER, a JWK as "
    "JSON (an 'oct' JWK for HMAC), or the JSON that 'jwtkit keygen' prints"
)

# The OpenSSH public key types that Key.from_pem reads.
_LOADABLE_OPENSSH_TYPES = (b"ssh-rsa ", b"ssh-ed25519 ", b"ssh-ed448 ", b"ecdsa-sha2-")

KEYGEN_OUTPUT = 'the {"private": ..., "public": ...} object that \'jwtkit keygen\' prints'


def add_key_options(group: argparse._MutuallyExclusiveGroup) -> None:
    """Add ``--secret``, ``--secret-file`` and ``--key`` to a group of key sources."""
    group.add_argument("--secret", metavar="TEXT", help=SECRET_HELP)
    group.add_argument("--secret-file", metavar="FILE", help=SECRET_FILE_HELP)
    group.add_argument("--key", metavar="FILE", help=KEY_HELP)


def key_from_options(args: argparse.Namespace, use: KeyUse = "verify") -> Key | None:
    """Return the key given by ``--secret``, ``--secret-file`` or ``--key``, or None."""
    if args.secret is not None:
        # os.fsencode restores the argument's bytes, including bytes that are
        # not UTF-8 and that Python decoded to lone surrogates.
        return secret_key(os.fsencode(args.secret), "--secret")
    if args.secret_file is not None:
        data = read_file(args.secret_file, "--secret-file")
        return secret_key(_strip_one_newline(data), f"--secret-file {args.secret_file}")
    if args.key is not None:
        return load_key_file(args.key, "--key", use)
    return None


def secret_key(secret: bytes, source: str) -> Key:
    """Wrap an HMAC secret; an empty one, or key text, is a usage error."""
    if not secret:
        raise InvalidKeyError(f"the HMAC secret from {source} is empty")
    reject_key_text(secret, source)
    return Key.from_secret(secret)


def load_key_file(path: str, option: str, use: KeyUse = "verify") -> Key:
    """Load one key from a PEM, OpenSSH, DER or JWK file; ``-`` reads stdin."""
    data = read_file(path, option)
    try:
        return parse_key(data, option, use)
    except InvalidKeyError as exc:
        raise type(exc)(f"{option} {path}: {exc}") from None


def parse_key(data: bytes, option: str, use: KeyUse = "verify") -> Key:
    """Parse key bytes: JSON if they start with '{', PEM or OpenSSH if they contain it, else DER."""
    text = strip_text(data)
    if text.startswith(b"{"):
        return _key_from_json(text, use)

    begin = BEGIN_LINE.search(text)
    if begin is not None:
        if begin.group() != PEM_BEGIN:
            raise InvalidKeyError(
                "the file has a BEGIN line that is not a PEM header such as "
                "'-----BEGIN PUBLIC KEY-----' (RFC 7468 writes it in capitals with five "
                "dashes); convert the key to PEM, OpenSSH, DER or JWK"
            )
        return Key.from_pem(text[begin.start() :])
    if OPENSSH_PUBLIC_KEY.match(text):
        return _key_from_openssh(text)

    try:
        return Key.from_der(data)
    except InvalidKeyError:
        raise InvalidKeyError(
            f"the file is not a PEM, OpenSSH, DER or JWK key; {_secret_hint(option)}"
        ) from None


def _key_from_openssh(text: bytes) -> Key:
    if text.startswith(_LOADABLE_OPENSSH_TYPES):
        return Key.from_pem(text)
    key_type = text.split(None, 1)[0].decode("ascii", "replace")
    raise InvalidKeyError(
        f"OpenSSH key type {key_type!r} is not supported; use an ssh-rsa, ecdsa-sha2-* "
        "or ssh-ed25519 key"
    )


def _secret_hint(option: str) -> str:
    if option == "--key":
        return "for an HMAC secret stored as raw bytes use --secret-file"
    return "for an HMAC secret, write it as an 'oct' JWK ('jwtkit keygen oct' makes one)"


def _key_from_json(text: bytes, use: KeyUse) -> Key:
    document = _parse_json_key(text, "the JWK")
    if "keys" in document:
        raise InvalidKeyError(
            "the file is a JWK Set, not one JWK; extract the key to use (jwtkit "
            "verify takes a whole set with --jwks)"
        )
    if "kty" in document:
        return Key.from_jwk(document)
    if "private" in document or "public" in document:
        return _key_from_keygen_output(document, use)
    raise InvalidKeyError(
        f"the JSON object has no 'kty' member, so it is not a JWK; expected one JWK, such "
        f'as {{"kty": "EC", ...}}, or {KEYGEN_OUTPUT}'
    )


def _key_from_keygen_output(document: dict[str, Any], use: KeyUse) -> Key:
    """Pick the key for ``use`` from the {"private": JWK, "public": JWK} of `jwtkit keygen`."""
    members: dict[str, Any] = {}
    for name in ("private", "public"):
        if name not in document:
            continue
        if not isinstance(document[name], dict):
            raise InvalidKeyError(
                f"member {name!r} must be a JWK object, got a JSON "
                f"{json_type_name(document[name])}; expected {KEYGEN_OUTPUT}"
            )
        members[name] = document[name]

    if use == "sign":
        if "private" not in members:
            raise InvalidKeyError(
                "the keygen output has no 'private' member, so it cannot sign; pass the "
                "file that has it"
            )
        return Key.from_jwk(members["private"])

    if "public" in members:
        return Key.from_jwk(members["public"])
    # An oct key has no public part; for other kinds, verifying needs only the public key.
    key = Key.from_jwk(members["private"])
    return key if key.kty == "oct" else key.public_key()


def load_jwks_file(path: str) -> KeySet:
    """Load a JWK Set file; a set in which no key is usable is an error."""
    data = read_file(path, "--jwks")
    try:
        keyset = KeySet.from_jwks(_parse_json_key(data, "the JWK Set"))
    except InvalidKeyError as exc:
        raise InvalidKeyError(f"--jwks {path}: {exc}") from None
    if not keyset.keys:
        reasons = "; ".join(keyset.skipped[:3]) or "its 'keys' array is empty"
        raise InvalidKeyError(f"--jwks {path}: the JWK Set has no usable key ({reasons})")
    return keyset


def read_file(path: str, option: str) -> bytes:
    """Read a whole file named by an option (``-`` reads stdin), capped at MAX_INPUT_BYTES."""
    if path == "-":
        return read_stdin(f"the {option} input", explicit=True)
    try:
        with Path(path).open("rb") as file:
            data = file.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot read the file: {exc.strerror}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(
            f"{option} {path}: the file is larger than {MAX_INPUT_BYTES} bytes, too large for a key"
        )
    return data


def _parse_json_key(data: bytes, what: str) -> dict[str, object]:
    try:
        return parse_json_object(data, what)
    except JWTError as exc:
        raise InvalidKeyError(str(exc)) from None


def _strip_one_newline(data: bytes) -> bytes:
    # Files written with `echo secret > file` end in a newline that is not
    # part of the secret; a single one is removed, nothing else.
    if data.endswith(b"\r\n"):
        return data[:-2]
    if data.endswith(b"\n"):
        return data[:-1]
    return data
