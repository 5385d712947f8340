"""The ``jwtkit`` command.

Each subcommand group lives in its own module with a ``register(subparsers)``
function; ``COMMAND_MODULES`` lists them. Exit status: 0 when the token (or
operation) is valid, 1 when a token is invalid or could not be verified (a key
set that could not be fetched), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from jwtkit.cli.options import check_arguments_decodable
from jwtkit.cli.output import EXIT_INVALID, EXIT_USAGE, report_error
from jwtkit.errors import InvalidTokenError, JWTError, KeySetFetchError

# Imported only when the command runs, so that `import jwtkit` stays cheap.
COMMAND_MODULES = (
    "jwtkit.cli.tokens",
    "jwtkit.cli.keys",
    "jwtkit.cli.web",
    "jwtkit.cli.jwks",
)


EXIT_STATUS_HELP = """\
exit status: 0 on success, 1 when a token is invalid or could not be checked (for
'jwks fetch', when the key set could not be fetched; for 'lint', when a finding
reaches --fail-on), 2 for a usage error. 'jwtkit COMMAND --help' gives the
details of each command.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"jwtkit: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every registered subcommand."""
    parser = _Parser(
        prog="jwtkit",
        description="Create, inspect and verify JSON Web Tokens and keys.",
        epilog=EXIT_STATUS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version())
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        check_arguments_decodable(args)
        status: int = args.handler(args)
    except (InvalidTokenError, KeySetFetchError) as exc:
        report_error(exc, args)
        return EXIT_INVALID
    except JWTError as exc:
        report_error(exc, args)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`jwtkit ... | head -1`): stop
        # quietly, and keep Python from failing again while flushing stdout.
        _silence_stdout()
        return 141  # 128 + SIGPIPE, what a shell reports for a writer killed that way
    return status


def _silence_stdout() -> None:
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _version() -> str:
    from jwtkit import __version__

    return f"jwtkit {__version__}"
