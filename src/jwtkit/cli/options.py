"""Parsing of option values shared by the subcommands: durations, times, JSON, algorithm lists."""

from __future__ import annotations

import argparse
import math
import re
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from jwtkit._encoding import json_loads_object
from jwtkit.errors import MalformedTokenError, UsageError

# Seconds per unit of a duration such as "15m" or "1h30m".
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}

_DURATION_PATTERN = re.compile(r"(?:\d+(?:\.\d+)?[smhdw])+|\d+(?:\.\d+)?")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([smhdw])")
_ISO_DATE_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER_PATTERN = re.compile(r"\d+(?:\.\d+)?")

# The largest duration or NumericDate the options take: about 3e12 years, far
# past any real use, and small enough that adding it to now stays finite.
_MAX_SECONDS = 1e17

DURATION_HELP = "seconds, or a number with a unit s, m, h, d or w, such as 30s, 15m or 1h30m"
TIME_HELP = (
    "an offset from now such as 15m, +1h or -5m (units s, m, h, d, w; no unit means "
    "seconds; write a negative offset with '=', as in --nbf=-5m), 'now', a NumericDate "
    "such as @1700000000, or an ISO 8601 time with a zone such as 2030-01-01T00:00:00Z"
)


def parse_duration(text: str, option: str) -> float:
    """Parse a non-negative duration such as ``90``, ``30s``, ``15m`` or ``1h30m`` into seconds."""
    value = text.strip()
    if _DURATION_PATTERN.fullmatch(value) is None:
        raise UsageError(f"{option} {text!r} is not a duration; give {DURATION_HELP}")
    if value[-1] not in DURATION_UNITS:
        result = float(value)
    else:
        result = sum(
            float(amount) * DURATION_UNITS[unit] for amount, unit in _DURATION_PART.findall(value)
        )
    # float() turns a number of more than 308 digits into infinity.
    if not math.isfinite(result) or result > _MAX_SECONDS:
        raise UsageError(
            f"{option} {_shorten(text)!r} is too long a duration; give at most "
            f"{_MAX_SECONDS:.0e} seconds"
        )
    return result


def parse_time(text: str, option: str, now: float) -> int | float:
    """Parse a time option into a NumericDate; offsets count from ``now``."""
    value = text.strip()
    if value == "now":
        return int(now)
    if value.startswith("@"):
        return _parse_numericdate(value[1:], option, text)
    if _ISO_DATE_PREFIX.match(value):
        return _parse_iso_time(value, option)

    sign = 1
    if value.startswith(("+", "-")):
        sign = -1 if value[0] == "-" else 1
        value = value[1:]
    if _DURATION_PATTERN.fullmatch(value) is None:
        raise UsageError(f"{option} {text!r} is not a time; give {TIME_HELP}")
    return int(now + sign * parse_duration(value, option))


def parse_absolute_time(text: str, option: str) -> int | float:
    """Parse a fixed instant: a NumericDate (with or without ``@``) or an ISO 8601 time."""
    value = text.strip()
    if _ISO_DATE_PREFIX.match(value):
        return _parse_iso_time(value, option)
    return _parse_numericdate(value.removeprefix("@"), option, text)


def _parse_numericdate(value: str, option: str, original: str) -> int | float:
    if _NUMBER_PATTERN.fullmatch(value) is None:
        raise UsageError(
            f"{option} {original!r} is not a NumericDate; give the seconds since "
            "1970-01-01T00:00:00Z, such as @1700000000"
        )
    number = float(value)
    if number > _MAX_SECONDS:
        raise UsageError(
            f"{option} {_shorten(original)!r} is out of range; give a NumericDate of at most "
            f"{_MAX_SECONDS:.0e} seconds since 1970-01-01T00:00:00Z"
        )
    return int(number) if number.is_integer() else number


def _parse_iso_time(value: str, option: str) -> int:
    # datetime.fromisoformat before Python 3.11 does not read a trailing "Z".
    normalized = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value
    try:
        moment = datetime.fromisoformat(normalized)
    except ValueError:
        raise UsageError(
            f"{option} {value!r} is not an ISO 8601 time; write it like 2030-01-01T00:00:00Z"
        ) from None
    if moment.tzinfo is None:
        raise UsageError(
            f"{option} {value!r} has no time zone, so its instant is ambiguous; add one, "
            "such as Z for UTC (2030-01-01T00:00:00Z)"
        )
    return int(moment.timestamp())


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def current_time(now_option: str | None) -> float:
    """Return the ``--now`` instant when given, else the system clock."""
    if now_option is None:
        return time.time()
    return float(parse_absolute_time(now_option, "--now"))


def parse_json_object(data: str | bytes, what: str) -> dict[str, Any]:
    """Parse strict JSON that must be an object; ``what`` names the option in messages."""
    try:
        return json_loads_object(data, what)
    except MalformedTokenError as exc:
        raise UsageError(str(exc)) from None


def parse_algorithms(values: list[str] | None) -> list[str]:
    """Flatten repeated and comma-separated ``--alg`` values, keeping the first of duplicates."""
    names: list[str] = []
    for value in values or []:
        for name in value.split(","):
            name = name.strip()
            if not name:
                raise UsageError(
                    f"--alg {value!r} contains an empty algorithm name; separate names with "
                    "single commas, such as --alg ES256,RS256"
                )
            if name not in names:
                names.append(name)
    return names


def non_empty(hint: str = "give a value, or leave the option out") -> Callable[[str], str]:
    """Return an argparse ``type`` that rejects empty or blank values with ``hint`` as the fix.

    An empty value usually comes from an unset shell variable (``--iss "$ISSUER"``),
    and would otherwise set an empty claim or expect one.
    """

    def check(text: str) -> str:
        if not text.strip():
            state = "empty" if not text else "blank"
            raise argparse.ArgumentTypeError(f"the value is {state}; {hint}")
        return text

    return check


# Options whose value is a file name. The operating system takes a name's
# bytes as they are, so names that are not UTF-8 are used, not rejected.
_FILE_NAME_OPTIONS = frozenset({"secret_file", "key", "jwks", "out", "file"})

# --secret is used as the argument's original bytes (os.fsencode).
_BYTE_OPTIONS = frozenset({"secret"})

_POSITIONAL_NAMES = {"token": "TOKEN", "claims": "CLAIMS", "url": "URL"}


def check_arguments_decodable(args: argparse.Namespace) -> None:
    """Reject text arguments that held bytes which are not valid UTF-8.

    Python decodes such bytes to lone surrogates, which no claim, header or URL
    can contain and which would fail later with a UnicodeEncodeError.
    """
    for dest, value in vars(args).items():
        if dest in _FILE_NAME_OPTIONS or dest in _BYTE_OPTIONS:
            continue
        values = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and _has_surrogate(text) for text in values):
            name = _POSITIONAL_NAMES.get(dest, "--" + dest.replace("_", "-"))
            raise UsageError(
                f"{name} contains bytes that are not valid UTF-8; give it as UTF-8 text"
            )


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
