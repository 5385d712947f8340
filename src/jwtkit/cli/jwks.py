"""``jwtkit jwks fetch`` lists a remote JWK Set's keys; ``--jwks-url`` lets verify use one."""

from __future__ import annotations

import argparse
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from jwtkit.cli.output import EXIT_OK, dumps_for_terminal, print_json
from jwtkit.errors import JWTError, KeySetFetchError, UsageError
from jwtkit.jwk import Key, KeySet

JWKS_EXAMPLES = """\
examples:
  jwtkit jwks fetch https://login.example.com/.well-known/jwks.json
  jwtkit jwks fetch --issuer https://login.example.com --json
  jwtkit verify --alg RS256 --jwks-url https://login.example.com/.well-known/jwks.json TOKEN

Only https URLs are fetched. Keys that cannot verify signatures (secret keys,
encryption keys, unknown types) are listed as skipped.

exit status: 0 when the JWK Set is fetched, 1 when it could not be fetched, 2 for a
usage error
"""

LOOPBACK_HELP = (
    "allow plain http to a loopback IP address such as 127.0.0.1, for testing against a "
    "local server; every other URL must be https"
)

# The library names its keyword arguments; the command names its flags.
_FLAG_WORDING = (("allow_insecure_loopback=True", "--allow-insecure-loopback"),)


def register(subparsers: Any) -> None:
    """Add the jwks command group and its fetch subcommand."""
    group = subparsers.add_parser(
        "jwks",
        help="fetch and inspect remote JWK Sets",
        description="Fetch and inspect JWK Sets published over HTTPS.",
    )
    commands = group.add_subparsers(
        dest="jwks_command", metavar="COMMAND", parser_class=type(group)
    )
    commands.required = True

    fetch = commands.add_parser(
        "fetch",
        help="download a JWK Set and list its keys with their thumbprints",
        description=(
            "Download a JWK Set with the same checks a JWKSClient applies (https, size,\n"
            "content type, JSON shape) and list each usable key with its RFC 7638\n"
            "SHA-256 thumbprint."
        ),
        epilog=JWKS_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fetch.add_argument("url", nargs="?", metavar="URL", help="the JWK Set URL")
    fetch.add_argument(
        "--issuer",
        metavar="ISSUER",
        help="find the JWK Set URL in the issuer's OpenID Connect or RFC 8414 metadata "
        "instead of giving URL",
    )
    fetch.add_argument(
        "--timeout",
        type=float,
        metavar="SECONDS",
        default=5.0,
        help="give up on the request after this many seconds (default 5)",
    )
    fetch.add_argument("--allow-insecure-loopback", action="store_true", help=LOOPBACK_HELP)
    fetch.add_argument(
        "--json",
        action="store_true",
        help="print {url, keys: [{kid, kty, alg, use, size, thumbprint, jwk}], skipped} as JSON",
    )
    fetch.set_defaults(handler=run_fetch)


def add_jwks_url_options(keys: Any, parser: argparse.ArgumentParser) -> None:
    """Add ``--jwks-url`` to the group ``keys`` and ``--allow-insecure-loopback`` to ``parser``."""
    keys.add_argument(
        "--jwks-url",
        metavar="URL",
        help="fetch the JWK Set from URL (https only); the token's kid selects the key",
    )
    parser.add_argument("--allow-insecure-loopback", action="store_true", help=LOOPBACK_HELP)


def fetch_key_set(
    url: str | None,
    *,
    issuer: str | None = None,
    allow_insecure_loopback: bool = False,
    timeout: float = 5.0,
) -> tuple[str, KeySet]:
    """Fetch a JWK Set once, from ``url`` or through ``issuer``, and return its URL and keys."""
    from jwtkit.remote import JWKSClient

    try:
        with (
            _fetch_errors_not_logged(),
            JWKSClient(
                url,
                issuer=issuer,
                allow_insecure_loopback=allow_insecure_loopback,
                timeout=timeout,
            ) as client,
        ):
            key_set = client.get_key_set()
            fetched_from = client.url or ""
    except JWTError as exc:
        exc.message = _command_wording(exc.message)
        exc.args = (exc.message,)
        if isinstance(exc, KeySetFetchError):
            exc.reason = _command_wording(exc.reason)
        raise
    return fetched_from, key_set


def _command_wording(message: str) -> str:
    for library, command_line in _FLAG_WORDING:
        message = message.replace(library, command_line)
    return message


def _drop_fetch_errors(record: logging.LogRecord) -> bool:
    return not any(isinstance(value, KeySetFetchError) for value in record.args or ())


@contextlib.contextmanager
def _fetch_errors_not_logged() -> Iterator[None]:
    """Keep the client's log of a failed fetch off stderr; the command reports the error itself."""
    logger = logging.getLogger("jwtkit")
    logger.addFilter(_drop_fetch_errors)
    try:
        yield
    finally:
        logger.removeFilter(_drop_fetch_errors)


def run_fetch(args: argparse.Namespace) -> int:
    """Fetch the JWK Set and print its keys."""
    if (args.url is None) == (args.issuer is None):
        raise UsageError("give either the JWK Set URL or --issuer ISSUER, not both")
    if not args.timeout > 0:
        raise UsageError(f"--timeout must be a positive number of seconds, got {args.timeout:g}")

    url, key_set = fetch_key_set(
        args.url,
        issuer=args.issuer,
        allow_insecure_loopback=args.allow_insecure_loopback,
        timeout=args.timeout,
    )

    if args.json:
        print_json(
            {
                "url": url,
                "keys": [_describe(key) for key in key_set],
                "skipped": list(key_set.skipped),
            }
        )
        return EXIT_OK

    print(f"JWK Set from {_printable(url)}: {_count(len(key_set), 'usable key')}")
    print()
    print(_format_table([_describe(key) for key in key_set]))
    if key_set.skipped:
        print()
        print(f"Skipped {_count(len(key_set.skipped), 'member')}:")
        for reason in key_set.skipped:
            print(f"  {_printable(reason)}")
    return EXIT_OK


def _describe(key: Key) -> dict[str, Any]:
    return {
        "kid": key.kid,
        "kty": key.kty,
        "alg": key.alg,
        "use": key.use,
        "size": key.size,
        "thumbprint": key.thumbprint("sha256"),
        "jwk": key.to_jwk(),
    }


_COLUMNS = ("kid", "kty", "size", "alg", "use", "thumbprint")


def _format_table(rows: list[dict[str, Any]]) -> str:
    header = ["KID", "KTY", "BITS", "ALG", "USE", "THUMBPRINT (SHA-256)"]
    table = [header] + [[_cell(row[column]) for column in _COLUMNS] for row in rows]
    widths = [max(len(line[index]) for line in table) for index in range(len(header))]
    return "\n".join(_format_row(line, widths) for line in table)


def _format_row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(text.ljust(width) for text, width in zip(cells, widths, strict=True)).rstrip()


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return _printable(str(value))


def _printable(text: str) -> str:
    # Keys and URLs come from a remote server: escape what could drive the terminal.
    if text.isprintable():
        return text
    return dumps_for_terminal(text, indent=None)[1:-1]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
