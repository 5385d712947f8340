"""``jwtkit encode``, ``jwtkit decode`` and ``jwtkit verify``: create, inspect and verify tokens."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from jwtkit.cli.jwks import add_jwks_url_options, fetch_key_set
from jwtkit.cli.keyload import add_key_options, key_from_options, load_jwks_file
from jwtkit.cli.options import (
    DURATION_HELP,
    TIME_HELP,
    current_time,
    non_empty,
    parse_algorithms,
    parse_duration,
    parse_json_object,
    parse_time,
)
from jwtkit.cli.output import (
    EXIT_OK,
    print_json,
    print_token_parts,
    read_stdin,
    read_token,
    translate_errors,
)
from jwtkit.errors import JWTError, KeyMismatchError, KeySetFetchError, UsageError
from jwtkit.jwk import Key, KeySet
from jwtkit.jws import DEFAULT_MAX_TOKEN_SIZE, AllowedAlgorithms

_EXAMPLES = argparse.RawDescriptionHelpFormatter

ENCODE_EXAMPLES = """\
examples:
  jwtkit encode --alg HS256 --secret-file secret.txt --sub alice --exp 15m
  echo '{"scope": "read"}' | jwtkit encode --alg ES256 --key demo.private.jwk --aud api

exit status: 0 when the token is printed, 2 for a usage error (an option, the claims
or the key)
"""

DECODE_EXAMPLES = """\
examples:
  jwtkit decode eyJhbGciOi...
  jwtkit decode --json < token.txt

exit status: 0 when the token is decoded, 1 when it is malformed or too large, 2 for
a usage error
"""

VERIFY_EXAMPLES = """\
examples:
  jwtkit verify --alg HS256 --secret-file secret.txt < token.txt
  jwtkit verify --alg ES256,RS256 --jwks jwks.json --iss https://login.example.com --aud api TOKEN

