"""``jwtkit keygen`` and ``jwtkit thumbprint``: make keys and name them."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from jwtkit.cli.keyload import load_key_file
from jwtkit.cli.options import non_empty
from jwtkit.cli.output import EXIT_OK, print_json, translate_errors
from jwtkit.errors import UsageError, WeakKeyError
from jwtkit.jwa import SignatureAlgorithm
from jwtkit.jwk import Key

KEY_TYPES = {"oct": "oct", "rsa": "RSA", "ec": "EC", "okp": "OKP"}

# RFC 9278 §3 names the hash in a thumbprint URI as the IANA "Named
# Information Hash Algorithm" registry does.
THUMBPRINT_URI_HASHES = {"sha256": "sha-256", "sha384": "sha-384", "sha512": "sha-512"}

PRIVATE_FILE_MODE = 0o600
PUBLIC_FILE_MODE = 0o644

KEYGEN_EXAMPLES = """\
examples:
  jwtkit keygen EC --curve P-256 --kid demo --out demo    # demo.private.jwk, demo.jwk, PEM too
  jwtkit keygen --alg HS512 > secret.json                  # an HS512 key for --key secret.json
  jwtkit keygen RSA --size 3072 --format pem

with --out PREFIX, the files are PREFIX.private.jwk and PREFIX.private.pem (the private
key, mode 0600) and PREFIX.jwk and PREFIX.pem (the public key); an oct key has only
PREFIX.private.jwk. Existing files are kept unless --force is given.

