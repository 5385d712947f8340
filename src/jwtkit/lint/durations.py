"""Human-readable durations for findings and for the debugger page's dates."""

from __future__ import annotations

import math

# Each unit is used while the duration stays under the given bound, so a
# duration reads "90 min" rather than "1 h" and "36 h" rather than "1 day".
_UNITS = (
    ("s", 1, 90),
    ("min", 60, 90 * 60),
    ("h", 3600, 36 * 3600),
    ("day", 86400, 730 * 86400),
    ("year", 365.25 * 86400, None),
)

# Past this, a count of years adds no useful information.
_MAX_SHOWN_SECONDS = 10_000 * 365.25 * 86400


def seconds_between(later: float, earlier: float) -> float:
    """Subtract two NumericDates; a difference too large for a float becomes infinite.

    Claims are parsed from JSON, so a NumericDate can be an integer with
    hundreds of digits that cannot be converted to a float.
    """
    try:
        return float(later) - float(earlier)
    except OverflowError:
        return math.inf if later > earlier else -math.inf


def format_duration(seconds: float) -> str:
    """Format a length of time in the largest fitting unit, rounded: "14 min", "3 days"."""
    seconds = abs(seconds)
    if seconds >= _MAX_SHOWN_SECONDS:
        return "over 10000 years"
    for unit, size, bound in _UNITS:
        if bound is None or seconds < bound:
            count = round(seconds / size)
            if unit in ("day", "year") and count != 1:
                return f"{count} {unit}s"
            return f"{count} {unit}"
    raise AssertionError("the last unit has no bound")
