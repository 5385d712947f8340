"""Validation of registered claims (RFC 7519 §4.1) against the caller's expectations."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from jwtkit._encoding import is_number, json_type_name
from jwtkit.errors import (
    ExpiredTokenError,
    ImmatureTokenError,
    InvalidAudienceError,
    InvalidClaimError,
    InvalidIssuerError,
    MissingClaimError,
    UsageError,
)
from jwtkit.jwt.numericdate import format_utc, is_numericdate, seconds

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

_NUMERICDATE_CLAIMS = ("exp", "nbf", "iat")
_STRING_CLAIMS = ("iss", "sub", "jti")


class ClaimsPolicy:
    """The caller's expectations for claims, normalized once.

    Stating an expected value (``issuer``, ``audience``, ``subject``,
    ``max_age``) also makes its claim required: a token without it cannot
    meet the expectation and is rejected.
    """

    __slots__ = ("audience", "issuer", "leeway", "max_age", "required", "subject")

    def __init__(
        self,
        *,
        issuer: str | Collection[str] | None = None,
        audience: str | Collection[str] | None = None,
        subject: str | None = None,
        leeway: Any = 0,
        required: Collection[str] = (),
        max_age: Any = None,
    ) -> None:
        self.issuer = _expected_strings(issuer, "issuer")
        self.audience = _expected_strings(audience, "audience")
        if subject is not None and not isinstance(subject, str):
            raise UsageError(f"subject must be a string, got {type(subject).__name__}")
        self.subject = subject
        self.leeway = seconds(leeway, "leeway")
        self.max_age = None if max_age is None else seconds(max_age, "max_age")

        if (
            isinstance(required, str)
            or not isinstance(required, Collection)
            or not all(isinstance(name, str) for name in required)
        ):
            raise UsageError(
                f"required must be a list of claim names such as ['exp', 'sub'], got {required!r}"
            )
        names = list(required)
        for name, expected in (("iss", self.issuer), ("aud", self.audience), ("sub", subject)):
            if expected is not None and name not in names:
                names.append(name)
        if self.max_age is not None and "iat" not in names:
            names.append("iat")
        self.required = tuple(names)

    def validate(self, claims: Mapping[str, Any], now: float) -> None:
        """Raise an ``InvalidClaimError`` subclass for the first claim that fails."""
        for name in self.required:
            if name not in claims:
                raise MissingClaimError(
                    f"the token has no {name!r} claim, which is required",
                    claim=name,
                    expected="present",
                )

        for name in _NUMERICDATE_CLAIMS:
            if name in claims and not is_numericdate(claims[name]):
                _reject_numericdate(name, claims[name])
        for name in _STRING_CLAIMS:
            if name in claims and not isinstance(claims[name], str):
                _reject_string(name, claims[name])

        leeway = self.leeway
        if "exp" in claims:
            exp = claims["exp"]
            # RFC 7519 §4.1.4: the current time must be before exp. The claim
            # stays on one side of each comparison, because adding a float to a
            # huge integer claim would overflow.
            if now - leeway >= exp:
                raise ExpiredTokenError(
                    f"the token expired at {format_utc(exp)} (exp {_show(exp)}); now is "
                    f"{format_utc(now)}, {_ago(now - exp)} later, with {leeway:g} s leeway. "
                    "Get a new token",
                    claim="exp",
                    expired_at=exp,
                    now=now,
                )
        if "nbf" in claims:
            nbf = claims["nbf"]
            if now + leeway < nbf:
                raise ImmatureTokenError(
                    f"the token is not valid before {format_utc(nbf)} (nbf {_show(nbf)}); now is "
                    f"{format_utc(now)}, with {leeway:g} s leeway. Check the clocks of issuer "
                    "and verifier, or raise leeway",
                    claim="nbf",
                    valid_from=nbf,
                    now=now,
                )
        if "iat" in claims:
            self._check_iat(claims["iat"], now)

        if self.issuer is not None and claims["iss"] not in self.issuer:
            raise InvalidIssuerError(
                f"the token's issuer {_show(claims['iss'])} is not the expected "
                f"{_show_expected(self.issuer)}; issuers are compared exactly",
                claim="iss",
                expected=list(self.issuer),
                received=claims["iss"],
            )
        if self.subject is not None and claims["sub"] != self.subject:
            raise InvalidClaimError(
                f"the token's subject {_show(claims['sub'])} is not the expected "
                f"{_show(self.subject)}",
                claim="sub",
                expected=self.subject,
                received=claims["sub"],
            )
        if "aud" in claims:
            self._check_aud(claims["aud"])

    def _check_iat(self, iat: float, now: float) -> None:
        leeway = self.leeway
        if iat > now + leeway:
            raise ImmatureTokenError(
                f"the token's iat {format_utc(iat)} (iat {_show(iat)}) is in the future; now is "
                f"{format_utc(now)}, with {leeway:g} s leeway. Check the issuer's clock",
                claim="iat",
                valid_from=iat,
                now=now,
            )
        if self.max_age is not None and now - self.max_age - leeway > iat:
            raise ExpiredTokenError(
                f"the token was issued at {format_utc(iat)} (iat {_show(iat)}), more than max_age "
                f"{self.max_age:g} s before now ({format_utc(now)}); get a new token",
                claim="iat",
                expired_at=iat + self.max_age,
                now=now,
            )

    def _check_aud(self, aud: Any) -> None:
        if isinstance(aud, str):
            audiences: tuple[str, ...] | list[str] = (aud,)
        elif isinstance(aud, list) and aud and all(isinstance(item, str) for item in aud):
            audiences = aud
        else:
            raise InvalidClaimError(
                f"claim 'aud' must be a string or a non-empty array of strings, got "
                f"{_describe(aud)}",
                claim="aud",
                expected="string or array of strings",
                received=aud,
            )

        # RFC 7519 §4.1.3: a recipient that does not find itself in "aud" must
        # reject the token, so an audience claim without an expectation fails.
        if self.audience is None:
            raise InvalidAudienceError(
                f"the token is meant for audience {_show(aud)}, but no audience was expected; "
                "pass audience=... with this service's identifier to accept it",
                claim="aud",
                expected=None,
                received=aud,
            )
        if not any(item in self.audience for item in audiences):
            raise InvalidAudienceError(
                f"the token's audience {_show(aud)} does not contain the expected "
                f"{_show_expected(self.audience)}; audiences are compared exactly, "
                "member by member",
                claim="aud",
                expected=list(self.audience),
                received=aud,
            )


def _expected_strings(value: str | Collection[str] | None, name: str) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, Collection) and value and all(isinstance(item, str) for item in value):
        return frozenset(value)
    raise UsageError(f"{name} must be a string or a non-empty collection of strings, got {value!r}")


def _reject_numericdate(name: str, value: Any) -> NoReturn:
    if is_number(value):
        raise InvalidClaimError(
            f"claim {name!r} is outside the range of a NumericDate: {_show(value)}; the "
            "issuer must fix the token",
            claim=name,
            expected="NumericDate",
            received=value,
        )
    raise InvalidClaimError(
        f"claim {name!r} must be a NumericDate (a number of seconds since "
        f"1970-01-01T00:00:00Z), got {_describe(value)}; the issuer must fix the token",
        claim=name,
        expected="NumericDate",
        received=value,
    )


def _reject_string(name: str, value: Any) -> NoReturn:
    raise InvalidClaimError(
        f"claim {name!r} must be a string, got {_describe(value)}",
        claim=name,
        expected="string",
        received=value,
    )


def _describe(value: Any) -> str:
    kind = json_type_name(value)
    if kind in ("object", "array"):
        return f"a JSON {kind}"
    if kind == "null":
        return "null"
    if kind == "number":
        return f"the number {_show(value)}"
    return f"the {kind} {_show(value)}"


def _show(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _show_expected(values: frozenset[str]) -> str:
    return " or ".join(sorted(_show(value) for value in values))


def _ago(delta: float) -> str:
    delta = abs(delta)
    # A far-off exp such as -1e308 would otherwise print hundreds of digits.
    if delta >= _LONGEST_SHOWN_DELTA:
        return "over 10000 years"
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if delta >= size:
            return f"{delta / size:.1f} {unit}"
    return f"{delta:g} seconds"


_LONGEST_SHOWN_DELTA = 10_000 * 365.25 * 86400
