"""Exit codes, error reporting and input helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import functools
import json
import sys
import unicodedata
from collections.abc import Callable
from typing import Any

from jwtkit._encoding import is_number
from jwtkit.errors import JWTError, UsageError
from jwtkit.jwt.numericdate import format_utc

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def report_error(error: JWTError, args: argparse.Namespace) -> None:
    """Print an error as text on stderr, or as a JSON object on stdout with ``--json``."""
    if getattr(args, "json", False):
        print(json.dumps({"valid": False, "error": {"code": error.code, "message": str(error)}}))
    else:
        print(f"jwtkit: {error.code}: {error}", file=sys.stderr)


def print_json(value: Any) -> None:
    """Print a value as indented JSON on stdout."""
    print(dumps_for_terminal(value))


# Unicode categories printed as \uXXXX escapes: controls (C1 controls such as
# U+009B start terminal escape sequences), format characters (bidirectional
# overrides reorder what a reader sees), lone surrogates (which cannot be
# encoded as UTF-8) and line and paragraph separators.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def dumps_for_terminal(value: Any, indent: int | None = 2) -> str:
    """Serialize JSON that keeps readable non-ASCII text but escapes invisible characters.

    A token's header and claims are untrusted, and printing them must not let
    them drive the terminal or disguise a value. The result is still valid
    JSON with the same meaning.
    """
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    if text.isascii():
        return text
    return "".join(_escape_invisible(char) for char in text)


def _escape_invisible(char: str) -> str:
    if char.isascii() or unicodedata.category(char) not in _ESCAPED_CATEGORIES:
        return char
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    # JSON escapes a character outside the Basic Multilingual Plane as a UTF-16 surrogate pair.
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


# Anything read from stdin or a file is capped, so that a wrong path such as
# /dev/zero fails instead of filling memory. Tokens, claims and keys are far smaller.
MAX_INPUT_BYTES = 1024 * 1024

NUMERICDATE_CLAIMS = ("exp", "nbf", "iat")

# Library messages name keyword arguments; on the command line the same
# setting is a flag. Each pair is (library wording, command-line wording).
_FLAG_WORDING = (
    ("allow_weak_key=True", "--allow-weak-key"),
    ("Key.generate('oct')", "'jwtkit keygen oct'"),
    (
        "pass audience=... with this service's identifier",
        "pass --aud with this service's identifier",
    ),
    ("raise leeway", "raise --leeway"),
    ("more than max_age", "more than --max-age"),
    ("add it to algorithms", "add it with --alg"),
    ("use decode_unverified", "use 'jwtkit decode'"),
    ("Raise max_token_size", "Raise --max-token-size"),
)


def translate_errors(handler: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
    """Wrap a subcommand handler so that library errors name command-line flags."""

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except JWTError as exc:
            message = flag_wording(exc.message)
            exc.message = message
            exc.args = (message,)
            raise

    return run


def flag_wording(message: str) -> str:
    """Rewrite the keyword-argument names in a library message as command-line flags."""
    for library, command_line in _FLAG_WORDING:
        message = message.replace(library, command_line)
    return message


def read_stdin(what: str, *, explicit: bool) -> bytes:
    """Read stdin in full; ``what`` names the expected input in messages.

    Unless stdin was requested explicitly with ``-``, a terminal on stdin is an
    error rather than a silent wait for typing.
    """
    stream = sys.stdin
    if stream is None or stream.closed:
        raise UsageError(f"no {what} given and stdin is closed; pass {what} as an argument")
    if not explicit and stream.isatty():
        raise UsageError(f"no {what} given; pass it as an argument or pipe it on stdin")

    source = getattr(stream, "buffer", None)
    try:
        if source is not None:
            data = source.read(MAX_INPUT_BYTES + 1)
        else:
            data = stream.read(MAX_INPUT_BYTES + 1).encode("utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {what} from stdin: {exc}") from None
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(
            f"stdin contains more than {MAX_INPUT_BYTES} bytes, over the maximum for {what}"
        )
    return bytes(data)


def read_token(argument: str | None) -> str | bytes:
    """Return the token from the argument, or from stdin when it is absent or ``-``."""
    from_stdin = argument is None or argument == "-"
    if from_stdin:
        token: str | bytes = read_stdin("token", explicit=argument == "-").strip()
    else:
        token = (argument or "").strip()
    if not token:
        raise UsageError("the token is empty; pass it as an argument or pipe it on stdin")

    # A compact token contains no whitespace, so whitespace inside means
    # several tokens (or one broken across lines), which would otherwise be
    # reported as a token with the wrong number of parts.
    count = len(token.split())
    if count > 1:
        source = "stdin" if from_stdin else "the TOKEN argument"
        raise UsageError(
            f"{source} contains {count} values separated by whitespace, but a compact token "
            "contains no whitespace; pass one token per run (join the lines first if one "
            "token was broken across lines)"
        )
    return token


def format_claims(claims: dict[str, Any]) -> str:
    """Format claims as indented JSON with the UTC time beside each NumericDate claim.

    The ``# ...`` notes make the result text for people, not JSON.
    """
    if not claims:
        return "{}"
    lines = ["{"]
    last = len(claims) - 1
    for index, (name, value) in enumerate(claims.items()):
        rendered = dumps_for_terminal(value).replace("\n", "\n  ")
        comma = "," if index < last else ""
        line = f"  {dumps_for_terminal(name)}: {rendered}{comma}"
        if name in NUMERICDATE_CLAIMS:
            line += f"  # {_numericdate_note(value)}"
        lines.append(line)
    lines.append("}")
    return "\n".join(lines)


def _numericdate_note(value: Any) -> str:
    if is_number(value):
        return format_utc(value)
    return "not a NumericDate (seconds since 1970-01-01T00:00:00Z), so verify rejects the token"


def print_token_parts(header: dict[str, Any], claims: dict[str, Any]) -> None:
    """Print a header and claims for people, the claims with their NumericDates as UTC times."""
    print("Header:")
    print_json(header)
    print()
    print("Claims:")
    print(format_claims(claims))