exit status: 0 when the key is generated, 2 for a usage error
"""

THUMBPRINT_EPILOG = """\
exit status: 0 when the thumbprint is printed, 2 for a usage error (an option or
a file that is not a key)
"""


def register(subparsers: Any) -> None:
    """Add the keygen and thumbprint subcommands."""
    _register_keygen(subparsers)
    _register_thumbprint(subparsers)


# -- keygen ---------------------------------------------------------------------


def _register_keygen(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "keygen",
        help="generate a key as JWK and PEM",
        description=(
            "Generate a private key and print it with its public key, as JWK (default),\n"
            "PEM or both, or write them to files with --out."
        ),
        epilog=KEYGEN_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "kty",
        nargs="?",
        type=_key_type,
        metavar="KTY",
        help="the key type: oct (HMAC secret), RSA, EC or OKP; optional when --alg is given",
    )
    parser.add_argument(
        "--size",
        type=int,
        metavar="BITS",
        help="the key size in bits: oct (default 256, or the hash size of --alg), RSA "
        "(default 2048, at least 2048)",
    )
    parser.add_argument(
        "--curve",
        metavar="CRV",
        help="the curve: EC P-256 (default), P-384, P-521 or secp256k1; OKP Ed25519 "
        "(default), Ed448, X25519 or X448",
    )
    parser.add_argument(
        "--kid", help="the JWK kid (default: the key's RFC 7638 SHA-256 thumbprint)"
    )
    parser.add_argument(
        "--alg",
        metavar="ALG",
        type=non_empty("name an algorithm such as ES256, or leave --alg out"),
        help="bind the key to this algorithm with the JWK alg member; it also picks the key "
        "type, the curve and the minimum size when they are not given",
    )
    parser.add_argument("--use", choices=("sig", "enc"), help="the JWK use member: sig or enc")
    parser.add_argument(
        "--format",
        choices=("jwk", "pem", "both"),
        help="the output format (default: jwk on stdout, both with --out); oct keys are JWK only",
    )
    parser.add_argument(
        "--out",
        metavar="PREFIX",
        help="write the keys to files named PREFIX.* instead of printing them (see below)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite existing files with --out")
    parser.set_defaults(handler=run_keygen)


def _key_type(text: str) -> str:
    kty = KEY_TYPES.get(text.lower())
    if kty is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a key type; use oct, RSA, EC or OKP")
    return kty


@translate_errors
def run_keygen(args: argparse.Namespace) -> int:
    """Generate a key and print it or write it to files."""
    algorithm = _algorithm(args.alg)
    kty, size, curve = _key_shape(args, algorithm)
    if args.kid == "":
        raise UsageError("--kid must not be empty; leave it out to use the key's thumbprint")
    output_format = _output_format(args.format, args.out, kty)

    key = Key.generate(kty, size=size, curve=curve, alg=args.alg, use=args.use)
    if algorithm is not None:
        _check_fits(key, algorithm, size)
    key = Key.from_jwk({**key.to_jwk(private=True), "kid": args.kid or key.thumbprint()})

    files = _key_files(key, output_format)
    if args.out is None:
        _print_keys(files, output_format)
        return EXIT_OK

    written = _write_key_files(args.out, files, args.force)
    print(f"kid: {key.kid}")
    for path, description in written:
        print(f"wrote {_printable_path(path)} ({description})")
    return EXIT_OK


def _algorithm(name: str | None) -> SignatureAlgorithm | None:
    if name is None:
        return None
    from jwtkit.jwa import get_signature_algorithm

    return get_signature_algorithm(name)


def _key_shape(
    args: argparse.Namespace, algorithm: SignatureAlgorithm | None
) -> tuple[str, int | None, str | None]:
    """Return the kty, size and curve to generate, filling gaps from --alg."""
    kty, size, curve = args.kty, args.size, args.curve
    if algorithm is None:
        if kty is None:
            raise UsageError(
                "name the key type to generate (oct, RSA, EC or OKP), or pass --alg to "
                "pick it from the algorithm"
            )
        return kty, size, curve

    if kty is None:
        kty = algorithm.kty
    if kty != algorithm.kty:
        raise UsageError(
            f"--alg {algorithm.name} needs a key of kty {algorithm.kty}, but KTY is {kty}; "
            "leave KTY out to take it from --alg"
        )
    if size is None and curve is None:
        from jwtkit.jwa.hmac import HMACAlgorithm

        if isinstance(algorithm, HMACAlgorithm):
            size = algorithm.min_key_bytes * 8
        elif len(algorithm.curves) == 1 and kty == "EC":
            (curve,) = algorithm.curves
    return kty, size, curve


def _check_fits(key: Key, algorithm: SignatureAlgorithm, size: int | None) -> None:
    try:
        key.check_algorithm(algorithm, "sign")
    except WeakKeyError:
        raise UsageError(
            f"--size {size} is too small for {algorithm.name} (RFC 7518 §3.2: an HMAC key "
            "must be at least as long as the hash output); leave --size out to get the "
            "minimum size"
        ) from None


def _output_format(requested: str | None, out: str | None, kty: str) -> str:
    if kty == "oct":
        if requested in ("pem", "both"):
            raise UsageError("an oct key is a raw secret and has no PEM form; use --format jwk")
        return "jwk"
    if requested is not None:
        return requested
    return "both" if out is not None else "jwk"


def _key_files(key: Key, output_format: str) -> dict[str, str]:
    """Serialize the key as the texts to print or write, keyed by file suffix."""
    texts: dict[str, str] = {}
    if output_format in ("jwk", "both"):
        texts["private.jwk"] = json.dumps(key.to_jwk(private=True), indent=2) + "\n"
        if key.kty != "oct":
            texts["jwk"] = json.dumps(key.public_key().to_jwk(), indent=2) + "\n"
    if output_format in ("pem", "both"):
        texts["private.pem"] = key.to_pem(private=True).decode("ascii")
        texts["pem"] = key.to_pem().decode("ascii")
    return texts


def _print_keys(files: dict[str, str], output_format: str) -> None:
    if output_format == "pem":
        print(files["private.pem"] + files["pem"], end="")
        return

    result: dict[str, Any] = {"private": json.loads(files["private.jwk"])}
    if "jwk" in files:
        result["public"] = json.loads(files["jwk"])
    if output_format == "both":
        result["private_pem"] = files["private.pem"]
        result["public_pem"] = files["pem"]
    print_json(result)


def _write_key_files(prefix: str, files: dict[str, str], force: bool) -> list[tuple[str, str]]:
    """Write each text to PREFIX.SUFFIX; private parts get mode 0600. Return what was written."""
    paths = {suffix: f"{prefix}.{suffix}" for suffix in files}
    existing = [path for path in paths.values() if os.path.lexists(path)]
    if existing and not force:
        raise UsageError(
            f"these files already exist: {', '.join(existing)}; pass --force to overwrite "
            "them, or choose another --out prefix"
        )

    written = []
    for suffix, text in files.items():
        private = suffix.startswith("private.")
        mode = PRIVATE_FILE_MODE if private else PUBLIC_FILE_MODE
        _write_new_file(paths[suffix], text, mode)
        kind = "private" if private else "public"
        form = "JWK" if suffix.endswith("jwk") else "PEM"
        written.append((paths[suffix], f"{kind} {form}, mode {mode:04o}"))
    return written


def _printable_path(path: str) -> str:
    # Python decodes name bytes that are not UTF-8 to lone surrogates, which a
    # UTF-8 terminal cannot print, so those bytes are shown as \xNN escapes.
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _write_new_file(path: str, text: str, mode: int) -> None:
    # The file is created with its final mode, so a private key is never
    # readable by others, not even between creation and a later chmod. An
    # existing file (kept only with --force) is removed first, because
    # O_CREAT does not change the mode of a file that already exists.
    try:
        if os.path.lexists(path):
            os.unlink(path)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None


# -- thumbprint -----------------------------------------------------------------


def _register_thumbprint(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "thumbprint",
        help="print the RFC 7638 thumbprint of a key",
        description=(
            "Print the RFC 7638 JWK thumbprint of a key, base64url encoded. A private key\n"
            "and its public key have the same thumbprint."
        ),
        epilog=THUMBPRINT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        help=(
            "the key: PEM, OpenSSH, DER, a JWK as JSON, or the JSON that 'jwtkit keygen' "
            "prints; '-' reads it from stdin"
        ),
    )
    parser.add_argument(
        "--hash",
        choices=tuple(THUMBPRINT_URI_HASHES),
        default="sha256",
        help="the hash function (default sha256)",
    )
    parser.add_argument(
        "--uri",
        action="store_true",
        help="print it as an RFC 9278 URI (urn:ietf:params:oauth:jwk-thumbprint:...)",
    )
    parser.set_defaults(handler=run_thumbprint)


@translate_errors
def run_thumbprint(args: argparse.Namespace) -> int:
    """Print the key's thumbprint."""
    key = load_key_file(args.file, "key file")
    thumbprint = key.thumbprint(args.hash)
    if args.uri:
        hash_name = THUMBPRINT_URI_HASHES[args.hash]
        thumbprint = f"urn:ietf:params:oauth:jwk-thumbprint:{hash_name}:{thumbprint}"
    print(thumbprint)
    return EXIT_OK