exit status: 0 when the token is valid, 1 when it is invalid or could not be
checked because the --jwks-url key set could not be fetched, 2 for a usage error
(an option, the key or a file)
"""

TOKEN_HELP = "the compact token; without it, or with '-', the token is read from stdin"
NOW_HELP = (
    "use this instant as the current time instead of the system clock: a NumericDate "
    "such as 1700000000 or an ISO 8601 time such as 2030-01-01T00:00:00Z"
)
MAX_TOKEN_SIZE_HELP = (
    f"reject tokens longer than this many characters before decoding them "
    f"(default {DEFAULT_MAX_TOKEN_SIZE})"
)


def register(subparsers: Any) -> None:
    """Add the encode, decode and verify subcommands."""
    _register_encode(subparsers)
    _register_decode(subparsers)
    _register_verify(subparsers)


# -- encode ---------------------------------------------------------------------


def _register_encode(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "encode",
        help="sign claims as a compact JWT",
        description=(
            "Sign claims as a compact JWT and print it. The claims come from CLAIMS or\n"
            "stdin, and from the claim options; each claim may be set in one place only."
        ),
        epilog=ENCODE_EXAMPLES,
        formatter_class=_EXAMPLES,
    )
    parser.add_argument(
        "claims",
        nargs="?",
        metavar="CLAIMS",
        help=(
            "the claims as a JSON object; '-' reads them from stdin. Without CLAIMS, they "
            "are read from stdin when it is a pipe or a file, and start as {} otherwise"
        ),
    )
    parser.add_argument(
        "--alg",
        metavar="ALG",
        type=non_empty("name the algorithm to sign with, such as HS256 or ES256"),
        help="the algorithm to sign with, such as HS256, RS256, ES256 or EdDSA (required)",
    )
    add_key_options(parser.add_mutually_exclusive_group())

    times = parser.add_argument_group("time claims", f"TIME is {TIME_HELP}.")
    times.add_argument("--exp", metavar="TIME", help="set the exp claim (expiration time)")
    times.add_argument("--nbf", metavar="TIME", help="set the nbf claim (not before)")
    issued = times.add_mutually_exclusive_group()
    issued.add_argument(
        "--iat",
        metavar="TIME",
        help=(
            "set the iat claim (issued at); default: now, unless CLAIMS sets it. Unlike "
            "jwtkit.encode in Python, the command adds iat, so that verify --max-age works"
        ),
    )
    issued.add_argument("--no-iat", action="store_true", help="leave the iat claim out")
    times.add_argument("--now", metavar="INSTANT", help=NOW_HELP)

    claims = parser.add_argument_group("other claims")
    claims.add_argument(
        "--iss", metavar="ISSUER", type=non_empty(), help="set the iss claim (issuer)"
    )
    claims.add_argument(
        "--sub", metavar="SUBJECT", type=non_empty(), help="set the sub claim (subject)"
    )
    claims.add_argument(
        "--aud",
        metavar="AUDIENCE",
        action="append",
        type=non_empty(),
        help="set the aud claim (audience); repeat it for a list of audiences",
    )

    header = parser.add_argument_group("header")
    header.add_argument(
        "--kid",
        type=non_empty(),
        help="set the kid header parameter (default: the key's JWK kid, if any)",
    )
    header.add_argument(
        "--typ", type=non_empty(), help="set the typ header parameter (default: JWT)"
    )
    header.add_argument(
        "--header",
        metavar="JSON",
        action="append",
        help=(
            'add header parameters from a JSON object, such as \'{"cty": "x"}\'; repeat it '
            "to add more, each parameter in one place only"
        ),
    )
    parser.add_argument(
        "--allow-weak-key",
        action="store_true",
        help=(
            "sign with an HMAC secret shorter than the hash output or an RSA key under "
            "2048 bits, which RFC 7518 §3.2 and §3.3 forbid; for tests only"
        ),
    )
    parser.set_defaults(handler=run_encode)


@translate_errors
def run_encode(args: argparse.Namespace) -> int:
    """Sign the claims and print the token."""
    key = key_from_options(args, "sign")
    if key is None:
        raise UsageError(
            "no signing key given; pass --secret-file FILE (or --secret TEXT) for HMAC, "
            "or --key FILE for a PEM or JWK key"
        )
    algorithm = _signing_algorithm(args.alg, key)

    now = current_time(args.now)
    claims = _read_claims(args.claims)
    _add_claim_options(claims, args, now)
    headers = _header_options(args)

    from jwtkit.jwt import encode

    print(encode(claims, key, algorithm, headers, allow_weak_key=args.allow_weak_key))
    return EXIT_OK


def _signing_algorithm(option: str | None, key: Key) -> str:
    names = parse_algorithms([option] if option is not None else None)
    if len(names) > 1:
        raise UsageError(f"--alg takes one algorithm when signing, got {', '.join(names)}")
    if names:
        return names[0]

    hint = f"; the key's JWK names alg {key.alg!r}" if key.alg is not None else ""
    raise UsageError(
        "--alg is required: name the algorithm to sign with, such as HS256 for a secret "
        f"or ES256 for a P-256 key. jwtkit never picks it from the key{hint}"
    )


def _read_claims(argument: str | None) -> dict[str, Any]:
    if argument is not None and argument != "-":
        return parse_json_object(argument, "CLAIMS")

    stdin = sys.stdin
    if argument is None and (stdin is None or stdin.closed or stdin.isatty()):
        return {}
    data = read_stdin("claims", explicit=argument == "-")
    if argument is None and not data.strip():
        return {}
    return parse_json_object(data, "the claims on stdin")


def _add_claim_options(claims: dict[str, Any], args: argparse.Namespace, now: float) -> None:
    options: dict[str, Any] = {}
    for name in ("exp", "nbf", "iat"):
        value = getattr(args, name)
        if value is not None:
            options[name] = parse_time(value, f"--{name}", now)
    if args.iss is not None:
        options["iss"] = args.iss
    if args.sub is not None:
        options["sub"] = args.sub
    if args.aud:
        options["aud"] = args.aud[0] if len(args.aud) == 1 else list(args.aud)

    for name, value in options.items():
        if name in claims:
            raise UsageError(
                f"claim {name!r} is set both in the claims JSON and by --{name}; set it "
                "in one place"
            )
        claims[name] = value

    if "iat" not in claims and not args.no_iat:
        claims["iat"] = int(now)


def _header_options(args: argparse.Namespace) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    for text in args.header or []:
        for name, value in parse_json_object(text, "--header").items():
            if name in headers:
                raise UsageError(
                    f"header parameter {name!r} is set by more than one --header; set it once"
                )
            headers[name] = value

    for name in ("kid", "typ"):
        value = getattr(args, name)
        if value is None:
            continue
        if name in headers:
            raise UsageError(
                f"header parameter {name!r} is set both by --header and by --{name}; set it "
                "in one place"
            )
        headers[name] = value
    return headers


# -- decode ---------------------------------------------------------------------

UNVERIFIED_BANNER = (
    "Signature NOT verified: anyone can write a token with this header and these claims.\n"
    "Check it with 'jwtkit verify' before trusting any of it."
)


def _register_decode(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "decode",
        help="show a token's header and claims WITHOUT verifying it",
        description=(
            "Show a token's header and claims without verifying its signature or claims,\n"
            "with the UTC time beside each NumericDate (exp, nbf, iat)."
        ),
        epilog=DECODE_EXAMPLES,
        formatter_class=_EXAMPLES,
    )
    parser.add_argument("token", nargs="?", metavar="TOKEN", help=TOKEN_HELP)
    parser.add_argument(
        "--json",
        action="store_true",
        help="print {header, claims, signature_verified: false} as JSON",
    )
    parser.add_argument(
        "--max-token-size",
        type=int,
        metavar="CHARS",
        default=DEFAULT_MAX_TOKEN_SIZE,
        help=MAX_TOKEN_SIZE_HELP,
    )
    parser.set_defaults(handler=run_decode)


@translate_errors
def run_decode(args: argparse.Namespace) -> int:
    """Print the token's header and claims, marked as not verified."""
    from jwtkit.jwt import decode_unverified

    token = read_token(args.token)
    _check_max_token_size(args.max_token_size)
    unverified = decode_unverified(token, max_token_size=args.max_token_size)

    if args.json:
        print_json(
            {
                "header": unverified.header,
                "claims": unverified.claims,
                "signature_verified": False,
            }
        )
        return EXIT_OK

    print(UNVERIFIED_BANNER)
    print()
    print_token_parts(unverified.header, unverified.claims)
    return EXIT_OK


