"""Loading the keys named by ``--secret``, ``--secret-file``, ``--key`` and ``--jwks``.

Messages name the option and the file, never the key material. A secret given
on the command line is visible to other users in the process list and stays
in the shell history, so the help texts steer towards ``--secret-file``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from jwtkit.cli.options import parse_json_object
from jwtkit.cli.output import MAX_INPUT_BYTES, read_stdin
from jwtkit.errors import InvalidKeyError, JWTError, UsageError
from jwtkit.jwk import Key, KeySet

SECRET_HELP = (
    "the HMAC secret as text (UTF-8). It shows in the process list and the shell "
    "history; prefer --secret-file"
)
SECRET_FILE_HELP = (
    "read the HMAC secret from FILE, as raw bytes without one trailing newline; for a "
    "secret that ends in a newline byte, use --key with an 'oct' JWK"
)
KEY_HELP = (
    "read the key from FILE: PEM (PKCS#8, SubjectPublicKeyInfo, PKCS#1, SEC1, X.509 "
    "certificate), an OpenSSH key, DER, or a JWK as JSON (an 'oct' JWK for HMAC)"
)

_PEM_OR_SSH_PREFIXES = (
    b"-----BEGIN ",
    b"ssh-rsa ",
    b"ssh-ed25519 ",
    b"ssh-ed448 ",
    b"ecdsa-sha2-",
)


def add_key_options(group: argparse._MutuallyExclusiveGroup) -> None:
    """Add ``--secret``, ``--secret-file`` and ``--key`` to a group of key sources."""
    group.add_argument("--secret", metavar="TEXT", help=SECRET_HELP)
    group.add_argument("--secret-file", metavar="FILE", help=SECRET_FILE_HELP)
    group.add_argument("--key", metavar="FILE", help=KEY_HELP)


def key_from_options(args: argparse.Namespace) -> Key | None:
    """Return the key given by ``--secret``, ``--secret-file`` or ``--key``, or None."""
    if args.secret is not None:
        return secret_key(args.secret.encode("utf-8"), "--secret")
    if args.secret_file is not None:
        data = read_file(args.secret_file, "--secret-file")
        return secret_key(_strip_one_newline(data), f"--secret-file {args.secret_file}")
    if args.key is not None:
        return load_key_file(args.key, "--key")
    return None


def secret_key(secret: bytes, source: str) -> Key:
    """Wrap an HMAC secret; an empty one is a usage error."""
    if not secret:
        raise InvalidKeyError(f"the HMAC secret from {source} is empty")
    return Key.from_secret(secret)


def load_key_file(path: str, option: str) -> Key:
    """Load one key from a PEM, OpenSSH, DER or JWK file; ``-`` reads stdin."""
    data = read_file(path, option)
    try:
        return parse_key(data, option)
    except InvalidKeyError as exc:
        raise type(exc)(f"{option} {path}: {exc}") from None


def parse_key(data: bytes, option: str) -> Key:
    """Parse key bytes: a JWK when they start with '{', PEM or OpenSSH by prefix, else DER."""
    stripped = data.strip()
    if stripped.startswith(b"{"):
        jwk = _parse_json_key(stripped, "the JWK")
        if "keys" in jwk:
            raise InvalidKeyError(
                "the file is a JWK Set, not one JWK; extract the key to use (jwtkit "
                "verify takes a whole set with --jwks)"
            )
        return Key.from_jwk(jwk)
    if stripped.startswith(_PEM_OR_SSH_PREFIXES):
        return Key.from_pem(stripped)
    try:
        return Key.from_der(data)
    except InvalidKeyError:
        raise InvalidKeyError(
            "the file is not a PEM, OpenSSH, DER or JWK key; for an HMAC secret stored "
            "as raw bytes use --secret-file"
        ) from None


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
