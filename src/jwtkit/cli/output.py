"""Exit codes, error reporting and input helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from jwtkit.errors import JWTError

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
    print(json.dumps(value, indent=2, ensure_ascii=False))
