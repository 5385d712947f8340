"""Checks on registered claims: expiry, lifetime, issue time, issuer and audience."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from jwtkit._encoding import is_number, json_type_name
from jwtkit.jwt.numericdate import format_utc, integer_digits, is_numericdate
from jwtkit.lint.context import LintContext
from jwtkit.lint.durations import format_duration, seconds_between
from jwtkit.lint.findings import Finding, Severity

# Clocks of issuer and linter may differ by this much before an iat counts as
# being in the future.
CLOCK_SKEW = 60.0

# A NumericDate claim of another type is ignored by lenient verifiers, which
# matters most for exp: the token then never expires.
_NUMERICDATE_SEVERITY = {"exp": Severity.HIGH, "nbf": Severity.MEDIUM, "iat": Severity.LOW}


def check_numericdate_types(context: LintContext) -> Iterator[Finding]:
    """Report ``exp``, ``nbf`` or ``iat`` values that are not NumericDates (strings, say)."""
    for name, severity in _NUMERICDATE_SEVERITY.items():
        if name not in context.claims or is_numericdate(context.claims[name]):
            continue
        value = context.claims[name]
        if is_number(value):
            yield _out_of_range(name, value, severity)
            continue
        yield Finding(
            severity,
            f"{name}-not-numericdate",
            f"claim {name!r} is the {json_type_name(value)} {_show(value)}, not a NumericDate "
            "(seconds since 1970-01-01T00:00:00Z); strict verifiers reject the token and "
            f"lenient ones ignore {name!r}",
            f"Write {name!r} as a number of seconds since the epoch, such as "
            f"{_suggest_numericdate(value, context.now)}",
            f"claims.{name}",
        )


def _out_of_range(name: str, value: int, severity: Severity) -> Finding:
    digits = integer_digits(value)
    return Finding(
        severity,
        f"{name}-out-of-range",
        f"claim {name!r} is {'a negative' if value < 0 else 'an'} integer of {digits} digits, "
        "beyond the range of a double; jwtkit rejects the token, and other verifiers may "
        "overflow or read a different time",
        f"Write {name!r} as seconds since the epoch, a number of at most 11 digits for "
        "dates before the year 5000",
        f"claims.{name}",
    )


def check_expiry(context: LintContext) -> Iterator[Finding]:
    """Report a missing ``exp`` and a lifetime over the configured maximum."""
    claims = context.claims
    if "exp" not in claims:
        yield Finding(
            Severity.MEDIUM,
            "exp-missing",
            "the token has no exp claim, so it stays valid forever once issued or leaked",
            f"Set exp to the shortest lifetime that works, at most "
            f"{format_duration(context.max_lifetime)}, and issue new tokens as they expire",
            "claims",
        )
        return

    exp = claims["exp"]
    if not is_numericdate(exp):
        return
    iat: Any = claims.get("iat")
    if is_numericdate(iat):
        lifetime = seconds_between(exp, iat)
        described = f"the token lives {format_duration(lifetime)} from iat to exp"
    else:
        lifetime = seconds_between(exp, context.now)
        described = f"the token has no iat and expires in {format_duration(lifetime)}"
    if lifetime > context.max_lifetime:
        yield Finding(
            Severity.MEDIUM,
            "lifetime-too-long",
            f"{described}, longer than {format_duration(context.max_lifetime)}; a leaked "
            "token stays usable that long",
            "Shorten the lifetime and use refresh tokens or re-authentication for long sessions",
            "claims.exp",
        )


def check_issue_time(context: LintContext) -> Iterator[Finding]:
    """Report an ``iat`` in the future and time claims that leave no valid moment."""
    claims = context.claims
    iat: Any = claims.get("iat")
    if is_numericdate(iat) and iat > context.now + CLOCK_SKEW:
        ahead = format_duration(seconds_between(iat, context.now))
        yield Finding(
            Severity.MEDIUM,
            "iat-in-future",
            f"claim 'iat' is {format_utc(iat)}, {ahead} in the future: the issuer's clock is "
            "wrong, or the token was made to outlive its intended lifetime",
            "Set iat to the time the token is issued and keep the issuer's clock synchronized "
            "(NTP)",
            "claims.iat",
        )

    exp: Any = claims.get("exp")
    if not is_numericdate(exp):
        return
    for name in ("nbf", "iat"):
        start: Any = claims.get(name)
        if is_numericdate(start) and start >= exp:
            yield Finding(
                Severity.LOW,
                "never-valid",
                f"claim {name!r} ({format_utc(start)}) is not before exp ({format_utc(exp)}), "
                "so no verifier can ever accept the token",
                f"Set exp after {name!r}",
                f"claims.{name}",
            )


def check_issuer_and_audience(context: LintContext) -> Iterator[Finding]:
    """Report missing ``iss`` and ``aud`` and registered claims of the wrong JSON type."""
    claims = context.claims
    if "iss" not in claims:
        yield Finding(
            Severity.LOW,
            "iss-missing",
            "the token has no iss claim, so a verifier cannot tell which issuer made it",
            "Set iss to the issuer's identifier (an HTTPS URL) and have verifiers require it",
            "claims",
        )
    if "aud" not in claims:
        yield Finding(
            Severity.MEDIUM,
            "aud-missing",
            "the token has no aud claim, so any service that trusts the issuer accepts it, "
            "including services it was not meant for (RFC 8725 §3.9)",
            "Set aud to the identifier of the service the token is for, and have each "
            "service require its own identifier",
            "claims",
        )

    for name in ("iss", "sub", "jti"):
        if name in claims and not isinstance(claims[name], str):
            yield _wrong_type(name, claims[name], "a string")
    aud = claims.get("aud")
    if "aud" in claims and not _is_audience(aud):
        yield _wrong_type("aud", aud, "a string or an array of strings")


def _suggest_numericdate(value: Any, now: float) -> str:
    """Convert an ISO 8601 date string to the NumericDate it means, else give the current time."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is not None:
            # A date without a time zone is read as UTC, the zone NumericDates use.
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return f"{int(moment.timestamp())} for {value!r} read as UTC"
    return f"{int(now)} for now"


def _is_audience(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _wrong_type(name: str, value: Any, expected: str) -> Finding:
    return Finding(
        Severity.MEDIUM,
        "claim-wrong-type",
        f"claim {name!r} is a JSON {json_type_name(value)}, but RFC 7519 §4.1 requires "
        f"{expected}; verifiers disagree on how to compare it",
        f"Write {name!r} as {expected}",
        f"claims.{name}",
    )


def _show(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."