def _check_max_token_size(value: int) -> None:
    if value <= 0:
        raise UsageError(f"--max-token-size must be a positive number of characters, got {value}")


# -- verify ---------------------------------------------------------------------


def _register_verify(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="verify a token's signature and claims",
        description=(
            "Verify a token's signature with the given key, then validate its claims:\n"
            "exp, nbf and iat whenever present, and iss, aud, sub and typ against the\n"
            "values given. Prints the verified claims."
        ),
        epilog=VERIFY_EXAMPLES,
        formatter_class=_EXAMPLES,
    )
    parser.add_argument("token", nargs="?", metavar="TOKEN", help=TOKEN_HELP)
    parser.add_argument(
        "--alg",
        metavar="ALG",
        action="append",
        type=non_empty("name an algorithm to accept, such as ES256"),
        help=(
            "an algorithm to accept, such as RS256; repeat it or give a comma-separated "
            "list (required: the algorithm is never taken from the token)"
        ),
    )
    keys = parser.add_mutually_exclusive_group()
    add_key_options(keys)
    keys.add_argument(
        "--jwks",
        metavar="FILE",
        help="read a JWK Set from FILE; the token's kid selects the key",
    )
    add_jwks_url_options(keys, parser)

    expect = parser.add_argument_group(
        "expected claims", "Each option below also makes its claim required."
    )
    expect.add_argument(
        "--iss",
        metavar="ISSUER",
        action="append",
        type=non_empty(),
        help="the expected iss claim, compared exactly; repeat it to accept several",
    )
    expect.add_argument(
        "--aud",
        metavar="AUDIENCE",
        action="append",
        type=non_empty(),
        help=(
            "this service's audience, which the aud claim must contain; repeat it to "
            "accept several. A token with an aud claim fails without it"
        ),
    )
    expect.add_argument("--sub", metavar="SUBJECT", type=non_empty(), help="the expected sub claim")
    expect.add_argument(
        "--max-age",
        metavar="DURATION",
        help=f"reject tokens whose iat is older than this; DURATION is {DURATION_HELP}",
    )
    expect.add_argument(
        "--require",
        metavar="CLAIM",
        action="append",
        type=non_empty(),
        default=[],
        help="a claim that must be present, such as exp; repeat it for several",
    )

    checks = parser.add_argument_group("other checks")
    checks.add_argument(
        "--typ",
        type=non_empty(),
        help="the expected typ header parameter, such as JWT or at+jwt",
    )
    checks.add_argument(
        "--leeway",
        metavar="DURATION",
        default="0",
        help=f"clock skew allowed for exp, nbf and iat (default 0); {DURATION_HELP}",
    )
    checks.add_argument("--now", metavar="INSTANT", help=NOW_HELP)
    checks.add_argument(
        "--max-token-size",
        type=int,
        metavar="CHARS",
        default=DEFAULT_MAX_TOKEN_SIZE,
        help=MAX_TOKEN_SIZE_HELP,
    )
    checks.add_argument(
        "--allow-weak-key",
        action="store_true",
        help=(
            "accept an HMAC secret shorter than the hash output or an RSA key under 2048 "
            "bits, which RFC 7518 §3.2 and §3.3 forbid; for tests only"
        ),
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help=(
            "print {valid, signature_verified, header, claims} as JSON, or "
            "{valid: false, error: {code, message}} on failure"
        ),
    )
    parser.set_defaults(handler=run_verify)


