"""``jwtkit serve`` and ``jwtkit lint``: the local debugger page and the token lint."""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import textwrap
import webbrowser
from typing import Any

from jwtkit.cli.keyload import add_key_options, key_from_options, load_jwks_file, read_file
from jwtkit.cli.options import DURATION_HELP, current_time, parse_duration
from jwtkit.cli.output import EXIT_INVALID, EXIT_OK, flag_wording, read_token, translate_errors
from jwtkit.errors import UsageError
from jwtkit.jwk import Key, KeySet
from jwtkit.lint import Finding, Severity, lint_token

SERVE_DESCRIPTION = """\
Serve the debugger page on 127.0.0.1 and open it in the default browser. The
page decodes, verifies, re-signs and lints tokens; all of it runs in this
process, so tokens and keys never leave the machine. Stop it with Ctrl-C.
"""

LINT_DESCRIPTION = """\
Report weaknesses in a token and, when given, its key: alg none, published or
short HMAC secrets, small RSA keys, missing or long expiry, a future iat,
missing iss or aud, key-locating headers (jwk, jku, x5u), an unsafe kid, and
personal or secret data in the claims. The signature is not verified.
"""

LINT_EPILOG = """\
severities:
  high    tokens can be forged now, or secrets leak to anyone who sees the token
  medium  a defence RFC 8725 recommends is missing
  low     hygiene that limits the damage when something else goes wrong

exit status: 0 when no finding is at or above --fail-on, 1 when one is (or the
token cannot be decoded), 2 for a usage error

examples:
  jwtkit lint eyJhbGciOi...
  jwtkit lint --secret-file secret.txt --fail-on medium < token.txt
  jwtkit lint --key public.pem --json TOKEN
"""

# Findings wrap at this width at most, narrower when the terminal is.
_TEXT_WIDTH = 100
_SEVERITY_COLUMN = 8


def register(subparsers: Any) -> None:
    """Add the serve and lint subcommands."""
    _register_serve(subparsers)
    _register_lint(subparsers)


# -- serve ------------------------------------------------------------------------


def _register_serve(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="open the local debugger page",
        description=SERVE_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="TCP port to listen on at 127.0.0.1 (default 0: any free port; the URL is printed)",
    )
    parser.add_argument(
        "--no-browser",
        action="store_true",
        help="print the page's URL without opening a browser",
    )
    parser.set_defaults(handler=translate_errors(_serve))


def _serve(args: argparse.Namespace) -> int:
    # Imported here so that other subcommands do not load the server.
    from jwtkit.web import DebuggerServer

    _configure_logging()
    server = DebuggerServer(args.port)
    print(f"jwtkit debugger: {server.url}", flush=True)
    print("Tokens and keys stay in this process. Press Ctrl-C to stop.", flush=True)
    if not args.no_browser and not webbrowser.open(server.url):
        print(f"No browser could be started; open {server.url} yourself.", flush=True)

    logging.getLogger("jwtkit.web").info("serving %s", server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        logging.getLogger("jwtkit.web").info("stopped")
    return EXIT_OK


def _configure_logging() -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")


# -- lint -------------------------------------------------------------------------


def _register_lint(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "lint",
        help="report weaknesses in a token and its key",
        description=LINT_DESCRIPTION,
        epilog=LINT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "token",
        nargs="?",
        help="the compact token; without it, or with '-', the token is read from stdin",
    )
    keys = parser.add_mutually_exclusive_group()
    add_key_options(keys)
    keys.add_argument("--jwks", metavar="FILE", help="check every key of the JWK Set in FILE")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument(
        "--fail-on",
        choices=[severity.value for severity in Severity],
        default=Severity.HIGH.value,
        help="exit with status 1 when a finding has this severity or a higher one (default: high)",
    )
    parser.add_argument(
        "--max-lifetime",
        default="24h",
        metavar="DURATION",
        help=f"report tokens that live longer than this (default 24h): {DURATION_HELP}",
    )
    parser.add_argument(
        "--now",
        metavar="TIME",
        help="lint as of this instant instead of the system clock: a NumericDate such as "
        "1700000000 or an ISO 8601 time such as 2030-01-01T00:00:00Z",
    )
    parser.set_defaults(handler=translate_errors(_lint))


def _lint(args: argparse.Namespace) -> int:
    token = read_token(args.token)
    key: Key | KeySet | None = (
        load_jwks_file(args.jwks) if args.jwks is not None else key_from_options(args)
    )
    max_lifetime = parse_duration(args.max_lifetime, "--max-lifetime")
    if max_lifetime <= 0:
        raise UsageError(f"--max-lifetime {args.max_lifetime!r} must be greater than zero")
    # The file's exact bytes are what a forger would MAC with.
    key_text = read_file(args.key, "--key") if args.key not in (None, "-") else None
    findings = lint_token(
        token, key, max_lifetime=max_lifetime, now=current_time(args.now), key_text=key_text
    )

    fail_on = Severity.parse(args.fail_on)
    failed = any(finding.severity.rank >= fail_on.rank for finding in findings)
    if args.json:
        _print_json(findings, fail_on, failed)
    else:
        _print_text(findings, fail_on, failed)
    return EXIT_INVALID if failed else EXIT_OK


def _print_json(findings: list[Finding], fail_on: Severity, failed: bool) -> None:
    document = {
        "findings": [_for_command_line(finding.to_dict()) for finding in findings],
        "fail_on": fail_on.value,
        "failed": failed,
    }
    print(json.dumps(document, indent=2, ensure_ascii=False))


def _print_text(findings: list[Finding], fail_on: Severity, failed: bool) -> None:
    width = min(_TEXT_WIDTH, shutil.get_terminal_size((_TEXT_WIDTH, 24)).columns)
    indent = " " * _SEVERITY_COLUMN
    for finding in findings:
        document = _for_command_line(finding.to_dict())
        first = f"{finding.severity.value:<{_SEVERITY_COLUMN}}{finding.code} ({finding.location}): "
        print(textwrap.fill(first + document["message"], width, subsequent_indent=indent))
        print(
            textwrap.fill(
                document["fix"], width, initial_indent=indent + "fix: ", subsequent_indent=indent
            )
        )
        print()
    print(_summary(findings, fail_on, failed))


def _summary(findings: list[Finding], fail_on: Severity, failed: bool) -> str:
    if not findings:
        return "No findings."
    counts = [
        f"{sum(f.severity is severity for f in findings)} {severity.value}"
        for severity in sorted(Severity, key=lambda severity: -severity.rank)
    ]
    noun = "finding" if len(findings) == 1 else "findings"
    verdict = "at least one is" if failed else "none is"
    threshold = f"at or above --fail-on {fail_on.value}"
    return f"{len(findings)} {noun} ({', '.join(counts)}); {verdict} {threshold}."


def _for_command_line(document: dict[str, Any]) -> dict[str, Any]:
    # Fixes name library calls; on the command line, name the commands instead.
    document["fix"] = flag_wording(document["fix"])
    return document
