"""NumericDate (RFC 7519 §2): seconds since 1970-01-01T00:00:00Z, ignoring leap seconds."""

from __future__ import annotations

import math
import sys
import time
from datetime import datetime, timedelta, timezone

from jwtkit.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def to_numericdate(value: datetime) -> int:
    """Convert a datetime to a NumericDate; naive datetimes are refused as ambiguous."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise UsageError(
            f"datetime {value.isoformat()} has no time zone, so its instant is ambiguous; "
            "use an aware datetime such as datetime.now(timezone.utc)"
        )
    return int(value.timestamp())


def is_numericdate(value: Any) -> bool:
    """Tell whether a claim value is a NumericDate: a finite number within the double range.

    Booleans are not numbers here, and an integer beyond the double range is
    refused because the time arithmetic would overflow on it.
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -_MAX_DOUBLE <= value <= _MAX_DOUBLE
    return isinstance(value, float) and math.isfinite(value)


_MAX_DOUBLE = sys.float_info.max


def seconds(value: Any, name: str) -> float:
    """Read a duration option given as seconds (int or float) or a ``timedelta``."""
    if isinstance(value, timedelta):
        result = value.total_seconds()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        result = _to_float(value, name)
    else:
        raise UsageError(
            f"{name} must be a number of seconds or a timedelta, got {type(value).__name__}"
        )
    # An infinite leeway or max_age would switch the time checks off.
    if not math.isfinite(result):
        raise UsageError(f"{name} must be a finite number of seconds, got {value!r}")
    if result < 0:
        raise UsageError(f"{name} must not be negative, got {value!r}")
    return result


def current_time(now: Any) -> float:
    """Resolve the ``now`` option: None for the system clock, else a NumericDate or datetime."""
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        return float(to_numericdate(now))
    if isinstance(now, (int, float)) and not isinstance(now, bool):
        # NaN compares false with everything, so every time check would pass.
        result = _to_float(now, "now")
        if not math.isfinite(result):
            raise UsageError(f"now must be a finite NumericDate, got {now!r}")
        return result
    raise UsageError(
        f"now must be a NumericDate (seconds since the epoch) or an aware datetime, "
        f"got {type(now).__name__}"
    )


def _to_float(value: int | float, name: str) -> float:
    """Convert an option to a float; an integer beyond the double range is a usage error."""
    try:
        return float(value)
    except OverflowError:
        digits = integer_digits(int(value))
        raise UsageError(
            f"{name} is an integer of {digits} digits, too large for a time in seconds; "
            "give a value between -1e308 and 1e308"
        ) from None


def integer_digits(value: int) -> int:
    """Count the decimal digits of an integer, for messages about numbers too large to use."""
    try:
        return len(str(abs(value)))
    except ValueError:
        # Past sys.get_int_max_str_digits() str() refuses; the bit length estimates.
        return int(abs(value).bit_length() * math.log10(2)) + 1


def format_utc(value: float) -> str:
    """Format a NumericDate as an ISO 8601 UTC time for messages and display."""
    try:
        moment = datetime.fromtimestamp(value, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return f"{value} (out of the datetime range)"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