@translate_errors
def run_verify(args: argparse.Namespace) -> int:
    """Verify the token and print its claims; exit 1 when it is invalid."""
    from jwtkit.jwt import Verifier

    token = read_token(args.token)
    names = parse_algorithms(args.alg)
    if not names:
        raise UsageError(_missing_algorithm_message(token))
    allowed = AllowedAlgorithms(names)

    key = _verification_key(args)
    _check_key_fits(key, allowed, args.allow_weak_key)
    _check_max_token_size(args.max_token_size)

    verifier = Verifier(
        key,
        algorithms=allowed.names,
        issuer=args.iss,
        audience=args.aud,
        subject=args.sub,
        leeway=parse_duration(args.leeway, "--leeway"),
        required=args.require,
        typ=args.typ,
        max_age=None if args.max_age is None else parse_duration(args.max_age, "--max-age"),
        now=current_time(args.now),
        allow_weak_key=args.allow_weak_key,
        max_token_size=args.max_token_size,
    )
    verified = verifier.verify_complete(token)

    if args.json:
        print_json(
            {
                "valid": True,
                "signature_verified": True,
                "header": verified.header,
                "claims": verified.claims,
            }
        )
        return EXIT_OK

    kid = f", key kid {verified.key.kid!r}" if verified.key.kid is not None else ""
    print(f"Signature verified (alg {verified.header['alg']}{kid}); the claims are valid.")
    print()
    print_token_parts(verified.header, verified.claims)
    return EXIT_OK


def _verification_key(args: argparse.Namespace) -> Key | KeySet:
    if args.jwks is not None:
        return load_jwks_file(args.jwks)
    if args.jwks_url is not None:
        return _fetch_verification_keys(args.jwks_url, args.allow_insecure_loopback)
    key = key_from_options(args)
    if key is None:
        raise UsageError(
            "no verification key given; pass --secret-file FILE (or --secret TEXT) for "
            "HMAC, --key FILE for a PEM or JWK key, --jwks FILE for a JWK Set, or "
            "--jwks-url URL for a JWK Set over https"
        )
    return key


def _fetch_verification_keys(url: str, allow_insecure_loopback: bool) -> KeySet:
    try:
        _, key_set = fetch_key_set(url, allow_insecure_loopback=allow_insecure_loopback)
    except KeySetFetchError as exc:
        # The exit status stays 1, but the message must not read as a verdict on the token.
        raise KeySetFetchError(
            f"the token could not be checked, because the JWK Set could not be fetched "
            f"from {exc.url}: {exc.reason}. This says nothing about whether the token is "
            "valid; try again once the key set can be fetched",
            url=exc.url,
            reason=exc.reason,
        ) from None
    return key_set


def _check_key_fits(key: Key | KeySet, allowed: AllowedAlgorithms, allow_weak_key: bool) -> None:
    """Reject an --alg that the given key can never verify, before looking at the token."""
    for algorithm in allowed.by_name.values():
        if isinstance(key, KeySet):
            if not any(member.allows_algorithm(algorithm, "verify") for member in key):
                raise UsageError(
                    f"--alg {algorithm.name}: no key in the --jwks set can verify it; list "
                    "only the algorithms of the set's keys"
                )
            continue
        try:
            key.check_algorithm(algorithm, "verify", allow_weak_key=allow_weak_key)
        except KeyMismatchError as exc:
            raise UsageError(f"--alg {algorithm.name} does not fit the key: {exc}") from None


def _missing_algorithm_message(token: str | bytes) -> str:
    message = (
        "--alg is required: list the algorithms you accept, such as --alg ES256. jwtkit "
        "never takes the algorithm from the token, because a forged token could name "
        "'none', or an HMAC algorithm keyed with your public key (RFC 8725 §2.1)"
    )
    from jwtkit.jwa import SIGNATURE_ALGORITHMS
    from jwtkit.jwt import decode_unverified

    try:
        alg = decode_unverified(token).header.get("alg")
    except JWTError:
        return message
    # Only a name from the algorithm table is repeated, so the hint never
    # suggests 'none' or echoes arbitrary text from an untrusted header.
    if isinstance(alg, str) and alg in SIGNATURE_ALGORITHMS:
        message += f". This token's header names alg {alg!r}; pass --alg {alg} if you expect it"
    return message
