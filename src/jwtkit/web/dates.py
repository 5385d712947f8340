"""NumericDate claims as the debugger page shows them: UTC, and how long ago or ahead."""

from __future__ import annotations

import json
from typing import Any

from jwtkit._encoding import is_number
from jwtkit.jwt.numericdate import format_utc
from jwtkit.lint import format_duration
from jwtkit.lint.durations import seconds_between

# exp, nbf and iat are registered in RFC 7519; auth_time is the OpenID Connect
# time of authentication, common in ID tokens.
DATE_CLAIMS = ("exp", "nbf", "iat", "auth_time")

# JavaScript Dates hold at most 8.64e15 ms on either side of the epoch.
_JS_DATE_LIMIT_SECONDS = 8.64e12


def describe_dates(claims: dict[str, Any], now: float) -> list[dict[str, Any]]:
    """Describe every date claim: its value, UTC time and a phrase like "expired 3 days ago".

    ``epoch_ms`` is set when a browser can show the date in local time. A date
    claim that is not a NumericDate (a string, say) is listed with
    ``numericdate`` false, so the page can point at it.
    """
    described = []
    for claim in DATE_CLAIMS:
        if claim not in claims:
            continue
        value: Any = claims[claim]
        if not is_number(value):
            described.append(
                {
                    "claim": claim,
                    "value": json.dumps(value, ensure_ascii=False),
                    "numericdate": False,
                    "utc": None,
                    "epoch_ms": None,
                    "relative": "not a NumericDate",
                    "past": False,
                }
            )
            continue
        delta = seconds_between(value, now)
        in_range = abs(delta) != float("inf") and abs(float(value)) <= _JS_DATE_LIMIT_SECONDS
        described.append(
            {
                "claim": claim,
                "value": str(value),
                "numericdate": True,
                "utc": format_utc(value),
                "epoch_ms": float(value) * 1000 if in_range else None,
                "relative": relative_phrase(claim, delta),
                "past": delta <= 0,
            }
        )
    return described


def relative_phrase(claim: str, delta: float) -> str:
    """Phrase a claim's distance from now; ``delta`` is positive for a future time."""
    span = format_duration(delta)
    future = delta > 0
    if claim == "exp":
        return f"expires in {span}" if future else f"expired {span} ago"
    if claim == "nbf":
        return f"becomes valid in {span}" if future else f"became valid {span} ago"
    if claim == "iat":
        return f"issued {span} in the future" if future else f"issued {span} ago"
    if claim == "auth_time":
        return f"authenticated {span} in the future" if future else f"authenticated {span} ago"
    return f"in {span}" if future else f"{span} ago"
